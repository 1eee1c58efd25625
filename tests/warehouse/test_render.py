"""Rendering the digest: hostile article strings stay text in Markdown, HTML and CSV."""

import csv
import io
import json
import re
from html.parser import HTMLParser

from tests.conftest import ROOT
from tests.warehouse.digest_db import DAY, add_article, build_warehouse
from warehouse.digest import digest_articles, digest_data
from warehouse.digest_export import render_csv, write_digest_files
from warehouse.render_html import render_html
from warehouse.render_md import md_link, md_text, render_markdown

HOSTILE = ("<script>alert(1)</script> [win](javascript:alert(2)) **bold** "
           "<img src=x onerror=alert(3)>")


class Tags(HTMLParser):
    """Collect every start tag and attribute of a document, and its text."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def hostile_warehouse(path):
    con = build_warehouse(path)
    add_article(con, "evil", DAY, "=HYPERLINK(\"http://x\")", HOSTILE,
                url='https://evil.example/"onmouseover="alert(4)', themes={"defense": 9.0},
                body="Evidence <b>bold</b> & [link](http://evil.example).")
    add_article(con, "js", DAY, "Wire", "Javascript link", url="javascript:alert(5)",
                themes={"energy": 9.0})
    return con


def test_markdown_text_cannot_become_markup():
    assert md_text("a*b_c [x](y) <i> | http://e.x") == (
        r"a\*b\_c \[x\]\(y\) \<i\> \| http\://e.x")
    assert md_link("t", "javascript:alert(1)") == "t"
    assert md_link("t", "https://a.example/x y>z") is not None
    assert md_link("t", "https://a.example/p?q=<1>") == "[t](<https://a.example/p?q=%3C1%3E>)"


def test_hostile_title_is_text_in_markdown(db_path):
    md = render_markdown(digest_data(hostile_warehouse(db_path), DAY))
    # Our own links are [label](<url>); with them unwrapped, no markup character is bare.
    unwrapped = re.sub(r"\[((?:\\.|[^\\\]\[])*)\]\(<[^<>\s]*>\)", r"\1", md)
    unwrapped = re.sub(r"^\s*> ", "", unwrapped, flags=re.MULTILINE)  # our evidence quotes
    assert not re.search(r"(?<!\\)[<>\[\]]", unwrapped)
    assert "](javascript:" not in md
    assert r"\<script\>alert\(1\)\</script\>" in md
    assert "(<https://evil.example/\"onmouseover=\"alert(4)>)" in md
    assert "[Javascript link]" not in md and "Javascript link" in md


def test_hostile_title_is_text_in_html(db_path):
    html = render_html(digest_data(hostile_warehouse(db_path), DAY))
    parsed = Tags()
    parsed.feed(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert not [a for a in parsed.attrs if a[0].startswith("on")]
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert 'https://evil.example/"onmouseover="alert(4)' in hrefs
    assert not [h for h in hrefs if not h.startswith("https://")]
    assert HOSTILE in "".join(parsed.text)  # shown, as text


def test_html_is_self_contained(db_path):
    html = render_html(digest_data(build_warehouse(db_path), DAY))
    assert html.count("<svg") >= 2 and "<polyline" in html and "<rect" in html
    assert not re.search(r"<(script|link|iframe|img)\b", html)
    assert not re.search(r"(src|href)=\"(?!https://wire\.example/)", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_empty_day_says_so(db_path):
    data = digest_data(build_warehouse(db_path), DAY.replace(year=2030))
    assert "No articles for this day" in render_markdown(data)
    assert "No articles for this day" in render_html(data)


def test_csv_defuses_spreadsheet_formulas(db_path):
    con = hostile_warehouse(db_path)
    rows = list(csv.DictReader(io.StringIO(render_csv(digest_articles(con, DAY)))))
    evil = next(r for r in rows if r["article_id"] == "evil")
    assert evil["source"] == "'=HYPERLINK(\"http://x\")" and evil["title"] == HOSTILE


def test_files_are_written_and_identical_on_a_rerun(db_path, tmp_path):
    con = build_warehouse(db_path)
    data, articles = digest_data(con, DAY), digest_articles(con, DAY)
    paths = write_digest_files(data, articles, tmp_path / "out")
    assert [p.name for p in paths] == ["digest.md", "digest.html", "digest.json", "articles.csv"]
    first = {p.name: p.read_bytes() for p in paths}
    again = write_digest_files(digest_data(con, DAY), digest_articles(con, DAY), tmp_path / "out")
    assert {p.name: p.read_bytes() for p in again} == first
    assert sorted(p.name for p in (tmp_path / "out" / "2024-07-09").iterdir()) == sorted(first)


def key_paths(value, prefix=""):
    """Yield every key path of a JSON value, lists written as `name[]`."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield f"{prefix}{k}"
            yield from key_paths(v, f"{prefix}{k}.")
    elif isinstance(value, list) and value:
        yield from key_paths(value[0], prefix[:-1] + "[]." if prefix else "[].")


def test_every_json_key_is_documented(db_path):
    con = build_warehouse(db_path)
    con.execute("insert into article_actors (article_id, actor, kind, mentions) values"
                " ('t1', 'India', 'country', 1),"
                " ('t1', 'Russia', 'country', 1)")
    con.execute("insert into feeds (name, url, last_status, consecutive_failures, last_error)"
                " values ('Dead', 'https://d.example', '503', 2, 'x')")
    con.execute("insert into ingest_failures (url, source, stage, reason, first_seen, last_seen)"
                " values ('u', 's', 'fetch', 'r', '2024-07-09', '2024-07-09')")
    con.execute("update articles set story_id = 'st1'")
    con.execute("insert into stories (story_id, title, first_seen, last_seen, articles, outlets,"
                " languages, themes, members, updated_at) values ('st1', 't', '2024-07-09',"
                " '2024-07-09', 2, 2, ['en'], ['energy'], 2, '2024-07-09')")
    data = json.loads(json.dumps(digest_data(con, DAY)))
    doc = (ROOT / "docs" / "digest.md").read_text().split("## `digest.json`")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([\w.\[\]]+)` \|", doc, re.MULTILINE))
    found = set(key_paths(data))
    assert found == documented, (found - documented, documented - found)


def test_themes_show_their_taxonomy_labels(db_path):
    con = build_warehouse(db_path)
    data = digest_data(con, DAY, labels={"defense": "Defence & arms <deals>"})
    labels = {t["theme"]: t["label"] for t in data["themes"]}
    # the taxonomy's label; an id the taxonomy lacks is spelled out
    assert labels["defense"] == "Defence & arms <deals>" and labels["diplomacy"] == "Diplomacy"
    md, html = render_markdown(data), render_html(data)
    assert "| Defence & arms <deals> |" not in md  # Markdown text is escaped, not raw
    assert "Defence" in md and "Diplomacy" in md
    page = Tags()
    page.feed(html)
    text = "".join(page.text)
    assert "Defence & arms <deals>" in text and "deals" not in page.tags
    assert ">defense<" not in html and "defense:" not in html  # ids only in attributes
