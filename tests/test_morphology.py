"""Regular weak-verb forms made from a query word, including what is deliberately not made."""

import pytest

from search.german.morphology import weak_forms


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
