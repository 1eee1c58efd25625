"""The SSRF address filter: unit tests only, no traffic (names resolve through a fake DNS)."""

import ipaddress
import re

import pytest

from extractors.netsafety import (
    UnsafeURL,
    check_url,
    is_public_address,
    parse_ipv4_number,
)
from extractors.transport import is_public


def fake_dns(table):
    """A resolver answering from `table` (the internet is the one thing we may fake)."""
    def resolve(host, port):
        if host not in table:
            raise OSError(f"unknown host {host}")
        return [ipaddress.ip_address(a) for a in table[host]]
    return resolve


@pytest.mark.parametrize("ip", [
    "8.8.8.8", "1.1.1.1", "151.101.1.69", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e",
])
def test_public_addresses_pass(ip):
    assert is_public_address(ip)
    assert is_public(ip)  # the transport's connect-time check, the same rule


@pytest.mark.parametrize("ip", [
    "127.0.0.1", "127.255.255.254",  # loopback
    "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",  # private
    "100.64.0.1",  # carrier-grade NAT
    "169.254.169.254",  # link-local: cloud metadata service
    "0.0.0.0", "0.1.2.3",  # unspecified / this network
    "224.0.0.1", "239.255.255.250", "224.0.1.1",  # multicast
    "240.0.0.1", "255.255.255.255",  # reserved, broadcast
    "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1",  # documentation, benchmarking
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",  # NAT64 of loopback / metadata
    "2002:7f00:1::1", "2002:c0a8:101::1",  # 6to4 of loopback / 192.168.1.1
    "not an address", "",
])
def test_non_public_addresses_are_refused(ip):
    assert not is_public_address(ip)
    assert not is_public(ip)  # the transport's connect-time check, the same rule


@pytest.mark.parametrize("host, expected", [
    ("2130706433", "127.0.0.1"),  # one decimal number
    ("0x7f.1", "127.0.0.1"),  # hex, two parts
    ("0x7f000001", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),  # octal
    ("017700000001", "127.0.0.1"),
    ("127.1", "127.0.0.1"),  # short form
    ("10.1", "10.0.0.1"),
    ("192.168.257", "192.168.1.1"),  # last part spans two bytes
    ("127.0.0.1.", "127.0.0.1"),  # trailing dot
    ("0x", "0.0.0.0"),  # an empty hex part is 0 to URL parsers
    ("8.8.8.8", "8.8.8.8"),
])
def test_numeric_host_forms(host, expected):
    assert parse_ipv4_number(host) == ipaddress.IPv4Address(expected)


@pytest.mark.parametrize("host", ["example.org", "1.2.3.example", "256.1.1.1", "1.2.3.4.5",
                                  "09.1.1.1", "4294967296", "1_0.0.0.1", " 1.2.3.4", ""])
def test_names_and_invalid_numbers_are_not_addresses(host):
    assert parse_ipv4_number(host) is None


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.0.0.1:4200/api/flows", "https://10.0.0.5/feed.xml",
    "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/",
    "http://0/", "http://0.0.0.0:8080/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://[fe80::1%25eth0]/", "http://169.254.169.254/latest/meta-data/",
    "http://localhost/", "http://LOCALHOST./", "http://api.localhost/", "http://printer.local/",
    "http://ip6-localhost/",
    "http://user:pw@127.0.0.1/", "http://example.org@127.0.0.1/",  # userinfo tricks
    "http://rebind.example/",  # a public-looking name that resolves to loopback
    "http://split.example/",  # one public and one private address
])
def test_urls_into_private_networks_are_refused(url):
    dns = fake_dns({"rebind.example": ["127.0.0.1"],
                    "split.example": ["93.184.215.14", "192.168.0.10"]})
    with pytest.raises(UnsafeURL) as info:
        check_url(url, resolve=dns)
    assert "allow private addresses" in str(info.value)


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "scheme 'file'"),
    ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher'"),
    ("ftp://example.org/x", "scheme 'ftp'"),
    ("//example.org/x", "scheme '(none)'"),
    ("http:///path", "no host"),
    ("http://[::1/", "not a valid URL"),
    ("http://example.org:99999/", "not a valid URL"),
])
def test_bad_schemes_and_malformed_urls_are_refused(url, reason):
    with pytest.raises(UnsafeURL, match=re.escape(reason)):
        check_url(url, resolve=fake_dns({}))


def test_public_urls_return_the_addresses_to_connect_to():
    dns = fake_dns({"news.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]})
    assert [str(a) for a in check_url("https://news.example/rss", resolve=dns)] == [
        "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    assert [str(a) for a in check_url("http://8.8.8.8/")] == ["8.8.8.8"]  # no lookup needed


def test_allow_private_lets_loopback_through_but_not_other_schemes():
    assert [str(a) for a in check_url("http://127.0.0.1:8000/feed", allow_private=True)] == [
        "127.0.0.1"]
    assert check_url("http://localhost/", allow_private=True)  # real resolution: /etc/hosts
    with pytest.raises(UnsafeURL):
        check_url("file:///etc/passwd", allow_private=True)


def test_unresolvable_host_is_an_oserror_not_a_refusal():
    with pytest.raises(OSError):
        check_url("http://nowhere.example/", resolve=fake_dns({}))


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "192.168.257",
                                  "0x7f000001", "10.1", "8.8.8.8"])
def test_numeric_forms_agree_with_the_system_resolver(host):
    # inet_aton is what getaddrinfo uses for numeric hosts: no lookup, no traffic.
    import socket

    assert str(parse_ipv4_number(host)) == socket.inet_ntoa(socket.inet_aton(host))
