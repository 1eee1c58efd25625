"""Search in English and Russian, and tokens with digits and hyphens (issues 16 and 21)."""

import json
from datetime import datetime

import duckdb
import pytest

from tests.conftest import shared_path
from tests.records import make_article
from warehouse.db import load_fts, open_warehouse
from warehouse.load import load_batch
from warehouse.search import refresh_index, refresh_search_index, search

T0 = datetime(2024, 7, 2, 6)
ENGLISH = [  # plain words (no digits, no hyphens): where the old tokenizer and ours agree
    ("e1", "Oil imports climb", "Oil imports from Russia rose again; refiners bought more crude."),
    ("e2", "Crude oil crude oil", "Crude oil and crude oil again: the oil trade with O'Brien's fund."),
    ("e3", "Helicopter deal", "India signed a deal for Kamov helicopters with Rosoboronexport."),
    ("e4", "Sanctions pressure", "Washington warned New Delhi that sanctions could follow oil deals."),
    ("e5", "Rupee trade", "The rupee settlement of oil and defence trade stalled over sanctions."),
]
RUSSIAN = [
    ("r1", "Индия и Россия", "Индия и Россия подписали соглашение о поставках нефти."),
    ("r2", "Визит премьера", "Премьер Индии посетил Москву и обсудил торговлю."),
    ("r3", "Поставки", "Россия увеличила поставки нефти в Индию."),
    ("r4", "Переговоры", "Переговоры с Индией продолжатся в Пекине."),
    ("r5", "Китай", "Делегация Китая прибыла в Нью-Дели. Китай заявил о поддержке."),
    ("r6", "Торговля", "Товарооборот с Китаем вырос, сообщили в Китае."),
    ("r7", "Другое", "Погода в Москве будет тёплой."),
]
WEAPONS = [
    ("w1", "S-400 squadrons", "India receives the last S-400 squadrons, and a Su-57 offer stands."),
    ("w2", "BrahMos-NG", "The BrahMos-NG missile flies in 2026, officials said."),
    ("w3", "С-400 для Индии", "Индия получит С-400 и Су-57 в 2026 году."),
    ("w4", "Crowd", "About 400 people came; the count for 2025 was lower."),
]


def rows(items):
    return [make_article(i, f"k{i}", text, f"h-{i}", title=title) for i, title, text in items]


