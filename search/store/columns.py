"""Per-release values as arrays over release numbers: day, embargo, issuer, year, place, version group and the days
the text mentions, for filters, facets, sorting by date, hiding embargoed releases, folding versions and ranking the
releases of a typed time first, with numpy instead of a Python loop over the matches.

Read from Whoosh's columns once per segment and process (segments never change), then joined for a searcher.
Strings become codes into one table per column, so counting a facet is a `bincount`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh.columns import VarBytesColumn

from ..german.dates import date_of_day_number, day_number
from .postings import segment_key

# Each string column and the index field it is read from.
STRING_COLUMNS = {"source": "source", "year": "year", "group": "group", "place": "place_name"}


@dataclass(frozen=True)
class Mentions:
    """Which releases mention which days, as pairs sorted by day: the releases mentioning a day of a span are one
    slice (two binary searches), whatever the span's length and however many releases match the query."""

    days: np.ndarray  # uint32 YYYYMMDD, ascending
    docs: np.ndarray  # int64 the release number mentioning each day

    def within(self, spans: Sequence[tuple[int, int]], size: int) -> np.ndarray:
        """A mask over `size` release numbers: the releases that mention a day of one of `spans` (YYYYMMDD,
        inclusive)."""
        mask = np.zeros(size, dtype=bool)
        for first, last in spans:
            start = np.searchsorted(self.days, first, side="left")
            end = np.searchsorted(self.days, last, side="right")
            mask[self.docs[start:end]] = True
        return mask


