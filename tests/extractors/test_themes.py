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


def themes_of(taxonomy, title, text=""):
    return {t.theme for t in tag_text("t", title, text, taxonomy)}


# Text written for these tests: each theme without public gold gets positives and near-misses.
WESTERN_PRESSURE = [
    ("Washington warns New Delhi over Russian oil purchases",
     "The US urged India to cut imports of Russian crude, threatening secondary sanctions."),
    ("EU readies new sanctions on Russian LNG", "Brussels said the package targets shipping."),
    ("India faces CAATSA risk over S-400 deal", "Officials in New Delhi played down the risk."),
]
WESTERN_PRESSURE_NEAR_MISSES = [
    # pressure without a Western actor nearby
    ("Heat wave puts pressure on Delhi's power grid", "Demand hit a record on Tuesday."),
    # a Western actor without pressure
    ("Modi and Biden discuss space cooperation", "The leaders met on the sidelines of the summit."),
    # Western actor and pressure far apart (beyond the window)
    ("Washington hosts a trade fair",
     "Exhibitors from forty countries showed machinery, textiles, software, furniture, toys, "
     "food, wine, cars, bicycles, books, clothes and jewellery over three long days, and "
     "later the organisers complained about the pressure of the crowds."),
]
UKRAINE_WAR = [
    ("Russia launches new offensive in eastern Ukraine", "Shelling intensified near Kharkiv."),
    ("India abstains on UN vote on the war in Ukraine", "New Delhi called for dialogue."),
    ("Zelensky seeks Modi's support for peace plan", "Kyiv wants New Delhi to back the summit."),
]
UKRAINE_WAR_NEAR_MISSES = [
    ("Ukraine wheat exports reach Egypt", "Grain shipments rose in the third quarter."),
    ("War of words erupts between cricket boards", "The dispute is about scheduling."),
    ("Ukrainian dancers perform in Mumbai", "The troupe toured five cities."),
]
SECURITY_ARCHITECTURE = [
    ("Lavrov criticises NATO expansion, calls for new security architecture in Europe", ""),
    ("Quad foreign ministers meet on Indo-Pacific security", "Tokyo hosted the meeting."),
    ("India to host SCO defence ministers", "The Shanghai Cooperation Organisation meets in July."),
]
SECURITY_ARCHITECTURE_NEAR_MISSES = [
    ("Quad bike rally draws crowds in Goa", "Riders raced along the beach."),
    ("Airport security tightened before festival", "Passengers faced long queues."),
]


@pytest.mark.parametrize("title,text", WESTERN_PRESSURE)
def test_western_pressure_positives(taxonomy, title, text):
    assert "western_pressure" in themes_of(taxonomy, title, text)


@pytest.mark.parametrize("title,text", WESTERN_PRESSURE_NEAR_MISSES)
def test_western_pressure_near_misses(taxonomy, title, text):
    assert "western_pressure" not in themes_of(taxonomy, title, text)


@pytest.mark.parametrize("title,text", UKRAINE_WAR)
def test_ukraine_war_positives(taxonomy, title, text):
    assert "ukraine_war" in themes_of(taxonomy, title, text)


@pytest.mark.parametrize("title,text", UKRAINE_WAR_NEAR_MISSES)
def test_ukraine_war_near_misses(taxonomy, title, text):
    assert "ukraine_war" not in themes_of(taxonomy, title, text)


@pytest.mark.parametrize("title,text", SECURITY_ARCHITECTURE)
def test_security_architecture_positives(taxonomy, title, text):
    assert "security_architecture" in themes_of(taxonomy, title, text)


@pytest.mark.parametrize("title,text", SECURITY_ARCHITECTURE_NEAR_MISSES)
def test_security_architecture_near_misses(taxonomy, title, text):
    assert "security_architecture" not in themes_of(taxonomy, title, text)


def test_exclusions_energetic_and_football_defense(taxonomy):
    assert "energy" not in themes_of(taxonomy, "An energetic campaign", "Volunteers were energetic.")
    assert "defense" not in themes_of(
        taxonomy, "Giants' defense stifles Eagles", "The defense held the quarterback to one touchdown.")
    assert "defense" not in themes_of(taxonomy, "Defense lawyers appeal the verdict", "")
    assert "defense" in themes_of(taxonomy, "Pentagon expands missile defense", "")


def test_inflections_come_from_the_lemmatiser(taxonomy):
    assert "defense" in themes_of(taxonomy, "Navy tests new missiles", "")
    assert "energy" in themes_of(taxonomy, "Refineries cut output as gasoline prices climb", "")
    # "arms" is written inflected in the taxonomy: the body part does not match
    assert "defense" not in themes_of(taxonomy, "Gymnast injures her arm", "")


