"""Quality gate: the pipeline's extraction beats plain trafilatura on the shared corpus."""

import pytest

from benchmarks.extraction import CANDIDATES, DEFAULT_CORPUS, evaluate, load_corpus, ours

# Measured with benchmarks/extraction.py on this half: 0.9615 (plain trafilatura: 0.954).
# Lowered from 0.965 when favor_precision was dropped: it scored 0.969 here but 0.953 on the
# held-out half (docs/decisions.md, "Extraction settings"). Lower it only with a reason.
F1_FLOOR = 0.958


@pytest.mark.skipif(not (DEFAULT_CORPUS / "ground-truth.json").is_file(),
                    reason=f"no extraction corpus at {DEFAULT_CORPUS}")
def test_extraction_beats_plain_trafilatura():
    pages = load_corpus(DEFAULT_CORPUS)
    ours_f1 = evaluate(pages, ours)[2]
    plain_f1 = evaluate(pages, CANDIDATES["trafilatura.extract defaults"])[2]
    assert ours_f1 >= F1_FLOOR and ours_f1 > plain_f1
