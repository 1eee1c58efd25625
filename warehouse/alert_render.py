"""What an alert says, as a text body (e-mail, Slack, ...) and a JSON body (webhooks).

Pure functions of the alert's facts. An alert says why it fired: each article's title,
source, time, link and story (when the warehouse has stories), its themes with the
evidence sentence, the query terms found, and the taxonomy version of its tags.
Schema of the JSON body: docs/alerts.md (`mediawatch.alert/1`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .watches import Watch

SCHEMA = "mediawatch.alert/1"
SENTENCE_CHARS = 300


def evidence_sentence(evidence: Any) -> str | None:
    """Return the first evidence sentence of a tag (its strongest hit), cut to a line."""
    sentences = (evidence or {}).get("sentences") or [] if isinstance(evidence, dict) else []
    if not sentences:
        return None
    first = sentences[0]
    text = " ".join(str(first.get("text") if isinstance(first, dict) else first).split())
    return text if len(text) <= SENTENCE_CHARS else text[: SENTENCE_CHARS - 1] + "…"


def iso(value: Any) -> str | None:
    """Return dates and timestamps as ISO 8601 text (timestamps are UTC)."""
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    return value.isoformat() if isinstance(value, date) else value


def article_json(fact: dict, match: Any) -> dict:
    """Return the JSON of one article in an alert."""
    return {
        "article_id": fact["article_id"],
        "title": fact.get("title"),
        "source": fact.get("source"),
        "published_at": iso(fact.get("published_at")),
        "day": iso(fact.get("day")),
        "url": fact.get("url"),
        "story_id": fact.get("story_id"),
        "themes": [{"theme": t["theme"], "score": round(float(t["score"]), 3),
                    "evidence": evidence_sentence(t["evidence"]),
                    "taxonomy_version": t["taxonomy_version"]} for t in fact["themes"]],
        "matched_terms": list(match.terms) if match is not None else [],
        "score": round(match.score, 3) if match is not None and match.score is not None else None,
    }


def article_text(item: dict) -> list[str]:
    """Return the text lines of one article in an alert."""
    when = item["published_at"] or f"{item['day']} (day first seen)"
    lines = [item["title"] or "(untitled)", f"{item['source']} · {when}"]
    if item["url"]:
        lines.append(item["url"])
    if item["story_id"]:
        lines.append(f"Story: {item['story_id']}")
    for theme in item["themes"]:
        because = f": “{theme['evidence']}”" if theme["evidence"] else ""
        lines.append(f"Theme {theme['theme']} ({theme['score']:g}){because}")
    if item["matched_terms"]:
        lines.append(f"Matched terms: {', '.join(item['matched_terms'])}")
    return lines


def render(key: str, watch: Watch, trigger: str, day: date, facts: list[dict],
           matches: dict, extra: dict) -> tuple[str, str, dict]:
    """Return (title, text body, JSON body) of one alert."""
    items = [article_json(f, matches.get(f["article_id"])) for f in facts]
    total = int(extra.get("articles_total", len(items)))
    versions = sorted({t["taxonomy_version"] for i in items for t in i["themes"]})
    if trigger == "new":
        title = f"[mediawatch] {watch.name}: {items[0]['title'] or 'new article'}"
        intro = f"Watch {watch.name} matched a new article."
    elif trigger == "digest":
        title = f"[mediawatch] {watch.name}: {total} articles ({extra['period']} of {day})"
        intro = f"Watch {watch.name} matched {total} articles in the {extra['period']} of {day}."
    else:
        z = extra.get("zscore")
        how = f"z-score {z:.1f}" if z is not None else "after a flat baseline"
        title = f"[mediawatch] {watch.name}: spike on {day} ({total} articles)"
        intro = (f"Watch {watch.name} spiked on {day}: {total} articles, a share of the day's "
                 f"articles against a 28-day mean share of {extra.get('share_28d') or 0:.1%} "
                 f"({how}).")
    body = {"schema": SCHEMA, "idempotency_key": key, "watch": watch.name, "trigger": trigger,
            "matches": watch.describe(), "day": day.isoformat(), "articles_total": total,
            "taxonomy_versions": versions, "articles": items}
    if trigger == "spike":
        body["share_28d"] = extra.get("share_28d")
        body["zscore_28d"] = extra.get("zscore")
    lines = [intro, f"Watch matches: {watch.describe()}", ""]
    for item in items:
        lines += [*article_text(item), ""]
    if total > len(items):
        lines += [f"… and {total - len(items)} more.", ""]
    lines.append(f"Taxonomy version: {', '.join(versions) or '-'}")
    lines.append(f"Alert key: {key}")
    return title, "\n".join(lines), body
