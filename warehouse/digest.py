"""Digest queries and rendering (Markdown): what a day's coverage looked like."""

from __future__ import annotations

from datetime import date

import duckdb


def latest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """Return the most recent day that has articles, or None for an empty warehouse."""
    return con.execute("select max(day) from articles").fetchone()[0]


def digest_data(con: duckdb.DuckDBPyConnection, day: date) -> dict:
    """Return the content of the digest of `day` as plain data (deterministic order)."""
    total, distinct, sources = con.execute(
        "select count(*), count(*) filter (where duplicate_of is null), count(distinct source)"
        " from articles where day = ?",
        [day],
    ).fetchone()
    themes = con.execute(
        "select theme, articles, share from theme_daily where day = ? order by articles desc, theme",
        [day],
    ).fetchall()
    top = con.execute(
        "select t.theme, a.title, a.source, a.url, t.score,"
        " json_extract_string(t.evidence, '$.sentences[0].text')"
        " from article_themes t join articles a using (article_id)"
        " where a.day = ? and a.duplicate_of is null"
        " qualify row_number() over (partition by t.theme order by t.score desc, a.article_id) <= 3"
        " order by t.theme, t.score desc, a.article_id",
        [day],
    ).fetchall()
    return {
        "date": day.isoformat(),
        "totals": {"articles": total, "distinct": distinct, "duplicates": total - distinct,
                   "sources": sources},
        "themes": [{"theme": t, "articles": n, "share": round(s, 4)} for t, n, s in themes],
        "top_articles": [
            {"theme": th, "title": ti, "source": so, "url": u, "score": sc, "evidence": ev}
            for th, ti, so, u, sc, ev in top
        ],
    }


def render_markdown(data: dict) -> str:
    """Return the digest as Markdown."""
    t = data["totals"]
    lines = [f"# mediawatch digest — {data['date']}", ""]
    if not t["articles"]:
        lines.append("No articles were ingested for this day.")
        return "\n".join(lines) + "\n"
    lines += [
        f"{t['articles']} articles ({t['distinct']} distinct, {t['duplicates']} syndicated copies)"
        f" from {t['sources']} sources.",
        "",
        "## Themes",
        "",
        "| theme | articles | share |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {r['theme']} | {r['articles']} | {r['share']:.0%} |" for r in data["themes"]]
    lines += ["", "## Top articles", ""]
    current = None
    for r in data["top_articles"]:
        if r["theme"] != current:
            current = r["theme"]
            lines += ["", f"### {current}", ""]
        link = f"[{r['title']}]({r['url']})" if r["url"] else r["title"]
        lines.append(f"- {link} — {r['source']}")
        if r["evidence"]:
            lines.append(f"  > {r['evidence']}")
    return "\n".join(lines) + "\n"
