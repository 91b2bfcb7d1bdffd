"""The blueprint: search page with results, single release, their JSON twins, Atom feed, OpenSearch, health check."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from search import (
    Budget,
    IndexCorruptError,
    IndexDamagedError,
    IndexMissingError,
    IndexStaleError,
    IndexUnsafeError,
    Issuer,
    IssuerMatch,
    IssuerTable,
    QueryError,
    Release,
    ResultPage,
    check_live_index,
    get_release,
    issuer_table,
    mark_release,
    match_issuer,
    original_host,
    original_url,
    release_versions,
    run_query,
    similar_releases,
)

from .engine import get_live_index, get_searcher, get_settings, search_budget, today
from .feed import FEED_ENTRIES, atom_feed, lead_text, opensearch_description
from .links import absolute, external_url
from .params import (
    API_NAMES,
    API_SORTS,
    MAX_QUERY_PARAM_CHARS,
    PAGE_NAMES,
    PAGE_SORTS,
    SearchArgs,
    read_date,
    read_search,
)
from .suggestions import count_shortcuts, empty_help, issuer_choices

bp = Blueprint("presse", __name__)

# Release ids are file names; a longer one cannot exist.
MAX_ID_CHARS = 255
# How many page links to show on either side of the current page.
PAGE_WINDOW = 2
# How many similar releases the release page lists.
SIMILAR_COUNT = 5
_POSITIVE_INT = re.compile(r"[0-9]{1,9}")
TEXT_PLAIN = "text/plain; charset=utf-8"


@bp.get("/")
def search() -> tuple[str, int] | str:
    """The search form; with words, filters or a sort, one page of hits with facets.

    An issuer may be typed in part ("polizei frankfurt"): one issuer containing it is searched under its full name;
    several are offered to choose from. A search that finds nothing offers only ways on that find something.
    """
    try:
        args = read_search(request.args, PAGE_NAMES, PAGE_SORTS)
    except QueryError as error:
        return render_search(SearchArgs(text=request.args.get("q", "")), error=str(error)), 400
    if args.is_blank():
        return render_search(args)
    table = issuers_now()
    args, match = with_issuer(args, table)
    try:
        if match is not None and match.ambiguous:
            choices, others = issuer_choices(args, match, run_search)
            return render_search(args, table.issuers, match=match, choices=choices, other_choices=others)
        page = read_int("page", 1, "Seitenzahl")
        result = run_search(args, page=page)
        # Without hits and without dates, no range of days can find any: not even searched then.
        dated = result.total or args.filters.date_from or args.filters.date_to
        shortcuts = count_shortcuts(args, today(), table.last_day, run_search) if dated else []
        helps = empty_help(args, match, shared_budget_search()) if not result.total else None
    except QueryError as error:
        return render_search(args, table.issuers, error=str(error)), 400
    last = min(result.page_count, get_settings().max_page)
    return render_search(args, table.issuers, result=result, pages=page_links(result.page, last), match=match,
                         shortcuts=shortcuts, helps=helps)


def issuers_now() -> IssuerTable:
    """The issuers of the releases that may be shown now (cached per index state: see search.issuer_table)."""
    return issuer_table(get_searcher(), now=get_settings().clock())


def with_issuer(args: SearchArgs, table: IssuerTable) -> tuple[SearchArgs, IssuerMatch | None]:
    """`args` with its issuer under the full name when what was typed names one of `table`'s (in full or by a unique
    part), and what the typed issuer matched (None without an issuer filter)."""
    if not args.filters.source:
        return args, None
    match = match_issuer(table.names(), args.filters.source)
    if match.name:
        args = replace(args, filters=replace(args.filters, source=match.name))
    return args, match


def render_search(args: SearchArgs, issuers: Sequence[Issuer] = (), **context: Any) -> str:
    # The form echoes what was typed, even a value that could not be used; an issuer found by a part of its name
    # is shown in full. `issuers` are offered in the filter form: none on the start page, which opens no index, and
    # on a query that could not be read.
    fields = {name: request.args.get(name, "") for name in PAGE_NAMES.values()}
    if args.filters.source:
        fields["quelle"] = args.filters.source
    date_inputs = {name: "date" if is_date_value(fields, name) else "text" for name in ("von", "bis")}
    return render_template("search.html", q=args.text, args=args, fields=fields, issuers=issuers,
                           date_inputs=date_inputs, **context)


def is_date_value(fields: dict[str, str], name: str) -> bool:
    """Whether a date field can show the value: a browser empties a date field given anything but a real date."""
    try:
        read_date(fields, name)
    except QueryError:
        return False
    return True


def run_search(args: SearchArgs, page: int = 1, limit: int | None = None, facets: bool = True,
               budget: Budget | None = None) -> ResultPage:
    return run_query(get_searcher(), get_settings(), args.text, page=page, limit=limit, filters=args.filters,
                     sort=args.sort, facets=facets, budget=budget or search_budget())


def shared_budget_search() -> Callable[..., ResultPage]:
    """run_search with one budget for all its calls: the searches behind an empty page's suggestions together
    cost at most one search's time in corrections and fallbacks (each still tries its words as typed)."""
    budget = search_budget()
    return lambda args, **options: run_search(args, budget=budget, **options)


