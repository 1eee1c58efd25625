"""Every gazetteer country and leader is found in all six Russian cases.

The case forms below are written by hand (nominative, genitive, dative, accusative,
instrumental, prepositional), independently of the generated actor_forms.json, as a
Russian reader would decline each name; ё is written as е, as the press prints it.
"""

import pytest

from extractors.actor_forms import russian_forms, shipped_actor_forms
from extractors.actors import find_actors, load_gazetteer, russian_aliases

CASES = {
    "India": "Индия Индии Индии Индию Индией Индии",
    "Russia": "Россия России России Россию Россией России",
    "United States": "Соединенные_Штаты Соединенных_Штатов Соединенным_Штатам "
                     "Соединенные_Штаты Соединенными_Штатами Соединенных_Штатах",
    "China": "Китай Китая Китаю Китай Китаем Китае",
    "Ukraine": "Украина Украины Украине Украину Украиной Украине",
    "Pakistan": "Пакистан Пакистана Пакистану Пакистан Пакистаном Пакистане",
    "United Kingdom": "Великобритания Великобритании Великобритании Великобританию "
                      "Великобританией Великобритании",
    "France": "Франция Франции Франции Францию Францией Франции",
    "Germany": "Германия Германии Германии Германию Германией Германии",
    "Japan": "Япония Японии Японии Японию Японией Японии",
    "Australia": "Австралия Австралии Австралии Австралию Австралией Австралии",
    "Iran": "Иран Ирана Ирану Иран Ираном Иране",
    "Israel": "Израиль Израиля Израилю Израиль Израилем Израиле",
    "Saudi Arabia": "Саудовская_Аравия Саудовской_Аравии Саудовской_Аравии Саудовскую_Аравию "
                    "Саудовской_Аравией Саудовской_Аравии",
    "Turkey": "Турция Турции Турции Турцию Турцией Турции",
    "Iraq": "Ирак Ирака Ираку Ирак Ираком Ираке",
    "Afghanistan": "Афганистан Афганистана Афганистану Афганистан Афганистаном Афганистане",
    "Bangladesh": "Бангладеш Бангладеш Бангладеш Бангладеш Бангладеш Бангладеш",
    "Sri Lanka": "Шри-Ланка Шри-Ланки Шри-Ланке Шри-Ланку Шри-Ланкой Шри-Ланке",
    "Nepal": "Непал Непала Непалу Непал Непалом Непале",
    "Belarus": "Белоруссия Белоруссии Белоруссии Белоруссию Белоруссией Белоруссии",
    "Kazakhstan": "Казахстан Казахстана Казахстану Казахстан Казахстаном Казахстане",
    "Brazil": "Бразилия Бразилии Бразилии Бразилию Бразилией Бразилии",
    "South Africa": "ЮАР ЮАР ЮАР ЮАР ЮАР ЮАР",
    "North Korea": "Северная_Корея Северной_Кореи Северной_Корее Северную_Корею "
                   "Северной_Кореей Северной_Корее",
    "South Korea": "Южная_Корея Южной_Кореи Южной_Корее Южную_Корею Южной_Кореей Южной_Корее",
    "Vietnam": "Вьетнам Вьетнама Вьетнаму Вьетнам Вьетнамом Вьетнаме",
    "Indonesia": "Индонезия Индонезии Индонезии Индонезию Индонезией Индонезии",
    "Syria": "Сирия Сирии Сирии Сирию Сирией Сирии",
    "Egypt": "Египет Египта Египту Египет Египтом Египте",
    "United Arab Emirates": "ОАЭ ОАЭ ОАЭ ОАЭ ОАЭ ОАЭ",
    "Canada": "Канада Канады Канаде Канаду Канадой Канаде",
    "Italy": "Италия Италии Италии Италию Италией Италии",
    "Poland": "Польша Польши Польше Польшу Польшей Польше",
    "Myanmar": "Мьянма Мьянмы Мьянме Мьянму Мьянмой Мьянме",
    "Narendra Modi": "Нарендра_Моди Нарендры_Моди Нарендре_Моди Нарендру_Моди Нарендрой_Моди "
                     "Нарендре_Моди",
    "Vladimir Putin": "Путин Путина Путину Путина Путиным Путине",
    "Sergey Lavrov": "Сергей_Лавров Сергея_Лаврова Сергею_Лаврову Сергея_Лаврова "
                     "Сергеем_Лавровым Сергее_Лаврове",
    "S. Jaishankar": "Джайшанкар Джайшанкара Джайшанкару Джайшанкара Джайшанкаром Джайшанкаре",
    "Rajnath Singh": "Раджнатх_Сингх Раджнатха_Сингха Раджнатху_Сингху Раджнатха_Сингха "
                     "Раджнатхом_Сингхом Раджнатхе_Сингхе",
    "Donald Trump": "Дональд_Трамп Дональда_Трампа Дональду_Трампу Дональда_Трампа "
                    "Дональдом_Трампом Дональде_Трампе",
    "Joe Biden": "Байден Байдена Байдену Байдена Байденом Байдене",
    "Xi Jinping": "Си_Цзиньпин Си_Цзиньпин Си_Цзиньпин Си_Цзиньпин Си_Цзиньпин Си_Цзиньпин",
    "Volodymyr Zelensky": "Зеленский Зеленского Зеленскому Зеленского Зеленским Зеленском",
    "Shehbaz Sharif": "Шахбаз_Шариф Шахбаза_Шарифа Шахбазу_Шарифу Шахбаза_Шарифа "
                      "Шахбазом_Шарифом Шахбазе_Шарифе",
}
# A frame per case, so each form is read where the grammar puts it.
FRAMES = ["Вчера {} заявила о своей позиции.", "Делегация {} прибыла в город.",
          "Документ передали {} накануне.", "Эксперты обсуждали {} весь день.",
          "Переговоры с {} продолжатся.", "Об этом сообщили в {} вечером."]


