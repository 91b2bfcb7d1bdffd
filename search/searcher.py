"""Running a query against an open index: paging, relaxing when nothing matches, highlighting; plain results out."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector

from .config import Settings
from .errors import QueryError, ReleaseNotFoundError
from .highlight import mark_terms, plain_excerpt, snippet
from .query import ParsedQuery, parse_user_query, query_terms
from .release import Release

log = logging.getLogger(__name__)

MAX_LIMIT = 100


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    title_html: str
    date: date | None
    source: str
    score: float
    snippet: str


@dataclass
class ResultPage:
    query: str
    total: int
    page: int
    page_count: int
    limit: int
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "hits": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "date": hit.date.isoformat() if hit.date else None,
                    "source": hit.source,
                    "score": round(hit.score, 4),
                    "snippet": hit.snippet,
                }
                for hit in self.hits
            ],
            "notes": self.notes,
        }


def run_query(searcher, settings: Settings, text: str, page: int = 1, limit: int | None = None) -> ResultPage:
    """Search for `text` and return one page of highlighted hits.

    Raises QueryError for a query with nothing to search or a page/limit out of bounds.
    """
    started = time.perf_counter()
    limit = settings.page_size if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"Die Trefferzahl pro Seite muss zwischen 1 und {MAX_LIMIT} liegen.")
    if not 1 <= page <= settings.max_page:
        raise QueryError(f"Die Seitenzahl muss zwischen 1 und {settings.max_page} liegen.")

    parsed = parse_user_query(text, searcher.schema, settings.max_query_chars, settings.max_query_terms)
    deadline = started + settings.search_seconds
    matches = _collect(searcher, parsed.query, page * limit, deadline)
    if matches.total == 0 and not matches.timed_out and _can_relax(parsed.query):
        relaxed = parse_user_query(text, searcher.schema, settings.max_query_chars, settings.max_query_terms,
                                   relaxed=True)
        relaxed_matches = _collect(searcher, relaxed.query, page * limit, deadline)
        if relaxed_matches.total:
            parsed, matches = relaxed, relaxed_matches
            parsed.notes.append("Kein Treffer enthält alle Wörter; gezeigt werden Treffer mit einigen davon.")
    if matches.timed_out:
        seconds = f"{settings.search_seconds:g}".replace(".", ",")  # German decimal comma
        parsed.notes.append(
            f"Die Suche war zu aufwendig und wurde nach {seconds} Sekunden abgebrochen; "
            "die Trefferliste ist unvollständig."
        )

    page_count = max(1, -(-matches.total // limit))
    result = ResultPage(query=parsed.text, total=matches.total, page=page, page_count=page_count, limit=limit,
                        notes=parsed.notes)
    terms = query_terms(parsed)
    analyzer = searcher.schema["body"].analyzer
    for hit in matches.hits[(page - 1) * limit:]:
        # Stored fields, not hit.get(): a sortable column returns garbage for a release without a date.
        stored = hit.fields()
        body = stored.get("body", "")
        result.hits.append(
            Hit(
                id=stored["id"],
                title=stored.get("title", ""),
                title_html=mark_terms(stored.get("title", ""), terms, analyzer),
                date=_as_date(stored.get("date")),
                source=stored.get("source", ""),
                score=hit.score,
                snippet=snippet(body, terms, analyzer) or plain_excerpt(body),
            )
        )
    result.seconds = time.perf_counter() - started
    log.debug("query %r: %d hits in %.1f ms", text, result.total, result.seconds * 1000)
    return result


def get_release(searcher, release_id: str) -> Release:
    """The stored release with `release_id`; raises ReleaseNotFoundError."""
    fields = searcher.document(id=release_id)
    if fields is None:
        raise ReleaseNotFoundError(f"Keine Meldung mit der Kennung „{release_id}“.")
    return Release(
        id=fields["id"],
        title=fields.get("title", ""),
        text=fields.get("body", ""),
        date=_as_date(fields.get("date")),
        source=fields.get("source", ""),
        place=fields.get("place", ""),
    )


@dataclass(frozen=True)
class MarkedRelease:
    release: Release
    title_html: str
    paragraphs_html: list[str]


def mark_release(searcher, settings: Settings, release: Release, text: str | None) -> MarkedRelease:
    """The release's title and paragraphs as HTML, with the words of query `text` marked (if any)."""
    terms: frozenset[str] = frozenset()
    if text and text.strip():
        try:
            parsed: ParsedQuery = parse_user_query(text, searcher.schema, settings.max_query_chars,
                                                   settings.max_query_terms)
            terms = query_terms(parsed)
        except QueryError:
            terms = frozenset()  # an unusable query marks nothing; the release is still shown
    analyzer = searcher.schema["body"].analyzer
    return MarkedRelease(
        release=release,
        title_html=mark_terms(release.title, terms, analyzer),
        paragraphs_html=[mark_terms(p, terms, analyzer) for p in release.paragraphs],
    )


@dataclass
class _Matches:
    hits: list
    total: int
    timed_out: bool


def _collect(searcher, q: wq.Query, top: int, deadline: float) -> _Matches:
    """The best `top` hits of `q`, stopping when `deadline` (perf_counter) passes: no query may hold a worker long."""
    budget = max(deadline - time.perf_counter(), 0.01)
    collector = TimeLimitCollector(searcher.collector(limit=top), timelimit=budget, use_alarm=False)
    try:
        searcher.search_with_collector(q, collector)
        timed_out = False
    except TimeLimit:
        timed_out = True
    results = collector.results()
    total = results.estimated_length() if timed_out else _count(searcher, q, results, deadline)
    return _Matches(hits=results[:], total=total, timed_out=timed_out)  # list() would call len(): a full recount


def _count(searcher, q: wq.Query, results, deadline: float) -> int:
    """All matches of `q`: exact when Whoosh knows it or counting ends before `deadline`, else its estimate.

    Whoosh skips documents that cannot reach the top hits, so its count re-runs the query; for a long OR over
    common words that alone took 1.3 s on the 37,651 releases.
    """
    if results.has_exact_length():
        return len(results)
    count = 0
    for count, _ in enumerate(searcher.docs_for_query(q), start=1):
        if count % 512 == 0 and time.perf_counter() > deadline:
            return results.estimated_length()
    return count


def _can_relax(q: wq.Query) -> bool:
    return isinstance(q, wq.And) and len(q.subqueries) > 1


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
