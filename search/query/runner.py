"""Running a query against an open index: filters, sorting, paging, relaxing when nothing matches, highlighting."""

from __future__ import annotations

import logging
import re
import time

from whoosh import query as wq

from ..config import Settings
from ..errors import QueryError
from ..results import Hit, ResultPage, facet_list
from .collector import FACETS, SORTS, Filters, Matches, collect
from .expansion import typed_words
from .highlight import mark_terms, plain_excerpt, snippet
from .parser import ParsedQuery, parse_user_query, prefix_notes, query_terms
from .reading import as_date, other_versions, release_from_fields
from .spelling import suggest, unknown_words

log = logging.getLogger(__name__)

MAX_LIMIT = 100


def run_query(searcher, settings: Settings, text: str, page: int = 1, limit: int | None = None,
              filters: Filters | None = None, sort: str = "relevance", facets: bool = False) -> ResultPage:
    """Search for `text` within `filters` and return one page of highlighted hits.

    `sort` is "relevance" or "date" (newest first). Blank `text` lists every release within the filters, newest
    first, when there are filters or the sort is by date. With `facets`, the page counts issuers and years over
    all matches. Raises QueryError for a query with nothing to search or a page, limit or sort out of bounds.
    """
    started = time.perf_counter()
    filters = filters or Filters()
    limit = settings.page_size if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"Die Trefferzahl pro Seite muss zwischen 1 und {MAX_LIMIT} liegen.")
    if not 1 <= page <= settings.max_page:
        raise QueryError(f"Die Seitenzahl muss zwischen 1 und {settings.max_page} liegen.")
    if sort not in SORTS:
        raise QueryError("Sortiert werden kann nach Relevanz oder Datum.")

    deadline = started + settings.search_seconds
    if not text.strip() and (sort == "date" or not filters.is_empty()):
        parsed, sort = ParsedQuery(text="", query=wq.Every()), "date"  # without words, relevance says nothing
    else:
        parsed = parse_user_query(text, searcher.schema, settings.max_query_chars, settings.max_query_terms,
                                  settings.weights, reader=searcher.reader())
        if not parsed.text:  # only a date was typed: its releases, newest first
            sort = "date"
    if parsed.date_span:  # `datum:` in the query narrows the filters
        filters = filters.narrowed(*parsed.date_span)
    matches = collect(searcher, parsed.query, page * limit, deadline, filters, sort, facets, settings.weights,
                      parsed.bonus, parsed.preferred)
    if matches.total == 0 and not matches.timed_out and parsed.text:
        corrected = _corrected(searcher, settings, parsed)
        if corrected is not None:
            fixed = collect(searcher, corrected.query, page * limit, deadline, filters, sort, facets,
                            settings.weights, corrected.bonus, corrected.preferred)
            if fixed.total:
                parsed, matches = corrected, fixed
    if matches.total == 0 and not matches.timed_out and _can_relax(parsed.query):
        # Then leave out the words no release contains, and say which; then, if the rest still never occur
        # together, accept releases with some of the words.
        kept, dropped = _drop_unknown_words(searcher, parsed)
        if dropped:
            fewer = collect(searcher, kept, page * limit, deadline, filters, sort, facets, settings.weights,
                            parsed.bonus, parsed.preferred)
            if fewer.total:
                matches = fewer
                parsed.query = kept
                listed = ", ".join(f"„{word}“" for word in dropped)
                parsed.notes.append(f"Kein Treffer für {listed}; gesucht wurde ohne "
                                    f"{'dieses Wort' if len(dropped) == 1 else 'diese Wörter'}.")
    if matches.total == 0 and not matches.timed_out and _can_relax(parsed.query):
        relaxed = parse_user_query(text, searcher.schema, settings.max_query_chars, settings.max_query_terms,
                                   settings.weights, relaxed=True, reader=searcher.reader())
        relaxed_matches = collect(searcher, relaxed.query, page * limit, deadline, filters, sort, facets,
                                  settings.weights, relaxed.bonus, relaxed.preferred)
        if relaxed_matches.total:
            parsed, matches = relaxed, relaxed_matches
            parsed.notes.append("Kein Treffer enthält alle Wörter; gezeigt werden Treffer mit einigen davon.")
    parsed.notes.extend(prefix_notes(parsed.query, searcher.reader()))
    if matches.timed_out:
        seconds = f"{settings.search_seconds:g}".replace(".", ",")  # German decimal comma
        parsed.notes.append(
            f"Die Suche war zu aufwendig und wurde nach {seconds} Sekunden abgebrochen; "
            "die Trefferliste ist unvollständig."
        )

    result = ResultPage(
        query=parsed.text, total=matches.total, page=page, page_count=max(1, -(-matches.total // limit)),
        limit=limit, notes=parsed.notes, filters=filters, sort=sort,
        facets={name: facet_list(name, matches.facets[name]) for name in FACETS if name in matches.facets},
    )
    result.hits = _page_hits(searcher, parsed, matches, (page - 1) * limit, scored=sort == "relevance")
    result.seconds = time.perf_counter() - started
    log.debug("query %r: %d hits in %.1f ms", text, result.total, result.seconds * 1000)
    return result


def _page_hits(searcher, parsed: ParsedQuery, matches: Matches, offset: int, scored: bool) -> list[Hit]:
    terms = query_terms(parsed, searcher.reader())
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


def _corrected(searcher, settings: Settings, parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with each word no release contains replaced by the corpus word it probably meant, or None."""
    text, fixes = parsed.text, []
    for word in unknown_words(searcher, parsed):
        correction = suggest(searcher, word)
        if correction:
            text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", correction, text)
            fixes.append((word, correction))
    if not fixes:
        return None
    corrected = parse_user_query(text, searcher.schema, settings.max_query_chars, settings.max_query_terms,
                                 settings.weights, reader=searcher.reader())
    corrected.notes = parsed.notes + [
        "Ergebnisse für " + ", ".join(f"„{fix}“ (statt „{typo}“)" for typo, fix in fixes) + "."
    ]
    return corrected


def _drop_unknown_words(searcher, parsed: ParsedQuery) -> tuple[wq.Query, list[str]]:
    """The query without its required parts that no release contains, and the typed words of those parts."""
    reader = searcher.reader()
    kept, dropped = [], []
    for part in parsed.query.subqueries:
        (dropped if part.estimate_size(reader) == 0 else kept).append(part)
    if not dropped or not kept:
        return parsed.query, []
    typed = typed_words(parsed.text)
    words = []
    for part in dropped:
        # The typed words of the part, not the extras (synonyms, compound parts) each word brings along.
        stems = dict.fromkeys(text for _, text in part.iter_all_terms() if text in typed)
        words.extend(typed[stem] for stem in stems)
    return (kept[0] if len(kept) == 1 else wq.And(kept)), list(dict.fromkeys(words))


def _can_relax(q: wq.Query) -> bool:
    return isinstance(q, wq.And) and len(q.subqueries) > 1
