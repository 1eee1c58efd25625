"""Loading the theme taxonomy (a TOML file) and computing its version."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TAXONOMY_PATH = Path(__file__).with_name("taxonomy.toml")


@dataclass(frozen=True)
class Theme:
    """One theme: id, label, description, weighted phrases and a tagging threshold."""

    id: str
    label: str
    description: str
    terms: dict[str, float]
    threshold: float
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """The themes in force and the version (content hash) stamped on every tag."""

    themes: tuple[Theme, ...]
    version: str
    path: str
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with this id; KeyError if there is none."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


def parse_taxonomy(data: bytes, path: str = "<memory>") -> Taxonomy:
    """Return the Taxonomy in TOML `data`; ValueError naming the problem if it is invalid."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"taxonomy {path} is not valid TOML: {exc}") from exc
    default_threshold = float(raw.get("default_threshold", 1.0))
    themes, seen = [], set()
    for i, entry in enumerate(raw.get("themes", [])):
        theme_id = entry.get("id")
        if not theme_id or not isinstance(theme_id, str):
            raise ValueError(f"taxonomy {path}: theme #{i + 1} has no id")
        if theme_id in seen:
            raise ValueError(f"taxonomy {path}: theme id {theme_id!r} appears twice")
        seen.add(theme_id)
        terms = {str(k).lower(): float(v) for k, v in entry.get("terms", {}).items()}
        if not terms:
            raise ValueError(f"taxonomy {path}: theme {theme_id!r} has no terms")
        themes.append(
            Theme(
                id=theme_id,
                label=entry.get("label", theme_id),
                description=entry.get("description", ""),
                terms=terms,
                threshold=float(entry.get("threshold", default_threshold)),
                exclude=tuple(str(x).lower() for x in entry.get("exclude", [])),
            )
        )
    if not themes:
        raise ValueError(f"taxonomy {path} defines no themes")
    version = hashlib.sha256(data).hexdigest()[:12]
    return Taxonomy(themes=tuple(themes), version=version, path=path, raw=raw)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Return the taxonomy at `path`, or the default one shipped with mediawatch."""
    path = Path(path) if path else DEFAULT_TAXONOMY_PATH
    return parse_taxonomy(path.read_bytes(), str(path))
