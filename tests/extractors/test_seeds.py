import json
from datetime import datetime

import pytest

from extractors.records import Failure, SourceDocument
from extractors.seeds import iter_seed_documents, split_title


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


def test_text_file_first_non_empty_line_is_title(tmp_path):
    write(tmp_path / "a.md", "\n\n# Moscow talks\n\nBody one.\nBody two.\n")
    [doc] = list(iter_seed_documents(tmp_path))
    assert doc.title == "Moscow talks"
    assert doc.text == "Body one.\nBody two."
    assert doc.key == "seed:a.md"


def test_jsonl_records_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "x1", "title": "Oil deal", "text": "India buys oil.",
                    "published_at": "2024-07-08T10:00:00+02:00", "source": "Wire"}),
        "{not json",
        json.dumps({"title": "No body"}),
        json.dumps({"title": "Bad date", "text": "t", "published_at": "yesterday"}),
        json.dumps({"title": "Page", "html": "<p>hi</p>", "url": "https://e.org/a"}),
    ]
    write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    out = list(iter_seed_documents(tmp_path))
    docs = [o for o in out if isinstance(o, SourceDocument)]
    fails = [o for o in out if isinstance(o, Failure)]
    assert [d.key for d in docs] == ["jsonl:batch.jsonl#x1", "https://e.org/a"]
    assert docs[0].published_at == datetime(2024, 7, 8, 8, 0)  # stored as UTC
    assert docs[0].source == "Wire"
    assert docs[1].html == "<p>hi</p>" and docs[1].text is None
    assert [f.location for f in fails] == ["batch.jsonl:2", "batch.jsonl:3", "batch.jsonl:4"]
    assert "invalid JSON" in fails[0].reason
    assert "'text' or 'html'" in fails[1].reason
    assert "ISO 8601" in fails[2].reason


def test_binary_oversized_and_other_files(tmp_path):
    write(tmp_path / "bin.txt", b"\x00\x01\x02binary")
    write(tmp_path / "big.txt", "Title\n" + "word " * 100)
    write(tmp_path / "notes.csv", "a,b")
    write(tmp_path / "cp1251.txt", "Заголовок\nРоссия и Индия укрепляют сотрудничество.".encode("cp1251"))
    out = list(iter_seed_documents(tmp_path, max_file_bytes=200))
    by_loc = {o.location: o for o in out}
    assert "notes.csv" not in by_loc
    assert isinstance(by_loc["bin.txt"], Failure) and "binary" in by_loc["bin.txt"].reason
    assert isinstance(by_loc["big.txt"], Failure) and "limit" in by_loc["big.txt"].reason
    assert by_loc["cp1251.txt"].title == "Заголовок"


def test_missing_folder_is_a_failure(tmp_path):
    [f] = list(iter_seed_documents(tmp_path / "nope"))
    assert isinstance(f, Failure) and "not found" in f.reason


def test_split_title_empty():
    assert split_title("\n \n") == ("", "")


def test_decode_keeps_utf8_around_a_few_bad_bytes_and_guesses_legacy_charsets():
    from extractors.charset import CharsetUnknown, decode_text

    assert decode_text("Modi’s “visit” to Москва".encode() + b"\xff") == "Modi’s “visit” to Москва\ufffd"
    latin1 = "Café society in Delhi débats".encode("latin-1")  # cp1250 reads it as well: refused
    with pytest.raises(CharsetUnknown, match="cannot be told for sure"):
        decode_text(latin1)
    assert decode_text(latin1, ["latin-1"]) == "Café society in Delhi débats"  # declared
    cyrillic = "Россия и Индия укрепляют сотрудничество в области энергетики.".encode("cp1251")
    assert decode_text(cyrillic, ["cp1251"]).startswith("Россия")


def test_declared_html_charset():
    from extractors.charset import known_codec, meta_charset

    assert known_codec(meta_charset(b'<meta charset="windows-1251">')) == "cp1251"
    assert known_codec(meta_charset(
        b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')) == "shift_jis"
    assert known_codec(meta_charset(b'<meta charset="no-such-charset">')) is None
    assert meta_charset(b"<p>no meta</p>") is None


def test_surrogate_escapes_are_scrubbed_and_pairs_joined():
    from extractors.seeds import scrub_surrogates

    assert scrub_surrogates("a\ud800b") == "a\ufffdb"
    assert scrub_surrogates("\ud83d\ude00") == "😀"
    assert scrub_surrogates(5) == 5


def test_over_long_jsonl_line_is_refused_and_the_next_line_still_reads(tmp_path):
    ok = json.dumps({"id": "a", "title": "Oil", "text": "India buys oil."})
    long = json.dumps({"id": "b", "title": "Long", "text": "word " * 50_000})
    write(tmp_path / "x.jsonl", "\n".join([ok, long, ok.replace('"a"', '"c"')]) + "\n")
    write(tmp_path / "long.txt", "Title\n" + "word " * 50_000)
    out = list(iter_seed_documents(tmp_path, max_document_bytes=10_000))
    by_loc = {o.location: o for o in out}
    assert [d.key for d in out if isinstance(d, SourceDocument)] == ["jsonl:x.jsonl#a", "jsonl:x.jsonl#c"]
    assert "0.3 MB, over the 0.01 MB limit" in by_loc["x.jsonl:2"].reason
    assert "MEDIAWATCH_MAX_DOCUMENT_BYTES" in by_loc["long.txt"].reason
