"""The lexicon's word forms: how tools/word_forms.py groups simplemma's forms, and the shipped file it wrote."""

import pytest

from search.query.expansion import LEXICON_FORMS, _data_text, forms, read_stem_groups
from tools.word_forms import Lexicon, render, word_groups

# A few of simplemma's German entries (form → lemma), with made-up but ordered frequencies.
LEMMAS = {
    "überschlagen": "überschlagen", "überschlug": "überschlagen", "überschlägt": "überschlagen",
    "finden": "finden", "fand": "finden", "gefunden": "finden",
    # A participle used as an adjective, and a noun made of it, belong to the verb.
    "gefundene": "gefunden", "gefundenen": "gefunden", "Gefundene": "Gefundene",
    "bestehlen": "bestehlen", "bestahl": "bestehlen",
    # stahl is stehlen's and Stahl's: left out.
    "stehlen": "stehlen", "stahl": "stehlen", "gestohlen": "stehlen", "Stahl": "Stahl", "Stahls": "Stahl",
    # "Stand" is a noun of its own, not stehen, though "stand" is one of stehen's forms.
    "stehen": "stehen", "stand": "stehen", "steht": "stehen", "Stand": "Stand",
    # A stem two words have forms of is left out of both (made up here: brächte given to brechen too).
    "bringen": "bringen", "brächte": "bringen", "gebracht": "bringen",
    "brechen": "brechen", "Brächte": "brechen", "gebrochen": "brechen",
    # Reifen (tyres) is not reifen (to ripen): the word is left out by name.
    "reifen": "reifen", "gereift": "reifen", "Reifen": "Reifen",
    # simplemma files "brennend" under schwarzbrennen: a form that does not start as its lemma is not believed.
    "brennen": "brennen", "brannte": "brennen", "schwarzbrennen": "schwarzbrennen", "brennend": "schwarzbrennen",
    # Stop words, single letters, digits, rare forms.
    "sein": "sein", "war": "sein", "x": "x", "X1": "X", "buk": "backen", "backen": "backen",
}
ZIPF = {"überschlug": 2.8, "überschlägt": 2.0, "fand": 5.2, "gefunden": 5.3, "gefundene": 3.0, "finden": 5.6,
        "bestahl": 1.7, "stahl": 4.4, "gestohlen": 4.2, "stehlen": 3.5, "stand": 5.0, "steht": 4.5, "stehen": 5.5,
        "brächte": 2.5, "gebracht": 5.1, "bringen": 5.3, "gebrochen": 4.0, "brechen": 4.5, "gereift": 2.5,
        "reifen": 4.0, "war": 6.5, "buk": 1.2, "brannte": 4.0, "brennend": 3.2, "brennen": 4.1}


def test_forms_the_stemmer_leaves_apart_are_grouped_as_stems_under_their_lemma():
    groups = word_groups(Lexicon(LEMMAS, ZIPF), min_zipf=1.5)
    assert groups == [
        ("bestehl", "bestahl"),
        ("brech", "gebroch"),
        ("brenn", "brannt"),
        ("bring", "gebracht"),
        ("find", "fand", "gefund"),
        ("steh", "steht"),
        ("stehl", "gestohl"),
        ("uberschlag", "uberschlagt", "uberschlug"),
    ]


@pytest.mark.parametrize(
    ("left_out", "why"),
    [
        ("stahl", "the stem of Stahl, as common as the form"),
        ("stand", "the stem of Stand"),
        ("bracht", "brächte is given to bringen and brechen"),
        ("gereift", "reifen is listed as unrelated to Reifen"),
        ("war", "a stop word"),
        ("buk", "rarer than the threshold"),
        ("x", "a single letter"),
        ("brennend", "filed under schwarzbrennen by simplemma"),
    ],
)
def test_ambiguous_and_unwanted_forms_are_left_out(left_out, why):
    stems = {stem for group in word_groups(Lexicon(LEMMAS, ZIPF), min_zipf=1.5) for stem in group}
    assert left_out not in stems, why


def test_the_threshold_drops_rare_forms():
    groups = word_groups(Lexicon(LEMMAS, ZIPF), min_zipf=2.5)
    assert ("bestehl", "bestahl") not in groups
    assert ("uberschlag", "uberschlug") in groups


def test_the_written_groups_read_back_as_stems_and_a_stem_in_two_groups_joins_both():
    text = render([("fand", "fanden"), ("find", "fand", "gefund")], "simplemma 2.0.0 (German dictionary)", 1.5)
    assert text.splitlines()[-2:] == ["fand fanden", "find fand gefund"]
    groups = read_stem_groups(text)
    assert groups == {"fand": ("fand", "fanden", "find", "gefund"), "fanden": ("fand", "fanden"),
                      "find": ("find", "fand", "gefund"), "gefund": ("find", "fand", "gefund")}
    assert groups["find"] is groups["gefund"]  # one tuple per group: loaded in every server


def test_the_shipped_file_has_its_header_and_one_group_of_lowercase_stems_per_line():
    lines = _data_text(LEXICON_FORMS).splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any(line.startswith("# Source: simplemma 2.0.0 (German dictionary), wordfreq 3.1.1;") for line in header)
    assert any("MIT" in line for line in header) and any("Open Database License" in line for line in header)
    assert any("python -m tools.word_forms" in line for line in header)
    groups = [line.split(" ") for line in lines if not line.startswith("#")]
    assert len(groups) > 5000
    assert all(len(group) >= 2 and all(stem.isalpha() and stem.islower() for stem in group) for group in groups)
    assert len({group[0] for group in groups}) == len(groups)  # one line per lemma stem


@pytest.mark.parametrize(
    ("stem", "also"),
    [
        ("uberschlug", {"uberschlag"}),  # überschlug → überschlagen (lexicon)
        ("bestahl", {"bestehl", "bestohl"}),  # bestahl → bestehlen (lexicon), bestohlen (hand list)
        ("fand", {"find", "gefund", "fund"}),  # fand → finden, gefunden (both), Fund (hand list)
        ("gefloh", {"flieh", "flucht"}),  # geflohen → fliehen (lexicon), Flucht (hand list)
        ("autos", {"auto"}),  # the stemmer keeps the -s after a vowel
        ("polizistinn", {"polizistin"}),
    ],
)
def test_the_shipped_forms_join_strong_verbs_and_irregular_nouns(stem, also):
    assert also <= set(forms(stem))


@pytest.mark.parametrize(
    "stem", ["reif", "zeug", "wag", "ost", "tut", "hort", "stahl", "stand", "gefahr", "fall", "berg", "weg"])
def test_the_shipped_forms_leave_words_with_an_unrelated_namesake_alone(stem):
    # Reifen, Zeuge, Wagen, Ost(end), Tüten, Hort, Stahl, Stand, Gefahr, Fall, Berg, Weg find no verb forms.
    assert forms(stem) == ()