def test_russian_terms(taxonomy):
    assert "energy" in themes_of(taxonomy, "Индия увеличила закупки российской нефти", "")
    assert "western_pressure" in themes_of(taxonomy, "США угрожают Индии санкциями", "")
    assert "defense" in themes_of(taxonomy, "Россия поставит Индии истребители Су-57", "")
    assert "trade" in themes_of(taxonomy, "Индия и Россия обсудили торговлю в рублях", "")
    assert "security_architecture" in themes_of(taxonomy, "Лавров осудил расширение НАТО", "")
    assert themes_of(taxonomy, "Концерт в Москве собрал тысячи зрителей", "") == set()


def test_headline_keeps_one_topic_but_long_text_many(taxonomy):
    headline = themes_of(taxonomy, "OPEC cuts oil output as trade deficit widens", "")
    assert len(headline & {"defense", "energy", "trade", "diplomacy", "technology"}) == 1


def test_evidence_sentences_and_offsets(taxonomy):
    title = "U.S. Navy deploys a carrier"
    text = "Officials said so on Monday. The Pentagon confirmed the warship left. Markets rose."
    tag = {t.theme: t for t in tag_text("e", title, text, taxonomy)}["defense"]
    doc = f"{title}\n{text}"
    sentences = tag.evidence["sentences"]
    assert 1 <= len(sentences) <= 3
    assert any(s["text"] == "U.S. Navy deploys a carrier" for s in sentences)
    assert all(doc[s["start"]:s["end"]] == s["text"] for s in sentences)
    assert "Markets rose." not in [s["text"] for s in sentences]
    assert tag.evidence["terms"]["navy"] == 1 and tag.taxonomy_version == taxonomy.version


def test_own_taxonomy_with_sets_near_rules_and_exclusions():
    tax = parse_taxonomy("""
[sets]
ports = ["Chabahar", "Vladivostok"]
[[themes]]
id = "shipping"
exclude = ["ship of fools"]
[themes.terms]
"ship" = 1.0
[[themes.near]]
terms = ["corridor"]
with = ["@ports"]
window = 5
weight = 1.0
""".encode())
    assert themes_of(tax, "Ships wait at the port", "") == {"shipping"}
    assert themes_of(tax, "A ship of fools", "") == set()
    assert themes_of(tax, "New corridor to Chabahar opens", "") == {"shipping"}
    assert themes_of(tax, "New corridor opens in the mall", "") == set()
    with pytest.raises(ValueError, match="threshold must be positive"):
        parse_taxonomy(b'[[themes]]\nid="a"\nthreshold=0\nterms={x=1}\n')
    with pytest.raises(ValueError, match="unknown set"):
        parse_taxonomy(b'[[themes]]\nid="a"\nexclude=["@nope"]\nterms={x=1}\n')


def test_country_names_do_not_outvote_topical_terms(taxonomy):
    # India-Russia headlines all name both countries: the topic must come from the topic words
    assert themes_of(taxonomy, "India and Russia sign oil supply deal", "") & {
        "energy", "diplomacy"} == {"energy"}
    assert "defense" in themes_of(taxonomy, "Russia to deliver more S-400 missiles to India", "")
    assert "diplomacy" in themes_of(taxonomy, "Israelis and Palestinians resume peace talks", "")


def test_shipped_inflections_match_the_lemmatiser(taxonomy):
    """extractors/inflections.json must be what simplemma gives for the shipped taxonomy
    (after editing taxonomy.toml: python -m extractors.themes --write-inflections)."""
    from extractors.inflect import phrase_forms, shipped_forms
    from extractors.themes import phrases_by_language

    shipped = shipped_forms()
    assert shipped, "inflections.json is missing or was written with another simplemma"
    for lang, phrases in phrases_by_language(taxonomy).items():
        fresh = {p: sorted(f) for p, f in phrase_forms(sorted(phrases), lang).items()}
        assert shipped[lang] == fresh, f"{lang}: run python -m extractors.themes --write-inflections"


def test_compiling_the_shipped_taxonomy_loads_no_dictionary():
    import subprocess
    import sys

    code = ("from extractors.taxonomy import load_taxonomy\n"
            "from extractors.themes import tag_text\n"
            "from extractors import inflect\n"
            "tags = tag_text('a', 'India buys Russian oil', 'Refiners bought crude.', load_taxonomy())\n"
            "print(inflect._dictionary.cache_info().misses, sorted(t.theme for t in tags))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    misses, themes = out.stdout.split(" ", 1)
    assert misses == "0" and "energy" in themes


def test_a_phrase_the_shipped_table_lacks_is_inflected_by_the_lemmatiser():
    from extractors.inflect import shipped_forms

    assert "trawler" not in shipped_forms()["en"]
    tax = parse_taxonomy(b'[[themes]]\nid = "fishing"\n[themes.terms]\n"trawler" = 1.0\n')
    assert themes_of(tax, "Trawlers seized off the coast", "") == {"fishing"}
