"""The contract between the extractors' records and the warehouse's load schemas (#19.8).

`load_batch` reads each schema column from a record attribute of the same name; a field
renamed on one side only must fail here, not load a column of NULLs.
"""

from dataclasses import fields

import pytest

from extractors.records import (ActorMention, Article, Failure, FeedEntry, FeedPoll, FocusMark,
                                ThemeTag)
from warehouse import load
from warehouse.db import open_warehouse
from warehouse.feeds import ENTRY_SCHEMA, POLL_SCHEMA
from tests.records import make_article

RENAMES = {"url": "location"}  # ingest_failures.url is the Failure's location

CONTRACTS = [  # (schema, record, table the schema's rows are inserted into by name)
    (load.ARTICLE_SCHEMA, Article, "articles"),
    (load.TAG_SCHEMA, ThemeTag, "article_themes"),
    (load.ACTOR_SCHEMA, ActorMention, "article_actors"),
    (load.FOCUS_SCHEMA, FocusMark, "article_focus"),
    (load.FAILURE_SCHEMA, Failure, "ingest_failures"),
    (POLL_SCHEMA, FeedPoll, None),
    (ENTRY_SCHEMA, FeedEntry, None),
]
COMPUTED = {"near_of"}  # filled by load_batch itself, not read from the record
NOT_STORED = {"location"}  # articles: read by the load (to resolve failures), not a column


def attributes(record: type) -> set[str]:
    """The record's fields and properties: what the load can read from it."""
    return ({f.name for f in fields(record)}
            | {n for n in dir(record) if isinstance(getattr(record, n, None), property)})


@pytest.mark.parametrize("schema, record, table", CONTRACTS,
                         ids=[c[1].__name__ for c in CONTRACTS])
def test_every_schema_column_is_a_field_of_its_record(schema, record, table):
    names = attributes(record)
    missing = [c for c in schema.names
               if c not in COMPUTED and (RENAMES.get(c, c) if record is Failure else c) not in names]
    assert missing == [], f"{record.__name__} has no field for {missing}"


@pytest.mark.parametrize("schema, record, table", [c for c in CONTRACTS if c[2]],
                         ids=[c[2] for c in CONTRACTS if c[2]])
def test_every_schema_column_is_a_column_of_its_table(db_path, schema, record, table):
    with open_warehouse(db_path) as con:
        columns = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = ?",
            [table]).fetchall()}
    assert [c for c in schema.names
            if c not in COMPUTED | NOT_STORED and c not in columns] == []


def test_a_record_without_a_schema_field_fails_the_load_instead_of_storing_null():
    class Renamed:  # an Article whose `content_hash` was renamed on one side only
        def __init__(self, article):
            for f in fields(Article):
                if f.name != "content_hash":
                    setattr(self, f.name, getattr(article, f.name))
            self.text_hash = article.content_hash

    with pytest.raises(AttributeError, match="content_hash"):
        load.to_arrow([Renamed(make_article("a", "k", "text", "h"))],
                      load.ARTICLE_SCHEMA.remove(load.ARTICLE_SCHEMA.get_field_index("near_of")))
