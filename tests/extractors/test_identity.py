from extractors.identity import article_id, content_hash, hamming, simhash

STORY = ("India and Russia signed an agreement on Monday to expand oil supplies and defence "
         "cooperation, officials in New Delhi said, as Western pressure over sanctions grew. ") * 3


def test_article_id_is_stable_and_distinct():
    assert article_id("https://e.org/a") == article_id("https://e.org/a")
    assert article_id("https://e.org/a") != article_id("https://e.org/b")
    assert len(article_id("x")) == 16


def test_content_hash_ignores_case_punctuation_spacing():
    assert content_hash("Hello,  World!") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


def test_simhash_near_copies_are_close_and_others_far():
    edited = STORY.replace("Monday", "Tuesday")
    other = "The central bank held interest rates as inflation eased across the euro area. " * 3
    assert hamming(simhash(STORY), simhash(edited)) <= 10
    assert hamming(simhash(STORY), simhash(other)) >= 16
    assert simhash(STORY) == simhash(STORY)
    assert simhash("") == 0
