"""Scoring a query term at a time over arrays: every match and its BM25F score, as Whoosh's scorer gives them.

Whoosh walks a tree of matchers document by document in Python; with a word's forms, parts and synonyms a query of
three words is a tree of some sixty terms. Here each term adds its scores to one array over all releases with numpy,
and the tree's And, Or and Not become logical operations on match masks. Scores follow Whoosh's BM25F exactly
(same idf, average field length and length bytes, a boost multiplying its subtree), so both rank alike.

Phrases chain the words' positions from the arrays too. Other queries (word beginnings, ranges) are scored by
Whoosh, on the releases the rest of an And already narrowed them to.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from math import log
from typing import cast

import numpy as np
from whoosh import query as wq
from whoosh.reading import IndexReader, SegmentReader
from whoosh.searching import Searcher

from ..store.columns import Columns, forget_columns, join_columns, load_segment_columns
from ..store.postings import (
    SegmentPostings,
    forget_segments,
    load_segment_postings,
    segment_key,
    segment_readers,
)
from .doc_score import DocScore

# Whoosh's BM25F defaults, which presse uses.
B = 0.75
K1 = 1.2


_NONE = (np.empty(0, dtype=np.int64), np.empty(0))


@dataclass
class Scored:
    """Which releases match (a mask over all release numbers) and their scores (meaningful where they match)."""

    matched: np.ndarray
    scores: np.ndarray
    # With `ArrayScorer.score_by_coverage`: how many of the query's words each release holds (ranked before scores).
    coverage: np.ndarray | None = None


class ArrayScorer:
    """The arrays of the segments behind one open searcher, with the statistics BM25F needs."""

    def __init__(self, searcher: Searcher, segments: list[tuple[SegmentPostings, int]]) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.segments = segments
        self.live = np.ones(self.size, dtype=bool)
        for leaf, offset in segment_readers(searcher.reader()):
            if leaf.has_deletions():
                gone = np.fromiter(_deleted(leaf), dtype=np.int64)
                self.live[gone + offset] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._average: dict[str, float] = {}

    def lengths(self, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            parts = [_field_lengths(segment, fieldname) for segment, _ in self.segments]
            self._lengths[fieldname] = np.concatenate(parts) if len(parts) != 1 else parts[0]
        return self._lengths[fieldname]

    def average_length(self, fieldname: str) -> float:
        if fieldname not in self._average:
            self._average[fieldname] = self.searcher.avg_field_length(fieldname) or 1
        return self._average[fieldname]

    def postings(self, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Release numbers (deleted ones included, as Whoosh counts them) and frequencies of one term."""
        docs, freqs = [], []
        for segment, offset in self.segments:
            field = segment.fields.get(fieldname)
            found = field.postings(term) if field is not None else None
            if found is not None:
                docs.append(found[0].astype(np.int64) + offset)
                freqs.append(found[1])
        if not docs:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        if len(docs) == 1:
            return docs[0], freqs[0]
        return np.concatenate(docs), np.concatenate(freqs)

    def frequencies(self, fieldname: str, terms: list[str]) -> np.ndarray:
        """How often each of `terms` occurs in the index, as Whoosh's reader.frequency() counts (deleted releases
        included), looked up together."""
        encoded = [term.encode("utf-8") for term in terms]
        totals = np.zeros(len(terms))
        for segment, _ in self.segments:
            field = segment.fields.get(fieldname)
            if field is not None:
                totals += field.frequencies(encoded)
        return totals

    def score(self, q: wq.Query, within: np.ndarray | None = None) -> Scored:
        """Every live release `q` matches (among `within`, a mask, when given) with its score."""
        result = self._score(q, within)
        result.matched &= self.live
        return result

    def score_by_coverage(self, q: wq.Query, common: float = np.inf) -> Scored:
        """Every live release matching any word of `q` (an Or of the typed words, each with its extras; or such an
        Or without excluded words), with its score and how many of those words it holds: as "minimum should match"
        ranks, a release holding more of the words goes first, whatever their scores. A word found in more than
        `common` releases adds to the score only: it tells releases apart too little to count.
        Another query is scored as `score` does, with each match covering one word."""
        words, excluded = (q.a, q.b) if isinstance(q, wq.AndNot) else (q, None)
        if not isinstance(words, wq.Or):
            found = self.score(q)
            found.coverage = found.matched.astype(np.int32)
            return found
        matched = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        coverage = np.zeros(self.size, dtype=np.int32)
        for word in words.subqueries:
            found = self._score(word, None)
            matched |= found.matched
            if np.count_nonzero(found.matched) <= common:
                coverage += found.matched
            scores += np.where(found.matched, found.scores, 0.0)
        if words.boost != 1.0:
            scores *= words.boost
        if excluded is not None:
            matched &= ~self._score(excluded, matched).matched
        matched &= self.live
        return Scored(matched, scores, coverage)

    def _score(self, q: wq.Query, within: np.ndarray | None) -> Scored:
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, wq.And):
            return self._boosted(self._all(q.subqueries, within), q.boost)
        if isinstance(q, wq.Or):
            return self._boosted(self._any(q.subqueries, within), q.boost)
        if isinstance(q, wq.AndNot):
            found = self._score(q.a, within)
            found.matched &= ~self._score(q.b, found.matched).matched
            return found
        if isinstance(q, wq.AndMaybe):
            found = self._score(q.a, within)
            extra = self._score(q.b, found.matched)
            found.scores += np.where(extra.matched, extra.scores, 0.0)
            return found
        if isinstance(q, DocScore):
            matched = np.zeros(self.size, dtype=bool)
            matched[np.asarray(q.docnums, dtype=np.int64)] = True
            return Scored(matched, np.where(matched, q.boost, 0.0))
        if isinstance(q, wq.Every):
            return Scored(self.live.copy(), np.full(self.size, q.boost))
        if isinstance(q, wq.Phrase):
            return self._phrase(q, self.live if within is None else within)
        if isinstance(q, wq.NullQuery.__class__):
            return Scored(np.zeros(self.size, dtype=bool), np.zeros(self.size))
        return self._by_whoosh(q, within)

    def _term(self, q: wq.Term) -> Scored:
        matched = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        docs, contribution = self._term_scores(q)
        matched[docs] = True
        scores[docs] = contribution
        return Scored(matched, scores)

    def _term_scores(self, q: wq.Term) -> tuple[np.ndarray, np.ndarray]:
        """The releases holding one term and the term's boosted score in each."""
        fieldname = q.fieldname
        if fieldname not in self.searcher.schema:
            return _NONE
        try:
            term = self.searcher.schema[fieldname].to_bytes(q.text)
        except ValueError:
            return _NONE
        docs, freqs = self.postings(fieldname, term)
        if not len(docs):
            return _NONE
        scores = self.bm25(fieldname, docs, freqs)
        return docs, (scores * q.boost if q.boost != 1.0 else scores)

    def bm25(self, fieldname: str, docs: np.ndarray, freqs: np.ndarray) -> np.ndarray:
        """Whoosh's BM25F score of one term in each of `docs`, computed as scoring.bm25 does."""
        idf = log(self.size / (len(docs) + 1)) + 1
        tf = freqs.astype(np.float64)
        lengths = self.lengths(fieldname)[docs]
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / self.average_length(fieldname))))

    def _all(self, subqueries: Sequence[wq.Query], within: np.ndarray | None) -> Scored:
        wanted = [sub for sub in subqueries if not isinstance(sub, wq.Not)]
        unwanted = [sub.query for sub in subqueries if isinstance(sub, wq.Not)]
        # Whoosh's own queries last, on the releases the array-scored parts left.
        wanted.sort(key=lambda sub: not _native(sub))
        matched = within.copy() if within is not None else np.ones(self.size, dtype=bool)
        scores = np.zeros(self.size)
        for sub in wanted:
            found = self._score(sub, matched if not _native(sub) else None)
            matched &= found.matched
            scores += found.scores
        for sub in unwanted:
            matched &= ~self._score(sub, matched).matched
        return Scored(matched, scores)

    def _any(self, subqueries: Sequence[wq.Query], within: np.ndarray | None) -> Scored:
        matched = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        for sub in subqueries:
            if isinstance(sub, wq.Term):  # the common case, added in place: no arrays of its own
                docs, contribution = self._term_scores(sub)
                matched[docs] = True
                scores[docs] += contribution
                continue
            found = self._score(sub, within)
            matched |= found.matched
            scores += np.where(found.matched, found.scores, 0.0)
        return Scored(matched, scores)

    @staticmethod
    def _boosted(found: Scored, boost: float) -> Scored:
        if boost != 1.0:
            found.scores *= boost
        return found

    def _phrase(self, q: wq.Phrase, within: np.ndarray) -> Scored:
        """A phrase among the releases `within`, from the words' positions in the arrays: matched as Whoosh's
        SpanNear2 matches (each next word 1 to `slop` positions after the chain so far), scored as Whoosh scores a
        phrase (the sum of its words' scores)."""
        matched = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        field = self.searcher.schema[q.fieldname] if q.fieldname in self.searcher.schema else None
        if field is None or not field.format or not field.format.supports("positions"):
            return self._by_whoosh(q, within)
        try:
            words = [field.to_bytes(word) for word in q.words]
        except ValueError:
            return Scored(matched, scores)
        candidates = within & self.live
        word_scores = []
        for word in words:
            docs, contribution = self._term_scores(wq.Term(q.fieldname, word))
            holding = np.zeros(self.size, dtype=bool)
            holding[docs] = True
            candidates &= holding
            word_scores.append((docs, contribution))
        if not candidates.any():
            return Scored(matched, scores)
        occurrences = {word: self._occurrences(q.fieldname, word, candidates) for word in dict.fromkeys(words)}
        # A chain of the words so far, known by its release and its last word's position: the next word must
        # follow 1 to `slop` positions later (where the chain began never decides whether it goes on).
        span_docs, span_ends = occurrences[words[0]]
        for word in words[1:]:
            word_docs, word_positions = occurrences[word]
            keys = np.unique(word_docs << 32 | word_positions)
            found_docs, found_ends = [], []
            for gap in range(1, q.slop + 1):
                probes = span_docs << 32 | (span_ends + gap)
                hit = np.isin(probes, keys)
                found_docs.append(span_docs[hit])
                found_ends.append(span_ends[hit] + gap)
            chained = np.unique(np.concatenate(found_docs) << 32 | np.concatenate(found_ends))
            span_docs, span_ends = chained >> 32, chained & 0xFFFFFFFF
            if not len(span_docs):
                break
        matched[span_docs] = True
        for docs, contribution in word_scores:
            scores[docs] += contribution
        scores *= q.boost
        return Scored(matched, np.where(matched, scores, 0.0))

    def _occurrences(self, fieldname: str, word: bytes, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(release number, position) of each occurrence of `word` in the `candidates` (a mask), as int64."""
        docs, positions = [], []
        for segment, offset in self.segments:
            field = segment.fields.get(fieldname)
            found = field.term_positions(word) if field is not None else None
            if found is None:
                continue
            segment_docs = found[0].astype(np.int64) + offset
            keep = candidates[segment_docs]
            docs.append(segment_docs[keep])
            positions.append(found[1][keep].astype(np.int64))
        if not docs:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(docs), np.concatenate(positions)

    def _by_whoosh(self, q: wq.Query, within: np.ndarray | None) -> Scored:
        """Matches and scores of a query the arrays cannot answer (a word beginning, a range), from Whoosh."""
        matched = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        if within is not None:
            candidates = np.flatnonzero(within & self.live)
            if not len(candidates):
                return Scored(matched, scores)
            q = wq.And([DocScore(self.searcher, set(candidates.tolist()), 0.0), q])
        for hit in self.searcher.search(q, limit=None):
            matched[hit.docnum] = True
            scores[hit.docnum] = hit.score
        return Scored(matched, scores)


def _field_lengths(segment: SegmentPostings, fieldname: str) -> np.ndarray:
    """The field's length in each release of the segment (0 in a segment where no release has the field)."""
    field = segment.fields.get(fieldname)
    return field.lengths if field is not None and field.lengths is not None else np.zeros(segment.doc_count)


def _deleted(leaf: IndexReader) -> frozenset[int]:
    """The deleted release numbers of one segment reader (a segment's own list: Whoosh's base reader lacks it)."""
    return cast(SegmentReader, leaf).deleted_docs_set


def _native(q: wq.Query) -> bool:
    """Whether the arrays answer `q` alone (no phrase or word beginning anywhere inside)."""
    if isinstance(q, (wq.Term, DocScore, wq.Every)):
        return True
    if isinstance(q, wq.Phrase):  # native, but cheap only on candidates: scored after the rest of an And
        return False
    if isinstance(q, (wq.And, wq.Or)):
        return all(_native(sub) for sub in q.subqueries)
    if isinstance(q, (wq.AndNot, wq.AndMaybe)):
        return _native(q.a) and _native(q.b)
    if isinstance(q, wq.Not):
        return _native(q.query)
    return False


@dataclass(frozen=True)
class IndexArrays:
    """What the array path needs of one open searcher: the scorer over its postings and the releases' columns."""

    scorer: ArrayScorer
    columns: Columns
    # Whether any release is linked as a version of another (else nothing needs folding): asked by every search,
    # and walking the field's words through every segment's term table cost some 0.5 ms a search.
    has_versions: bool


_VIEWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_VIEWS_LOCK = threading.Lock()


def index_arrays(searcher: Searcher) -> IndexArrays:
    """The arrays of `searcher`'s segments, made once per searcher (a searcher sees one unchanging state)."""
    with _VIEWS_LOCK:
        view = _VIEWS.get(searcher)
        if view is None:
            leaves = segment_readers(searcher.reader())
            segments = [(load_segment_postings(leaf), offset) for leaf, offset in leaves]
            columns = join_columns([load_segment_columns(leaf) for leaf, _ in leaves])
            # "" is indexed for releases without a link, so any other word is a link.
            linked = any(term for term in searcher.reader().lexicon("version_of"))
            view = _VIEWS[searcher] = IndexArrays(ArrayScorer(searcher, segments), columns, linked)
            # A long-running server sees segments merged away and generations replaced: keep only the newest.
            current = {segment_key(leaf) for leaf, _ in leaves}
            forget_segments(current)
            forget_columns(current)
        return view
