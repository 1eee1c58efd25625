"""Geometry of the digest's inline SVG charts (numbers only; labels are escaped by templates)."""

from __future__ import annotations

from dataclasses import dataclass

BAR_ROW_PX = 26
BAR_LABEL_PX = 180
BAR_VALUE_PX = 30


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, value, top y, length, and where the 7-day mean falls."""

    label: str
    value: int
    y: float
    length: float
    avg_x: float
    is_spike: bool


@dataclass(frozen=True)
class Sparkline:
    """A line through a series: the polyline points, the last point, and the series maximum."""

    points: str
    last_x: float
    last_y: float
    peak: int
    width: int
    height: int


def bars(themes: list[dict], width: int = 420) -> tuple[list[Bar], int]:
    """Return today's theme bars (scaled to the largest of today and the 7-day means) and height."""
    span = width - BAR_LABEL_PX - BAR_VALUE_PX
    top = max([t["articles"] for t in themes] + [t["avg_7d"] for t in themes] + [1])
    out = [
        Bar(label=t["label"], value=t["articles"], y=i * BAR_ROW_PX,
            length=round(span * t["articles"] / top, 1),
            avg_x=round(BAR_LABEL_PX + span * t["avg_7d"] / top, 1), is_spike=t["is_spike"])
        for i, t in enumerate(themes)
    ]
    return out, max(len(themes), 1) * BAR_ROW_PX


def sparkline(values: list[int], width: int = 300, height: int = 60, pad: int = 5) -> Sparkline:
    """Return a line through `values` (oldest first) fitted to the box, zero at the bottom."""
    peak = max(values + [1])
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    coords = [(round(pad + i * step, 1), round(height - pad - (height - 2 * pad) * v / peak, 1))
              for i, v in enumerate(values)]
    last_x, last_y = coords[-1] if coords else (pad, height - pad)
    return Sparkline(points=" ".join(f"{x},{y}" for x, y in coords), last_x=last_x,
                     last_y=last_y, peak=max(values + [0]), width=width, height=height)
