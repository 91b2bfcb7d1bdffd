"""End-to-end searches for each linguistic case, on releases written for it (tests/fixtures/linguistics)."""

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from whoosh import query as wq

from search import LiveIndex, Settings, build_index, run_query
from search.german.embargo import BERLIN
from search.query.parser import parse_user_query
from search.weights import Weights

FIXTURES = Path(__file__).parent / "fixtures" / "linguistics"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("linguistics")
    shutil.copytree(FIXTURES, base / "corpus")
    settings = Settings(corpus=base / "corpus", index=base / "index")
    build_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        yield settings, searcher
    live.close()


def search(engine, text):
    settings, searcher = engine
    return run_query(searcher, settings, text)


def ids(engine, text):
    return [hit.id for hit in search(engine, text).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Compounds: a part finds the compound, the compound finds its parts, and the whole word ranks first.
        ("Kammer", ["kammer", "handelskammer"]),
        ("Handel", ["handelskammer"]),
        ("Unfall Straßenbahn", ["unfall_mit_strassenbahn", "strassenbahnunfall"]),
        ("Straßenbahnunfall", ["strassenbahnunfall", "unfall_mit_strassenbahn"]),
        ("Messerangriff", ["messerangriff", "messer_angegriffen"]),  # angegriffen via the thesaurus (Angriff)
        # Exact forms: the words as typed outrank a mere stem match (Berliner and Berlin are both `berlin`).
        ("Berliner Straße", ["berliner_strasse", "berlin"]),
        # Synonyms: the typed word first, the synonym after it.
        ("Auto aufgebrochen", ["auto", "pkw"]),
        ("Pkw aufgebrochen", ["pkw", "auto"]),
        # OpenThesaurus's synonyms (german/data/openthesaurus.txt) the same way.
        ("Obdachloser Rucksack", ["obdachlos", "wohnungslos"]),
        ("Wohnungsloser Rucksack", ["wohnungslos", "obdachlos"]),
        # Transliteration and old spelling.
        ("Strassenbahnunfall Sachsenhausen", ["strassenbahnunfall"]),
        ("Suedbahnhof", ["unfall_mit_strassenbahn"]),
        ("24-Jährige musste Krankenhaus", ["alte_schreibung"]),
        # Hyphen and spacing variants.
        ("UBahn Streit", ["ubahn"]),
        ("U 7 Rudow", ["ubahn"]),
        ("Email Wache", ["ubahn"]),
        # Gender forms, each spelling.
        ("BürgerInnen Sprechstunde", ["buerger_gender"]),
        ("Bürger*innen Sprechstunde", ["buerger_gender"]),
        ("Bürger:innen Revier", ["buerger_gender"]),
        # A trailing star: words with that beginning.
        ("Navigations*", ["pkw"]),
        ("Dachst* Bockenheim", ["dachstuhl_2015"]),
    ],
)
def test_linguistic_case(engine, query, expected):
    assert ids(engine, query) == expected


@pytest.mark.parametrize("query", ["überschlug", "Fahrer überschlug", "überschlugen Eschborn"])
def test_a_strong_verb_form_finds_the_release_with_another_form_of_it(engine, query):
    # The release says "überschlagen"; the lexicon's word forms (wortformen_lexikon.txt) join "überschlug" to it.
    # Without them the word finds nothing: no hit alone, dropped or "corrected" beside other words.
    page = search(engine, query)
    assert [hit.id for hit in page.hits] == ["kleintransporter_ueberschlagen"]
    assert page.notes == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A word written with digits matches as written: its digit is not dropped, nor found elsewhere in a text
        # (kennung_alpha3 has a 2 and a 5 of its own, 0815 and 12 apart, BAB 3 spaced).
        ("SonderwortAlpha2", ["kennung_alpha2"]),
        ("SonderwortAlpha3", ["kennung_alpha3"]),
        ("BAB5 Rucksack", ["kennung_alpha2"]),
        ("0815/12", ["kennung_alpha2"]),
        ("0815/13", ["kennung_alpha3"]),
        # A single digit is a word of its own: BAB 3 is not BAB 5.
        ("BAB 3 Rucksack", ["kennung_alpha3"]),
        # A letter and a number, together or spaced; U7 is not U8.
        ("L 3004", ["kennung_alpha2"]),
        ("L3004", ["kennung_alpha2"]),
        ("U 7", ["ubahn"]),
        ("U8", []),
        # A street name is not split: Raumerstraße is not Raum (Kofferraum) + Straße (Landstraße), Landstraße not
        # Land + Straße (raumerstrasse has both), and Raum does not find the Raumerstraße.
        ("Kinderwagen Bäckerei Raumerstraße", ["raumerstrasse"]),
        ("Raum Bäckerei", ["kofferraum_landstrasse"]),
        ("Landstraße", ["kofferraum_landstrasse"]),
    ],
)
def test_identifiers_and_street_names_match_as_written(engine, query, expected):
    assert ids(engine, query) == expected


