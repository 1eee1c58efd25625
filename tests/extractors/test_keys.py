"""The identity-key rule (extractors/keys.py): which inputs are one article."""

import json
from pathlib import Path

from extractors.keys import FirstSeen, entry_key, jsonl_key, seed_file_key, seed_location
from extractors.records import FeedEntry
from extractors.seeds import iter_seed_documents


def test_jsonl_ids_are_scoped_to_their_file_unless_the_line_has_a_url():
    assert jsonl_key({"id": 1}, "a.jsonl") != jsonl_key({"id": 1}, "b.jsonl")
    assert jsonl_key({"id": 1}, "a.jsonl") == jsonl_key({"id": "1"}, "a.jsonl")
    with_url = {"id": 1, "url": "https://e.org/a?utm_source=x#top"}
    assert jsonl_key(with_url, "a.jsonl") == jsonl_key({"id": 9, "url": "https://e.org/a"}, "b.jsonl")
    assert jsonl_key(with_url, "a.jsonl") == "https://e.org/a"
    # the file part cannot run into the id: "a#b" + "c" is not "a" + "b#c"
    assert jsonl_key({"id": "c"}, "a#b") != jsonl_key({"id": "b#c"}, "a")
    # no url, no id: the content is the identity, whichever file holds it
    same = {"title": "T", "text": "body"}
    assert jsonl_key(same, "a.jsonl") == jsonl_key(dict(same), "b.jsonl")


def test_a_feed_entry_is_its_page_after_redirects_else_its_link_else_its_guid():
    assert entry_key("F", "g1", "https://e.org/r/1", "https://e.org/a?utm_medium=x") == "https://e.org/a"
    assert entry_key("F", "g1", "https://e.org/r/1") == "https://e.org/r/1"
    assert entry_key("F", "g1", None) == "guid:F:g1"
    assert FeedEntry(feed="F", guid="g1", url=None).location == "guid:F:g1"


def test_seed_files_are_named_from_the_seeds_root_so_folders_never_meet(tmp_path):
    root = tmp_path / "seeds"
    for day in ("day1", "day2"):
        (root / day).mkdir(parents=True)
        (root / day / "article1.txt").write_text(f"Title {day}\nText of {day}.")
    keys = {d.key for day in ("day1", "day2")
            for d in iter_seed_documents(root / day, root=root)}
    assert keys == {"seed:day1/article1.txt", "seed:day2/article1.txt"}
    # the same file seen through the root itself has the same key
    assert {d.key for d in iter_seed_documents(root, root=root)} == keys
    # outside the root: the absolute path, still apart
    outside = seed_location(tmp_path / "other" / "article1.txt", root)
    assert outside == (tmp_path / "other" / "article1.txt").as_posix()
    assert seed_file_key(outside) not in keys


def test_first_seen_keeps_the_first_document_per_key(tmp_path):
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": 1, "title": "First", "text": "one"},
        {"id": 1, "title": "Second", "text": "two"},
        {"id": 2, "url": "https://e.org/x", "title": "Third", "text": "three"},
        {"id": 3, "url": "https://E.org/x?utm_source=y", "title": "Fourth", "text": "four"},
    ]) + "\n")
    docs = list(iter_seed_documents(tmp_path))
    seen = FirstSeen()
    kept, repeats = seen.keep_first(docs)
    assert [d.title for d in kept] == ["First", "Third"] and repeats == 2
    assert seen.keep_first(docs) == ([], 4)


def test_an_undecodable_file_name_gets_a_printable_distinct_name():
    a = seed_location(Path(b"/s/caf\xe9.txt".decode("utf-8", "surrogateescape")), Path("/s"))
    b = seed_location(Path(b"/s/caf\xe8.txt".decode("utf-8", "surrogateescape")), Path("/s"))
    assert a == "caf\\xe9.txt" and a != b
    a.encode("utf-8")  # storable