@bp.get("/quellen")
def issuers() -> str:
    """Every issuer with its number of releases, its newest release and its feed, as press portals list them."""
    return render_template("issuers.html", issuers=issuers_now().issuers)


@bp.get("/release/<release_id>")
def release(release_id: str) -> str:
    """One release in full, with the words of `q` marked when it is given, its versions and similar releases.

    A link from a result page carries its whole search, so "back" returns to the same words, filters and sort.
    """
    text = request.args.get("q", "")
    part = request.args.get("teil", "1")
    if not _POSITIVE_INT.fullmatch(part):
        abort(404)
    searcher = get_searcher()
    now = get_settings().clock()
    found = find_release(searcher, release_id, now)
    # A query too long to search is not worth marking either; the release is shown all the same. A long release is
    # shown in parts, each with a link to the next: a 4.9 MB release was 5 MB of HTML.
    marked = mark_release(searcher, get_settings(), found, text if len(text) <= MAX_QUERY_PARAM_CHARS else None,
                          part=int(part))
    try:
        came_from = read_search(request.args, PAGE_NAMES, PAGE_SORTS)
    except QueryError:  # a damaged link still shows the release; "back" then keeps only the words
        came_from = SearchArgs(text=text)
    back = url_for(".search") if came_from.is_blank() else came_from.link()
    return render_template(
        "release.html",
        marked=marked,
        release=found,
        back=back,
        previous_part=part_link(found.id, marked.part - 1) if marked.part > 1 else None,
        next_part=part_link(found.id, marked.part + 1) if marked.part < marked.part_count else None,
        original=original_link(found.url),
        versions=release_versions(searcher, found.id, now=now),
        similar=similar_releases(searcher, found.id, limit=SIMILAR_COUNT, now=now),
    )


def part_link(release_id: str, part: int) -> str:
    """This release page (with the search it came from) at another part of the text; part 1 is the plain link."""
    args: dict[str, Any] = {name: value for name, value in request.args.items() if name != "teil"}
    if part > 1:
        args["teil"] = part
    return url_for(".release", release_id=release_id, **args)


@bp.get("/release/<release_id>/zitat.txt")
def release_text(release_id: str) -> Response:
    """The release as plain text, headed by a citation: title, issuer, date, permalink."""
    found = find_release(get_searcher(), release_id)
    return Response(citation_text(found, external_url(".release", release_id=found.id)),
                    content_type=TEXT_PLAIN)


@bp.get("/feed")
def feed() -> Response | tuple[str, int]:
    """The page's search (same parameters, words optional) as an Atom feed, newest first."""
    try:
        args, _ = with_issuer(replace(read_search(request.args, PAGE_NAMES, PAGE_SORTS), sort="date"), issuers_now())
        result = run_search(args, limit=FEED_ENTRIES)
    except QueryError as error:
        return render_template("error.html", title="Ungültige Anfrage", message=str(error)), 400
    document = atom_feed(
        result,
        title=feed_title(args),
        self_url=absolute(args.link(".feed", sort="relevance")),  # a feed is always newest first
        page_url=absolute(args.link()),
        release_url=lambda release_id: external_url(".release", release_id=release_id),
        original_link=original_link,
        # The hits were visible at the search's instant; math.inf reads each even if its embargo ended just now.
        leads={hit.id: lead_text(get_release(get_searcher(), hit.id, now=math.inf).paragraphs)
               for hit in result.hits},
    )
    return Response(document, content_type="application/atom+xml; charset=utf-8")


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    document = opensearch_description(
        search_template=external_url(".search") + "?q={searchTerms}",
        feed_template=external_url(".feed") + "?q={searchTerms}",
        self_url=external_url(".opensearch"),
    )
    return Response(document, content_type="application/opensearchdescription+xml; charset=utf-8")


@bp.get("/api/search")
def api_search() -> Response | tuple[Response, int]:
    """ResultPage.to_json() with facets; 400 with {"error": ...} for an unusable query, filter, sort, page or limit."""
    try:
        args = read_search(request.args, API_NAMES, API_SORTS)
        page = read_int("page", 1, "Seitenzahl")
        limit = read_int("limit", get_settings().page_size, "Trefferzahl pro Seite")
        result = run_search(args, page=page, limit=limit)
    except QueryError as error:
        return jsonify(error=str(error)), 400
    return jsonify(result.to_json())


