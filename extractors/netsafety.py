"""Which URLs may be fetched: refuse links that point into private networks (SSRF).

A feed is untrusted input: a link in it may point at the machine running mediawatch
(`http://127.0.0.1:4200/api`, a cloud metadata service at 169.254.169.254, a router on the
LAN). `check_url` refuses those unless private addresses are explicitly allowed. It resolves
the host name the way the HTTP client will (getaddrinfo), so every spelling of an address
(`2130706433`, `0x7f.1`, `0177.0.0.1`, `[::ffff:127.0.0.1]`, a DNS name that resolves to a
private address) is judged by the address it reaches, and refuses when any address of the
host is not public.

Resolving before connecting leaves a window (DNS rebinding: the name may resolve differently
a moment later); a fetcher closes it by connecting to the address returned here, or by
checking the peer address of the connection it made.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOWED_SCHEMES = {"http", "https"}
# Names that mean "this machine" whatever DNS says (RFC 6761 reserves *.localhost).
LOCAL_NAMES = re.compile(
    r"^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|.+\.localhost|.*\.local)$"
)
# Address blocks that are never the public internet, from the IANA special-purpose
# registries. Listed here as well as asked of `ipaddress`, whose answers for some blocks
# changed between Python patch releases (CVE-2024-4032).
BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, incl. cloud metadata 169.254.169.254
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. broadcast 255.255.255.255
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # IPv4-compatible (deprecated)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",  # discard-only
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
# IPv4 parts as URL parsers and inet_aton accept them: 0x-hex, 0-octal, or decimal.
HEX_PART = re.compile(r"^0[xX][0-9a-fA-F]*$")
OCTAL_PART = re.compile(r"^0[0-7]+$")
DECIMAL_PART = re.compile(r"^(0|[1-9][0-9]*)$")

Resolver = Callable[[str, int | None], list[IPAddress]]


class UnsafeURL(ValueError):
    """A URL that must not be fetched; the message says why and what would allow it."""


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64 well-known prefix
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # (server, client): the client is where traffic goes
    return None


def is_public_address(ip: str | IPAddress) -> bool:
    """Return True when `ip` is a public unicast address (safe to fetch from a feed link)."""
    try:
        ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:  # fe80::1%eth0 and the like: a link, not the internet
            return False
        inner = embedded_ipv4(ip)
        if inner is not None and not is_public_address(inner):
            return False
    if any(ip.version == net.version and ip in net for net in BLOCKED_NETWORKS):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified
                                 or ip.is_loopback or ip.is_link_local or ip.is_private)


def parse_ipv4_number(host: str) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address of a numeric host in any legacy form, else None.

    `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` all mean 127.0.0.1 to inet_aton and to
    WHATWG URL parsers; None when `host` is a name (or not a valid number).
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing dot is allowed
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if HEX_PART.match(part):
            numbers.append(int(part[2:] or "0", 16))
        elif OCTAL_PART.match(part):
            numbers.append(int(part, 8))
        elif DECIMAL_PART.match(part):
            numbers.append(int(part))
        else:
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for i, n in enumerate(leading):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def resolve_host(host: str, port: int | None) -> list[IPAddress]:
    """Return every address `host` resolves to (getaddrinfo, as the HTTP client does)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check_url(url: str, allow_private: bool = False,
              resolve: Resolver = resolve_host) -> list[IPAddress]:
    """Return the addresses `url` would connect to; UnsafeURL when it must not be fetched.

    Refuses schemes other than http(s), URLs without a host, and (unless `allow_private`)
    hosts named like this machine or with any address that is not public. OSError when the
    host name cannot be resolved (a fetch failure, not a refusal).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"scheme {scheme or '(none)'!r} is not fetched; only http and https are")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL("URL has no host")
    why_allowed = "allow private addresses in the settings to fetch it anyway"
    if not allow_private and LOCAL_NAMES.match(host):
        raise UnsafeURL(f"host {host!r} names this machine or the local network; {why_allowed}")
    literal = parse_ipv4_number(host)
    if literal is None:
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
    addresses = [literal] if literal is not None else resolve(host, port)
    if not addresses:
        raise OSError(f"host {host!r} has no address")
    if not allow_private:
        for ip in addresses:
            if not is_public_address(ip):
                raise UnsafeURL(
                    f"host {host!r} is at {ip}, a private, loopback, link-local or reserved "
                    f"address; {why_allowed}"
                )
    return addresses
