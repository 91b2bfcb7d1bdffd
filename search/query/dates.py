"""Reading a date typed into a query (after `datum:` or among the words) as a span of days: a year, a month, a day,
or a range of those."""

from __future__ import annotations

import calendar
import re
from datetime import date

from ..german.dates import MONTHS, parse_date

_YEAR = re.compile(r"\A(\d{4})\Z")
_ISO_MONTH = re.compile(r"\A(\d{4})-(\d{1,2})\Z")
_GERMAN_MONTH = re.compile(r"\A(\d{1,2})\.(\d{4})\Z")
_WORDED_MONTH = re.compile(r"\A([^\W\d_]+)\.?\s+(\d{4})\Z")

Span = tuple[date, date]


def parse_date_span(value: str) -> Span | None:
    """The first and last day `value` names (`2015`, `2015-03`, `03.2015`, `März 2016`, `11.09.2025`,
    `2025-09-11`, or two of them joined by `..`); None when it names no date."""
    value = " ".join(value.strip().strip('"').split())
    if ".." in value:
        start_text, _, end_text = value.partition("..")
        start = parse_date_span(start_text) if start_text else None
        end = parse_date_span(end_text) if end_text else None
        if (start_text and start is None) or (end_text and end is None) or (start is None and end is None):
            return None
        first = start[0] if start else date.min
        last = end[1] if end else date.max
        return (first, last) if first <= last else None
    return _single_span(value)


def _single_span(value: str) -> Span | None:
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return (date(year, 1, 1), date(year, 12, 31)) if _is_year(year) else None
    if match := _ISO_MONTH.match(value) or _GERMAN_MONTH.match(value):
        first, second = match.groups()
        year, month = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
        return _month(year, month)
    if match := _WORDED_MONTH.match(value):
        number = MONTHS.get(match.group(1).lower())
        return _month(int(match.group(2)), number) if number else None
    day = parse_date(value)
    return (day, day) if day else None


def _is_year(year: int) -> bool:
    """Whether a calendar date can have this year (0000 cannot: it was a 500 before)."""
    return date.min.year <= year <= date.max.year


def _month(year: int, month: int) -> Span | None:
    if not 1 <= month <= 12 or not _is_year(year):
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
