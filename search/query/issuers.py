"""The issuers of an index, each with its number of releases and its newest one, and a typed part of a name resolved
to the issuer it means: made from the release columns once per searcher, so a page can offer them on every request."""

from __future__ import annotations

import difflib
import math
import threading
import weakref
from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh.searching import Searcher

from ..german.dates import date_of_day_number
from ..german.release_codes import split_title_code
from .scorer import IndexArrays, index_arrays

# How many issuers a name that matches none is compared to at most: enough for a typo, few enough to read.
CLOSEST_COUNT = 5
# difflib's ratio below which a name is not offered as meant (0.6 is its own default; names share many words).
CLOSEST_CUTOFF = 0.5


@dataclass(frozen=True)
class Issuer:
    """One issuer: how many releases it published (versions of one release count once, as a search counts them)
    and its newest release."""

    name: str
    count: int
    newest_id: str
    newest_title: str  # its headline, without the code a title may begin with (shown apart, as on the hits)
    newest_date: date | None
    newest_code: str = ""


@dataclass(frozen=True)
class IssuerTable:
    """Every issuer of one index state, by name, and the newest day of any release (None when nothing is dated)."""

    issuers: tuple[Issuer, ...]
    last_day: date | None

    def names(self) -> list[str]:
        return [issuer.name for issuer in self.issuers]


@dataclass(frozen=True)
class IssuerMatch:
    """What a typed issuer name means: `name` when it names one issuer (in full or by a unique part), else the
    `candidates`: the issuers containing it when there are several, the closest names when none contains it."""

    typed: str
    name: str | None
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False  # several issuers contain what was typed (else the candidates are only alike)


# Per searcher: its table and the instant until which it holds (the next embargo to end; inf when none is pending).
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TABLES_LOCK = threading.Lock()


def issuer_table(searcher: Searcher, *, now: float) -> IssuerTable:
    """The issuers of `searcher`'s releases that may be shown at `now` (seconds since 1970; an embargoed release
    counts nowhere and is no issuer's newest): a bincount over the release columns and one stored-fields read per
    issuer. Made once per searcher (a searcher sees one unchanging state) and again when an embargo ends."""
    with _TABLES_LOCK:
        cached = _TABLES.get(searcher)
        if cached is None or not cached[1] > now:
            cached = _TABLES[searcher] = _make_table(searcher, now)
        return cached[0]


def _make_table(searcher: Searcher, now: float) -> tuple[IssuerTable, float]:
    arrays = index_arrays(searcher)
    columns = arrays.columns
    visible = columns.visible_at(now)
    pending = columns.embargo[arrays.scorer.live & ~visible]
    valid_until = float(pending.min()) if len(pending) else math.inf
    return _table_of(searcher, arrays, np.flatnonzero(arrays.scorer.live & visible)), valid_until


def _table_of(searcher: Searcher, arrays: IndexArrays, docs: np.ndarray) -> IssuerTable:
    """The issuers of the releases `docs` (release numbers, ascending)."""
    columns = arrays.columns
    if not len(docs):
        return IssuerTable((), None)
    codes = columns.codes["source"][docs].astype(np.int64)
    names = columns.tables["source"]
    if arrays.has_versions:  # each (issuer, version group) once, as a search's total counts them
        group_count = len(columns.tables["group"]) + 1
        pairs = np.unique(codes * group_count + columns.codes["group"][docs])
        counts = np.bincount(pairs // group_count, minlength=len(names))
    else:
        counts = np.bincount(codes, minlength=len(names))
    days = columns.day[docs].astype(np.int64)
    # Per issuer the newest day, and on that day the lowest release number: the first hit of its search by date.
    order = np.lexsort((-docs, days, codes))
    last_of_code = np.flatnonzero(np.append(codes[order][1:] != codes[order][:-1], True))
    issuers = []
    for position in order[last_of_code].tolist():
        code = int(codes[position])
        if not names[code]:  # releases without an issuer
            continue
        fields = searcher.reader().stored_fields(int(docs[position]))
        title = split_title_code(fields.get("title", ""))
        issuers.append(Issuer(name=names[code], count=int(counts[code]), newest_id=fields["id"],
                              newest_title=title.headline, newest_date=date_of_day_number(int(days[position])),
                              newest_code=title.code))
    issuers.sort(key=lambda issuer: issuer.name.casefold())
    return IssuerTable(tuple(issuers), date_of_day_number(int(days.max())) if len(days) else None)


def match_issuer(names: list[str], typed: str) -> IssuerMatch:
    """The issuer `typed` means among `names`: the one it names exactly or, ignoring case, the one whose name
    contains each of its words (a unique part: "polizei frankfurt" for "Polizeipräsidium Frankfurt am Main");
    several such names are the candidates, and when there is none, the closest names are."""
    wanted = " ".join(typed.split()).casefold()
    if not wanted:
        return IssuerMatch(typed, None)
    if typed in names:
        return IssuerMatch(typed, typed)
    folded = {name: " ".join(name.split()).casefold() for name in names}
    same = [name for name, key in folded.items() if key == wanted]
    if len(same) == 1:
        return IssuerMatch(typed, same[0])
    words = wanted.split()
    containing = [name for name, key in folded.items() if all(word in key for word in words)]
    if len(containing) == 1:
        return IssuerMatch(typed, containing[0])
    if containing:
        return IssuerMatch(typed, None, tuple(containing), ambiguous=True)
    return IssuerMatch(typed, None, tuple(_closest(folded, words)))


def _closest(folded: dict[str, str], words: list[str]) -> list[str]:
    """The names most like `words`: each typed word scored by the name's word most like it (a word the name's
    word begins with counts fully), averaged; so a typo ("Frankfrut") or a missing word still finds the issuer."""
    def likeness(key: str) -> float:
        parts = key.split()
        return sum(max(1.0 if part.startswith(word) else difflib.SequenceMatcher(None, word, part).ratio()
                       for part in parts or [""]) for word in words) / len(words)

    scored = sorted(((likeness(key), name) for name, key in folded.items()), key=lambda item: (-item[0], item[1]))
    return [name for score, name in scored[:CLOSEST_COUNT] if score >= CLOSEST_CUTOFF]
