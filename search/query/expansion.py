"""What one query word also finds, each with a lower weight than the word itself.

A word typed into the search box matches, best first:
- the same word as written (the `exact` field: "Berliner" over a mere "Berlin", both stemmed to `berlin`),
- the word in any inflection (stemmed `title` and `body`; a title match counts more),
- the word inside a compound (`parts`: "Kammer" finds "Handelskammer"),
- the parts of the word when it is a compound ("Straßenbahnunfall" finds "Unfall mit einer Straßenbahn"),
- its other forms the stemmer cannot join (german/morphology.py: "Sprengung" finds "gesprengt";
  german/data/wortformen.txt: "gefunden" finds "fand", "Praxis" "Praxen"; german/data/wortformen_lexikon.txt,
  made from simplemma's lexicon by tools/word_forms.py: "überschlug" finds "überschlagen"),
- its synonyms: the domain list's (german/data/synonyme.txt: "Auto" finds "Pkw"), then up to four more from
  OpenThesaurus whose sense the releases confirm (german/data/openthesaurus.txt, written by tools/thesaurus.py:
  "Obdachloser" finds "Wohnungsloser"), in the body only.
Phrases, field searches (titel:) and excluded words are searched as typed, without these extras.
How much each of them counts is in weights.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from whoosh import query as wq
from whoosh.reading import IndexReader

from ..german.analysis import exact_analyzer, german_analyzer, stem_german
from ..german.compounds import MIN_PART_CHARS, may_be_name, split_compound
from ..german.morphology import finite_forms, weak_forms, without_particle
from ..german.thesaurus import GENERATED_THESAURUS, merge_synonyms, read_stem_lists
from ..weights import Weights

SEARCH_FIELDS = ("title", "body")
# A word this long that splits into no known words is a compound of a part the dictionary lacks (Messerstecherei):
# its compound synonyms, at most MAX_SPLIT_SYNONYMS, are also searched by their parts.
MIN_UNSPLIT_COMPOUND_CHARS = 10
MAX_SPLIT_SYNONYMS = 2
THESAURUS = "synonyme.txt"
WORD_FORMS = "wortformen.txt"
LEXICON_FORMS = "wortformen_lexikon.txt"
_ANALYZER = german_analyzer()
_EXACT = exact_analyzer()
# A place of fewer releases is no name to keep whole: the places read from headlines include the odd other word
# (`Wohnungsbrand: …` made Wohnungsbrand the place of one release), while districts have dozens to thousands.
MIN_PLACE_RELEASES = 10


def word_query(stem: str, typed_word: str | None, weights: Weights, reader: IndexReader | None = None) -> wq.Query:
    """Everything one query word (stemmed `stem`, typed as `typed_word`) matches, as one alternative, each kind of match
    with its `weights`.

    With the index's `reader`, a compound that many releases contain as a whole (`weights.common_releases`) is not
    also searched by its own parts: its own matches are plenty. Nor is a street or place name (`_may_be_name`):
    Raumerstraße is not Raum + Straße, nor does it bring Raum's synonyms. Every word is still searched inside
    compounds ("Unfall" finds "Straßenbahnunfall").
    """
    common = reader is not None and reader.doc_frequency("body", stem) >= weights.common_releases
    alternatives: list[wq.Query] = [*_stem_terms(stem, weights)]
    word = typed_word.lower() if typed_word else ""
    if typed_word:
        exact = [token.text for token in _EXACT(typed_word)]
        if len(exact) == 1:
            alternatives.append(wq.Term("exact", exact[0], boost=weights.exact))
        sides = _searched_sides(word)
        if sides and not common and not _may_be_name(word, stem, reader):
            alternatives.append(wq.And([_side_query(side, weights) for side in sides], boost=weights.split))
        elif not split_compound(word) and len(word) >= MIN_UNSPLIT_COMPOUND_CHARS:
            alternatives.extend(_split_synonyms(stem, weights))
    # A name's own stem has no OpenThesaurus synonyms: tools/thesaurus.py leaves out words that `may_be_name`.
    alternatives.extend(_related_terms(stem, word, weights))
    return wq.Or(alternatives)


def _split_synonyms(stem: str, weights: Weights) -> Iterator[wq.Query]:
    """A long word the dictionary cannot split (Messerstecherei) also finds the parts of its compound synonyms written
    apart ("mit einem Messer angegriffen" for Messerangriff), at most MAX_SPLIT_SYNONYMS of them: its synonyms
    are searched whole, and a release rarely uses the whole compound."""
    split = [sides for sides in map(_searched_sides, synonyms(stem))
             if sides and all(stem_german(side) != stem for side in sides)]
    for sides in split[:MAX_SPLIT_SYNONYMS]:
        yield wq.And([wq.Or(list(_word_terms(side, weights))) for side in sides], boost=weights.synonym)


def _word_terms(word: str, weights: Weights) -> Iterator[wq.Term]:
    """A word (in dictionary form) and its other forms, in title, body and parts, without synonyms."""
    stem = stem_german(word)
    yield from _stem_terms(stem, weights)
    yield from _form_terms(stem, word, weights)


def expanded_side_stem(q: wq.Query) -> str:
    """The stem of one side of a split compound as this module writes it (an Or beginning with the side's title
    Term); "" for another query."""
    first = q.subqueries[0] if isinstance(q, wq.Or) and q.subqueries else None
    return first.text if isinstance(first, wq.Term) and first.fieldname == "title" else ""


def expanded_word_stem(q: wq.Query) -> str | None:
    """The stem of the word `q` finds, when `q` is one word with its extras as `word_query` writes it; else None."""
    first = [t for t in q.subqueries[:3] if isinstance(t, wq.Term)] if isinstance(q, wq.Or) else []
    fields = [t.fieldname for t in first]
    if fields == ["title", "body", "parts"] and len({t.text for t in first}) == 1:
        return first[0].text
    return None


def _may_be_name(word: str, stem: str, reader: IndexReader | None) -> bool:
    """Whether the typed compound `word` (stemmed `stem`) may be a street or place name: by its last word
    (Raumerstraße, Alexanderplatz, Bockenheim), or because releases come from a place of that name (Dornbusch,
    Gallusviertel)."""
    if may_be_name(word):
        return True
    return reader is not None and reader.doc_frequency("place", stem) >= MIN_PLACE_RELEASES


def _related_terms(stem: str, word: str, weights: Weights) -> Iterator[wq.Term]:
    """Other forms of the word (`word` as typed, lowercased, or a part of it), then its synonyms, each with its
    lower weight."""
    yield from _form_terms(stem, word, weights)
    # Synonyms in the body only: a title's words are nearly always in the body too, and every extra term of a
    # common word is another long posting list to read (title and parts for each synonym too: development queries'
    # median 18.5 → 20.2 ms, total +19 %).
    for synonym in synonyms(stem):
        yield wq.Term("body", synonym, boost=weights.synonym)


def _form_terms(stem: str, word: str, weights: Weights) -> Iterator[wq.Term]:
    """The word's other forms (few, and nearly as good as the word itself: wherever the word is searched), then, for
    a separable verb, the forms of the verb without its particle (a weaker sign: "kippte … um" for umgekippt)."""
    other_forms = dict.fromkeys([*forms(stem), *(stem_german(form) for form in weak_forms(word))])
    other_forms.pop(stem, None)
    for form in other_forms:
        for term in _stem_terms(form, weights):
            yield wq.Term(term.fieldname, term.text, boost=term.boost * weights.form)
    for form in _separated_forms(word):
        if form != stem and form not in other_forms:
            yield wq.Term("body", form, boost=weights.separated)


def _separated_forms(word: str) -> list[str]:
    """The stems of the forms of `word`'s verb without its separable particle ([] for another word)."""
    rest = without_particle(word)
    if rest is None:
        return []
    rest_stem = stem_german(rest)
    found = dict.fromkeys([rest_stem, *forms(rest_stem),
                           *(stem_german(form) for form in (*weak_forms(rest), *finite_forms(rest)))])
    if rest.startswith("ge"):  # a participle never stands without its particle (and gefahren is Gefahr's stem)
        found.pop(rest_stem, None)
    return list(found)


