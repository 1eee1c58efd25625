"""Watches: standing queries read from a TOML file, each with a trigger and Apprise URLs.

```toml
[[watches]]
name = "india-oil"                 # required, unique: letters, digits, . _ -
query = "Russian oil India"        # optional: every term, with the stemming of `search`
themes = ["energy"]                # optional: any of these themes
actors = ["Vladimir Putin"]        # optional: any of these actors named
dyad = ["India", "Russia"]         # optional: both actors named
focus = true                       # optional: focus articles only (article_focus.is_focus)
sources = ["Reuters"]              # optional: any of these sources (case-insensitive)
languages = ["en"]                 # optional: any of these languages
trigger = "new"                    # new | digest | spike
period = "day"                     # digest only: day | week
notify = ["json://hooks.example/mw", "mailtos://${MW_SMTP_USER}:${MW_SMTP_PASS}@example.org"]
```

Secrets never live in the file: `${NAME}` in a notify URL is replaced from the environment
when an alert is sent, and a URL with a literal password or token is refused here.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

TRIGGERS = ("new", "digest", "spike")
PERIODS = ("day", "week")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Query parameters through which Apprise URLs carry credentials.
SECRET_PARAMS = {"pass", "password", "token", "apikey", "api_key", "key", "secret", "webhook"}
KEYS = {"name", "query", "themes", "actors", "dyad", "focus", "sources", "languages",
        "trigger", "period", "notify"}


class WatchFileError(ValueError):
    """The watch file cannot be used; the message names the file, the watch and the fix."""


@dataclass(frozen=True)
class Watch:
    """One standing query: what to match, when to fire, and where to notify."""

    name: str
    notify: tuple[str, ...]
    trigger: str = "new"
    query: str | None = None
    themes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    dyad: tuple[str, ...] = ()
    focus: bool = False
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    period: str = "day"

    def describe(self) -> str:
        """Return what the watch matches, in one line."""
        parts = [f"query {self.query!r}"] if self.query else []
        for label, values in (("themes", self.themes), ("actors", self.actors),
                              ("dyad", self.dyad), ("sources", self.sources),
                              ("languages", self.languages)):
            if values:
                parts.append(f"{label} {', '.join(values)}")
        if self.focus:
            parts.append("focus only")
        return "; ".join(parts)


def literal_secret(url: str) -> str | None:
    """Return what in `url` looks like a credential written out, else None.

    A password in the user part or a credential-carrying query parameter must come from
    the environment (`${NAME}`); tokens inside a service's path (Slack, Telegram) cannot be
    told from other text, so the README shows them as `${...}` too.
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return None
    if password and not ENV_VAR.fullmatch(password):
        return "a password in the URL"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in SECRET_PARAMS and value and not ENV_VAR.fullmatch(value):
            return f"the parameter {key}="
    return None


def expand_env(url: str, environ: dict[str, str] | None = None) -> str:
    """Return `url` with each `${NAME}` replaced from the environment; KeyError names a
    variable that is not set."""
    environ = os.environ if environ is None else environ

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in environ:
            raise KeyError(f"environment variable {name} is not set (used by a notify URL)")
        return environ[name]

    return ENV_VAR.sub(value, url)


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise WatchFileError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_watch(raw: dict, where: str) -> Watch:
    """Return the Watch of one `[[watches]]` table; WatchFileError says what is wrong."""
    unknown = set(raw) - KEYS
    if unknown:
        raise WatchFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(sorted(KEYS))})")
    name = raw.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise WatchFileError(f"{where}: name is required: letters, digits, '.', '_', '-'")
    where = f"{where} ({name})"
    trigger = raw.get("trigger", "new")
    if trigger not in TRIGGERS:
        raise WatchFileError(f"{where}: trigger must be one of {', '.join(TRIGGERS)}")
    period = raw.get("period", "day")
    if period not in PERIODS:
        raise WatchFileError(f"{where}: period must be one of {', '.join(PERIODS)}")
    query = raw.get("query")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise WatchFileError(f"{where}: query must be a non-empty string")
    focus = raw.get("focus", False)
    if not isinstance(focus, bool):
        raise WatchFileError(f"{where}: focus must be true or false")
    dyad = _strings(raw, "dyad", where)
    if dyad and len(dyad) != 2:
        raise WatchFileError(f"{where}: dyad names two actors, e.g. [\"India\", \"Russia\"]")
    notify = _strings(raw, "notify", where)
    if not notify:
        raise WatchFileError(f"{where}: notify needs at least one Apprise URL")
    for url in notify:
        secret = literal_secret(url)
        if secret:
            raise WatchFileError(f"{where}: {secret} of notify URL {url.split(':', 1)[0]}://… is "
                                 "written in the file; put it in an environment variable and "
                                 "write ${NAME} instead")
    watch = Watch(name=name, notify=notify, trigger=trigger,
                  query=query.strip() if query else None,
                  themes=_strings(raw, "themes", where), actors=_strings(raw, "actors", where),
                  dyad=dyad, focus=focus, sources=_strings(raw, "sources", where),
                  languages=_strings(raw, "languages", where), period=period)
    if not watch.describe():
        raise WatchFileError(f"{where}: say what to match (query, themes, actors, dyad, focus, "
                             "sources or languages)")
    return watch


def load_watches(path: Path | str) -> list[Watch]:
    """Return the watches of the TOML file at `path`; WatchFileError when it is not valid."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WatchFileError(f"watch file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WatchFileError(f"watch file {path} is not valid TOML: {exc}") from None
    tables = data.get("watches", [])
    if not isinstance(tables, list):
        raise WatchFileError(f"watch file {path}: write each watch as a [[watches]] table")
    watches = [parse_watch(raw, f"{path} watch {i + 1}") for i, raw in enumerate(tables)]
    names = [w.name for w in watches]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise WatchFileError(f"watch file {path}: names must be unique ({', '.join(twice)})")
    return watches
