"""article_focus on a real DuckDB file: loaded with a batch, replaced by retag, read by
theme_daily_focus (checked against a Python oracle) and by the digest, which leads with it."""

from collections import Counter
from datetime import date, datetime

from extractors.records import FocusMark
from tests.records import make_article, make_tag
from warehouse.db import open_warehouse
from warehouse.digest import digest_data
from warehouse.load import load_batch
from warehouse.render_md import render_markdown
from warehouse.retag import replace_enrichment

DAY = date(2024, 7, 9)
AT = datetime(2024, 7, 9, 8)


def mark(article_id, parties):
    return FocusMark(article_id, "India, Russia", len(parties) / 2, len(parties) == 2,
                     tuple(parties))


# article -> (day offset, themes, focus parties named, copy of)
ARTICLES = {
    "a": (0, ["energy", "trade"], ["India", "Russia"], None),
    "a-copy": (0, ["energy", "trade"], ["India", "Russia"], "a"),
    "b": (0, ["energy"], ["India"], None),
    "c": (0, ["defense"], ["India", "Russia"], None),
    "d": (0, [], ["India", "Russia"], None),
    "e": (1, ["energy"], ["India", "Russia"], None),
    "f": (1, ["defense"], [], None),
}


def load(con):
    rows, tags, marks = [], [], []
    for aid, (offset, themes, parties, copy_of) in ARTICLES.items():
        rows.append(make_article(aid, aid, f"text of {copy_of or aid}", f"h-{copy_of or aid}",
                        published_at=AT.replace(day=AT.day + offset)))
        tags += [make_tag(aid, t, score=2.0) for t in themes]
        marks.append(mark(aid, parties))
    load_batch(con, rows, tags, [], AT, focus=marks)


def oracle():
    """theme_daily_focus by hand: focus articles that are not copies, per day and theme."""
    totals, counts = Counter(), Counter()
    for aid, (offset, themes, parties, copy_of) in ARTICLES.items():
        if len(parties) == 2 and copy_of is None:
            day = date(2024, 7, 9 + offset)
            totals[day] += 1
            for t in themes:
                counts[(day, t)] += 1
    return {(d, t): (n, n / totals[d]) for (d, t), n in counts.items()}


def test_theme_daily_focus_matches_the_oracle(db_path):
    with open_warehouse(db_path) as con:
        load(con)
        rows = con.execute("select day, theme, articles, share from theme_daily_focus").fetchall()
        assert {(d, t): (n, s) for d, t, n, s in rows} == oracle()
        stored = con.execute("select article_id, score, is_focus, parties, focus from "
                             "article_focus where article_id = 'b'").fetchone()
        assert stored == ("b", 0.5, False, ["India"], "India, Russia")


def test_retag_replaces_focus_marks(db_path):
    with open_warehouse(db_path) as con:
        load(con)
        replace_enrichment(con, ["b"], [make_tag("b", "energy")], [], [mark("b", ["India", "Russia"])])
        assert con.execute("select is_focus from article_focus where article_id = 'b'"
                           ).fetchone() == (True,)
        assert con.execute("select articles from theme_daily_focus where day = ? and "
                           "theme = 'energy'", [DAY]).fetchone() == (2,)


def test_digest_leads_with_focus_articles(db_path):
    with open_warehouse(db_path) as con:
        load(con)
        data = digest_data(con, DAY)
    focus = data["focus"]
    assert focus["available"] and focus["focus"] == "India, Russia"
    # distinct focus articles of the day, most themes first; the copy and "b" are left out
    assert [a["article_id"] for a in focus["articles"]] == ["a", "c", "d"]
    assert focus["articles"][0]["themes"] == ["Energy", "Trade"]
    assert {t["theme"]: t["articles"] for t in focus["themes"]} == {
        "energy": 1, "trade": 1, "defense": 1}
    md = render_markdown(data)
    assert md.index("## Focus: India, Russia") < md.index("## Themes")
