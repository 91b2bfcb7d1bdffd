"""The blueprint: search page with results, single-release page, their JSON twins, and the health check."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from search import (
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    QueryError,
    Release,
    check_live_index,
    get_release,
    mark_release,
    run_query,
)

from .engine import get_searcher, get_settings

bp = Blueprint("presse", __name__)

# Longer `q` values are refused before parsing; the engine cuts what it searches much shorter (max_query_chars).
MAX_QUERY_PARAM_CHARS = 2000
# Release ids are file names; a longer one cannot exist.
MAX_ID_CHARS = 255
# How many page links to show on either side of the current page.
PAGE_WINDOW = 2
_POSITIVE_INT = re.compile(r"[0-9]{1,9}")


@bp.get("/")
def search() -> tuple[str, int] | str:
    """The search form; with `q`, one page of ranked hits."""
    text = request.args.get("q", "")
    if not text.strip():
        return render_template("search.html", q=text)
    try:
        result = run_query(get_searcher(), get_settings(), read_query(text), page=read_int("page", 1, "Seitenzahl"))
    except QueryError as error:
        return render_template("search.html", q=text, error=str(error)), 400
    last = min(result.page_count, get_settings().max_page)
    return render_template("search.html", q=text, result=result, pages=page_links(result.page, last))


@bp.get("/release/<release_id>")
def release(release_id: str) -> str:
    """One release in full, with the words of `q` marked when it is given."""
    text = request.args.get("q", "")
    searcher = get_searcher()
    found = find_release(searcher, release_id)
    # A query too long to search is not worth marking either; the release is shown all the same.
    marked = mark_release(searcher, get_settings(), found, text if len(text) <= MAX_QUERY_PARAM_CHARS else None)
    back = url_for(".search", q=text) if text.strip() else url_for(".search")
    return render_template("release.html", marked=marked, release=found, back=back)


@bp.get("/api/search")
def api_search() -> Response | tuple[Response, int]:
    """ResultPage.to_json(); 400 with {"error": ...} for an unusable query, page or limit."""
    try:
        text = read_query(request.args.get("q", ""))
        page = read_int("page", 1, "Seitenzahl")
        limit = read_int("limit", get_settings().page_size, "Trefferzahl pro Seite")
        result = run_query(get_searcher(), get_settings(), text, page=page, limit=limit)
    except QueryError as error:
        return jsonify(error=str(error)), 400
    return jsonify(result.to_json())


@bp.get("/api/release/<release_id>")
def api_release(release_id: str) -> Response:
    return jsonify(find_release(get_searcher(), release_id).to_json())


@bp.get("/health")
def health() -> tuple[Response, int]:
    """200 with the document count when searches can be answered, 503 otherwise."""
    root = get_settings().index
    try:
        get_searcher()
        info = check_live_index(root)
    except IndexStaleError:
        return jsonify(status="stale"), 503
    except IndexCorruptError:
        return jsonify(status="damaged"), 503
    except IndexMissingError:
        return jsonify(status="no index"), 503
    return jsonify(status="ok", documents=info.meta.get("documents")), 200


def read_query(text: str) -> str:
    if len(text) > MAX_QUERY_PARAM_CHARS:
        raise QueryError(f"Die Anfrage ist zu lang (höchstens {format_count_de(MAX_QUERY_PARAM_CHARS)} Zeichen).")
    return text


def read_int(name: str, default: int, label: str) -> int:
    """The positive integer argument `name`; bounds are checked by the engine, which knows them."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not _POSITIVE_INT.fullmatch(raw):
        raise QueryError(f"Die {label} muss eine ganze Zahl ab 1 sein.")
    return int(raw)


def find_release(searcher, release_id: str) -> Release:
    """The release with `release_id`; raises ReleaseNotFoundError (a 404 page, see create_app)."""
    if len(release_id) > MAX_ID_CHARS:
        abort(404)
    return get_release(searcher, release_id)


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
