"""Running a query against an open index: filters, sorting, paging, relaxing when nothing matches, highlighting."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeGuard

from whoosh import query as wq

from ..config import Settings
from ..errors import QueryError
from ..german.compounds import load_dictionary
from ..results import Filters, Hit, ResultPage, facet_list
from . import Searcher
from .budget import Budget
from .collector import FACETS, SORTS, Matches, collect
from .expansion import load_word_groups, words_as_typed
from .explain import Explanation, explain
from .highlight import mark_terms, plain_excerpt, snippet
from .parser import ParsedQuery, parse_user_query, prefix_notes
from .reading import other_versions, release_from_fields
from .scorer import index_arrays
from .spelling import suggest, unknown_words

log = logging.getLogger(__name__)

MAX_LIMIT = 100


def prepare_searches() -> None:
    """Load the word lists every search needs (the compound dictionary, the thesaurus, the word forms) now, not in
    the first search: a server does this before it starts its worker processes, which then share one copy."""
    load_dictionary()
    load_word_groups()


def run_query(searcher: Searcher, settings: Settings, typed: str, page: int = 1, limit: int | None = None,
              filters: Filters | None = None, sort: str = "relevance", facets: bool = False,
              budget: Budget | None = None) -> ResultPage:
    """Search for what was `typed` within `filters` and return one page of highlighted hits.

    `sort` is "relevance" or "date" (newest first). Blank `typed` lists every release within the filters, newest
    first, when there are filters or the sort is by date. With `facets`, the page counts issuers and years over
    all matches. Every step counts against `budget` (default: `settings.search_seconds` of this thread's processor
    time from the call on); once it is spent, no further step of the ladder is tried, and a note says which were
    not. Raises QueryError for a query with nothing to search or a page, limit or sort out of bounds.
    """
    started = time.perf_counter()
    budget = budget if budget is not None else Budget(settings.search_seconds)
    filters = filters or Filters()
    limit = settings.page_size if limit is None else limit
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"Die Trefferzahl pro Seite muss zwischen 1 und {MAX_LIMIT} liegen.")
    if not 1 <= page <= settings.max_page:
        raise QueryError(f"Die Seitenzahl muss zwischen 1 und {settings.max_page} liegen.")
    if sort not in SORTS:
        raise QueryError("Sortiert werden kann nach Relevanz oder Datum.")

    # One instant for the whole search: a release whose embargo ends meanwhile is in all of its counts or in none,
    # and `gestern` is the same day on every step.
    now = settings.clock()
    if not typed.strip() and (sort == "date" or not filters.is_empty()):
        parsed, sort = ParsedQuery(typed="", query=wq.Every()), "date"  # without words, relevance says nothing
    else:
        parsed = parse_user_query(typed, searcher, settings, now=now)
        if not parsed.typed:  # only a date was typed: its releases, newest first
            sort = "date"
    if parsed.date_span:  # `datum:` in the query narrows the filters
        filters = filters.narrowed(*parsed.date_span)
    search = _Search(searcher, settings, typed, page * limit, filters, sort, facets, budget, now)
    # The query as typed; when it finds nothing, each next step in turn until one finds something (while the budget
    # lasts): the words corrected, then the words no release contains left out (saying which), then some of them.
    # Every step finds all its matches, so each count shown is exact; what the budget cuts short is the ladder.
    attempt = search.attempt(parsed)
    left_out: list[str] = []
    reason = ""
    if not attempt.matches.total:
        with budget.fallback_turn() as may_fall_back:
            if may_fall_back:
                attempt, left_out = _fall_back(search, attempt)
                seconds = f"{budget.seconds:g}".replace(".", ",")  # German decimal comma
                reason = (f"Die Suche war zu aufwendig und wurde nach {seconds} Sekunden abgebrochen; "
                          "nicht mehr gesucht wurden")
            else:
                left_out = [LEFT_OUT[step] for step in LADDER]
                reason = "Der Server ist gerade ausgelastet; nicht gesucht wurden"
    parsed, matches = attempt.parsed, attempt.matches
    notes = [*parsed.notes, *prefix_notes(parsed.query, searcher.reader())]
    if left_out:
        notes.append(f"{reason} {_listed(left_out)}.")

    result = ResultPage(
        query=parsed.typed, total=matches.total, page=page, page_count=max(1, -(-matches.total // limit)),
        limit=limit, notes=notes, filters=filters, sort=sort,
        facets={name: facet_list(name, matches.facets[name]) for name in FACETS if name in matches.facets},
    )
    result.hits = _page_hits(searcher, parsed, matches, (page - 1) * limit, scored=sort == "relevance", now=now)
    if attempt.by_coverage and matches.hits:
        position = len(notes) - 1 if left_out else len(notes)  # before the budget's note, as the ladder ran
        notes.insert(position, _some_words_note(searcher, parsed, matches, result.hits, page, sort))
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
    budget: Budget
    now: float  # releases still under embargo at this instant (seconds since 1970) are left out

    def attempt(self, parsed: ParsedQuery, by_coverage: bool = False) -> _Attempt:
        """`parsed` searched: what it matches; `by_coverage`, releases with more of its words first."""
        matches = collect(self.searcher, parsed.query, self.top, self.filters, self.sort, self.facets,
                          self.settings.weights, parsed.bonus, parsed.preferred, now=self.now,
                          by_coverage=by_coverage)
        return _Attempt(parsed, matches, by_coverage)


@dataclass(frozen=True)
class _Attempt:
    """One step of the ladder: the query searched and what it matched."""

    parsed: ParsedQuery
    matches: Matches
    by_coverage: bool = False  # releases with some of the words, those with the most first


def _corrected(search: _Search, attempt: _Attempt) -> tuple[_Attempt | None, list[str]]:
    """The query with each word no release contains replaced by the corpus word it probably meant (None when no
    word is unknown or none has a correction), and what was left out: the words not looked at once the budget was
    spent (each takes up to some 0.1 s on a large index)."""
    parsed = attempt.parsed
    if not parsed.typed:
        return None, []
    typed = parsed.typed
    fixes: list[tuple[str, str]] = []
    unknown = unknown_words(search.searcher, parsed)
    for number, word in enumerate(unknown):
        if search.budget.is_spent():
            untried = _listed([f"„{later}“" for later in unknown[number:]])
            return _with_fixes(search, parsed, typed, fixes), [f"ähnliche Schreibweisen für {untried}"]
        correction = suggest(search.searcher, word)
        if correction:
            typed = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", correction, typed)
            fixes.append((word, correction))
    return _with_fixes(search, parsed, typed, fixes), []


def _with_fixes(search: _Search, parsed: ParsedQuery, typed: str, fixes: list[tuple[str, str]]) -> _Attempt | None:
    """`typed`, the query with `fixes` made, searched, with a note naming them; None without fixes."""
    if not fixes:
        return None
    note = "Ergebnisse für " + ", ".join(f"„{fix}“ (statt „{typo}“)" for typo, fix in fixes) + "."
    corrected = replace(parse_user_query(typed, search.searcher, search.settings, now=search.now),
                        notes=(*parsed.notes, note), corrected=tuple(fixes))
    return search.attempt(corrected)


def _without_unknown_words(search: _Search, attempt: _Attempt) -> tuple[_Attempt | None, list[str]]:
    """The query without its required words that no release contains, with a note naming them; None when there are
    none, or nothing else."""
    parsed = attempt.parsed
    if not _can_relax(parsed.query):
        return None, []
    kept, dropped = _drop_unknown_words(search.searcher, parsed.query, parsed.typed)
    if not dropped:
        return None, []
    listed = ", ".join(f"„{word}“" for word in dropped)
    note = f"Kein Treffer für {listed}; gesucht wurde ohne {'dieses Wort' if len(dropped) == 1 else 'diese Wörter'}."
    return search.attempt(replace(parsed, query=kept, notes=(*parsed.notes, note))), []


def _some_words(search: _Search, attempt: _Attempt) -> tuple[_Attempt | None, list[str]]:
    """The query as typed with its words joined by OR, releases holding more of the words first (each word with
    its forms, parts and synonyms counts once; then by score): None for a single word. Its note is made once the
    hits are known (`_some_words_note`)."""
    query = attempt.parsed.query
    if not _can_relax(query.a if isinstance(query, wq.AndNot) else query):  # `-Polizei Kiosk Tasche` too
        return None, []
    relaxed = parse_user_query(search.typed, search.searcher, search.settings, relaxed=True, now=search.now)
    return search.attempt(relaxed, by_coverage=True), []


def _some_words_note(searcher: Searcher, parsed: ParsedQuery, matches: Matches, shown: list[Hit], page: int,
                     sort: str) -> str:
    """What the hits of a search with some of the words lack: the words the best hit does not hold (when they are
    ranked; newest first, the hits hold the words in no order)."""
    if sort == "date":
        return "Kein Treffer enthält alle Wörter; gezeigt werden Treffer mit einigen davon."
    if page == 1 and shown:
        why = shown[0].why
    else:
        best = matches.hits[0]
        why = _explained(searcher, parsed, [best.docnum], [best.fields()])[0].words
    missing = [word.word for word in why if word.how == "missing"]
    note = "Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon"
    if not missing:
        return note + "."
    return f"{note}, die ersten ohne {_listed([f'„{word}“' for word in missing])}."


_Step = Callable[[_Search, _Attempt], tuple[_Attempt | None, list[str]]]
# The ladder after the query as typed, and how a note names each step it did not try.
LADDER: tuple[_Step, ...] = (_corrected, _without_unknown_words, _some_words)
LEFT_OUT: dict[_Step, str] = {
    _corrected: "ähnliche Schreibweisen",
    _without_unknown_words: "Treffer ohne die unbekannten Wörter",
    _some_words: "Treffer mit einigen der Wörter",
}


def _fall_back(search: _Search, attempt: _Attempt) -> tuple[_Attempt, list[str]]:
    """The first step of the ladder that finds something (else `attempt`), and the steps, or parts of one, that
    were not tried because the budget was spent."""
    for number, step in enumerate(LADDER):
        if attempt.matches.total:
            break
        if search.budget.is_spent():
            return attempt, [LEFT_OUT[later] for later in LADDER[number:]]
        fallback, left_out = step(search, attempt)
        if fallback is not None and fallback.matches.total:
            attempt = fallback
        if left_out:  # the budget ran out within the step
            later = [] if attempt.matches.total else [LEFT_OUT[step] for step in LADDER[number + 1:]]
            return attempt, [*left_out, *later]
    return attempt, []


def _listed(items: list[str]) -> str:
    """„a“, „b“ und „c“ style: items joined with commas and a final "und"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def _page_hits(searcher: Searcher, parsed: ParsedQuery, matches: Matches, offset: int, scored: bool,
               now: float) -> list[Hit]:
    shown = matches.hits[offset:]
    # Stored fields, not hit.get(): a sortable column returns garbage for a release without a date.
    stored = [hit.fields() for hit in shown]
    explained = _explained(searcher, parsed, [hit.docnum for hit in shown], stored)
    hits = []
    for hit, fields, why in zip(shown, stored, explained, strict=True):
        release = release_from_fields(fields)
        title = release.shown_title
        hits.append(
            Hit(
                id=release.id,
                title=title,
                title_html=mark_terms(title, why.terms),
                date=release.date,
                source=release.source,
                score=hit.score if scored else None,
                snippet=snippet(release.text, why.terms) or plain_excerpt(release.text),
                versions=tuple(other_versions(searcher, release, now=now)) if matches.folded else (),
                code=release.code,
                place=release.place,
                url=release.original_url,
                why=why.words,
            )
        )
    return hits


def _explained(searcher: Searcher, parsed: ParsedQuery, docnums: list[int], stored: list[dict]) -> list[Explanation]:
    """How each release holds the words of `parsed`, and what to mark in it."""
    texts = [(fields.get("title", ""), fields.get("body", "")) for fields in stored]
    return explain(index_arrays(searcher).scorer, parsed, docnums, texts)


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
