"""What a query word also finds: the thesaurus as data, and the weighted alternatives of one word."""

import pytest
from whoosh import query as wq

from search.query.expansion import forms, read_word_groups, synonyms, word_query
from search.weights import Weights

WEIGHTS = Weights()


def test_the_shipped_thesaurus_reads_and_relates_each_group_both_ways():
    assert "pkw" in synonyms("auto")
    assert "auto" in synonyms("pkw")
    assert {"festgenomm", "verhaft"} <= set(synonyms("festnahm"))
    assert "auto" not in synonyms("auto")


def test_thesaurus_lines_become_stem_groups():
    text = "# Kommentar\n\nAuto, Pkw\nPkw, Kraftwagen\n"
    assert read_word_groups(text) == {"auto": ("pkw",), "pkw": ("auto", "kraftwag"), "kraftwag": ("pkw",)}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Auto, rotes Auto", "synonyme.txt, Zeile 1: „rotes Auto“ ist nicht genau ein suchbares Wort."),
        ("Auto, und", "synonyme.txt, Zeile 1: „und“ ist nicht genau ein suchbares Wort."),
    ],
)
def test_a_bad_thesaurus_line_is_refused_with_its_number(line, message):
    with pytest.raises(ValueError) as error:
        read_word_groups(line)
    assert str(error.value) == message


def test_a_word_finds_its_exact_form_stem_parts_split_and_synonyms_with_lower_weights():
    q = word_query("messerangriff", "Messerangriff", WEIGHTS)
    assert isinstance(q, wq.Or)
    fields = [(sub.fieldname, sub.text, sub.boost) for sub in q.subqueries if isinstance(sub, wq.Term)]
    assert fields == [("title", "messerangriff", 3.0), ("body", "messerangriff", 1.0),
                      ("parts", "messerangriff", 0.5), ("exact", "messerangriff", 0.5),
                      ("body", "messerattack", WEIGHTS.synonym), ("body", "messerstecherei", WEIGHTS.synonym)]
    [split] = [sub for sub in q.subqueries if isinstance(sub, wq.And)]
    assert split.boost == WEIGHTS.split
    assert [side.subqueries[0].text for side in split.subqueries] == ["mess", "angriff"]
    # Other forms of a part count almost as much as the part, in title and body (Angriff → angegriffen).
    angriff = split.subqueries[1]
    assert ("title", "angegriff", WEIGHTS.form * 3.0) in [(t.fieldname, t.text, t.boost) for t in angriff.subqueries]
    # And their synonyms, in the body, with the synonym weight.
    assert ("body", "attack", WEIGHTS.synonym) in [(t.fieldname, t.text, t.boost) for t in angriff.subqueries]


def test_the_shipped_word_forms_join_what_the_stemmer_cannot():
    assert forms("gefund") == ("find", "fand", "findend", "findt", "fund")  # finden, fand (both lists), Fund (hand)
    assert forms("praxis") == ("prax",)  # Praxis → Praxen
    assert forms("unfall") == ()


class PlaceReader:
    """A reader that knows only which places releases come from, and no common word."""

    def __init__(self, places: dict[str, int]) -> None:
        self.places = places

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.places.get(text, 0) if fieldname == "place" else 0


def splits(q: wq.Query) -> list[list[str]]:
    """The words of the split alternatives of a word_query (the And of its sides), each side by its first term."""
    return [[side.subqueries[0].text for side in sub.subqueries] for sub in q.subqueries if isinstance(sub, wq.And)]


@pytest.mark.parametrize(
    ("stem", "typed", "expected"),
    [
        ("straßenbahnunfall", "Straßenbahnunfall", [["strassenbahn", "unfall"]]),  # a compound: split
        # A street or place name by its last word is searched whole: Raumerstraße is not Raum + Straße.
        ("raumerstrass", "Raumerstraße", []),
        ("landstrass", "Landstraße", []),
        ("alexanderplatz", "Alexanderplatz", []),
        ("bockenheim", "Bockenheim", []),
        ("pflegeheim", "Pflegeheim", []),  # a noun whose last word also ends names: whole as well
        ("dornbusch", "Dornbusch", [["dorn", "busch"]]),  # nothing tells this place without the index
    ],
)
def test_a_street_or_place_name_is_not_split(stem, typed, expected):
    assert splits(word_query(stem, typed, WEIGHTS)) == expected


def test_a_place_some_release_comes_from_is_not_split():
    def dornbusch(places):
        return splits(word_query("dornbusch", "Dornbusch", WEIGHTS, PlaceReader(places)))

    assert dornbusch({"dornbusch": 10}) == []
    # A "place" of a few releases is mostly a headline word read as one (Wohnungsbrand: …), not a name.
    assert dornbusch({"dornbusch": 9}) == [["dorn", "busch"]]
    assert dornbusch({"bockenheim": 300}) == [["dorn", "busch"]]
