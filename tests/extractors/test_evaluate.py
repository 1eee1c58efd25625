import pytest

from extractors.evaluate import evaluate, macro_f1, read_gold


def test_precision_recall_f1_and_macro():
    gold = {"1": ["energy"], "2": ["trade"], "3": [], "4": ["energy"]}
    predicted = {"1": {"energy"}, "2": {"energy"}, "3": set(), "4": set(), "9": {"trade"}}
    scores = {s.theme: s for s in evaluate(gold, predicted)}
    assert (scores["energy"].tp, scores["energy"].fp, scores["energy"].fn) == (1, 1, 1)
    assert scores["energy"].precision == pytest.approx(0.5) and scores["energy"].f1 == pytest.approx(0.5)
    assert (scores["trade"].tp, scores["trade"].fn, scores["trade"].f1) == (0, 1, 0.0)
    assert macro_f1(scores.values()) == pytest.approx(0.25)


def test_read_gold_names_the_bad_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "title": "t", "text": "x", "labels": []}\n{"title": "no id"}\n')
    with pytest.raises(ValueError, match="gold.jsonl:2"):
        read_gold(path)
