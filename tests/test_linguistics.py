"""End-to-end searches for each linguistic case, on releases written for it (tests/fixtures/linguistics)."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from search import LiveIndex, Settings, build_index, run_query
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


def test_a_typo_is_corrected_against_the_releases_words(engine):
    page = search(engine, "Tankstele Überfall")
    assert [hit.id for hit in page.hits] == ["tankstelle"]
    assert page.notes == ["Ergebnisse für „Tankstelle“ (statt „Tankstele“)."]


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
