from pathlib import Path

import pytest

from extractors.taxonomy import load_taxonomy, parse_taxonomy
from extractors.themes import tag_text
from tests.conftest import SEED_FILE
from extractors.normalise import normalise_text
from extractors.seeds import split_title


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def test_default_taxonomy_has_contract_themes(taxonomy):
    ids = {t.id for t in taxonomy.themes}
    assert {"defense", "energy", "western_pressure", "trade", "diplomacy", "ukraine_war",
            "security_architecture", "technology"} <= ids
    assert len(taxonomy.version) == 12


def test_seed_is_tagged_with_its_four_themes(taxonomy):
    title, body = split_title(SEED_FILE.read_text())
    tags = {t.theme: t for t in tag_text("seed", normalise_text(title), normalise_text(body), taxonomy)}
    assert {"defense", "energy", "western_pressure", "diplomacy"} <= set(tags)
    evidence = tags["western_pressure"].evidence
    assert evidence["terms"] and 1 <= len(evidence["sentences"]) <= 3
    doc = f"{normalise_text(title)}\n{normalise_text(body)}"
    for sentence in evidence["sentences"]:
        assert doc[sentence["start"]:sentence["end"]] == sentence["text"]


def test_plain_text_without_theme_terms_gets_no_tags(taxonomy):
    assert tag_text("a", "Local bakery wins prize", "The cake was very good.", taxonomy) == []


def test_invalid_taxonomy_is_reported():
    with pytest.raises(ValueError, match="twice"):
        parse_taxonomy(b'[[themes]]\nid="a"\nterms={x=1}\n[[themes]]\nid="a"\nterms={y=1}\n')
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_taxonomy(b"[[themes")
