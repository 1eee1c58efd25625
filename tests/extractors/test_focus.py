"""The focus rule (extractors/focus.py): parties named through the gazetteer, score, flag."""

import pytest

from extractors.actors import find_actors, load_gazetteer
from extractors.focus import DEFAULT_FOCUS, focus_mark, focus_marks, parse_focus
from extractors.seeds import split_title
from tests.conftest import SEED_FILE


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def mark(text, gazetteer, focus=DEFAULT_FOCUS):
    return focus_mark("a", find_actors("a", "", text, gazetteer), parse_focus(focus, gazetteer),
                      gazetteer)


def test_parse_focus_reads_gazetteer_countries(gazetteer):
    assert parse_focus("India, Russia", gazetteer) == ("India", "Russia")
    assert parse_focus(" india ,RUSSIA, India", gazetteer) == ("India", "Russia")
    assert parse_focus("", gazetteer) == ()
    with pytest.raises(ValueError, match="'Narnia' is not a country"):
        parse_focus("India, Narnia", gazetteer)
    with pytest.raises(ValueError, match="not a country"):
        parse_focus("Vladimir Putin", gazetteer)  # a leader, not a country


def test_both_parties_named_is_a_focus_article(gazetteer):
    m = mark("New Delhi will buy more oil from Moscow, officials said.", gazetteer)
    assert (m.score, m.is_focus, m.parties, m.focus) == (1.0, True, ("India", "Russia"),
                                                        "India, Russia")


def test_leaders_places_and_companies_name_their_country(gazetteer):
    assert mark("Modi met Putin on Tuesday.", gazetteer).is_focus
    assert mark("Indian refiners signed a supply deal with Rosneft.", gazetteer).is_focus
    assert mark("A ship left Vladivostok for Chennai, India.", gazetteer).is_focus


def test_one_party_is_half_and_not_a_focus_article(gazetteer):
    m = mark("India launched a weather satellite on Monday.", gazetteer)
    assert (m.score, m.is_focus, m.parties) == (0.5, False, ("India",))
    m = mark("Brazil and Argentina signed a football deal.", gazetteer)
    assert (m.score, m.is_focus) == (0.0, False)


def test_another_focus(gazetteer):
    assert mark("Beijing and Washington resumed talks.", gazetteer, "China, United States").is_focus
    assert not mark("Beijing and Washington resumed talks.", gazetteer).is_focus


def test_no_focus_marks_nothing(gazetteer):
    m = mark("New Delhi and Moscow", gazetteer, "")
    assert (m.score, m.is_focus) == (0.0, False)


def test_marks_one_per_article_even_without_actors(gazetteer):
    actors = find_actors("x", "", "India and Russia", gazetteer)
    marks = focus_marks(["x", "y", "x"], actors, ("India", "Russia"), gazetteer)
    assert [(m.article_id, m.is_focus) for m in marks] == [("x", True), ("y", False)]


def test_the_seed_is_a_focus_article(gazetteer):
    title, body = split_title(SEED_FILE.read_text())
    actors = find_actors("seed", title, body, gazetteer)
    assert focus_mark("seed", actors, ("India", "Russia"), gazetteer).is_focus

