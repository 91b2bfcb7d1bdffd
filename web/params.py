"""One search as the page, the API and the feed spell it in URLs: read from request arguments, written into links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask import url_for

from search import Filters, QueryError

# The HTML page and its feed speak German, the JSON API English; both name the same search.
PAGE_NAMES = {"text": "q", "date_from": "von", "date_to": "bis", "source": "quelle", "place": "ort",
              "sort": "sortierung"}
API_NAMES = {"text": "q", "date_from": "from", "date_to": "to", "source": "source", "place": "place", "sort": "sort"}
PAGE_SORTS = {"relevanz": "relevance", "datum": "date"}
API_SORTS = {"relevance": "relevance", "date": "date"}
# Longer `q` values are refused before parsing; the engine cuts what it searches much shorter (max_query_chars).
MAX_QUERY_PARAM_CHARS = 2000
# No issuer in the shared corpus has a name this long (nor a place).
MAX_SOURCE_CHARS = 300
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class SearchArgs:
    """A validated search: words, filters, sort and page, plus the links that change one of them."""

    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1

    def is_blank(self) -> bool:
        """Nothing asked for yet: the start page shows only the form."""
        return not self.text.strip() and self.filters.is_empty() and self.sort == "relevance"

    def page_args(self) -> dict[str, str]:
        """The search in the page's German parameter names, without empty values and defaults (page excluded)."""
        sort_names = {engine: name for name, engine in PAGE_SORTS.items()}
        values = {
            "q": self.text,
            "von": self.filters.date_from.isoformat() if self.filters.date_from else "",
            "bis": self.filters.date_to.isoformat() if self.filters.date_to else "",
            "quelle": self.filters.source,
            "ort": self.filters.place,
            "sortierung": "" if self.sort == "relevance" else sort_names[self.sort],
        }
        return {name: value for name, value in values.items() if value}

    def link(self, endpoint: str = "presse.search", page: int | None = None, **changes: Any) -> str:
        """The URL of this search with `changes` (field names: text, date_from, date_to, source, place, sort) applied.

        A changed search starts again on page 1, so the page is only in the link when `page` is given.
        """
        filter_changes = {k: changes.pop(k) for k in ("date_from", "date_to", "source", "place") if k in changes}
        changed = replace(self, filters=replace(self.filters, **filter_changes), **changes)
        args: dict[str, Any] = dict(changed.page_args())
        if page is not None:
            args["page"] = page
        return url_for(endpoint, **args)

    def year_link(self, year: int | str) -> str:
        """This search within one calendar year (a year facet's value)."""
        year = int(year)
        return self.link(date_from=date(year, 1, 1), date_to=date(year, 12, 31))

    def chips(self) -> list[tuple[str, str]]:
        """The active filters as (label, link to this search without it)."""
        chips = []
        year = self.year()
        if year is not None:
            chips.append((f"Jahr {year}", self.link(date_from=None, date_to=None)))
        else:
            if self.filters.date_from:
                chips.append((f"ab {self.filters.date_from:%d.%m.%Y}", self.link(date_from=None)))
            if self.filters.date_to:
                chips.append((f"bis {self.filters.date_to:%d.%m.%Y}", self.link(date_to=None)))
        if self.filters.source:
            chips.append((f"Herausgeber: {self.filters.source}", self.link(source="")))
        if self.filters.place:
            chips.append((f"Ort: {self.filters.place}", self.link(place="")))
        return chips

    def year(self) -> int | None:
        """The year when the date filters span exactly one calendar year (as a click on a year facet sets them)."""
        start, end = self.filters.date_from, self.filters.date_to
        if start and end and start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            return start.year
        return None


def read_search(args: Mapping[str, str], names: Mapping[str, str], sorts: Mapping[str, str]) -> SearchArgs:
    """The search in `args` under `names`; raises QueryError with a German message for a value that cannot be used."""
    text = args.get(names["text"], "")
    if len(text) > MAX_QUERY_PARAM_CHARS:
        raise QueryError(f"Die Anfrage ist zu lang (höchstens {MAX_QUERY_PARAM_CHARS:,} Zeichen).".replace(",", "."))
    source = args.get(names["source"], "").strip()
    if len(source) > MAX_SOURCE_CHARS:
        raise QueryError(f"Der Herausgeber ist zu lang (höchstens {MAX_SOURCE_CHARS} Zeichen).")
    place = args.get(names["place"], "").strip()
    if len(place) > MAX_SOURCE_CHARS:
        raise QueryError(f"Der Ort ist zu lang (höchstens {MAX_SOURCE_CHARS} Zeichen).")
    date_from = read_date(args, names["date_from"])
    date_to = read_date(args, names["date_to"])
    if date_from and date_to and date_from > date_to:
        raise QueryError(
            f"Der Zeitraum ist leer: „{names['date_from']}“ ({date_from.isoformat()}) liegt nach "
            f"„{names['date_to']}“ ({date_to.isoformat()})."
        )
    raw_sort = args.get(names["sort"], "")
    if raw_sort and raw_sort not in sorts:
        allowed = " und ".join(f"„{name}“" for name in sorts)
        raise QueryError(f"Die Sortierung „{raw_sort[:40]}“ gibt es nicht; möglich sind {allowed}.")
    return SearchArgs(
        text=text,
        filters=Filters(date_from=date_from, date_to=date_to, source=source, place=place),
        sort=sorts[raw_sort] if raw_sort else "relevance",
    )


def read_date(args: Mapping[str, str], name: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryError(
            f"„{raw[:40]}“ ist kein gültiges Datum für „{name}“; bitte im Format JJJJ-MM-TT angeben, "
            "z. B. 2025-01-31."
        ) from None

