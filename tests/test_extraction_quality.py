"""Quality gate: the pipeline's extraction beats plain trafilatura on the shared corpus."""

from benchmarks.extraction import CANDIDATES, evaluate, load_corpus, ours
from tests.conftest import shared_path

# Measured with benchmarks/extraction.py on this half: 0.9615 (plain trafilatura: 0.954).
# Lowered from 0.965 when favor_precision was dropped: it scored 0.969 here but 0.953 on the
# held-out half (docs/decisions.md, "Extraction settings"). Lower it only with a reason.
F1_FLOOR = 0.958


def test_extraction_beats_plain_trafilatura():
    # fails under CI=true when ../shared is missing, skips elsewhere (tests/conftest.py)
    pages = load_corpus(shared_path("corpus/extraction/ground-truth.json").parent)
    ours_f1 = evaluate(pages, ours)[2]
    plain_f1 = evaluate(pages, CANDIDATES["trafilatura.extract defaults"])[2]
    assert ours_f1 >= F1_FLOOR and ours_f1 > plain_f1
