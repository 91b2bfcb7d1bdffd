"""Collecting the matches of a query: the top hits (filtered, sorted, versions folded), the exact total and the facet
counts, over the arrays of scorer.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from ..german.dates import day_number
from ..results import Filters
from ..store.columns import Columns
from ..weights import Weights
from . import Searcher
from .scorer import IndexArrays, index_arrays

FACETS = ("source", "year", "place")
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class ScoredHit:
    """One hit: its release number in the searcher and its score; its stored fields are read when asked for."""

    searcher: Searcher
    docnum: int
    score: float

    def fields(self) -> dict:
        return self.searcher.reader().stored_fields(self.docnum)


@dataclass
class Matches:
    hits: list[ScoredHit]  # best first, one per version group
    total: int  # matching releases, versions folded
    facets: dict[str, Counter[str]] = field(default_factory=dict)
    folded: bool = False  # whether the index has versions to fold (then each hit lists its other versions)


def collect(searcher: Searcher, q: wq.Query, top: int, filters: Filters, sort: str,
            facets: bool, weights: Weights, bonus: Sequence[wq.Query] = (),
            preferred: Sequence[tuple[int, int]] = (), *, now: float, by_coverage: bool = False) -> Matches:
    """The best `top` hits of `q` within `filters`, the exact total and (with `facets`) the facet counts, of the
    releases whose embargo has ended at `now` (seconds since 1970): the others count nowhere.

    `bonus` queries add to the score of the releases that match `q`, and change nothing else. Releases dated
    within one of the `preferred` spans (YYYYMMDD, inclusive) get `weights.preferred` more, which ranks them first.
    With `by_coverage` (for `q` an Or of the typed words), releases holding more of the words rank first, then by
    score; a date typed among the words counts as one more word, and a word in more than `weights.coverage_share` of
    the releases (and more than `weights.coverage_floor`) does not count (see ArrayScorer.score_by_coverage).
    Every match is scored over arrays: the cost is bounded by the postings read, and nothing is cut short.
    """
    arrays = index_arrays(searcher)
    if by_coverage:
        common = max(weights.coverage_share * arrays.scorer.size, weights.coverage_floor)
        found = arrays.scorer.score_by_coverage(q, common)
    else:
        found = arrays.scorer.score(q)
    docs = np.flatnonzero(found.matched & filter_mask(filters, arrays.columns, now))
    folding = arrays.has_versions
    if not len(docs):
        return Matches([], 0, _tally(arrays.columns, docs, facets, folding)[1], folding)
    scores = found.scores[docs]
    if sort == "date":
        # Newest first, then by release number, as Whoosh's sorting collector orders them.
        order = np.lexsort((docs, -arrays.columns.day[docs].astype(np.int64)))
    else:
        dated = arrays.columns.of_time(docs, preferred, weights.mentioned_span_days) if preferred else None
        if dated is not None:
            scores = scores + np.where(dated, weights.preferred, 0.0)
        if bonus:
            scores = _with_bonus(arrays, docs, scores, bonus, weights)
        if found.coverage is not None:
            coverage = found.coverage[docs] + (dated if dated is not None else 0)
            order = np.lexsort((docs, -scores, -coverage))
        else:
            order = _best_first(docs, scores)
    hits = _folded_hits(searcher, arrays.columns, docs, scores, order, top, folding)
    total, counts = _tally(arrays.columns, docs, facets, folding)
    return Matches(hits, total, counts, folding)


def filter_mask(filters: Filters, columns: Columns, now: float) -> np.ndarray:
    """Which releases `filters` let through and may be shown at `now`, as a mask over release numbers."""
    allowed = columns.visible_at(now)
    if filters.source:
        allowed &= columns.codes["source"] == columns.code_of("source", filters.source)
    if filters.place:
        allowed &= columns.codes["place"] == columns.code_of("place", filters.place)
    if filters.date_from or filters.date_to:
        first = day_number(filters.date_from) if filters.date_from else 1  # 0 is "no date": never in a range
        last = day_number(filters.date_to) if filters.date_to else np.iinfo(np.uint32).max
        allowed &= (columns.day >= first) & (columns.day <= last)
    return allowed


def _with_bonus(arrays: IndexArrays, docs: np.ndarray, scores: np.ndarray, bonus: Sequence[wq.Query],
                weights: Weights) -> np.ndarray:
    """`scores` with the bonus (words close together) added: for every match when there are at most
    `weights.rerank_above`, else for the best `weights.rerank_depth` by their words alone. The bonus reads word
    positions, which cost per release: for two common words (`Polizei Frankfurt`, 10,750 matches) every match
    took 0.5 s through Whoosh."""
    extra = bonus[0] if len(bonus) == 1 else wq.Or(list(bonus))
    chosen = docs if len(docs) <= weights.rerank_above else docs[_best_first(docs, scores)[:weights.rerank_depth]]
    within = np.zeros(arrays.scorer.size, dtype=bool)
    within[chosen] = True
    lifted = arrays.scorer.score(extra, within)
    return scores + np.where(lifted.matched[docs], lifted.scores[docs], 0.0)


def _best_first(docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Positions of `docs` by score, highest first, ties by release number (as Whoosh's collector orders them)."""
    return np.lexsort((docs, -scores))


def _folded_hits(searcher: Searcher, columns: Columns, docs: np.ndarray, scores: np.ndarray, order: np.ndarray,
                 top: int, folding: bool) -> list[ScoredHit]:
    """The first `top` hits in `order`, one per version group when folding."""
    hits: list[ScoredHit] = []
    seen: set[int] = set()
    groups = columns.codes["group"]
    for position in order.tolist():
        docnum = int(docs[position])
        if folding:
            group = int(groups[docnum])
            if group in seen:
                continue
            seen.add(group)
        hits.append(ScoredHit(searcher, docnum, float(scores[position])))
        if len(hits) >= top:
            break
    return hits


def _tally(columns: Columns, docs: np.ndarray, facets: bool, folding: bool) -> tuple[int, dict[str, Counter[str]]]:
    """The number of matches (version groups when folding) and, with `facets`, how many have each value; the
    versions of one release count once, as in the total."""
    groups = columns.codes["group"][docs].astype(np.int64)
    total = len(np.unique(groups)) if folding else len(docs)
    counts: dict[str, Counter[str]] = {}
    if not facets:
        return total, counts
    group_count = len(columns.tables["group"]) + 1
    for name in FACETS:
        codes = columns.codes[name][docs].astype(np.int64)
        if folding:  # each (value, group) once
            codes = np.unique(codes * group_count + groups) // group_count
        tally = np.bincount(codes, minlength=len(columns.tables[name]))
        table = columns.tables[name]
        present = np.flatnonzero(tally)  # only the values the matches have: the place table has some 1,300
        counts[name] = Counter({table[code]: int(tally[code]) for code in present.tolist() if table[code]})
    return total, counts
