"""Running a query against an open index: filters, sorting, paging, relaxing when nothing matches, highlighting."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from typing import TypeGuard

from whoosh import query as wq

from ..config import Settings
from ..errors import QueryError
from ..german.compounds import load_dictionary
from ..results import Filters, Hit, ResultPage, facet_list
from . import Searcher
from .collector import FACETS, SORTS, Matches, collect
from .expansion import load_word_groups, words_as_typed
from .highlight import mark_terms, plain_excerpt, snippet
from .parser import ParsedQuery, parse_user_query, prefix_notes, terms_to_mark
from .reading import as_date, other_versions, release_from_fields
from .spelling import suggest, unknown_words

log = logging.getLogger(__name__)

MAX_LIMIT = 100


def prepare_searches() -> None:
    """Load the word lists every search needs (the compound dictionary, the thesaurus, the word forms) now, not in
    the first search: a server does this before it starts its worker processes, which then share one copy."""
    load_dictionary()
    load_word_groups()


def run_query(searcher: Searcher, settings: Settings, typed: str, page: int = 1, limit: int | None = None,
              filters: Filters | None = None, sort: str = "relevance", facets: bool = False) -> ResultPage:
    """Search for what was `typed` within `filters` and return one page of highlighted hits.

    `sort` is "relevance" or "date" (newest first). Blank `typed` lists every release within the filters, newest
    first, when there are filters or the sort is by date. With `facets`, the page counts issuers and years over
    all matches. Raises QueryError for a query with nothing to search or a page, limit or sort out of bounds.
    """
    started = time.perf_counter()
    # The time limit counts this thread's own work (its CPU time), not the wall clock: on a busy server a search
    # waits for its turn on a core, and that wait must not cut short what it finds.
    spent_before = time.thread_time()
    filters = filters or Filters()
    limit = settings.page_size if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"Die Trefferzahl pro Seite muss zwischen 1 und {MAX_LIMIT} liegen.")
    if not 1 <= page <= settings.max_page:
        raise QueryError(f"Die Seitenzahl muss zwischen 1 und {settings.max_page} liegen.")
    if sort not in SORTS:
        raise QueryError("Sortiert werden kann nach Relevanz oder Datum.")

    if not typed.strip() and (sort == "date" or not filters.is_empty()):
        parsed, sort = ParsedQuery(typed="", query=wq.Every()), "date"  # without words, relevance says nothing
    else:
        parsed = parse_user_query(typed, searcher, settings)
        if not parsed.typed:  # only a date was typed: its releases, newest first
            sort = "date"
    if parsed.date_span:  # `datum:` in the query narrows the filters
        filters = filters.narrowed(*parsed.date_span)
    search = _Search(searcher, settings, typed, page * limit, filters, sort, facets)
    # The query as typed; when it finds nothing, each next step in turn until one finds something (while there is
    # time): the words corrected, then the words no release contains left out (saying which), then some of them.
    attempt = search.attempt(parsed)
    out_of_time = False
    for step in (_corrected, _without_unknown_words, _some_words):
        if attempt.matches.total:
            break
        if time.thread_time() - spent_before > settings.search_seconds:
            # Every count shown is exact (each step finds all its matches); what time cuts short is the ladder.
            out_of_time = True
            break
        fallback = step(search, attempt)
        if fallback is not None and fallback.matches.total:
            attempt = fallback
    parsed, matches = attempt.parsed, attempt.matches
    notes = [*parsed.notes, *prefix_notes(parsed.query, searcher.reader())]
    if out_of_time:
        seconds = f"{settings.search_seconds:g}".replace(".", ",")  # German decimal comma
        notes.append(f"Die Suche war zu aufwendig und wurde nach {seconds} Sekunden abgebrochen; ähnliche "
                     "Schreibweisen und Treffer mit einigen der Wörter wurden nicht mehr gesucht.")

    result = ResultPage(
        query=parsed.typed, total=matches.total, page=page, page_count=max(1, -(-matches.total // limit)),
        limit=limit, notes=notes, filters=filters, sort=sort,
        facets={name: facet_list(name, matches.facets[name]) for name in FACETS if name in matches.facets},
    )
    result.hits = _page_hits(searcher, parsed, matches, (page - 1) * limit, scored=sort == "relevance")
    result.seconds = time.perf_counter() - started
    log.debug("query %r: %d hits in %.1f ms", typed, result.total, result.seconds * 1000)
    return result


@dataclass(frozen=True)
class _Search:
    """What stays the same on every step of the ladder: where, for what, how many, how sorted."""

    searcher: Searcher
    settings: Settings
    typed: str
    top: int
    filters: Filters
    sort: str
    facets: bool

    def attempt(self, parsed: ParsedQuery) -> _Attempt:
        """`parsed` searched: what it matches."""
        matches = collect(self.searcher, parsed.query, self.top, self.filters, self.sort, self.facets,
                          self.settings.weights, parsed.bonus, parsed.preferred)
        return _Attempt(parsed, matches)


@dataclass(frozen=True)
class _Attempt:
    """One step of the ladder: the query searched and what it matched."""

    parsed: ParsedQuery
    matches: Matches


def _corrected(search: _Search, attempt: _Attempt) -> _Attempt | None:
    """The query with each word no release contains replaced by the corpus word it probably meant; None when no
    word is unknown or none has a correction."""
    parsed = attempt.parsed
    if not parsed.typed:
        return None
    typed, fixes = parsed.typed, []
    for word in unknown_words(search.searcher, parsed):
        correction = suggest(search.searcher, word)
        if correction:
            typed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", correction, typed)
            fixes.append((word, correction))
    if not fixes:
        return None
    note = "Ergebnisse für " + ", ".join(f"„{fix}“ (statt „{typo}“)" for typo, fix in fixes) + "."
    corrected = replace(parse_user_query(typed, search.searcher, search.settings), notes=(*parsed.notes, note))
    return search.attempt(corrected)


def _without_unknown_words(search: _Search, attempt: _Attempt) -> _Attempt | None:
    """The query without its required words that no release contains, with a note naming them; None when there are
    none, or nothing else."""
    parsed = attempt.parsed
    if not _can_relax(parsed.query):
        return None
    kept, dropped = _drop_unknown_words(search.searcher, parsed.query, parsed.typed)
    if not dropped:
        return None
    listed = ", ".join(f"„{word}“" for word in dropped)
    note = f"Kein Treffer für {listed}; gesucht wurde ohne {'dieses Wort' if len(dropped) == 1 else 'diese Wörter'}."
    return search.attempt(replace(parsed, query=kept, notes=(*parsed.notes, note)))


def _some_words(search: _Search, attempt: _Attempt) -> _Attempt | None:
    """The query as typed with its words joined by OR: releases with some of the words; None for a single word."""
    if not _can_relax(attempt.parsed.query):
        return None
    relaxed = parse_user_query(search.typed, search.searcher, search.settings, relaxed=True)
    note = "Kein Treffer enthält alle Wörter; gezeigt werden Treffer mit einigen davon."
    return search.attempt(replace(relaxed, notes=(*relaxed.notes, note)))


def _page_hits(searcher: Searcher, parsed: ParsedQuery, matches: Matches, offset: int, scored: bool) -> list[Hit]:
    terms = terms_to_mark(parsed, searcher.reader())
    hits = []
    for hit in matches.hits[offset:]:
        # Stored fields, not hit.get(): a sortable column returns garbage for a release without a date.
        stored = hit.fields()
        body = stored.get("body", "")
        hits.append(
            Hit(
                id=stored["id"],
                title=stored.get("title", ""),
                title_html=mark_terms(stored.get("title", ""), terms),
                date=as_date(stored.get("date")),
                source=stored.get("source", ""),
                score=hit.score if scored else None,
                snippet=snippet(body, terms) or plain_excerpt(body),
                versions=tuple(other_versions(searcher, release_from_fields(stored))) if matches.folded else (),
            )
        )
    return hits


def _drop_unknown_words(searcher: Searcher, query: wq.And, typed: str) -> tuple[wq.Query, list[str]]:
    """`query` without its required parts that no release contains, and the words of those parts as `typed`."""
    reader = searcher.reader()
    kept: list[wq.Query] = []
    dropped: list[wq.Query] = []
    for part in query.subqueries:
        (dropped if part.estimate_size(reader) == 0 else kept).append(part)
    if not dropped or not kept:
        return query, []
    as_typed = words_as_typed(typed)
    words: list[str] = []
    for part in dropped:
        # The typed words of the part, not the extras (synonyms, compound parts) each word brings along.
        stems = dict.fromkeys(term for _, term in part.iter_all_terms() if term in as_typed)
        words.extend(as_typed[stem] for stem in stems)
    return (kept[0] if len(kept) == 1 else wq.And(kept)), list(dict.fromkeys(words))


def _can_relax(q: wq.Query) -> TypeGuard[wq.And]:
    return isinstance(q, wq.And) and len(q.subqueries) > 1
