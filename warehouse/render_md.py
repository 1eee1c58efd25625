"""The digest as Markdown; every article string is escaped so it cannot add links or HTML."""

from __future__ import annotations

import re

from .digest import link_url
from .render_common import ARROWS, clip, local_time, plural, signed, tone_share

# CommonMark treats these as markup (emphasis, links, images, code, raw HTML, tables,
# entities); a backslash before any ASCII punctuation makes it a literal character.
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")
# A scheme's "://" would let GitHub-flavoured Markdown turn text into a link.
SCHEME = re.compile(r"(?<=\w):(?=//)")
# Characters a link destination in <...> may not hold.
URL_UNSAFE = {"<": "%3C", ">": "%3E", " ": "%20", "\\": "%5C"}


def md_text(value: object) -> str:
    """Return `value` as literal Markdown text on one line (markup characters escaped)."""
    flat = " ".join(str(value if value is not None else "").split())
    return SCHEME.sub(r"\\:", MD_SPECIAL.sub(r"\\\1", flat))


def md_link(text: object, url: str | None) -> str:
    """Return an escaped link, or the escaped text alone when the URL is not plain http(s)."""
    safe = link_url(url)
    if not safe:
        return md_text(text)
    return f"[{md_text(text)}](<{''.join(URL_UNSAFE.get(c, c) for c in safe)}>)"


def story_lines(stories: list[dict], tz: str, day: str) -> list[str]:
    """Return the "Top stories" section: headline, reach, articles, themes with evidence."""
    if not stories:
        return []
    lines = ["## Top stories", ""]
    for n, s in enumerate(stories, 1):
        reach = [plural(s["outlets"], "outlet"), plural(s["articles"], "article")]
        if s["copies"]:
            reach[-1] += f" (+{s['copies']} syndicated)"
        if s["languages"]:
            reach.append(", ".join(md_text(x) for x in s["languages"]))
        reach.append(f"first seen {local_time(s['first_seen'], tz, day)}")
        lines.append(f"{n}. **{md_text(s['title'])}** — " + " · ".join(reach))
        for a in s["links"]:
            note = " · copy" if a["copy"] else ""
            lines.append(f"   - {md_link(a['title'], a['url'])} — {md_text(a['source'])}{note}")
        for th in s["themes"]:
            quote = f": {md_text(clip(th['evidence']))}" if th["evidence"] else ""
            lines.append(f"   - *{md_text(th['label'])}*{quote}")
    lines.append("")
    return lines


def render_markdown(data: dict) -> str:
    """Return the digest as Markdown."""
    t, tz, day = data["totals"], data["timezone"], data["date"]
    lines = [f"# mediawatch digest — {day}", ""]
    if data["empty"]:
        lines += ["**No articles for this day.** The warehouse holds nothing published on "
                  f"{day}.", ""]
    lines += story_lines(data.get("stories") or [], tz, day)
    lines += [
        f"**{t['articles']}** articles · **{t['distinct_articles']}** distinct stories · "
        f"**{t['duplicates']}** syndicated copies · **{t['sources']}** sources · "
        f"**{t['failures']}** ingest failures",
        "",
    ]
    if t.get("undated"):
        lines += [f"{plural(t['undated'], 'article')} first seen this day without a publication "
                  "date: left out of the themes and trends.", ""]
    if t["distinct_articles"]:
        lines += [tone_share(t), ""]
    focus = data.get("focus") or {}
    if focus.get("articles"):
        lines += [f"## Focus: {md_text(focus['focus'])}", ""]
        if focus["themes"]:
            lines += [" · ".join(f"{md_text(t['label'])} {t['articles']}"
                                 for t in focus["themes"]), ""]
        for a in focus["articles"]:
            themes = ", ".join(md_text(t) for t in a["themes"]) or "no theme"
            lines.append(f"- {md_link(a['title'], a['url'])} — {md_text(a['source'])} "
                         f"({themes})")
        lines.append("")
    if data["themes"]:
        lines += ["## Themes", "", "| theme | today | 7-day avg | change | spike |",
                  "| --- | ---: | ---: | ---: | --- |"]
        for th in data["themes"]:
            lines.append(f"| {md_text(th['label'])} | {th['articles']} | {th['avg_7d']:g} | "
                         f"{ARROWS[th['direction']]} {signed(th['delta'])} | "
                         f"{'SPIKE' if th['is_spike'] else ''} |")
        lines.append("")
    if any(th["top_articles"] for th in data["themes"]):
        lines += ["## Top articles", ""]
        for th in data["themes"]:
            if not th["top_articles"]:
                continue
            lines += [f"### {md_text(th['label'])}", ""]
            for a in th["top_articles"]:
                meta = [md_text(a["source"]), local_time(a["published_at"], tz, day)]
                if a["outlets"] > 1:
                    meta.append(f"{a['outlets']} outlets")
                lines.append(f"- {md_link(a['title'], a['url'])} — "
                             + " · ".join(m for m in meta if m))
                if a["evidence"]:
                    lines.append(f"  > {md_text(clip(a['evidence']))}")
            lines.append("")
    actors = data["actors"]
    if actors["top"]:
        lines += ["## Actors", "", "| actor | kind | articles | mentions |",
                  "| --- | --- | ---: | ---: |"]
        lines += [f"| {md_text(a['actor'])} | {md_text(a['kind'])} | {a['articles']} | "
                  f"{a['mentions']} |" for a in actors["top"]]
        lines.append("")
    if actors["dyads"]:
        lines += ["### Pairs named together", ""]
        lines += [f"- {md_text(d['actor_a'])} + {md_text(d['actor_b'])}: "
                  f"{plural(d['articles'], 'article')}" for d in actors["dyads"]]
        lines.append("")
    if data["syndication"]:
        lines += ["## Syndicated stories", ""]
        for s in data["syndication"]:
            lines.append(f"- {md_link(s['title'], s['url'])} — carried by {s['outlets']} "
                         f"outlets ({s['copies']} copies): "
                         + ", ".join(md_text(x) for x in s["sources"]))
        lines.append("")
    health = data["source_health"]
    lines += ["## Source health", ""]
    if not health["failing_feeds"] and not health["failures_by_source"]:
        lines += ["No failing feeds and no ingest failures for this day.", ""]
    for f in health["failing_feeds"]:
        lines.append(f"- feed {md_text(f['name'])}: {f['consecutive_failures']} failed polls in a "
                     f"row, last status {md_text(f['last_status'])}"
                     + (f" — {md_text(clip(f['last_error'], 160))}" if f["last_error"] else ""))
    for f in health["failures_by_source"]:
        lines.append(f"- {md_text(f['source'])} ({md_text(f['stage'])}, {md_text(f['code'])}): "
                     f"{plural(f['failures'], 'failure')}, "
                     f"e.g. {md_text(clip(f['example_reason'], 160))}")
    return "\n".join(lines).rstrip("\n") + "\n"
