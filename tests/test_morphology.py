"""Regular weak-verb forms made from a query word, including what is deliberately not made."""

import pytest

from search.german.morphology import finite_forms, weak_forms, without_particle


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("sprengung", ("sprengen", "gesprengt")),
        ("gesprengt", ("sprengen", "sprengung")),
        ("sprengen", ("gesprengt", "sprengung")),
        ("gemeldet", ("melden", "meldung")),  # -et after t/d
        ("verhaftet", ("verhaften", "verhaftung")),  # inseparable prefix: no ge-
        ("verletzt", ("verletzen", "verletzung")),
        ("festgestellt", ("feststellen", "feststellung")),  # separable prefix: ge- inside
        ("kontrolliert", ("kontrollieren", "kontrollierung")),  # -ieren: no ge-
        # Strong verbs change their vowel: they are listed in data/wortformen.txt, not made here.
        ("festgenommen", ()),
        ("gefunden", ()),
        ("unfall", ()),
        ("wagen", ()),  # too short a root
        # Known limit: a noun in -en gets verb forms that mostly no release contains (they then match nothing).
        ("frauen", ("gefraut", "frauung")),
    ],
)
def test_weak_forms(word, forms):
    assert weak_forms(word) == forms


@pytest.mark.parametrize(
    ("word", "rest"),
    [
        ("umgekippt", "gekippt"),
        ("angegriffen", "gegriffen"),
        ("festgenommen", "genommen"),
        ("zusammengestoßen", "gestoßen"),  # the longest particle, not zu + sammengestoßen
        ("umkippen", "kippen"),
        # Not a separable verb's participle or infinitive: nouns, short roots.
        ("anhänger", None),
        ("ausgang", None),
        ("umgebung", None),
        ("vorgehen", None),
        ("abend", None),
    ],
)
def test_a_separable_verb_without_its_particle(word, rest):
    assert without_particle(word) == rest


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("gekippt", ("kippt", "kippte")),
        ("kippen", ("kippt", "kippte")),
        ("gemeldet", ("meldet", "meldete")),
        ("gegriffen", ()),  # a strong participle: its forms come from the word lists
        ("gehen", ()),  # too short a root
    ],
)
def test_finite_forms_of_a_weak_verb(word, forms):
    assert finite_forms(word) == forms
