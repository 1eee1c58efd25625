"""Hostile seed files through the real ingest flow: each costs one recorded failure, the rest loads."""

import json
import os

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.conftest import SEED_FILE

IS_ROOT = os.geteuid() == 0
# A paragraph, not a line: charset detection needs a document's worth of text (one line of
# Shift-JIS also decodes, wrongly, as Korean cp949).
JAPANESE = ("インドとロシアは防衛協力を強化している。石油の輸入も増えた。モディ首相は七月にモスクワを"
            "訪問し、プーチン大統領と会談した。両国はルピーとルーブルによる貿易決済の拡大について協議"
            "した。米国と欧州は制裁の遵守を求めてインドに圧力をかけている。")


def good_line(i, **extra):
    return json.dumps({"id": f"g{i}", "title": f"Oil talks {i}",
                       "text": f"India and Russia discussed crude oil supplies, round {i}.", **extra})


def make_hostile_seeds(root):
    seeds = root / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_bytes(SEED_FILE.read_bytes())
    lines = [
        good_line(1).encode(),
        b"{not json",
        b"[" * 100_000,  # nesting bomb: Python's parser recurses
        json.dumps({"id": "cp", "title": "Визит", "text": "Россия и Индия подписали договор."},
                   ensure_ascii=False).encode("cp1251"),
        good_line(2).encode()[:-2] + b"\xff\"}",  # one invalid UTF-8 byte
        good_line(3, source="Wire \ud800").encode(),  # lone surrogate escape (json.dumps keeps it)
        good_line(4).encode(),
    ]
    (seeds / "wire.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (seeds / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + os.urandom(4096))
    (seeds / "noise.html").write_bytes(bytes(range(128, 256)) * 8)  # no NUL, no charset fits
    (seeds / "empty.md").write_text("  \n\n")
    (seeds / "cyrillic.txt").write_bytes(
        "Визит в Москву\nИндия и Россия обсудили поставки нефти и оружия.".encode("cp1251"))
    (seeds / "japanese.txt").write_bytes(f"防衛協力\n{JAPANESE}".encode("shift_jis"))
    (seeds / "declared.html").write_bytes(
        ('<html><head><meta charset="windows-1251"><title>Нефть</title></head><body><article>'
         "<p>Индия продолжает закупать российскую нефть со скидкой, сообщили источники.</p>"
         "</article></body></html>").encode("cp1251"))
    (seeds / "mostly_utf8.txt").write_bytes(
        "Modi’s “strategic” visit to Moscow\nModi’s talks in Москва on oil — day two.".encode()
        + b" Truncated \xe2\x80")
    with (seeds / "huge.jsonl").open("wb") as handle:  # 200 MB, sparse: instant to make
        handle.truncate(200_000_000)
    (seeds / "too_long.txt").write_text("Long\n" + "India and Russia. " * 400_000)  # 7 MB
    (seeds / "long_line.jsonl").write_text(
        json.dumps({"id": "long", "title": "Long", "text": "oil " * 2_000_000}) + "\n"
        + good_line(5) + "\n")
    (seeds / "dangling.txt").symlink_to(root / "gone.txt")
    os.mkfifo(seeds / "pipe.txt")  # opening it would block the run forever
    return seeds


def test_hostile_seed_files_are_recorded_and_the_rest_loads(tmp_path, db_path, prefect_harness,
                                                           monkeypatch):
    seeds = make_hostile_seeds(tmp_path)
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))  # names relative to the seeds root
    summary = ingest_flow(seeds=str(seeds), db=str(db_path))

    con = duckdb.connect(str(db_path), read_only=True)
    failures = dict(con.execute("select url, reason from ingest_failures").fetchall())
    articles = {k: (t, x) for k, t, x in con.execute("select key, title, text from articles").fetchall()}
    con.close()

    expected_failures = {
        "wire.jsonl:2": "invalid JSON",
        "wire.jsonl:3": "nested too deeply",
        "wire.jsonl:4": "not UTF-8 (byte 0x",
        "wire.jsonl:5": "not UTF-8 (byte 0xff",
        "binary.txt": "binary file",
        "noise.html": "save it as UTF-8",
        "empty.md": "empty file",
        "huge.jsonl": "over the 100 MB limit (MEDIAWATCH_MAX_SEED_FILE_BYTES)",
        "dangling.txt": "broken symbolic link",
        "pipe.txt": "named pipe (FIFO)",
        "too_long.txt": "over the 5 MB limit for one document (MEDIAWATCH_MAX_DOCUMENT_BYTES)",
        "long_line.jsonl:1": "over the 5 MB limit for one document",
    }
    for location, reason in expected_failures.items():
        assert reason in failures.get(location, ""), (location, failures.get(location))
    assert "iconv -f cp1251 -t utf-8" in failures["wire.jsonl:4"]  # says how to fix it
    assert summary["failures"] == len(failures) == len(expected_failures)

    for key in ("jsonl:wire.jsonl#g1", "jsonl:wire.jsonl#g3", "jsonl:wire.jsonl#g4",
                "jsonl:long_line.jsonl#g5", "seed:good.txt"):
        assert key in articles, key
    assert articles["seed:cyrillic.txt"][0] == "Визит в Москву"
    assert JAPANESE in articles["seed:japanese.txt"][1]
    assert "российскую нефть" in articles["seed:declared.html"][1]
    # one bad byte does not garble the good UTF-8 around it
    assert "Modi’s talks in Москва" in articles["seed:mostly_utf8.txt"][1]
    assert summary["stored"] == len(articles)


@pytest.mark.skipif(IS_ROOT, reason="root reads chmod 000 files, so nothing is unreadable")
def test_unreadable_seed_file_is_recorded(tmp_path, db_path, prefect_harness, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ok.txt").write_text("Oil deal\nIndia and Russia signed an oil deal.")
    secret = seeds / "secret.txt"
    secret.write_text("Secret\nIndia and Russia signed an arms deal.")
    secret.chmod(0)
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))  # names relative to the seeds root
    summary = ingest_flow(seeds=str(seeds), db=str(db_path))
    con = duckdb.connect(str(db_path), read_only=True)
    [(url, reason)] = con.execute("select url, reason from ingest_failures").fetchall()
    con.close()
    assert (summary["stored"], url) == (1, "secret.txt")
    assert "Permission denied" in reason and "read access" in reason


def test_a_seed_that_fails_to_read_is_recorded_even_as_root(tmp_path, db_path, prefect_harness,
                                                           monkeypatch):
    # Root reads chmod 000 files, so the test above cannot fail for root; a read that fails
    # in the kernel (/proc/self/mem answers EIO to a plain read) exercises the same path.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ok.txt").write_text("Oil deal\nIndia and Russia signed an oil deal.")
    (seeds / "mem.txt").symlink_to("/proc/self/mem")
    monkeypatch.setenv("MEDIAWATCH_SEEDS", str(seeds))  # names relative to the seeds root
    summary = ingest_flow(seeds=str(seeds), db=str(db_path))
    con = duckdb.connect(str(db_path), read_only=True)
    [(url, stage, reason)] = con.execute("select url, stage, reason from ingest_failures").fetchall()
    con.close()
    assert (summary["stored"], url, stage) == (1, "mem.txt", "seed")
    assert reason.startswith("cannot read")
