"""Collecting the matches of a query within a deadline: the top hits (filtered, sorted, versions folded), the total
and the facet counts."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Hit, Results
from whoosh.sorting import FieldFacet

from ..german.dates import day_number
from ..results import Filters
from ..weights import Weights
from . import Searcher
from .match_sets import DocScore, OutOfTime, matching_docs

FACETS = ("source", "year")
# When finding all matches used up the time, the hits found in this much more time are shown, marked incomplete.
FALLBACK_SECONDS = 0.1

SORTS = ("relevance", "date")


def filters_as_query(filters: Filters) -> wq.Query | None:
    """The filters as a Whoosh query, or None when there are none."""
    parts: list[wq.Query] = []
    if filters.source:
        parts.append(wq.Term("source", filters.source))
    if filters.date_from or filters.date_to:
        # On the numeric `day` field: a DateRange over `date` expanded into one term per distinct date and took
        # 2-3 s for a span of years on the 37,651 releases; a numeric range uses Whoosh's trie terms.
        start = day_number(filters.date_from) if filters.date_from else 1  # 0 is "no date": never in a range
        end = day_number(filters.date_to) if filters.date_to else None
        parts.append(wq.NumericRange("day", start, end))
    return wq.And(parts) if parts else None


@dataclass
class Matches:
    hits: list[Hit]  # Whoosh hits, best first, one per version group
    total: int  # matching releases, versions folded
    timed_out: bool
    facets: dict[str, Counter[str]] = field(default_factory=dict)
    folded: bool = False  # whether the index has versions to fold (then each hit lists its other versions)


def collect(searcher: Searcher, q: wq.Query, top: int, deadline: float, filters: Filters, sort: str,
            facets: bool, weights: Weights, bonus: Sequence[wq.Query] = (),
            preferred: Sequence[tuple[int, int]] = ()) -> Matches:
    """The best `top` hits of `q` within `filters`, stopping when `deadline` (perf_counter) passes.

    `bonus` queries add to the score of the releases that match `q`, and change nothing else. Releases dated
    within one of the `preferred` spans (YYYYMMDD, inclusive) get `weights.preferred` more, which ranks them first.
    """
    filter_query = filters_as_query(filters)
    # All matches, by set operations (match_sets.py): they give the total and the facets, and when there are none,
    # nothing needs ranking.
    folding = has_versions(searcher)
    # Whoosh's own collapsing is skipped when a time limit wraps it, so versions are folded here: fetch more than
    # `top` (versions are rare), keep the best of each group, and fetch more only if that left too few.
    wanted = top * 2 + 10 if folding else top
    try:
        docs = matching_docs(searcher, q if filter_query is None else wq.And([q, filter_query]), deadline=deadline)
    except OutOfTime:
        hits, results, _ = _top_hits(searcher, q, wanted, time.perf_counter() + FALLBACK_SECONDS, filter_query, sort)
        hits = _fold(searcher, hits) if folding else hits
        return Matches(hits[:top], results.estimated_length(), True, folded=folding)
    if not docs:
        return Matches([], 0, False, _tally(searcher, docs, deadline, facets, folding)[1], folding)
    if preferred and sort != "date":
        q = wq.AndMaybe(q, DocScore(searcher, _dated_within(searcher, docs, preferred), weights.preferred))
    bonuses = list(bonus) if sort != "date" else []
    while True:
        hits, more, timed_out = _best_hits(searcher, q, bonuses, wanted, deadline, filter_query, sort,
                                           rerank_depth=weights.rerank_depth if len(docs) > weights.rerank_above
                                           else None)
        if folding:
            hits = _fold(searcher, hits)
        if not folding or len(hits) >= top or not more or timed_out:
            break
        wanted *= 4
    hits = hits[:top]
    if timed_out:
        return Matches(hits, len(docs), True, folded=folding)
    total, facet_counts, complete = _tally(searcher, docs, deadline, facets, folding)
    return Matches(hits, total, not complete, facet_counts, folding)


def _dated_within(searcher: Searcher, docs: set[int], spans: Sequence[tuple[int, int]]) -> set[int]:
    """The documents of `docs` dated within one of `spans` (YYYYMMDD, inclusive), read from the `day` column."""
    days = searcher.reader().column_reader("day")
    return {docnum for docnum in docs if any(first <= days[docnum] <= last for first, last in spans)}


def _best_hits(searcher: Searcher, q: wq.Query, bonus: list[wq.Query], limit: int, deadline: float,
               filter_query: wq.Query | None, sort: str, rerank_depth: int | None) -> tuple[list[Hit], bool, bool]:
    """(the best `limit` hits, whether there may be more, whether time ran out).

    With a `rerank_depth`, the `bonus` (words close together) re-orders only that many best hits by the words alone:
    looked up for every match, it took 0.5 s for two common words (`Polizei Frankfurt`, 10,750 matches), since
    Whoosh cannot skip documents that a bonus might still lift. For fewer matches one pass is faster (with two
    passes always, the 50 development queries textbook Whoosh answers took 26.8 ms at the median instead of 18.2).
    """
    if bonus and rerank_depth is None:
        extra = bonus[0] if len(bonus) == 1 else wq.Or(bonus)
        hits, results, timed_out = _top_hits(searcher, wq.AndMaybe(q, extra), limit, deadline, filter_query, sort)
        return hits, len(results.top_n) >= limit, timed_out
    depth = max(limit, rerank_depth) if bonus and rerank_depth is not None else limit
    hits, results, timed_out = _top_hits(searcher, q, depth, deadline, filter_query, sort)
    more = len(results.top_n) >= depth
    if not bonus or timed_out or not hits:
        return hits[:limit], more, timed_out
    best = DocScore(searcher, {hit.docnum for hit in hits}, 0.0)
    extra = bonus[0] if len(bonus) == 1 else wq.Or(bonus)
    reranked, _, timed_out = _top_hits(searcher, wq.AndMaybe(wq.And([best, q]), extra), limit, deadline, None, sort)
    return reranked, more, timed_out


def _top_hits(searcher: Searcher, q: wq.Query, limit: int, deadline: float, filter_query: wq.Query | None,
              sort: str) -> tuple[list[Hit], Results, bool]:
    """(the best `limit` hits of `q` within `filter_query`, Whoosh's results, whether `deadline` passed first)."""
    collector = searcher.collector(
        limit=limit,
        sortedby=FieldFacet("day", reverse=True) if sort == "date" else None,
        filter=filter_query,
    )
    timed = TimeLimitCollector(collector, timelimit=max(deadline - time.perf_counter(), 0.01), use_alarm=False)
    try:
        searcher.search_with_collector(q, timed)
        timed_out = False
    except TimeLimit:
        timed_out = True
    results = timed.results()
    return results[:], results, timed_out  # list(results) would ask for len(): a full recount


def _fold(searcher: Searcher, hits: list[Hit]) -> list[Hit]:
    """The first (best) hit of each version group, in order."""
    groups = searcher.reader().column_reader("group")
    seen: set[str] = set()
    folded = []
    for hit in hits:
        group = groups[hit.docnum]
        if group not in seen:
            seen.add(group)
            folded.append(hit)
    return folded


def has_versions(searcher: Searcher) -> bool:
    """Whether any release in the index is linked as a version of another (else nothing needs folding)."""
    return any(term for term in searcher.reader().lexicon("version_of"))  # "" is indexed for releases without a link


def _tally(searcher: Searcher, docs: set[int], deadline: float, facets: bool,
           folding: bool) -> tuple[int, dict[str, Counter[str]], bool]:
    """The number of matches (version groups when folding) and their facet values, until `deadline`.

    Whoosh skips documents that cannot reach the top hits, so its own count re-runs the query; the matches come
    from set operations instead (match_sets.py), and one pass over them counts facets and version groups.
    """
    reader = searcher.reader()
    columns = {name: reader.column_reader(name) for name in FACETS} if facets else {}
    group_column = reader.column_reader("group") if folding else None
    counts: dict[str, Counter[str]] = {name: Counter() for name in columns}
    if not columns and group_column is None:
        return len(docs), counts, True
    groups: set[str] = set()
    counted: set[tuple[str, str, str]] = set()  # (facet, value, group): versions count once, as in the total
    for seen, docnum in enumerate(sorted(docs), start=1):
        if seen % 512 == 0 and time.perf_counter() > deadline:
            return len(docs), counts, False
        group = group_column[docnum] if group_column is not None else ""
        groups.add(group)
        for name, column in columns.items():
            value = column[docnum]
            if not value or (group and (name, value, group) in counted):
                continue
            if group:
                counted.add((name, value, group))
            counts[name][value] += 1
    return (len(groups) if folding else len(docs)), counts, True