NO_MENTIONS = Mentions(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class SegmentColumns:
    day: np.ndarray  # uint32 YYYYMMDD, 0 without a date
    embargo: np.ndarray  # int64 seconds since 1970 until which the release stays hidden, 0 without an embargo
    codes: dict[str, np.ndarray]  # per string column: each release's index into the segment's table
    tables: dict[str, np.ndarray]  # per string column: the segment's distinct values, sorted
    mentioned: Mentions


@dataclass(frozen=True)
class Columns:
    """The columns of every release behind one searcher (global release numbers)."""

    day: np.ndarray
    embargo: np.ndarray
    codes: dict[str, np.ndarray]  # int32 per release: the index of its value in `tables`
    tables: dict[str, list[str]]
    mentioned: Mentions  # the days the releases' texts mention

    def code_of(self, column: str, value: str) -> int:
        """The code of `value` in `column`, or -1 when no release has it."""
        try:
            return self.tables[column].index(value)
        except ValueError:
            return -1

    def visible_at(self, now: float) -> np.ndarray:
        """Which releases may be shown at `now` (seconds since 1970): those whose embargo has ended, as a mask."""
        return self.embargo <= now

    def of_time(self, docs: np.ndarray, spans: Sequence[tuple[int, int]], mention_days: int) -> np.ndarray:
        """Which of `docs` are of the time typed (`spans`, YYYYMMDD, inclusive), as a mask: published within a span,
        or mentioning in the text a day of a span of at most `mention_days` days. (A year is too long for mentions:
        most releases name some day of it, and a passage naming a day of 2015 outranked the answer to XQuAD's
        "… im Jahr 2015 …".)"""
        days = self.day[docs]
        within = np.zeros(len(docs), dtype=bool)
        for first, last in spans:
            within |= (days >= first) & (days <= last)
        short = [span for span in spans if _span_days(span) <= mention_days]
        if short:
            within |= self.mentioned.within(short, len(self.day))[docs]
        return within


def _span_days(span: tuple[int, int]) -> int:
    """How many days a span of day numbers holds."""
    first, last = (date_of_day_number(number) or date.min for number in span)
    return (last - first).days + 1


def encode_days(days: Sequence[date]) -> bytes:
    """The `mentioned` column's value for `days`: their numbers (YYYYMMDD) as little-endian uint32."""
    return np.array([day_number(day) for day in days], dtype="<u4").tobytes()


def string_column(leaf, name: str) -> list[str]:
    """The values of the text column `name` of one segment, "" for each release when the segment has none.

    A column of Whoosh's variable-length kind is read in one piece and cut by its lengths: Whoosh's own reader
    seeks and reads once per value, which took 0.2 s of an idle sync for four columns of the full corpus."""
    if not leaf.has_column(name):
        return [""] * leaf.doc_count_all()
    column = leaf.column_reader(name, translate=False)
    if not isinstance(column, VarBytesColumn.Reader):
        return list(leaf.column_reader(name))
    data = column._dbfile.get(column._basepos, column._length)
    spans = zip(column._offsets, column._lengths, strict=True)
    return [data[offset:offset + length].decode("utf-8") for offset, length in spans]


def read_mentions(leaf) -> Mentions:
    """One segment's `mentioned` column as pairs sorted by day (release numbers within the segment). The column is
    read in one piece: its values lie one after another in release order."""
    if not leaf.has_column("mentioned"):
        return NO_MENTIONS
    column = leaf.column_reader("mentioned", translate=False)
    lengths = np.asarray(column._lengths, dtype=np.int64) if len(column._lengths) else np.zeros(0, dtype=np.int64)
    days = np.frombuffer(column._dbfile.get(column._basepos, int(lengths.sum())), dtype="<u4").astype(np.uint32)
    docs = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths // 4)
    order = np.argsort(days, kind="stable")
    return Mentions(days[order], docs[order])


def read_segment_columns(leaf) -> SegmentColumns:
    count = leaf.doc_count_all()
    day = np.zeros(count, dtype=np.uint32)
    if leaf.has_column("day"):
        day[:] = np.fromiter(leaf.column_reader("day"), dtype=np.uint64, count=count).astype(np.uint32)
    embargo = np.zeros(count, dtype=np.int64)
    if leaf.has_column("embargo"):
        embargo[:] = np.fromiter(leaf.column_reader("embargo"), dtype=np.uint64, count=count).astype(np.int64)
    codes, tables = {}, {}
    for name, fieldname in STRING_COLUMNS.items():
        values = np.array([str(value) for value in string_column(leaf, fieldname)], dtype=object)
        table, inverse = np.unique(values, return_inverse=True) if count else (np.array([], dtype=object), [])
        tables[name] = table
        codes[name] = np.asarray(inverse, dtype=np.int32).reshape(-1)
    return SegmentColumns(day, embargo, codes, tables, read_mentions(leaf))


def join_columns(segments: list[SegmentColumns]) -> Columns:
    """The columns of `segments` in order, their codes translated into one table per column."""
    day = np.concatenate([segment.day for segment in segments]) if segments else np.zeros(0, dtype=np.uint32)
    embargo = (np.concatenate([segment.embargo for segment in segments]) if segments
               else np.zeros(0, dtype=np.int64))
    codes, tables = {}, {}
    for name in STRING_COLUMNS:
        parts = [segment.tables[name] for segment in segments]
        table = np.unique(np.concatenate(parts)) if parts else np.array([], dtype=object)
        tables[name] = [str(value) for value in table]
        translated = [np.searchsorted(table, segment.tables[name])[segment.codes[name]] if len(segment.codes[name])
                      else np.zeros(0, dtype=np.int64) for segment in segments]
        codes[name] = (np.concatenate(translated) if translated else np.zeros(0)).astype(np.int32)
    return Columns(day, embargo, codes, tables, join_mentions(segments))


def join_mentions(segments: list[SegmentColumns]) -> Mentions:
    """The segments' mentions with global release numbers, sorted by day again."""
    if not segments:
        return NO_MENTIONS
    starts = np.cumsum([0, *(len(segment.day) for segment in segments[:-1])])
    days = np.concatenate([segment.mentioned.days for segment in segments])
    docs = np.concatenate([segment.mentioned.docs + start for segment, start in zip(segments, starts, strict=True)])
    order = np.argsort(days, kind="stable")
    return Mentions(days[order], docs[order])


_LOADED: dict[tuple[str, str], SegmentColumns] = {}


def load_segment_columns(leaf) -> SegmentColumns:
    """The columns of one segment reader, read once per process (a segment never changes)."""
    key = segment_key(leaf)
    if key not in _LOADED:
        _LOADED[key] = read_segment_columns(leaf)
    return _LOADED[key]


def forget_columns(keep: set[tuple[str, str]]) -> None:
    """Drop the columns of segments not in `keep` (see postings.forget_segments)."""
    for key in [key for key in _LOADED if key not in keep]:
        del _LOADED[key]
