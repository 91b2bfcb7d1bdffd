"""The analyzers pinned by tables, including their known limits."""

import pytest

from search.german.analysis import exact_analyzer, german_analyzer, normal_word, parts_analyzer, word_spans
from tests.conftest import FIXTURES


def tokens(analyzer, text):
    return [t.text for t in analyzer(text)]


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
        ("mußte musste", []),
        ("erfaßt erfasst", ["erfasst", "erfasst"]),
        ("Ministerin Minister", ["minist", "minist"]),
        ("Exchange-Konferenz", ["exchang", "konferenz"]),
        ("US-Präsident", ["us", "prasident"]),  # "US" survives: the English stop list is not used
        ("die und der", []),
        # Gender forms all equal the plain feminine plural, which the stemmer conflates with the masculine.
        ("Mitarbeiter*innen Mitarbeiter:innen Mitarbeiter_innen MitarbeiterInnen Mitarbeiter/-innen",
         ["mitarbeit"] * 5),
        ("Bürger*innen Bürgerinnen", ["burg", "burg"]),
        # Hyphen and spacing variants of one word.
        ("U-Bahn UBahn Ubahn", ["ubahn"] * 3),
        ("E-Mail Email", ["email", "email"]),
        ("U7 U 7 U-7", ["u7"] * 3),
        ("A 66 B1", ["a66", "b1"]),
        # Identifiers keep their digits: a letter and a number are one word, written together or spaced (A5 and
        # A 5, B40 and B 40, L3004); a longer word and its number are two, the number kept even when it is one
        # digit (the parser searches SonderwortAlpha2 as the phrase of both).
        ("A5 A 5 B40 B 40 L3004 L 3004", ["a5", "a5", "b40", "b40", "l3004", "l3004"]),
        ("U7 U8", ["u7", "u8"]),
        ("SonderwortAlpha2 SonderwortAlpha3", ["sonderwortalpha", "2", "sonderwortalpha", "3"]),
        ("BAB5 BAB 5", ["bab", "5", "bab", "5"]),
        ("0815/12", ["0815", "12"]),  # a case number: the parser searches it as a phrase too
        # Digits and letters part: the old joined spelling equals the hyphenated one.
        ("24jährige 24-Jährige", ["24", "jahrig", "24", "jahrig"]),
        ("x und 7", ["7"]),  # a single letter vanishes, a single digit stays (Linie 7, BAB 5)
        # Compounds stay whole in the stemmed fields; their parts go to the `parts` field (next table).
        ("Handelskammer", ["handelskamm"]),
        ("Verkehrsunfall", ["verkehrsunfall"]),
        # Known limit: Burg and Bürger collide in Snowball German.
        ("Bürger Burg", ["burg", "burg"]),
    ],
)
def test_stemmed_words(text, expected):
    assert tokens(german_analyzer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berliner Straße", ["berliner", "straße"]),  # not stemmed: Berliner is not Berlin here
        ("U-Bahn E-Mail Bürger*innen", ["ubahn", "email", "bürgerinnen"]),
        ("daß", ["daß"]),  # stop words stay: this field is for exact forms and spelling corrections
    ],
)
def test_exact_words(text, expected):
    assert tokens(exact_analyzer(), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Handelskammer", ["handel", "kamm"]),
        ("Verkehrsunfall", ["verkehr", "unfall"]),
        ("Polizeipräsidium", ["polizei", "prasidium"]),
        ("Ordnungsamt", ["ordnung", "amt"]),  # a short head from the allowed list
        ("Messerangriff", ["mess", "angriff"]),
        ("Wohnungseinbruch", ["wohnung", "einbruch"]),  # linking s
        ("Straßenbahnunfall", ["strassenbahn", "strass", "bahn", "unfall"]),  # each side split again
        ("U-Bahn E-Mail", ["bahn", "mail"]),
        ("Unfall auf der Straße", []),  # no compounds, no parts
        # A street name's only part is its last word (Raum does not find the Raumerstraße, nor Land the Landstraße),
        # a place name has none (Hausen is another place than Sachsenhausen).
        ("Raumerstraße Mörfelder Landstraße Mehringdamm Sachsenhausen Mahlsdorf", ["strass", "strass", "damm"]),
        ("Pflegeheim", ["pfleg", "heim"]),  # -heim ends nouns as well as names: its parts stay
        # No false splits: too short, a prefix, a stop word, a suffix or a gender ending is never a part.
        ("Verein Beamte Anzeige Festnahme Mitarbeiter Einbrecher Staatsanwaltschaft", []),
        ("Lehrerinnen Bürgerinnen", []),
        # Known limits: a rare word inside a common compound is missed, and some splits are wrong in meaning.
        ("Tatverdächtiger", []),
        ("Widerstand", ["wid", "stand"]),
        ("Brandstiftung", ["brand", "stiftung"]),
    ],
)
def test_compound_parts(text, expected):
    assert tokens(parts_analyzer(), text) == expected


def test_the_fast_word_reader_equals_the_exact_analyzer():
    # Highlighting reads words with word_spans/normal_word instead of the analyzer's chain of generators; both must
    # find the same words at the same places, joined forms included.
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    texts.append("U-Bahn U 7, Bürger*innen und Bürger:innen, 24jährige E-Mail-Adresse; ÄRGER in Groß-Gerau.")
    analyzer = exact_analyzer()
    for text in texts:
        expected = [(token.text, token.startchar, token.endchar) for token in analyzer(text, chars=True, mode="index")]
        assert [(normal_word(span.group()), span.start(), span.end()) for span in word_spans(text)] == expected
    assert [normal_word(span.group()) for span in word_spans(texts[-1])][:4] == ["ubahn", "u7", "bürgerinnen", "und"]
