"""Reading a date typed into a query (after `datum:` or among the words) as a span of days: a year, a month, a day,
or a range of those; and the relative dates people type (`gestern`, `letzte Woche`), read against the day of the
search."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from ..german.dates import MONTHS, WEEKDAYS, parse_date
from ..german.embargo import BERLIN

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


# What a relative date is made of: "gestern", "letzte Woche", "vergangenen Montag", "am Wochenende".
_LAST = r"(?:letzte|vergangene|vorige)[nrs]?"
_THIS = r"(?:diese[nrs]?)"
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
RELATIVE_DATE = re.compile(
    r"(?<![\w.:-])(?:(?P<day>heute|gestern|vorgestern)"
    r"|(?P<which>" + _LAST + "|" + _THIS + r")\s+(?P<unit>woche|monat|jahr)"
    r"|" + _LAST + r"\s+(?P<weekday>" + _WEEKDAY_NAMES + r")"
    r"|(?:am|" + _LAST + r")\s+(?P<weekend>wochenende))(?![\w.:-])",
    re.IGNORECASE,
)


def berlin_day(instant: float) -> date:
    """The day in Germany at `instant` (seconds since 1970): what "heute" means to a person searching."""
    return datetime.fromtimestamp(instant, BERLIN).date()


def relative_span(match: re.Match, today: date) -> Span:
    """The days a RELATIVE_DATE match names on `today`: `heute`, `gestern`, `vorgestern`; `letzte Woche` (Monday to
    Sunday of the week before), `diese Woche` (Monday to today), likewise for a month and a year; `vergangenen
    Montag` (the last Monday before today); `am Wochenende` (the last Saturday and Sunday begun before today)."""
    if word := match.group("day"):
        day = today - timedelta(days={"heute": 0, "gestern": 1, "vorgestern": 2}[word.lower()])
        return day, day
    if unit := match.group("unit"):
        return _calendar_span(unit.lower(), match.group("which").lower().startswith("dies"), today)
    if weekday := match.group("weekday"):
        back = (today.weekday() - WEEKDAYS.index(weekday.capitalize()) - 1) % 7 + 1
        day = today - timedelta(days=back)
        return day, day
    saturday = today - timedelta(days=(today.weekday() - 5 - 1) % 7 + 1)
    return saturday, min(saturday + timedelta(days=1), today)


def _calendar_span(unit: str, this: bool, today: date) -> Span:
    """This or the last week (Monday to Sunday), month or year; "this" one ends today."""
    if unit == "woche":
        monday = today - timedelta(days=today.weekday())
        return (monday, today) if this else (monday - timedelta(days=7), monday - timedelta(days=1))
    if unit == "monat":
        first = today.replace(day=1)
        if this:
            return first, today
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    if this:
        return today.replace(month=1, day=1), today
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def german_days(span: Span) -> str:
    """A span as a German reads it: `29.11.2026`, or `16.11.2026 bis 22.11.2026`."""
    first, last = (day.strftime("%d.%m.%Y") for day in span)
    return first if first == last else f"{first} bis {last}"
