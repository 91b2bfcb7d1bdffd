"""The set of documents a query matches, computed from posting lists with set operations.

Counting through Whoosh's matcher tree walks every candidate document through every node in Python: with synonyms
and compound parts a query of a few words is a tree of dozens of terms. On the 37,651 releases (median of 3):
`Auto überschlagen Mörfelder Landstraße` took 67.7 ms that way and 1.4 ms here, `Polizei Frankfurt` (10,750
matches) 151.2 ms and 33.7 ms. Here each required part narrows the candidates left by the rarer parts before
it: a term then checks only those candidates (skipping posting blocks that hold none of them) instead of reading
its whole list.
Queries other than terms, And, Or and Not (phrases, ranges, prefixes) are left to Whoosh.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import ListMatcher, Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound

from . import Searcher

# Below this many candidates a term is probed candidate by candidate; above it, its whole posting list is read.
PROBE_LIMIT = 2000


class OutOfTime(Exception):
    """The deadline passed before all matches were found."""


def matching_docs(searcher: Searcher, q: wq.Query, within: set[int] | None = None,
                  deadline: float | None = None) -> set[int]:
    """The document numbers `q` matches in `searcher`'s index (deleted documents excluded), among `within` if given.

    Raises OutOfTime when `deadline` (perf_counter) passes first.
    """
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime
    reader = searcher.reader()
    if isinstance(q, wq.Term):
        if within is not None and len(within) <= PROBE_LIMIT:
            return _probe(reader, q.fieldname, q.text, within)
        found = term_docs(reader, q.fieldname, q.text)
        return found if within is None else found & within
    if isinstance(q, wq.Or):
        found = set[int]()
        for sub in _without_bonus_terms(q.subqueries):
            rest = None if within is None else within - found
            if rest is not None and not rest:
                break
            found |= matching_docs(searcher, sub, rest, deadline)
        return found
    if isinstance(q, wq.And):
        wanted = [sub for sub in q.subqueries if not isinstance(sub, wq.Not)]
        unwanted = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
        if not wanted:
            return _docs_by_whoosh(searcher, q, within)
        # Rarest first: the candidates shrink early, and each later part only checks them.
        wanted.sort(key=lambda sub: sub.estimate_size(reader))
        found = matching_docs(searcher, wanted[0], within, deadline)
        for sub in wanted[1:]:
            if not found:
                break
            found = matching_docs(searcher, sub, found, deadline)
        for sub in unwanted:
            if not found:
                break
            found -= matching_docs(searcher, sub, found, deadline)
        return found
    if isinstance(q, wq.MultiTerm):  # a word beginning (query.BoundedPrefix): its words, one by one
        words = [wq.Term(q.fieldname, word) for word in q._btexts(reader)]
        return matching_docs(searcher, wq.Or(words), within, deadline) if words else set()
    if isinstance(q, wq.AndNot):
        found = matching_docs(searcher, q.a, within, deadline)
        return found - matching_docs(searcher, q.b, found, deadline) if found else found
    return _docs_by_whoosh(searcher, q, within)


def _docs_by_whoosh(searcher: Searcher, q: wq.Query, within: set[int] | None) -> set[int]:
    """The documents `q` matches by Whoosh's own matcher: for the queries not taken apart here."""
    found = set(searcher.docs_for_query(q))
    return found if within is None else found & within


def _without_bonus_terms(alternatives: Sequence[wq.Query]) -> Sequence[wq.Query]:
    """The alternatives that can add documents: a word as written (`exact`) only adds to the score of the releases
    its stem in `body` or `title` already matches (the same words, analysed alike), so it is skipped beside them."""
    if not any(isinstance(sub, wq.Term) and sub.fieldname in ("body", "title") for sub in alternatives):
        return alternatives
    return [sub for sub in alternatives if not (isinstance(sub, wq.Term) and sub.fieldname == "exact")]


def term_docs(reader: IndexReader, fieldname: str, text: str | bytes) -> set[int]:
    """The documents containing one term, read a block of postings at a time."""
    found: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        matcher, deleted = _postings(leaf, fieldname, text)
        if matcher is None:
            continue
        ids = _block_ids(matcher) if isinstance(matcher, W3LeafMatcher) else list(matcher.all_ids())
        found.update(docnum + offset for docnum in ids if docnum not in deleted)
    return found


def _probe(reader: IndexReader, fieldname: str, text: str | bytes, candidates: set[int]) -> set[int]:
    """The `candidates` (live documents) that contain one term, found by skipping to each in turn."""
    found: set[int] = set()
    ordered = sorted(candidates)
    for leaf, offset in reader.leaf_readers():
        local = [docnum - offset for docnum in ordered if offset <= docnum < offset + leaf.doc_count_all()]
        if not local:
            continue
        matcher, _ = _postings(leaf, fieldname, text)
        if matcher is None:
            continue
        for docnum in local:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found.add(docnum + offset)
    return found


def _postings(leaf: IndexReader, fieldname: str, text: str | bytes) -> tuple[Matcher | None, frozenset[int]]:
    """(the raw posting matcher, the segment's deleted documents), or (None, ()) when the term is not there."""
    try:
        matcher = leaf.postings(fieldname, text)
    except TermNotFound:
        return None, frozenset()
    if isinstance(matcher, FilterMatcher):  # the segment has deleted documents
        return matcher.child, matcher._ids
    return matcher, frozenset()


def _block_ids(matcher: W3LeafMatcher) -> list[int]:
    """All ids of a posting list, a block at a time: the generic all_ids() costs a Python call per posting.

    This reads the block attributes of whoosh3 3.54.0's codec (pinned exactly in pyproject.toml);
    tests/test_match_sets.py checks the result against Whoosh's own all_ids().
    """
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        matcher._next_block()
    return ids


class DocScore(wq.Query):
    """Matches the given documents (top-level numbers of `searcher`), each with the constant score `weight`: a bonus
    for documents already known, without expanding a range query into its terms."""

    def __init__(self, searcher: Searcher, docnums: set[int], weight: float) -> None:
        self.top = searcher
        self.docnums = sorted(docnums)
        self.boost = weight

    def __repr__(self) -> str:
        return f"DocScore({len(self.docnums)} documents, {self.boost:g})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocScore) and (other.docnums, other.boost) == (self.docnums, self.boost)

    def __hash__(self) -> int:
        return hash((tuple(self.docnums), self.boost))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: IndexReader) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Searcher, context: object = None) -> ListMatcher:
        offset = 0 if searcher is self.top else self.top._offset_for_subsearcher(searcher)
        end = offset + searcher.doc_count_all()
        local = [docnum - offset for docnum in self.docnums if offset <= docnum < end]
        # Weights per document, not all_weights: ListMatcher reads an all_weights of 0.0 as "none given", i.e. 1.0.
        return ListMatcher(local, weights=[self.boost] * len(local))
