"""How compound words are split: the dictionary forms of the two sides of the best split, and what is never split.

This table is how splits are validated: each row is a decision checked by hand, false splits included as known
limits where the dictionary leads the rule astray.
"""

import pytest

from search.german.compounds import compound_head, compound_parts, may_be_name, split_compound


@pytest.mark.parametrize(
    ("word", "sides"),
    [
        ("handelskammer", ("handel", "kammer")),  # linking s removed
        ("verkehrsunfall", ("verkehr", "unfall")),
        ("wohnungseinbruch", ("wohnung", "einbruch")),
        ("straßenbahnunfall", ("strassenbahn", "unfall")),  # ß as ss: the word list is casefolded
        ("rauschgifttoter", ("rauschgift", "toter")),  # two long parts beat three short ones
        ("dachstuhlbrand", ("dachstuhl", "brand")),
        ("ordnungsamt", ("ordnung", "amt")),  # a three-letter head from the allowed list
        ("polizeipräsidium", ("polizei", "präsidium")),
        ("ubahn", ("u", "bahn")),  # U-Bahn, joined by the tokenizer
        ("email", ("e", "mail")),
        # Never split: short words, words more common than their parts would be, prefixes and suffixes.
        ("verein", ()),
        ("beamte", ()),
        ("anzeige", ()),
        ("festnahme", ()),
        ("mitarbeiter", ()),
        ("staatsanwaltschaft", ()),
        ("stier", ()),  # not S + Tier: only a few heads take a one-letter prefix
        ("lehrerinnen", ()),  # a gender ending, not Lehre + Rinnen
        ("mitarbeiter123", ()),
        # Known limits: splits right in form but wrong in meaning.
        ("widerstand", ("wider", "stand")),
        ("brandstiftung", ("brand", "stiftung")),
    ],
)
def test_split_compound(word, sides):
    assert split_compound(word) == sides


def test_parts_include_the_parts_of_each_side_once():
    assert compound_parts("straßenbahnunfall") == ("strassenbahn", "strasse", "bahn", "unfall")
    assert compound_parts("verkehrsunfallflucht") == ("verkehrsunfall", "verkehr", "unfall", "flucht")
    assert compound_parts("ubahn") == ("bahn",)  # the letter is not a part
    assert compound_parts("verein") == ()


def test_very_long_words_are_not_split():
    # A pasted code or link: no German word is this long, and searching its splits would recurse too deep.
    assert compound_parts("hausbahnunfall" * 300) == ()
    assert split_compound("a" * 65) == ()
    assert split_compound("donaudampfschifffahrtsgesellschaftskapitän") != ()  # 42 letters


@pytest.mark.parametrize(
    ("word", "head", "name", "parts"),
    [
        # Street names by their last word: that word is their only part (Straße finds them, Raum or Land do not).
        ("raumerstraße", "strasse", True, ("strasse",)),
        ("landstraße", "strasse", True, ("strasse",)),  # Mörfelder Landstraße is a street, not Land + Straße
        ("seestraße", "strasse", True, ("strasse",)),  # split as Sees + Trasse
        ("junghofstrasse", "strasse", True, ("strasse",)),  # Junghofs + Trasse
        ("gneisenaustraße", "strasse", True, ("strasse",)),
        ("mehringdamm", "damm", True, ("damm",)),
        ("mainufer", "ufer", True, ("ufer",)),
        ("autokäufer", "käufer", False, ("auto", "käufer")),  # -ufer ends Mainufer, but Käufer ends this one
        # Place names by their last word: no parts (Hausen is a place of its own, Bach and Dorf are words).
        ("sachsenhausen", "hausen", True, ()),
        ("mahlsdorf", "dorf", True, ()),
        # Last words that end names and nouns alike: the parts stay (the query side searches such words whole).
        ("pflegeheim", "heim", True, ("pflege", "heim")),
        ("bockenheim", "heim", True, ("bock", "heim")),
        ("oberbaumbrücke", "brücke", True, ("ober", "baumbrücke", "baum", "brücke")),  # the head of the head
        ("straßenbahnunfall", "unfall", False, ("strassenbahn", "strasse", "bahn", "unfall")),  # no street
        ("verein", "", False, ()),
        # A name's last word on its own may be a name too (Platz: not Fläche); words merely ending like one are not.
        ("platz", "", True, ()),
        ("straße", "", True, ()),
        ("käufer", "", False, ()),
        ("gering", "", False, ()),
        ("gehweg", "", False, ()),
    ],
)
def test_street_and_place_names_are_known_by_their_last_word(word, head, name, parts):
    assert compound_head(word) == head
    assert may_be_name(word) is name
    assert compound_parts(word) == parts
