"""How compound words are split: the dictionary forms of the two sides of the best split, and what is never split.

This table is how splits are validated: each row is a decision checked by hand, false splits included as known
limits where the dictionary leads the rule astray.
"""

import pytest

from search.german.compounds import compound_parts, split_compound


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