@bp.get("/api/release/<release_id>")
def api_release(release_id: str) -> Response:
    return jsonify(find_release(get_searcher(), release_id).to_json())


@bp.get("/health")
def health() -> tuple[Response, int]:
    """200 with the document count and the answering process (`presse serve` runs several) when searches can be
    answered from the live index, 503 otherwise: also while damage in it is answered from the last intact one."""
    root = get_settings().index
    try:
        documents = get_searcher().doc_count()  # the live count: the build's, plus adds, minus deletions
        check_live_index(root)
    except IndexStaleError:
        return jsonify(status="stale"), 503
    except IndexDamagedError as error:
        return jsonify(status="damaged", files=error.files), 503
    except IndexUnsafeError:
        return jsonify(status="unsafe", detail="an index file holds an object presse refuses to load"), 503
    except IndexCorruptError:
        return jsonify(status="damaged"), 503
    except IndexMissingError:
        return jsonify(status="no index"), 503
    damage = get_live_index().damage()
    if damage is not None:
        # Searches still work, from the searcher opened before the damage: an operator must rebuild all the same.
        files = damage.files if isinstance(damage, IndexDamagedError) else []
        return jsonify(status="damaged", files=files, serving="last intact index", documents=documents,
                       process=os.getpid()), 503
    return jsonify(status="ok", documents=documents, process=os.getpid()), 200


def read_int(name: str, default: int, label: str) -> int:
    """The positive integer argument `name`; bounds are checked by the engine, which knows them."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not _POSITIVE_INT.fullmatch(raw):
        raise QueryError(f"Die {label} muss eine ganze Zahl ab 1 sein.")
    return int(raw)


def find_release(searcher, release_id: str, now: float | None = None) -> Release:
    """The release with `release_id` if its embargo has ended at `now` (default: the settings' clock); raises
    ReleaseNotFoundError (a 404 page, see create_app), the same for an embargoed release as for a missing one."""
    if len(release_id) > MAX_ID_CHARS:
        abort(404)
    return get_release(searcher, release_id, now=get_settings().clock() if now is None else now)


def original_link(url: str) -> tuple[str, str] | None:
    """The published original's address and its label ("Original bei presseportal.de"); None unless it is an
    http(s) address, so a `javascript:` or relative one never becomes a link."""
    address = original_url(url)
    return (address, f"Original bei {original_host(address)}") if address else None


def citation_text(release: Release, permalink: str) -> str:
    issuer = release.source or "Unbekannter Herausgeber"
    when = f"Pressemitteilung vom {format_date_de(release.date)}" if release.date else "Pressemitteilung ohne Datum"
    lines = [
        release.title,
        "",
        f"Herausgeber: {release.source or '–'}",
        f"Datum: {format_date_de(release.date) or '–'}",
    ]
    if release.place:
        lines.append(f"Ort: {release.place}")
    if original := original_link(release.url):
        lines.append(f"{original[1]}: {original[0]}")
    lines += [
        f"Permalink: {permalink}",
        "",
        f"Zitiervorschlag: {issuer}: „{release.title}“. {when}. {permalink}",
        "",
        "",
        "\n\n".join(release.paragraphs),
        "",
    ]
    return "\n".join(lines)


def feed_title(args: SearchArgs) -> str:
    parts = [f"„{args.text.strip()}“"] if args.text.strip() else []
    if args.filters.source:
        parts.append(args.filters.source)
    if args.filters.place:
        parts.append(f"Ort: {args.filters.place}")
    if args.filters.date_from:
        parts.append(f"ab {format_date_de(args.filters.date_from)}")
    if args.filters.date_to:
        parts.append(f"bis {format_date_de(args.filters.date_to)}")
    return "Pressemitteilungen" + (": " + ", ".join(parts) if parts else ", neueste zuerst")


def page_links(current: int, last: int) -> list[int | None]:
    """Page numbers to link: the first, the last and a window around `current`; None marks a gap."""
    if last <= 1:
        return []
    shown = {1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)}
    links: list[int | None] = []
    for number in sorted(shown):
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


@bp.app_context_processor
def template_limits() -> dict[str, int]:
    return {"query_limit": MAX_QUERY_PARAM_CHARS}


@bp.app_template_filter("date_de")
def format_date_de(value: date | None) -> str:
    """11.09.2025"""
    return value.strftime("%d.%m.%Y") if value else ""


@bp.app_template_filter("count_de")
def format_count_de(value: int) -> str:
    """12.345, with the German thousands separator."""
    return f"{value:,}".replace(",", ".")


@bp.app_template_filter("seconds_de")
def format_seconds_de(value: float) -> str:
    """0,012 s"""
    return f"{value:.3f}".replace(".", ",") + " s"