def test_every_country_and_leader_has_a_case_table():
    gazetteer = load_gazetteer()
    wanted = {a.id for a in gazetteer.actors if a.kind in ("country", "leader")}
    assert set(CASES) == wanted


@pytest.mark.parametrize("actor", sorted(CASES))
def test_actor_is_found_in_all_six_cases(actor):
    gazetteer = load_gazetteer()
    missed = []
    for frame, form in zip(FRAMES, CASES[actor].split(), strict=True):
        sentence = frame.format(form.replace("_", " "))
        found = {m.actor for m in find_actors("a", "", sentence, gazetteer)}
        if actor not in found:
            missed.append(form)
    assert not missed, f"{actor} not found in: {missed}"


def test_russian_actor_keeps_its_id_and_counts_every_form_once():
    text = "Индия и Россия. Премьер Индии Моди встретился с Путиным в Нью-Дели. Российский лидер."
    counts = {m.actor: m.mentions for m in find_actors("a", "", text, load_gazetteer())}
    assert counts == {"India": 3, "Russia": 2, "Narendra Modi": 1, "Vladimir Putin": 1}


def test_organisations_in_russian():
    text = ("Генсек НАТО выступил в Брюсселе. Саммит ШОС и БРИКС. Совбез ООН собрался. "
            "Решение Евросоюза и Еврокомиссии. Страны Шанхайской организации сотрудничества.")
    found = {m.actor: m.mentions for m in find_actors("a", "", text, load_gazetteer())}
    assert found == {"NATO": 1, "European Union": 3, "SCO": 2, "BRICS": 1, "United Nations": 1}


def test_shipped_forms_are_current():
    """The shipped actor_forms.json matches the gazetteer (after editing gazetteer.toml:
    python -m extractors.actors --write-forms)."""
    names, phrases = russian_aliases(load_gazetteer())
    shipped = shipped_actor_forms()
    assert shipped, "actor_forms.json is missing or was written with another pymorphy3"
    assert set(shipped["names"]) == names and set(shipped["phrases"]) == phrases
    for alias in sorted(phrases)[:20]:
        assert set(shipped["phrases"][alias]) == russian_forms(alias)
