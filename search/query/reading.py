"""Reading single releases out of the index: by id, marked for a query, their versions and similar releases."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

import numpy as np

from ..config import Settings
from ..errors import QueryError, ReleaseNotFoundError
from ..release import Release
from ..results import Hit, MarkedRelease, VersionRef
from . import Searcher
from .explain import explain
from .highlight import mark_terms, plain_excerpt
from .parser import parse_user_query
from .scorer import index_arrays

# How many distinctive words of a release describe it when looking for similar ones.
SIMILAR_TERMS = 12
# A release is shown in parts of at most this many characters. Press releases have a few thousand; a 4.9 MB file
# shown whole was 5 MB of HTML and took 1.6-3.7 s to mark and render.
PART_CHARS = 20_000


def get_release(searcher: Searcher, release_id: str, *, now: float) -> Release:
    """The stored release with `release_id`; raises ReleaseNotFoundError, also while its embargo lasts at `now`
    (seconds since 1970; pass math.inf to read an embargoed release, as an operator may)."""
    fields = searcher.document(id=release_id)
    if fields is None or not is_visible(fields, now):
        raise ReleaseNotFoundError(f"Keine Meldung mit der Kennung „{release_id}“.")
    return release_from_fields(fields)


def is_visible(fields: dict[str, Any], now: float) -> bool:
    """Whether the release of these stored fields may be shown at `now`: its embargo, if any, has ended."""
    return fields.get("embargo", 0) <= now


def embargo_end(searcher: Searcher, release_id: str) -> float:
    """When the embargo of the release `release_id` ends (seconds since 1970), 0 without one; raises
    ReleaseNotFoundError when there is no such release."""
    fields = searcher.document(id=release_id)
    if fields is None:
        raise ReleaseNotFoundError(f"Keine Meldung mit der Kennung „{release_id}“.")
    return fields.get("embargo", 0)


def release_from_fields(fields: dict[str, Any]) -> Release:
    """The Release a document's stored fields describe."""
    return Release(
        id=fields["id"],
        title=fields.get("title", ""),
        text=fields.get("body", ""),
        date=as_date(fields.get("date")),
        source=fields.get("source", ""),
        place=fields.get("place", ""),
        url=fields.get("url", ""),
        version_of=fields.get("version_of", ""),
    )


def mark_release(searcher: Searcher, settings: Settings, release: Release, typed: str | None,
                 part: int = 1) -> MarkedRelease:
    """The release's title and the paragraphs of its `part` (see release_parts) as HTML, with the words of the
    query `typed` marked (if any); only the part shown is marked. Raises ReleaseNotFoundError for a part it has not.
    """
    parts = release_parts(release.paragraphs)
    if not 1 <= part <= len(parts):
        raise ReleaseNotFoundError(f"Die Meldung „{release.id}“ hat keinen Teil {part}.")
    terms: frozenset[str] = frozenset()
    if typed and typed.strip():
        try:
            parsed = parse_user_query(typed, searcher, settings)
            docnum = searcher.document_number(id=release.id)
            if docnum is not None:  # what counted in this release, as in its hit
                scorer = index_arrays(searcher).scorer
                terms = explain(scorer, parsed, [docnum])[0].terms
        except QueryError:
            terms = frozenset()  # an unusable query marks nothing; the release is still shown
    return MarkedRelease(
        release=release,
        title_html=mark_terms(release.shown_title, terms),
        paragraphs_html=[mark_terms(p, terms) for p in parts[part - 1]],
        part=part,
        part_count=len(parts),
    )


def release_parts(paragraphs: list[str], max_chars: int = PART_CHARS) -> list[list[str]]:
    """The paragraphs in consecutive parts of at most `max_chars` characters (at least one part, maybe empty);
    a longer paragraph is cut between words, or anywhere when one word is that long."""
    parts: list[list[str]] = [[]]
    size = 0
    for paragraph in paragraphs:
        for piece in _pieces(paragraph, max_chars):
            if parts[-1] and size + len(piece) > max_chars:
                parts.append([])
                size = 0
            parts[-1].append(piece)
            size += len(piece)
    return parts


def _pieces(paragraph: str, max_chars: int) -> list[str]:
    pieces = []
    while len(paragraph) > max_chars:
        cut = paragraph.rfind(" ", 0, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        pieces.append(paragraph[:cut])
        paragraph = paragraph[cut:].lstrip(" ")
    return [*pieces, paragraph]


def release_versions(searcher: Searcher, release_id: str, *, now: float) -> list[VersionRef]:
    """The other versions of the release `release_id` shown at `now`, oldest first; raises ReleaseNotFoundError."""
    return other_versions(searcher, get_release(searcher, release_id, now=now), now=now)


def other_versions(searcher: Searcher, release: Release, *, now: float) -> list[VersionRef]:
    """The other versions of `release` (read from the index) whose embargo has ended at `now`, oldest first."""
    members = [release_from_fields(fields) for fields in searcher.documents(group=version_group(release))
               if is_visible(fields, now)]
    others = [m for m in members if m.id != release.id]
    others.sort(key=lambda m: (m.date or date.min, m.id))
    return [VersionRef(m.id, m.title, m.date) for m in others]


def version_group(release: Release) -> str:
    """What all versions of a release share: the earliest version's id (see the schema's `group`)."""
    return release.version_of or release.id


def similar_releases(searcher: Searcher, release_id: str, limit: int = 5, *, now: float) -> list[Hit]:
    """Releases most like `release_id` by their distinctive words, without the release itself, its versions and
    releases still under embargo at `now`."""
    docnum = searcher.document_number(id=release_id)
    fields = searcher.reader().stored_fields(docnum) if docnum is not None else None
    if fields is None or not is_visible(fields, now):
        raise ReleaseNotFoundError(f"Keine Meldung mit der Kennung „{release_id}“.")
    release = release_from_fields(fields)
    group = version_group(release)
    # The release, all its versions and the embargoed releases are no "similar" ones: asking for that many more
    # keeps the list full (embargoed releases are few, and their count is one array comparison).
    skipped = (1 + sum(1 for _ in searcher.documents(group=group))
               + int(np.count_nonzero(~index_arrays(searcher).columns.visible_at(now))))
    similar: list[Hit] = []
    # The distinctive words are read from the release's first part, the one its page opens with: analysing all
    # 4.9 MB of an outsized release took 7 s, and a press release's words are in its first few thousand characters.
    text = (release.title + "\n\n" + release.text)[:PART_CHARS]
    results = searcher.more_like(docnum, "body", text=text, top=limit + skipped, numterms=SIMILAR_TERMS)
    for hit in results:
        hit_fields = hit.fields()
        other = release_from_fields(hit_fields)
        if version_group(other) == group or not is_visible(hit_fields, now):
            continue
        title = other.shown_title
        similar.append(Hit(id=other.id, title=title, title_html=escape(title), date=other.date,
                           source=other.source, score=hit.score, snippet=plain_excerpt(other.text),
                           code=other.code, place=other.place, url=other.original_url))
        if len(similar) == limit:
            break
    return similar


def as_date(value: object) -> date | None:
    """A stored date (a datetime in the index) as a date; None for anything else (an undated release)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
