"""The plain values the engine hands out: hits, result pages, version references, marked releases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .release import Release


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words; `date_to` is inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    source: str = ""
    place: str = ""  # exactly as the place facet names it

    def is_empty(self) -> bool:
        return self.date_from is None and self.date_to is None and not self.source and not self.place

    def narrowed(self, first: date | None, last: date | None) -> Filters:
        """These filters, further limited to the days from `first` to `last` (None or date.min/max: open)."""
        first = None if first in (None, date.min) else first
        last = None if last in (None, date.max) else last
        date_from = max((d for d in (self.date_from, first) if d), default=None)
        date_to = min((d for d in (self.date_to, last) if d), default=None)
        return Filters(date_from=date_from, date_to=date_to, source=self.source, place=self.place)


@dataclass(frozen=True)
class VersionRef:
    """Another version of a release (near-identical, linked at import)."""

    id: str
    title: str
    date: date | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date.isoformat() if self.date else None}


@dataclass(frozen=True)
class WordMatch:
    """How a hit holds one word of the query: `how` is "typed" (as written or inflected alike), "form" (another
    form of the word), "part" (inside a compound, or the word's own parts), "synonym", "corrected" (`word` was
    corrected to `found`), or "missing" (a hit of a search that found no release with all the words)."""

    word: str  # as typed
    how: str
    found: str = ""  # the word of the release that holds it (or the correction), when it differs from `word`

    def to_json(self) -> dict[str, str]:
        return {"word": self.word, "how": self.how, "found": self.found}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str  # as shown: without the code it begins with (see Release.shown_title)
    title_html: str
    date: date | None
    source: str
    score: float | None  # None when sorted by date: the order then says nothing about relevance
    snippet: str
    versions: tuple[VersionRef, ...] = ()  # the other versions of this release, folded into this hit
    code: str = ""  # the ots code or release number the published title begins with
    place: str = ""
    url: str = ""  # the published original, only when it is an http(s) address
    why: tuple[WordMatch, ...] = ()  # how it holds each word of the query, in the query's order


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
    filters: Filters = Filters()
    sort: str = "relevance"
    # Facet name → [(value, count)], over all matches; empty unless facets were asked for.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
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
                    "place": hit.place,
                    "code": hit.code,
                    "url": hit.url,
                    "score": None if hit.score is None else round(hit.score, 4),
                    "snippet": hit.snippet,
                    "versions": [version.to_json() for version in hit.versions],
                    "why": [word.to_json() for word in hit.why],
                }
                for hit in self.hits
            ],
            "notes": self.notes,
            "facets": {
                name: [{"value": value, "count": count} for value, count in values]
                for name, values in self.facets.items()
            },
        }


def facet_list(name: str, counts: Counter[str]) -> list[tuple[str, int]]:
    """Issuers and places by count (then name); years newest first."""
    if name == "year":
        return sorted(counts.items(), key=lambda item: item[0], reverse=True)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class MarkedRelease:
    """A release as HTML with a query's words marked: its title and the paragraphs of one part of its text."""

    release: Release
    title_html: str
    paragraphs_html: list[str]  # the shown part's paragraphs only
    part: int = 1
    part_count: int = 1
