"""Why a hit matched: for each typed word, how the release holds it (as typed, in another form, inside a compound, as
a synonym, as corrected) or that it lacks it, and which of the query's terms counted in it, so that only those are
marked.

A query word expands into many alternatives (expansion.py); a release matches through some of them. Marking every
alternative in every hit marked *Kofferraum* for a typed *Raumerstraße*; here each hit's terms are the ones that
made it a match, found by walking the query tree over the page's releases only (term membership from the postings
arrays, a binary search per term and page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from whoosh import query as wq

from ..results import WordMatch
from .doc_score import DocScore
from .expansion import SEARCH_FIELDS, expanded_side_stem, expanded_word_stem, synonyms, words_as_typed
from .highlight import first_marked_word
from .parser import BoundedPrefix, ParsedQuery, digits_as_phrases
from .scorer import ArrayScorer

# How a release holds a word, best first (a whole word before a part of one): a word counts by the best way any
# alternative matched.
HOW = ("typed", "form", "synonym", "part")
WHOLE = ("typed", "form")
_PHRASE = re.compile(r'"([^"]+)"')


@dataclass(frozen=True)
class Explanation:
    """What the query found in one release."""

    words: tuple[WordMatch, ...]
    terms: frozenset[str]  # the analysed words to mark in it


@dataclass(frozen=True)
class _Word:
    """One word of the query as typed (or a phrase, a word beginning, a code) and the query part that finds it."""

    written: str
    query: wq.Query
    stem: str | None  # a plain word's stem, from which its alternatives are told apart


def explain(scorer: ArrayScorer, parsed: ParsedQuery, docs: Sequence[int],
            texts: Sequence[tuple[str, str]] | None = None) -> list[Explanation]:
    """For each release number of `docs` (whose title and text are `texts`): how it holds each word of `parsed`,
    and the terms that counted in it. Without `texts`, the words of the releases that hold a query word in another
    way are not looked up (`WordMatch.found` stays empty): for marking alone."""
    if not docs:
        return []
    walk = _Walk(scorer, np.asarray(docs, dtype=np.int64))
    words = _typed_words(parsed)
    fixes = {fix.lower(): typo for typo, fix in parsed.corrected}
    terms: list[set[str]] = [set() for _ in docs]
    found: list[list[WordMatch]] = [[] for _ in docs]
    for word in words:
        matched, counted = walk.evaluate(word.query)
        kinds = _kinds(word, counted, len(docs))
        for number, how in enumerate(kinds):
            held = [(text, kind) for mask, text, kind in counted if mask[number]]
            # Marked: the word itself in any form, and a part or synonym only where it stands in for the word (a
            # release holding "Straßenbahnunfall" gets no mark on each "Straße" it also mentions).
            terms[number].update(text for text, kind in held if kind in WHOLE or kind == how)
            shown_by = frozenset(text for text, kind in held if kind == how)
            text = texts[number] if texts is not None else None
            found[number].append(_word_match(word, matched[number], how, shown_by, text, fixes))
    return [Explanation(tuple(words_found), frozenset(marked)) for words_found, marked in zip(found, terms,
                                                                                          strict=True)]


def _word_match(word: _Word, matched: bool, how: str | None, terms: frozenset[str], texts: tuple[str, str] | None,
                fixes: dict[str, str]) -> WordMatch:
    typo = fixes.get(word.written.lower())
    if not matched:
        return WordMatch(typo or word.written, "missing")
    if typo is not None:
        return WordMatch(typo, "corrected", word.written)
    if how is None or how == "typed":
        return WordMatch(word.written, "typed")
    if texts is None:
        return WordMatch(word.written, how)
    # A word found by its parts is shown by a part of its own where the release has one (Tanklaster: "Tankzug",
    # rather than "Lkw", a part's synonym).
    own = frozenset(term for term in terms if word.stem and term in word.stem) if how == "part" else frozenset()
    for shown_by in (own, terms):
        for text in texts:
            found = first_marked_word(text, shown_by) if shown_by else None
            if found:
                return WordMatch(word.written, how, found)
    return WordMatch(word.written, how)


def _kinds(word: _Word, counted: list[tuple[np.ndarray, str, str]], size: int) -> list[str | None]:
    """The best way each release holds a plain word (None for other query parts: they count as typed)."""
    if word.stem is None:
        return [None] * size
    best = np.full(size, len(HOW))
    for mask, _, how in counted:
        rank = HOW.index(how)
        best[mask] = np.minimum(best[mask], rank)
    return [HOW[rank] if rank < len(HOW) else None for rank in best.tolist()]


def _typed_words(parsed: ParsedQuery) -> list[_Word]:
    """The query's words as a person typed them: the parts of its top And or Or (without excluded words)."""
    q = parsed.query.a if isinstance(parsed.query, wq.AndNot) else parsed.query
    parts = q.subqueries if isinstance(q, (wq.And, wq.Or)) and expanded_word_stem(q) is None else [q]
    as_typed = words_as_typed(parsed.typed)
    # The phrases as typed (quoted ones, and words written with digits, searched as phrases), by their words.
    phrases = {tuple(words_as_typed(phrase)): phrase for phrase in _PHRASE.findall(digits_as_phrases(parsed.typed))}
    words = []
    for part in parts:
        if isinstance(part, wq.Not):
            continue
        stem = expanded_word_stem(part)
        if stem is not None:
            words.append(_Word(as_typed.get(stem, stem), part, stem))
        elif _is_phrase(part):
            phrase = cast(wq.Phrase, part if isinstance(part, wq.Phrase) else cast(wq.Or, part).subqueries[0])
            words.append(_Word(phrases.get(tuple(phrase.words), " ".join(phrase.words)), part, None))
        elif isinstance(part, BoundedPrefix):
            words.append(_Word(f"{part.text}*", part, None))
        elif isinstance(part, (DocScore, wq.Every)):
            continue  # a release code names its releases; a search without words has none to explain
        else:
            written = " ".join(dict.fromkeys(as_typed.get(t, t) for _, t in _texts(part)))
            words.append(_Word(written or str(part), part, None))
    return words