def test_a_word_written_with_digits_is_searched_as_the_phrase_of_its_parts(engine):
    settings, searcher = engine
    for typed in ("SonderwortAlpha2", "-SonderwortAlpha2 Rucksack", "titel:SonderwortAlpha2"):
        query = parse_user_query(typed, searcher, settings).query
        phrases = {tuple(leaf.words) for leaf in query.leaves() if isinstance(leaf, wq.Phrase)}
        assert phrases == {("sonderwortalpha", "2")}, typed
    # The releases with a Rucksack, but not the one with SonderwortAlpha2 (kennung_alpha3 has SonderwortAlpha3).
    assert ids(engine, "-SonderwortAlpha2 Rucksack") == ["kennung_alpha3", "obdachlos", "wohnungslos"]


def test_a_date_among_the_words_ranks_that_time_first_and_says_so(engine):
    assert ids(engine, "Brand Dachstuhl") == ["dachstuhl_2015", "dachstuhl_2016"]
    page = search(engine, "Brand Dachstuhl März 2016")
    assert [hit.id for hit in page.hits] == ["dachstuhl_2016", "dachstuhl_2015"]
    assert page.notes == ["„März 2016“ wurde als Zeitangabe gelesen: Meldungen aus dieser Zeit stehen weiter oben."]
    assert page.query == "Brand Dachstuhl"


def test_a_date_alone_is_a_filter(engine):
    page = search(engine, "März 2016")
    assert [hit.id for hit in page.hits] == ["strassenbahnunfall", "dachstuhl_2016"]  # newest first
    assert page.notes == []
    # With a word beside it, the date ranks; every note is kept, in order.
    page = search(engine, "März 2016 feld:Rödelheim")
    assert [hit.id for hit in page.hits] == ["dachstuhl_2016"]
    assert page.notes == ["Nur die Suchfelder titel:, ort:, quelle: und datum: werden unterstützt; „feld:“ wurde "
                          "ignoriert.",
                          "„März 2016“ wurde als Zeitangabe gelesen: Meldungen aus dieser Zeit stehen weiter oben."]


def test_a_typed_day_ranks_the_release_that_mentions_it_first(engine):
    # kiosk_einbruch (published 23 March 2015) tells of the night to Saturday, 21 March; kiosk_ausgeraubt has more
    # of the word.
    assert ids(engine, "Kiosk") == ["kiosk_ausgeraubt", "kiosk_einbruch"]
    for day in ("21.03.2015", "21. März 2015", "20.03.2015"):  # the night to the 21st began on the 20th
        page = search(engine, f"Kiosk {day}")
        assert [hit.id for hit in page.hits] == ["kiosk_einbruch", "kiosk_ausgeraubt"], day
        assert page.notes == [f"„{day}“ wurde als Zeitangabe gelesen: Meldungen aus dieser Zeit stehen weiter oben."]
    assert ids(engine, "Kiosk 22.03.2015") == ["kiosk_ausgeraubt", "kiosk_einbruch"]  # neither mentions nor was then


def test_datum_filters_by_the_day_of_publication_not_by_the_days_mentioned(engine):
    assert ids(engine, "Kiosk datum:21.03.2015") == []
    assert ids(engine, "Kiosk datum:23.03.2015") == ["kiosk_einbruch"]
    assert ids(engine, "21.03.2015") == []  # a date alone filters by publication too


def at(day: datetime):
    return lambda: day.replace(tzinfo=BERLIN).timestamp()


def test_a_relative_date_is_read_on_the_day_of_the_search_and_said(engine):
    settings, searcher = engine
    sunday = replace(settings, clock=at(datetime(2015, 3, 22, 0, 30)))
    page = run_query(searcher, sunday, "Kiosk gestern")
    assert [hit.id for hit in page.hits] == ["kiosk_einbruch", "kiosk_ausgeraubt"]
    assert page.notes == ["„gestern“ wurde als 21.03.2015 gelesen: Meldungen aus dieser Zeit stehen weiter oben."]
    assert page.query == "Kiosk"
    # On Monday 6 April, last week is 30 March to 5 April: kiosk_ausgeraubt was published then.
    monday = replace(settings, clock=at(datetime(2015, 4, 6, 12)))
    page = run_query(searcher, monday, "Kiosk letzte Woche")
    assert page.notes == ["„letzte Woche“ wurde als 30.03.2015 bis 05.04.2015 gelesen: Meldungen aus dieser Zeit "
                          "stehen weiter oben."]
    assert [hit.id for hit in page.hits] == ["kiosk_ausgeraubt", "kiosk_einbruch"]
    page = run_query(searcher, monday, "vergangenen Samstag Kiosk")  # 4 April: none
    assert [hit.id for hit in page.hits] == ["kiosk_ausgeraubt", "kiosk_einbruch"]
    # Inside a phrase, the word is searched as typed.
    page = run_query(searcher, sunday, 'Kiosk "gestern"')
    assert not any("gelesen" in note for note in page.notes)