@pytest.fixture
def con(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, rows(ENGLISH + RUSSIAN + WEAPONS), [], [], T0)
        yield con


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The same articles as `con`, loaded once for the tests that only search them, on a
    read-only connection (so none can change what the next one finds)."""
    path = tmp_path_factory.mktemp("languages") / "mediawatch.duckdb"
    with open_warehouse(path) as con:
        load_batch(con, rows(ENGLISH + RUSSIAN + WEAPONS), [], [], T0)
    with open_warehouse(path, read_only=True) as con:
        yield con


def found(con, query):
    return {h.article_id for h in search(con, query, limit=100)}


def test_english_ranks_as_duckdbs_own_fts_index_does(db_path):
    """On plain English words, our BM25 gives DuckDB FTS's own scores (Porter stemming,
    the same stop words): an English query ranks as it did before."""
    with open_warehouse(db_path) as con:
        load_batch(con, rows(ENGLISH), [], [], T0)
        stopwords = [r[0] for r in con.execute("select sw from fts_main_articles.stopwords").fetchall()]
        queries = ["crude oil", "sanctions", "oil deal", "rupee defence trade", "helicopters"]
        ours = [{h.article_id: round(h.score, 9) for h in search(con, q)} for q in queries]
    stock = duckdb.connect()
    load_fts(stock)
    stock.execute("create table articles (article_id varchar, title varchar, text varchar)")
    stock.executemany("insert into articles values (?, ?, ?)", ENGLISH)
    stock.execute("create table sw (sw varchar)")
    stock.executemany("insert into sw values (?)", [[w] for w in stopwords])
    stock.execute("pragma create_fts_index('articles', 'article_id', 'title', 'text', "
                  "stopwords = 'sw')")
    theirs = [dict(stock.execute(
        "select article_id, round(fts_main_articles.match_bm25(article_id, ?), 9) as s "
        "from articles where s is not null", [q]).fetchall()) for q in queries]
    assert ours == theirs and all(ours)


@pytest.mark.parametrize("forms, expected", [
    ("Индия Индии Индию Индией", {"r1", "r2", "r3", "r4", "w3"}),
    ("Китай Китая Китаю Китаем Китае", {"r5", "r6"}),
    ("Москва Москвы Москву Москвой Москве", {"r2", "r7"}),
])
def test_every_case_form_of_a_russian_noun_finds_the_same_articles(loaded, forms, expected):
    for form in forms.split():
        assert found(loaded, form) == expected, form


def test_russian_words_do_not_match_english_ones(loaded):
    assert found(loaded, "нефть") == {"r1", "r3"}
    assert found(loaded, "oil") == {"e1", "e2", "e4", "e5"}


@pytest.mark.parametrize("query, expected", [
    ("S-400", {"w1"}), ("s-400", {"w1"}), ("С-400", {"w3"}), ("Su-57", {"w1"}),
    ("Су-57", {"w3"}), ("BrahMos-NG", {"w2"}), ("brahmos", {"w2"}), ("2026", {"w2", "w3"}),
    ("400", {"w1", "w3", "w4"}), ("missile", {"w2"}), ("US", set()),
])
def test_tokens_with_digits_and_hyphens(loaded, query, expected):
    assert found(loaded, query) == expected


def test_us_is_not_a_stop_word(con):
    load_batch(con, rows([("u1", "US warns", "The US warned India.")]), [], [], T0)
    assert found(con, "US") == {"u1"}


def test_an_index_built_by_the_old_rules_is_rebuilt_by_the_next_ingest(db_path):
    with open_warehouse(db_path) as con:
        load_batch(con, rows(WEAPONS), [], [], T0)
        # what an older mediawatch left: DuckDB's stock index (digits dropped, Porter only)
        con.execute("pragma create_fts_index('articles', 'article_id', 'title', 'text', "
                    "overwrite = 1)")
        con.execute("update search_index set fingerprint = (select bit_xor(hash(article_id, "
                    "title, content_hash)) from articles)")
        assert found(con, "S-400") == set()
    assert refresh_search_index(db_path, T0, wait_s=5).rebuilt
    with open_warehouse(db_path, read_only=True) as con:
        assert found(con, "S-400") == {"w1"} and found(con, "Индии") == {"w3"}


def test_incremental_russian_loads_equal_a_full_build(con):
    load_batch(con, rows([("r2", "Визит", "Премьер Индии посетил Китай."),
                          ("r8", "Новое", "Су-57 показали в Индии.")]), [], [], T0)
    queries = ["Индия", "Китай", "Су-57", "S-400 oil"]
    before = [sorted((h.article_id, round(h.score, 9)) for h in search(con, q)) for q in queries]
    refresh_index(con, T0, force=True)
    after = [sorted((h.article_id, round(h.score, 9)) for h in search(con, q)) for q in queries]
    assert before == after


def test_real_russian_articles_same_set_for_every_case_form(db_path):
    real_ru = shared_path("corpus/themes/realmix-dev-ru.jsonl")
    records = [json.loads(line) for line in real_ru.read_text(encoding="utf-8").splitlines()]
    with open_warehouse(db_path) as con:
        load_batch(con, [make_article(r["id"], r["id"], r["text"], r["id"], title=r["title"])
                         for r in records], [], [], T0)
        for forms in ["Индия Индии Индию Индией", "Россия России Россию Россией",
                      "Украина Украины Украине Украину Украиной", "санкция санкции санкциями",
                      "Китай Китая Китаю Китаем Китае"]:
            sets = {form: found(con, form) for form in forms.split()}
            first = sets[forms.split()[0]]
            assert first and all(s == first for s in sets.values()), sets
