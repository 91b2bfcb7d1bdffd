"""The set of documents a query matches, computed from whole posting lists with set operations.

Counting through Whoosh's matcher tree walks every candidate document through every node in Python: with synonyms
and compound parts a query of four words is a tree of some 60 terms, and the count took 200 ms on the 37,651
releases. Reading each term's posting list at once and joining the lists as sets gives the same documents in a
fraction of that. Queries other than terms, And, Or and Not (phrases, ranges, prefixes) are left to Whoosh.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def matching_docs(searcher, q: wq.Query) -> set[int]:
    """The document numbers `q` matches in `searcher`'s index (deleted documents excluded)."""
    reader = searcher.reader()
    if isinstance(q, wq.Term):
        return term_docs(reader, q.fieldname, q.text)
    if isinstance(q, wq.Or):
        found: set[int] = set()
        for sub in _without_bonus_terms(q.subqueries):
            found |= matching_docs(searcher, sub)
        return found
    if isinstance(q, wq.And):
        wanted = [sub for sub in q.subqueries if not isinstance(sub, wq.Not)]
        unwanted = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
        if not wanted:
            return set(searcher.docs_for_query(q))
        # Rarest first: the intersection shrinks early.
        wanted.sort(key=lambda sub: sub.estimate_size(reader))
        found = matching_docs(searcher, wanted[0])
        for sub in wanted[1:]:
            if not found:
                break
            found &= matching_docs(searcher, sub)
        for sub in unwanted:
            found -= matching_docs(searcher, sub)
        return found
    if isinstance(q, wq.AndNot):
        return matching_docs(searcher, q.a) - matching_docs(searcher, q.b)
    return set(searcher.docs_for_query(q))


def _without_bonus_terms(alternatives: list[wq.Query]) -> list[wq.Query]:
    """The alternatives that can add documents: a word as written (`exact`) only adds to the score of the releases
    its stem in `body` or `title` already matches (the same words, analysed alike), so it is skipped beside them."""
    if not any(isinstance(sub, wq.Term) and sub.fieldname in ("body", "title") for sub in alternatives):
        return alternatives
    return [sub for sub in alternatives if not (isinstance(sub, wq.Term) and sub.fieldname == "exact")]


def term_docs(reader, fieldname: str, text) -> set[int]:
    """The documents containing one term, read a block of postings at a time."""
    found: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = frozenset()
        if isinstance(matcher, FilterMatcher):  # the segment has deleted documents
            matcher, deleted = matcher.child, matcher._ids
        ids = _block_ids(matcher) if isinstance(matcher, W3LeafMatcher) else list(matcher.all_ids())
        found.update(docnum + offset for docnum in ids if docnum not in deleted)
    return found


def _block_ids(matcher: W3LeafMatcher) -> list[int]:
    """All ids of a posting list, a block at a time: the generic all_ids() costs a Python call per posting.

    This reads the block attributes of whoosh3 3.54.0's codec (pinned exactly in pyproject.toml);
    tests/test_docsets.py checks the result against Whoosh's own all_ids().
    """
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        matcher._next_block()
    return ids
