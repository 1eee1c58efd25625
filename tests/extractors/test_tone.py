from extractors.tone import article_tone


def test_tone_sign_follows_the_wording():
    warm = article_tone("Leaders hail a warm and successful visit",
                        "Both sides praised the excellent friendship and welcomed progress.")
    grim = article_tone("Bombing kills dozens in deadly attack",
                        "The horrific blast left many dead and wounded. Anger and grief spread.")
    assert 0 < warm <= 1 and -1 <= grim < 0


def test_tone_is_none_for_other_languages_and_empty_text():
    assert article_tone("Визит прошёл успешно", "Стороны довольны.", "ru") is None
    assert article_tone("", "") is None
