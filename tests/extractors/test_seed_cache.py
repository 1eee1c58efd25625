"""Seeds that did not change cost nothing: the SeedScan of extractors/seeds.py."""

import json
import os

from extractors.records import SourceDocument
from extractors.seeds import SeedScan, iter_seed_documents


def write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Report {i}", "text": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")


def walk(seeds, known=None):
    scan = SeedScan(known=dict(known or {}))
    docs = [d for d in iter_seed_documents(seeds, scan=scan) if isinstance(d, SourceDocument)]
    return docs, scan


def test_unchanged_files_are_not_read_again(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_jsonl(seeds / "wire.jsonl", ["oil deal", "arms deal", "trade talks"])
    (seeds / "note.txt").write_text("A title\nSome body text here.\n")
    docs, scan = walk(seeds)
    assert len(docs) == 4 and set(scan.found) == {"wire.jsonl", "note.txt", "(sources.toml)"}
    assert len(scan.found["wire.jsonl"].line_hashes) == 3
    assert scan.found["note.txt"].line_hashes is None

    again, rescan = walk(seeds, scan.found)
    assert again == [] and rescan.unchanged_files == 2 and rescan.found == scan.found

    # Same size and mtime: the file is not even opened, so a same-length edit with the mtime
    # put back goes unseen (as with make and rsync; touch it to have it read).
    note = seeds / "note.txt"
    info = note.stat()
    note.write_text("A title\nSome BODY text here.\n")
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert walk(seeds, scan.found)[0] == []


def test_a_touched_file_is_hashed_and_skipped_when_equal(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_jsonl(seeds / "wire.jsonl", ["oil deal", "arms deal"])
    _, scan = walk(seeds)
    os.utime(seeds / "wire.jsonl", ns=(1, 1_000_000_000))
    docs, rescan = walk(seeds, scan.found)
    assert docs == [] and rescan.unchanged_files == 1
    state = rescan.found["wire.jsonl"]
    assert state.mtime_ns == 1_000_000_000 and state.sha256 == scan.found["wire.jsonl"].sha256
    assert state.line_hashes == scan.found["wire.jsonl"].line_hashes


def test_a_changed_jsonl_file_reads_only_its_changed_lines(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_jsonl(seeds / "wire.jsonl", ["oil deal", "arms deal", "trade talks"])
    first, scan = walk(seeds)
    write_jsonl(seeds / "wire.jsonl", ["oil deal", "arms deal signed", "trade talks", "new"])
    docs, rescan = walk(seeds, scan.found)
    assert [(d.key, d.text) for d in docs] == [
        (first[1].key, "arms deal signed"), ("jsonl:wire.jsonl#r3", "new")]
    assert rescan.unchanged_lines == 2 and len(rescan.found["wire.jsonl"].line_hashes) == 4
    # the state recorded covers every line now in the file: a third walk reads nothing
    assert walk(seeds, rescan.found)[0] == []


def test_a_changed_text_file_is_read_again(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "note.txt").write_text("A title\nfirst version\n")
    _, scan = walk(seeds)
    (seeds / "note.txt").write_text("A title\nsecond, longer version\n")
    docs, _ = walk(seeds, scan.found)
    assert [d.text for d in docs] == ["second, longer version"]


def test_a_changed_sources_toml_has_every_file_read_again(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_jsonl(seeds / "wire.jsonl", ["oil deal", "arms deal"])
    _, scan = walk(seeds)
    assert walk(seeds, scan.found)[0] == []
    (seeds / "sources.toml").write_text(
        '[[sources]]\nname = "Wire"\ncountry = "India"\n', encoding="utf-8")
    docs, rescan = walk(seeds, scan.found)
    assert len(docs) == 2  # the outlets' countries may differ now
    assert walk(seeds, rescan.found)[0] == []
