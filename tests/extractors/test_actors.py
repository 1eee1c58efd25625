import pytest

from extractors.actors import find_actors, load_gazetteer, parse_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def actors(gazetteer, title, text=""):
    return {(m.actor, m.kind): m.mentions for m in find_actors("a", title, text, gazetteer)}


def test_metonyms_leaders_and_organisations(gazetteer):
    found = actors(gazetteer, "New Delhi and the Kremlin sign deal",
                   "PM Modi met Vladimir Putin; Putin praised India. NATO and the EU said nothing.")
    assert found[("India", "country")] == 2
    assert found[("Russia", "country")] == 1
    assert found[("Narendra Modi", "leader")] == 1
    assert found[("Vladimir Putin", "leader")] == 2
    assert ("NATO", "organisation") in found and ("European Union", "organisation") in found


def test_acronyms_and_common_words_need_their_case(gazetteer):
    found = actors(gazetteer, "Let us talk turkey", "The US and the UN met.")
    assert ("United States", "country") in found and ("United Nations", "organisation") in found
    assert found[("United States", "country")] == 1  # "us" is not the US
    assert ("Turkey", "country") not in found


def test_possessives_and_russian(gazetteer):
    found = actors(gazetteer, "Russia's oil", "Путин и Моди обсудили торговлю.")
    assert found[("Russia", "country")] == 1
    assert ("Vladimir Putin", "leader") in found and ("Narendra Modi", "leader") in found


def test_bad_gazetteer_is_reported():
    with pytest.raises(ValueError, match="kind"):
        parse_gazetteer(b'[[actors]]\nid="X"\nkind="planet"\n')
    with pytest.raises(ValueError, match="not valid TOML"):
        parse_gazetteer(b"[[actors")
