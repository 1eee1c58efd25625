"""The digest as one self-contained HTML page: inline CSS and SVG charts, no scripts or fetches.

jinja2 with autoescaping escapes every value by default, so an article string can never
become markup; hand-built HTML would have to remember to escape at each of ~30 places.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import charts
from .digest import link_url
from .render_common import ARROWS, clip, local_time, plural, signed, tone_share

TEMPLATES = Path(__file__).with_name("templates")
# Small enough that its 13px labels stay legible when a phone scales the chart down.
BAR_WIDTH = 440


@cache
def environment() -> Environment:
    """Return the template environment (autoescape on for every template)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals.update(link_url=link_url, local_time=local_time, clip=clip, signed=signed,
                       plural=plural, arrows=ARROWS, tone_share=tone_share)
    return env


def render_html(data: dict) -> str:
    """Return the digest as a self-contained HTML document."""
    bars, bar_height = charts.bars(data["themes"], BAR_WIDTH)
    trends = [(t, charts.sparkline(t["trend_30d"])) for t in data["themes"]]
    return environment().get_template("digest.html.j2").render(
        d=data, bars=bars, bar_height=bar_height, bar_width=BAR_WIDTH,
        label_px=charts.BAR_LABEL_PX, trends=trends,
    )