def _stem_terms(stem: str, weights: Weights) -> Iterator[wq.Term]:
    yield wq.Term("title", stem, boost=weights.title)
    yield wq.Term("body", stem)
    yield wq.Term("parts", stem, boost=weights.part)


def _side_query(side: str, weights: Weights) -> wq.Query:
    """One part of a split query word that is no name (in dictionary form): the part, its own parts when it is a
    compound too, or its other forms and synonyms."""
    stem = stem_german(side)
    alternatives: list[wq.Query] = [*_stem_terms(stem, weights)]
    sides = _searched_sides(side)
    if sides:
        alternatives.append(wq.And([_side_query(part, weights) for part in sides], boost=weights.split))
    return wq.Or([*alternatives, *_related_terms(stem, side, weights)])


def _searched_sides(word: str) -> tuple[str, ...]:
    """The two sides of the compound `word` when each is long enough to be searched on its own; () otherwise."""
    sides = split_compound(word)
    return sides if len(sides) == 2 and all(len(side) >= MIN_PART_CHARS for side in sides) else ()


def synonyms(stem: str) -> tuple[str, ...]:
    """The stems the domain list lists beside `stem`, then OpenThesaurus's, without `stem` itself."""
    return _synonyms().get(stem, ())


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    generated = read_stem_lists(_data_text(GENERATED_THESAURUS), GENERATED_THESAURUS)
    return merge_synonyms(_word_groups(THESAURUS), generated)


def forms(stem: str) -> tuple[str, ...]:
    """The stems of the other forms of the word stemmed `stem` (fand, gefunden for find), without `stem`: from the
    lexicon's groups and the hand list."""
    return tuple(other for other in _form_groups().get(stem, ()) if other != stem)


