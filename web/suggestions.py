"""What a result page offers beside its hits, each checked to lead to something: time shortcuts with their counts,
issuers to choose, and for a search that found nothing, fewer words, other issuers and the newest releases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

from search import Filters, Hit, IssuerMatch, QueryError, ResultPage

from .params import PAGE_NAMES, PAGE_SORTS, SearchArgs, read_search

# A search of many words that finds nothing is offered at most this many shorter versions (one search each).
MAX_FEWER_WORDS = 6
# The newest releases shown for the filters of a search that found nothing.
NEWEST_COUNT = 5
# Issuers listed for a part of a name that several contain (the rest are counted).
MAX_ISSUER_CHOICES = 20

# The view's own search: run(args, limit=…, facets=…) gives the result page of `args`.
Runner = Callable[..., ResultPage]


@dataclass(frozen=True)
class Shortcut:
    """A time range counted back from today ("Letzte 7 Tage"), with the number of hits it gives."""

    label: str
    start: date
    count: int


@dataclass(frozen=True)
class Choice:
    """A link offered instead of the search as asked: its text, its search, and how many hits it gives."""

    label: str
    args: SearchArgs
    count: int
    instead_of: str = ""  # the words as left over, when the search corrected them into `label`


@dataclass(frozen=True)
class EmptyHelp:
    """What a search with no hits offers; every link in it was searched and finds something."""

    fewer_words: list[Choice]
    without_filters: Choice | None
    issuers: list[Choice]
    newest: list[Hit]
    newest_filtered: bool = False  # whether the newest releases are within filters (an unknown issuer is dropped)
    dead_chips: frozenset[str] = frozenset()  # links of filter chips whose removal still finds nothing


def shortcut_ranges(today: date) -> list[tuple[str, date]]:
    """The time shortcuts: the start of each range, counted back from `today`."""
    return [
        ("Letzte 7 Tage", today - timedelta(days=6)),
        ("Letzte 30 Tage", today - timedelta(days=29)),
        ("Dieses Jahr", date(today.year, 1, 1)),
    ]


def count_shortcuts(args: SearchArgs, today: date, last_day: date | None, run: Runner) -> list[Shortcut]:
    """The shortcuts that give hits for `args` (its dates replaced by the range), with their counts. A range that
    starts after the newest release (the corpus can end before today) is not searched at all."""
    shortcuts = []
    for label, start in shortcut_ranges(today):
        if last_day is None or start > last_day:
            continue
        count = _count(run, replace(args, filters=replace(args.filters, date_from=start, date_to=None)))
        if count:
            shortcuts.append(Shortcut(label, start, count))
    return shortcuts


def issuer_choices(args: SearchArgs, match: IssuerMatch, run: Runner) -> tuple[list[Choice], list[str]]:
    """For a part of a name that several issuers contain: those with hits for `args` (most first), and the names of
    those that give none. One search without the issuer filter counts them all by its issuer facet."""
    unfiltered = run(replace(args, filters=replace(args.filters, source="")), limit=1, facets=True)
    counts = dict(unfiltered.facets.get("source", []))
    found = sorted((name for name in match.candidates if counts.get(name)), key=lambda name: (-counts[name], name))
    choices = [Choice(name, _with_source(args, name), counts[name]) for name in found[:MAX_ISSUER_CHOICES]]
    others = [name for name in match.candidates if not counts.get(name)]
    return choices, others[:MAX_ISSUER_CHOICES]


def empty_help(args: SearchArgs, match: IssuerMatch | None, run: Runner) -> EmptyHelp:
    """Ways on from a search that found nothing: the words with one left out, the words without filters, the
    issuers closest to an unknown one, and the newest releases within the filters. Each variant is searched once
    (a filter chip's link is often the search without filters again)."""
    totals: dict[tuple[tuple[str, str], ...], ResultPage] = {}

    def search_once(variant: SearchArgs) -> ResultPage:
        key = tuple(sorted(variant.page_args().items()))
        if key not in totals:
            totals[key] = _search(run, variant, 1)
        return totals[key]

    fewer = [choice for variant in _fewer_words(args)
             if (choice := _corrected_choice(search_once(variant), variant)) is not None]
    without = None
    if args.text.strip() and not args.filters.is_empty():
        bare = replace(args, filters=Filters())
        count = search_once(bare).total
        without = Choice("Ohne Filter suchen", bare, count) if count else None
    issuers = []
    if match is not None and match.name is None:
        for name in match.candidates:
            variant = _with_source(args, name)
            if count := search_once(variant).total:
                issuers.append(Choice(name, variant, count))
    newest: list[Hit] = []
    known = args.filters if match is None or match.name else replace(args.filters, source="")
    if args.text.strip():
        newest = _search(run, SearchArgs(filters=known, sort="date"), NEWEST_COUNT).hits
    dead = frozenset(link for _, link in args.chips() if not search_once(_args_of(link)).total)
    return EmptyHelp(fewer, without, issuers, newest, newest_filtered=not known.is_empty(), dead_chips=dead)


def _args_of(link: str) -> SearchArgs:
    """The search a page link (as SearchArgs.link writes it) stands for."""
    return read_search(dict(parse_qsl(urlsplit(link).query)), PAGE_NAMES, PAGE_SORTS)


def _fewer_words(args: SearchArgs) -> list[SearchArgs]:
    """`args` with each of its words left out in turn (a query of one word has no shorter version)."""
    words = args.text.split()
    if not 2 <= len(words) <= MAX_FEWER_WORDS:
        return []
    variants = [" ".join(words[:i] + words[i + 1:]) for i in range(len(words))]
    return [replace(args, text=text) for text in dict.fromkeys(variants)]


def _corrected_choice(found: ResultPage, args: SearchArgs) -> Choice | None:
    """A link to `args` when its search `found` something; when the search corrected its words ("Hochwaser"), to
    the words it found them with, saying which were typed."""
    if not found.total:
        return None
    corrected = " ".join(found.query.split())
    if corrected and corrected.split() != args.text.split():
        return Choice(corrected, replace(args, text=corrected), found.total, instead_of=args.text)
    return Choice(args.text, args, found.total)


def _with_source(args: SearchArgs, name: str) -> SearchArgs:
    return replace(args, filters=replace(args.filters, source=name))


def _count(run: Runner, args: SearchArgs) -> int:
    return _search(run, args, 1).total


def _search(run: Runner, args: SearchArgs, limit: int) -> ResultPage:
    """`args` searched for `limit` hits; a variant that cannot be searched (only operators left) finds nothing."""
    try:
        return run(args, limit=limit, facets=False)
    except QueryError:
        return ResultPage(query=args.text, total=0, page=1, page_count=1, limit=limit)
