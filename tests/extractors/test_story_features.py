"""Story features from a URL's slug and from adjacent title words."""

from extractors.stories import article_features, slug_words


def test_slug_words_come_from_hyphenated_paths_and_ids_and_dates_are_not_slugs():
    assert slug_words("http://x.com/2014/03/10/rest-stop-pizza-chain-sbarro-files/") == \
        "rest stop pizza chain sbarro files"
    # an id with digits, a date, a query string: no slug
    assert slug_words("http://x.com/story/article_d5918de8-b33f-5fe4.html") == ""
    assert slug_words("http://main.omanobserver.om/?p=63711") == ""
    assert slug_words("http://x.com/2014-03-11/") == ""
    assert slug_words(None) == ""


def test_a_cut_headline_is_completed_by_its_slug_and_title_words_pair_up():
    features = article_features(
        "Sbarro pizza chain files for  ...", "", "en",
        url="http://al.com/2014/03/sbarro_pizza_chain_files_for_bankruptcy.html")
    assert features["w:bankruptci"] == 1.0  # from the slug, weighed like a lead word
    assert features["w:sbarro"] == 2.0  # the title's weight wins
    assert features["p:pizza chain"] == 1.0
    assert "p:sbarro file" not in features  # pairs are adjacent title words only
