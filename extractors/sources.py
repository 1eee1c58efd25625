"""The home country of an outlet (articles.source_country) from a registry of outlets.

An article's home country says which actors are domestic to it: Putin in RIA Novosti is
home news, in The Hindu he is abroad. It comes, first found wins, from the JSONL line's
`source_country`, the feed list's `country`, a `sources.toml` in the seeds folder, then the
registry shipped here (extractors/sources.toml): by the outlet's name (the article's
`source`, else the page's og:site_name) or by its web domain.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SOURCES_PATH = Path(__file__).with_name("sources.toml")
SEED_SOURCES_NAME = "sources.toml"  # in the seeds folder: adds to or overrides the shipped one
# A feed named "The Hindu — International" or "BBC News (Russian)" is its outlet plus a
# section: the part before the separator is tried as a name too.
SECTION_SEPARATOR = re.compile(r"\s+[—–-]\s+|\s*[(:|]\s*")


def name_key(name: str) -> str:
    """Return the form in which outlet names are compared: case-folded, spaces collapsed."""
    return " ".join(name.split()).casefold()


def host_of(url: str) -> str | None:
    """Return the lower-case host of `url` without a leading "www.", if it has one."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


@dataclass(frozen=True)
class SourceRegistry:
    """Outlet names and web domains -> the gazetteer id of their home country."""

    by_name: dict[str, str] = field(default_factory=dict)
    by_domain: dict[str, str] = field(default_factory=dict)

    def merged(self, other: SourceRegistry) -> SourceRegistry:
        """Return this registry with `other`'s entries added, `other` winning on a clash."""
        return SourceRegistry({**self.by_name, **other.by_name},
                              {**self.by_domain, **other.by_domain})

    def country_of_name(self, name: str | None) -> str | None:
        """Return the country of an outlet name (or of its part before a section suffix)."""
        if not name or not name.strip():
            return None
        key = name_key(name)
        if key in self.by_name:
            return self.by_name[key]
        head = SECTION_SEPARATOR.split(name.strip(), maxsplit=1)[0]
        return self.by_name.get(name_key(head)) if head else None

    def country_of_url(self, url: str | None) -> str | None:
        """Return the country of the domain of `url`, or of its nearest listed parent."""
        host = host_of(url) if url else None
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            _, _, host = host.partition(".")
        return None

    def country_of(self, source: str | None = None, url: str | None = None,
                   site_name: str | None = None) -> str | None:
        """Return the home country of an article's outlet: by name, then domain, then
        the page's site name; None when the registry does not know the outlet."""
        return (self.country_of_name(source) or self.country_of_url(url)
                or self.country_of_name(site_name))


def parse_sources(data: bytes, path: str = "<memory>") -> SourceRegistry:
    """Return the registry in TOML `data`; ValueError naming the entry when it is invalid."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"sources file {path} is not valid TOML: {exc}") from exc
    entries = raw.get("sources", [])
    if not isinstance(entries, list):
        raise ValueError(f"sources file {path}: `sources` must be an array of tables ([[sources]])")
    by_name: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for i, entry in enumerate(entries, start=1):
        where = f"sources file {path}: entry #{i}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} is not a table")
        name, country = entry.get("name"), entry.get("country")
        where += f" ({name!r})"
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: `name` is required")
        if not isinstance(country, str) or not country.strip():
            raise ValueError(f"{where}: `country` (a gazetteer country id) is required")
        aliases, domains = entry.get("aliases", []), entry.get("domains", [])
        for key, value in (("aliases", aliases), ("domains", domains)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{where}: `{key}` must be a list of strings")
        for alias in [name, *aliases]:
            by_name[name_key(alias)] = country.strip()
        for domain in domains:
            host = host_of(domain.strip())
            if not host:
                raise ValueError(f"{where}: {domain!r} is not a domain")
            by_domain[host] = country.strip()
    return SourceRegistry(by_name, by_domain)


def _read(path: str) -> SourceRegistry:
    try:
        # keyed by modification time too: a long-running `serve` sees an edited file
        return _parse_file(path, Path(path).stat().st_mtime_ns)
    except OSError as exc:
        raise ValueError(f"cannot read sources file {path}: {exc.strerror or exc}") from exc


@cache
def _parse_file(path: str, mtime_ns: int) -> SourceRegistry:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read sources file {path}: {exc.strerror or exc}") from exc
    return parse_sources(data, path)


def load_sources(override: Path | str | None = None) -> SourceRegistry:
    """Return the shipped registry, with the entries of the file `override` (if given and
    present) added over it. ValueError naming the file when one is invalid."""
    shipped = _read(str(DEFAULT_SOURCES_PATH))
    if override is None or not Path(override).is_file():
        return shipped
    return shipped.merged(_read(str(Path(override).resolve())))


def seed_sources(seeds_dir: Path | str) -> tuple[SourceRegistry, str | None]:
    """Return the registry for a seeds folder (its sources.toml over the shipped one), and
    why its sources.toml was not used when it is invalid (the shipped one is used then)."""
    try:
        return load_sources(Path(seeds_dir) / SEED_SOURCES_NAME), None
    except ValueError as exc:
        return load_sources(), f"{exc}; the shipped sources registry was used instead"