def test_a_typo_is_corrected_against_the_releases_words(engine):
    page = search(engine, "Tankstele Überfall")
    assert [hit.id for hit in page.hits] == ["tankstelle"]
    assert page.notes == ["Ergebnisse für „Tankstelle“ (statt „Tankstele“)."]


def test_a_word_with_digits_is_not_corrected_into_another_identifier(engine):
    # L30045 is one letter from L3004, but a number that no release has is said so, not changed.
    page = search(engine, "L30045 Rucksack")
    assert [hit.id for hit in page.hits] == ["kennung_alpha2", "kennung_alpha3", "obdachlos", "wohnungslos"]
    assert page.notes == ["Kein Treffer für „L30045“; gesucht wurde ohne dieses Wort."]


def test_two_words_typed_as_one_are_found_as_a_compound_or_split_into_the_releases_words(engine):
    # Both are in the dictionary: the word is searched as a compound of the two, without a note.
    page = search(engine, "plazamarzahn")
    assert [hit.id for hit in page.hits] == ["plaza_marzahn"]
    assert page.notes == []
    # Rödelheim is not in the dictionary, but the releases have both words: the query is corrected to them.
    page = search(engine, "rödelheimbrand")
    assert [hit.id for hit in page.hits] == ["dachstuhl_2016"]
    assert page.notes == ["Ergebnisse für „rödelheim brand“ (statt „rödelheimbrand“)."]


def test_compound_parts_and_synonyms_are_marked_in_snippets(engine):
    [hit] = search(engine, "Kammer Geschichte").hits
    assert hit.snippet == "Das Museum zeigt die <mark>Geschichte</mark> der <mark>Handelskammer</mark>"
    first, second = search(engine, "Auto aufgebrochen").hits
    assert first.title_html == "<mark>Auto</mark> in Bornheim <mark>aufgebrochen</mark>"
    assert second.title_html == "<mark>Pkw</mark> in Bockenheim <mark>aufgebrochen</mark>"


def test_a_prefix_of_too_many_words_searches_the_most_common(engine, monkeypatch):
    monkeypatch.setattr("search.query.parser.MAX_PREFIX_WORDS", 2)
    page = search(engine, "ein*")
    assert page.notes == ["Zu „ein*“ passen sehr viele Wörter; gesucht wurde mit den 2 häufigsten."]
    assert page.total > 0


def test_a_common_word_is_still_found_inside_compounds_but_a_common_compound_is_not_split(engine):
    settings, searcher = engine
    common = replace(settings, weights=Weights(common_releases=1))  # every word in the fixtures counts as common

    def common_ids(text):
        return [hit.id for hit in run_query(searcher, common, text).hits]

    assert common_ids("Kammer") == ["kammer", "handelskammer"]
    assert common_ids("Unfall Straßenbahn") == ["unfall_mit_strassenbahn", "strassenbahnunfall"]
    assert common_ids("Straßenbahnunfall") == ["strassenbahnunfall"]  # not also searched as Straßenbahn + Unfall


def test_the_words_a_prefix_stood_for_are_marked(engine):
    [hit] = search(engine, "Navigations*").hits
    assert hit.snippet.endswith("stahlen ein <mark>Navigationsgerät</mark>")


def why(engine, text, release):
    """How the hit `release` of the search `text` holds each word: (word, how, found)."""
    hit = next(hit for hit in search(engine, text).hits if hit.id == release)
    return [(word.word, word.how, word.found) for word in hit.why]


@pytest.mark.parametrize(
    ("query", "release", "expected"),
    [
        ("Auto aufgebrochen", "auto", [("Auto", "typed", ""), ("aufgebrochen", "typed", "")]),
        ("Auto aufgebrochen", "pkw", [("Auto", "synonym", "Pkw"), ("aufgebrochen", "typed", "")]),
        ("Kammer", "handelskammer", [("Kammer", "part", "Handelskammer")]),
        ("Straßenbahnunfall", "unfall_mit_strassenbahn", [("Straßenbahnunfall", "part", "Unfall")]),
        ("Berliner Straße", "berlin", [("Berliner", "form", "Berlin"), ("Straße", "part", "Hauptstraße")]),
        ("Navigatiomsgerät", "pkw", [("Navigatiomsgerät", "corrected", "Navigationsgerät")]),
        # A word written with digits is searched as a phrase and named as typed.
        ("Rucksack SonderwortAlpha2 \"an der BAB5\"", "kennung_alpha2",
         [("Rucksack", "typed", ""), ("SonderwortAlpha2", "typed", ""), ("an der BAB5", "typed", "")]),
        # No release holds all three words: each hit says which it lacks.
        ("Zeugen Bornheim Kassierer", "tankstelle",
         [("Zeugen", "missing", ""), ("Bornheim", "missing", ""), ("Kassierer", "typed", "")]),
        ("Zeugen Bornheim Kassierer", "messerangriff",
         [("Zeugen", "typed", ""), ("Bornheim", "missing", ""), ("Kassierer", "missing", "")]),
    ],
)
def test_each_hit_says_how_it_holds_each_word(engine, query, release, expected):
    assert why(engine, query, release) == expected


