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


def test_control_class_matches_unicode_category_c():
    import re
    import sys
    import unicodedata

    from extractors.normalise import CONTROL_CHARS

    # The literal class must agree with the categories of the running Python's Unicode data
    # (where that data is newer, characters it added are allowed to differ).
    for c in range(0, sys.maxunicode + 1, 7):
        ch = chr(c)
        category = unicodedata.category(ch)
        if category == "Cn":
            continue
        expected = category in {"Cc", "Cf", "Cs", "Co"} and ch not in "\n\t"
        assert bool(CONTROL_CHARS.fullmatch(ch)) == expected or unicodedata.unidata_version != "14.0.0", hex(c)
    assert re.sub(CONTROL_CHARS, "", "a\x07\u200bb\ufeff\n\t") == "ab\n\t"


def test_fix_unicode_agrees_with_ftfy_on_every_line():
    """The fast path must change nothing ftfy would not: compare on mixed, random text."""
    import random

    import ftfy

    from extractors.normalise import fix_unicode

    pieces = ["India’s", "Kremlinâ€™s", "cafÃ©", "РњРѕСЃРєРІР°", "Москва", "&amp;", "&hellip;",
              "<b>", "ﬁnal", "ＬＯＵＤ", "a\u00a0b", "— “quoted” …", "Â ", "\x85", "\r", "×",
              "plain words", "10°C", "Москва и Дели", "Р’", "вЂ™", "«Сила»", "ё", "•", "\u200b", "ã\x83\x84", "\t", "€ and ™", "ô€"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice([" ", "\n", "", "\n\n"])
                       for _ in range(rng.randint(1, 12)))
        expected = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
        assert fix_unicode(text) == expected, repr(text)


def test_safe_line_sets_cannot_hold_mojibake():
    """Neither fast-path set has both a lead-byte and a continuation-byte character in any
    legacy encoding ftfy repairs, so no line made of one set is mis-decoded UTF-8."""
    import re

    import ftfy.bad_codecs  # noqa: F401 - registers the sloppy-windows codecs
    from ftfy.chardata import CHARMAP_ENCODINGS

    from extractors.normalise import SAFE_CYRILLIC, SAFE_TYPOGRAPHY

    for chars in (SAFE_TYPOGRAPHY, SAFE_CYRILLIC):
        members = [chr(c) for c in range(0x80, 0x3000) if re.fullmatch(f"[{chars}]", chr(c))]
        assert members
        for encoding in CHARMAP_ENCODINGS:
            first_bytes = []
            for ch in members:
                try:
                    first_bytes.append(ch.encode(encoding)[0])
                except UnicodeEncodeError:
                    continue
            leads = [b for b in first_bytes if 0xC2 <= b <= 0xF4]
            continuations = [b for b in first_bytes if 0x80 <= b <= 0xBF]
            assert not (leads and continuations), (encoding, chars)