def load_word_groups() -> None:
    """Load the thesauri and the word forms now rather than in the first search."""
    _synonyms()
    _form_groups()


@lru_cache(maxsize=2)
def _word_groups(name: str) -> dict[str, tuple[str, ...]]:
    return read_word_groups(_data_text(name), name)


@lru_cache(maxsize=1)
def _form_groups() -> dict[str, tuple[str, ...]]:
    """Stem → every stem of its groups, itself included: the lexicon's groups with the hand list's added."""
    groups = read_stem_groups(_data_text(LEXICON_FORMS))
    for stem, others in _word_groups(WORD_FORMS).items():
        groups[stem] = tuple(dict.fromkeys((*groups.get(stem, (stem,)), *others)))
    return groups


def _data_text(name: str) -> str:
    return resources.files("search.german").joinpath("data", name).read_text(encoding="utf-8")


def read_stem_groups(text: str) -> dict[str, tuple[str, ...]]:
    """Stem → every stem of its groups, itself included, from lines of stems separated by spaces
    (wortformen_lexikon.txt, already analysed by tools/word_forms.py, so read as written).

    Loaded in every server before it forks: the members of a group share one tuple, and only a stem in two groups
    gets a tuple of its own (7,640 groups, 18,924 stems: about 20 ms and 3 MiB of resident memory).
    """
    groups: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        group = tuple(line.split())
        for stem in group:
            known = groups.get(stem)
            groups[stem] = group if known is None else tuple(dict.fromkeys((*known, *group)))
    return groups


def read_word_groups(text: str, name: str = THESAURUS) -> dict[str, tuple[str, ...]]:
    """Stem → the stems of the other words of its groups, from lines of comma-separated words (the file `name`);
    raises ValueError on a bad line."""
    related: dict[str, dict[str, None]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        stems: list[str] = []
        for word in (word.strip() for word in line.split(",")):
            tokens = [token.text for token in _ANALYZER(word)]
            if len(tokens) != 1:
                raise ValueError(f"{name}, Zeile {number}: „{word}“ ist nicht genau ein suchbares Wort.")
            stems.append(tokens[0])
        for stem in stems:
            related.setdefault(stem, {}).update(dict.fromkeys(other for other in stems if other != stem))
    return {stem: tuple(others) for stem, others in related.items()}


def words_as_typed(typed: str) -> dict[str, str]:
    """Each analysed word of the query `typed` → the word as it was typed (the first one, when several share a
    stem)."""
    as_typed: dict[str, str] = {}
    for token in _ANALYZER(typed, chars=True):
        as_typed.setdefault(token.text, typed[token.startchar:token.endchar])
    return as_typed


def expand_words(q: wq.Query, as_typed: dict[str, str], weights: Weights,
                 reader: IndexReader | None = None) -> wq.Query:
    """`q` with each plain word (searched in title and body) replaced by its `word_query`; `as_typed` maps a stem
    to the word as typed."""
    if isinstance(q, (wq.Not, wq.Phrase)) or q.is_leaf():
        return q
    stem = _plain_word_stem(q)
    if stem is not None:
        return word_query(stem, as_typed.get(stem), weights, reader)
    stems = _or_of_plain_words(q)
    if stems:  # `Auto ODER Kiosk`: Whoosh's normalising merged the words' fields into one Or
        return wq.Or([word_query(stem, as_typed.get(stem), weights, reader) for stem in stems])
    if isinstance(q, wq.AndNot):
        return wq.AndNot(expand_words(q.a, as_typed, weights, reader), q.b)
    return q.apply(lambda child: expand_words(child, as_typed, weights, reader))


def _or_of_plain_words(q: wq.Query) -> list[str]:
    """The stems of an Or of several plain words merged into one Or of their Terms over title and body (each word
    with both fields), in order; [] for any other query."""
    if not isinstance(q, wq.Or):
        return []
    terms = [t for t in q.subqueries if isinstance(t, wq.Term) and t.fieldname in SEARCH_FIELDS]
    if not terms or len(terms) != len(q.subqueries):
        return []
    fields: dict[str, set[str]] = {}
    for term in terms:
        fields.setdefault(term.text, set()).add(term.fieldname)
    complete = len(fields) > 1 and all(found == set(SEARCH_FIELDS) for found in fields.values())
    return list(fields) if complete else []


def _plain_word_stem(q: wq.Query) -> str | None:
    """The stem when `q` is one word over title and body, as the query parser writes it: Or(title:w^3, body:w);
    None for any other query."""
    if not isinstance(q, wq.Or) or len(q.subqueries) != len(SEARCH_FIELDS):
        return None
    terms = [t for t in q.subqueries if isinstance(t, wq.Term)]
    if len(terms) != len(q.subqueries) or {t.fieldname for t in terms} != set(SEARCH_FIELDS):
        return None
    stems = {t.text for t in terms}
    return stems.pop() if len(stems) == 1 else None