def test_only_what_counted_is_marked(engine):
    first, second = search(engine, "Straßenbahnunfall").hits
    # The release holds the word as typed: its "Straße" elsewhere is no match of the compound's part.
    assert first.snippet == ("Am Montag kam es in der Schweizer Straße zu einem <mark>Straßenbahnunfall</mark>. "
                             "Eine Radfahrerin wurde leicht verletzt")
    # Here the parts stand in for the word: they are marked.
    assert "<mark>Unfall</mark> mit einer <mark>Straßenbahn</mark>" in second.snippet
    auto, pkw = search(engine, "Auto aufgebrochen").hits
    assert pkw.title_html == "<mark>Pkw</mark> in Bockenheim <mark>aufgebrochen</mark>"
    assert auto.title_html == "<mark>Auto</mark> in Bornheim <mark>aufgebrochen</mark>"


def test_words_joined_by_oder_are_each_searched_with_their_extras_and_explained(engine):
    # Whoosh merges `Auto ODER Kiosk` into one Or of four terms: each word is still expanded (Pkw for Auto) and
    # explained on its own (before, the whole Or read as "Auto" in another form).
    page = search(engine, "Auto ODER Kiosk")
    assert [hit.id for hit in page.hits][:5] == ["auto", "kiosk_ausgeraubt", "kiosk_einbruch", "alte_schreibung", "pkw"]
    assert why(engine, "Auto ODER Kiosk", "pkw") == [("Auto", "synonym", "Pkw"), ("Kiosk", "missing", "")]
    assert why(engine, "Auto ODER Kiosk", "kiosk_einbruch") == [("Auto", "missing", ""), ("Kiosk", "typed", "")]


def test_a_search_with_excluded_words_relaxes_and_names_its_phrases_as_typed(engine):
    page = search(engine, '-"Polizei Berlin" Kiosk "Zigaretten gestohlen"')
    assert [hit.id for hit in page.hits] == ["kiosk_ausgeraubt", "kiosk_einbruch"]
    assert page.notes == ["Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon, "
                          "die ersten ohne „Zigaretten gestohlen“."]
    assert [(word.word, word.how) for word in page.hits[0].why] == [("Kiosk", "typed"),
                                                                   ("Zigaretten gestohlen", "missing")]


def test_newest_first_the_note_promises_no_order_of_the_words(engine):
    settings, searcher = engine
    page = run_query(searcher, settings, "Kiosk Zigaretten Tasche", sort="date")
    assert [hit.id for hit in page.hits] == ["auto", "kiosk_ausgeraubt", "kiosk_einbruch"]
    assert page.notes == ["Kein Treffer enthält alle Wörter; gezeigt werden Treffer mit einigen davon."]
    assert search(engine, "Kiosk Zigaretten Tasche").notes == [
        "Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon, die ersten ohne „Tasche“."]


def test_a_search_without_words_explains_nothing(engine):
    settings, searcher = engine
    assert {hit.why for hit in run_query(searcher, settings, "", sort="date").hits} == {()}
    assert {hit.why for hit in search(engine, "März 2016").hits} == {()}


def test_a_date_inside_a_phrase_stays_a_phrase(engine):
    settings, searcher = engine
    parsed = parse_user_query('Dachstuhl "Brand März 2016"', searcher, settings)
    assert parsed.preferred == ()
    assert {tuple(leaf.words) for leaf in parsed.query.leaves() if isinstance(leaf, wq.Phrase)} == {
        ("brand", "marz", "2016")}


def test_a_long_word_without_known_parts_finds_its_compound_synonyms_parts_written_apart(engine):
    # Messerstecherei splits into no known words; its synonym Messerangriff does: "mit einem Messer angegriffen".
    page = search(engine, "Messerstecherei Bornheim")
    assert [hit.id for hit in page.hits] == ["messer_angegriffen"]
    assert [(word.word, word.how, word.found) for word in page.hits[0].why] == [
        ("Messerstecherei", "synonym", "Messer"), ("Bornheim", "typed", "")]
    assert "<mark>Messer</mark> <mark>angegriffen</mark>" in page.hits[0].snippet
