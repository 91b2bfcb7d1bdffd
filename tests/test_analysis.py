"""The analyzer pinned by a table, including its known limits (compounds are not split)."""

import pytest

from search.analysis import german_analyzer


def tokens(text):
    return [t.text for t in german_analyzer()(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Konferenz", ["konferenz"]),
        ("Konferenzen", ["konferenz"]),
        ("Straße", ["strass"]),
        ("Strasse", ["strass"]),
        ("Fußgänger", ["fussgang"]),
        ("Fussgaenger", ["fussgang"]),
        ("Müller Mueller", ["mull", "mull"]),
        ("daß dass", []),  # stop words in either spelling
        ("erfaßt erfasst", ["erfasst", "erfasst"]),
        ("Ministerin Minister", ["minist", "minist"]),
        ("Exchange-Konferenz", ["exchang", "konferenz"]),
        ("Mitarbeiter*innen", ["mitarbeit", "inn"]),
        ("US-Präsident", ["us", "prasident"]),  # "US" survives: the English stop list is not used
        ("die und der", []),
        ("a 1 b 12", ["12"]),  # single characters vanish (minsize 2)
        # Known limits, kept visible: no compound splitting, and Burg/Bürger collide in Snowball German.
        ("Handelskammer", ["handelskamm"]),
        ("Verkehrsunfall", ["verkehrsunfall"]),
        ("Bürger Burg", ["burg", "burg"]),
    ],
)
def test_analyzer_table(text, expected):
    assert tokens(text) == expected
