from extractors.normalise import normalise_text, normalise_title, repair_apostrophes


def test_seed_apostrophe_artifact_is_repaired():
    assert repair_apostrophes("within India9s strategic planning") == "within India's strategic planning"
    assert repair_apostrophes("Modi9s official stop") == "Modi's official stop"


def test_lookalikes_are_left_alone():
    text = "since the 1990s the G9s and F-9s and Su-9s flew"
    assert repair_apostrophes(text) == text


def test_contractions_and_plural_possessives():
    assert repair_apostrophes("we don9t know, I9m sure") == "we don't know, I'm sure"
    assert repair_apostrophes("both countries9 interests") == "both countries' interests"


def test_mojibake_is_fixed_and_curly_quotes_kept():
    broken = "The Kremlinâ€™s view"  # UTF-8 read as cp1252
    assert normalise_text(broken) == "The Kremlin’s view"


def test_whitespace_and_control_characters_are_tidied():
    assert normalise_text("a\u00a0 b\x07\r\n\n\n\nc  ") == "a b\n\nc"
    assert normalise_title("  Two\nlines ") == "Two lines"