def _is_phrase(q: wq.Query) -> bool:
    """Whether `q` is a phrase, or one phrase over several fields (as the parser writes a quoted phrase)."""
    return isinstance(q, wq.Phrase) or (isinstance(q, wq.Or) and all(isinstance(sub, wq.Phrase)
                                                                      for sub in q.subqueries))


def _texts(q: wq.Query) -> list[tuple[str, str]]:
    return [(field, text.decode("utf-8") if isinstance(text, bytes) else text)
            for field, text in q.iter_all_terms() if field in SEARCH_FIELDS]


class _Walk:
    """A query tree evaluated over a few releases: which of them match each part, and the terms that count."""

    def __init__(self, scorer: ArrayScorer, docs: np.ndarray) -> None:
        self.scorer = scorer
        self.docs = docs
        self._held: dict[tuple[str, str], np.ndarray] = {}

    def evaluate(self, q: wq.Query) -> tuple[np.ndarray, list[tuple[np.ndarray, str, str]]]:
        """(which releases match `q`, [(where a term counts, the term as analysed, how it matched)])."""
        return self._node(q, "typed", expanded_word_stem(q))

    def _node(self, q: wq.Query, how: str, stem: str | None) -> tuple[np.ndarray, list[tuple[np.ndarray, str, str]]]:
        """`evaluate` for a part of the query; `stem` is the plain word's whose alternatives `q` is among (None for
        another query), `how` the kind of match its terms count as so far."""
        everywhere = np.ones(len(self.docs), dtype=bool)
        if isinstance(q, wq.Term):
            held = self.holds(q.fieldname, q.text)
            text = q.text.decode("utf-8") if isinstance(q.text, bytes) else q.text
            kind = _how(q.fieldname, text, how, stem)
            marked = words_as_typed(text) if q.fieldname == "exact" else {text: text}
            return held, [(held, marked_stem, kind) for marked_stem in marked]
        if isinstance(q, wq.Or):
            matched = np.zeros(len(self.docs), dtype=bool)
            counted: list[tuple[np.ndarray, str, str]] = []
            for sub in q.subqueries:
                sub_matched, sub_counted = self._node(sub, how, stem)
                matched |= sub_matched
                counted.extend(sub_counted)
            return matched, counted
        if isinstance(q, wq.And):
            # The sides of a split compound (an And inside a word's alternatives) count as parts of the word, or,
            # when they are not inside it, as its synonym's (Messerstecherei: Messer + Angriff).
            inner = how
            if stem is not None and how == "typed":
                inner = "part" if all(side in stem for side in map(expanded_side_stem, q.subqueries)) \
                    else "synonym"
            matched, counted = everywhere, []
            for sub in q.subqueries:
                sub_matched, sub_counted = self._node(sub, inner, stem)
                matched = matched & sub_matched
                counted.extend(sub_counted)
            return matched, [(mask & matched, text, kind) for mask, text, kind in counted]
        if isinstance(q, wq.AndNot):
            matched, counted = self._node(q.a, how, stem)
            return matched & ~self._node(q.b, how, stem)[0], counted
        if isinstance(q, wq.Not):
            return ~self._node(q.query, how, stem)[0], []
        if isinstance(q, wq.Phrase):
            matched = everywhere
            for word in q.words:
                matched = matched & self.holds(q.fieldname, word)
            return matched, [(matched, word, how) for word in q.words]
        if isinstance(q, BoundedPrefix):
            reader = self.scorer.searcher.reader()
            matched, counted = np.zeros(len(self.docs), dtype=bool), []
            for fieldname, term in q.expanded_terms(reader):
                held = self.holds(fieldname, term)
                matched |= held
                counted.extend((held, marked_stem, how) for marked_stem in words_as_typed(_decoded(term)))
            return matched, counted
        if isinstance(q, DocScore):
            return np.isin(self.docs, np.asarray(q.docnums, dtype=np.int64)), []
        return everywhere, []

    def holds(self, fieldname: str, text: str | bytes) -> np.ndarray:
        """Which of the releases hold the term."""
        key = (fieldname, _decoded(text))
        if key not in self._held:
            schema = self.scorer.searcher.schema
            held = np.zeros(len(self.docs), dtype=bool)
            if fieldname in schema:
                try:
                    term = text if isinstance(text, bytes) else schema[fieldname].to_bytes(text)
                except ValueError:
                    term = b""
                if term:
                    docs = self.scorer.postings(fieldname, term)[0]
                    if len(docs):
                        where = np.searchsorted(docs, self.docs)
                        held = docs[np.minimum(where, len(docs) - 1)] == self.docs
            self._held[key] = held
        return self._held[key]


def _decoded(text: str | bytes) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else text


def _how(fieldname: str, text: str, how: str, stem: str | None) -> str:
    """How a term of a plain word's alternatives matches (`how` inside a split compound's sides)."""
    if stem is None or how != "typed":
        return how
    if fieldname == "exact":
        return "typed"
    if fieldname == "parts":
        return "part"
    if text == stem:
        return "form"  # the stem in another inflection; "typed" when the exact word matched too
    if fieldname == "body" and text in synonyms(stem):
        return "synonym"
    return "form"
