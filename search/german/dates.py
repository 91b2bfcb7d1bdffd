"""German dates: reading them as releases write them (`2025-09-11`, `11.09.2025`, `11. September 2025`), the month
names people type, and the day number the index sorts by."""

from __future__ import annotations

import re
from datetime import date

# Every name of a month, lowercase. Releases write them out; a search may also abbreviate (`datum:Okt 2015`).
MONTHS = {
    "januar": 1, "jan": 1, "jänner": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3, "mär": 3, "april": 4,
    "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
}
_ABBREVIATIONS = frozenset({"jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez"})
# Dates in releases are read with the full names only: "1. Okt 2015" is no release's date.
WRITTEN_MONTHS = {name: number for name, number in MONTHS.items() if name not in _ABBREVIATIONS}
_MONTH_NAMES = "|".join(WRITTEN_MONTHS)
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z ]*)?\Z")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_WORDED_DATE = re.compile(r"\b(\d{1,2})\.\s?(" + _MONTH_NAMES + r")\s+(\d{4})\b", re.I)
# A weekday before the date, as in "Donnerstag, 11. September 2025".
# Monday first, as date.weekday() counts.
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r"),\s*)?"
# A line that is nothing but a date (and a time): the dateline of a web page, not text of the release.
_DATE_ONLY = re.compile(
    r"\A" + _WEEKDAY + r"(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s?(?:" + _MONTH_NAMES + r")\s+\d{4})"
    r"(?:\s*[-–|,]?\s*\d{1,2}:\d{2}(?:\s*Uhr)?)?\Z",
    re.I,
)


def parse_date(value: str) -> date | None:
    """The date `value` is (ISO, possibly with a time, or German); None when it is not a valid date."""
    value = " ".join(value.split())
    match = _ISO_DATE.match(value)
    if match:
        parts = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif match := _NUMERIC_DATE.fullmatch(value):
        parts = int(match.group(3)), int(match.group(2)), int(match.group(1))
    elif match := _WORDED_DATE.fullmatch(value):
        parts = int(match.group(3)), WRITTEN_MONTHS[match.group(2).lower()], int(match.group(1))
    else:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def find_german_date(text: str) -> date | None:
    """The first valid German date in `text`: `11.09.2025` or `11. September 2025`."""
    candidates = []
    for match in _NUMERIC_DATE.finditer(text):
        candidates.append((match.start(), int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for match in _WORDED_DATE.finditer(text):
        month = WRITTEN_MONTHS[match.group(2).lower()]
        candidates.append((match.start(), int(match.group(3)), month, int(match.group(1))))
    for _, year, month, day in sorted(candidates):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def is_date_line(line: str) -> bool:
    """Whether `line` holds only a date, perhaps with a weekday before and a time after it."""
    return bool(_DATE_ONLY.match(line.strip()))


def day_number(day: date) -> int:
    """`day` as the number YYYYMMDD: the index's `day` field, which sorts and filters by date."""
    return day.year * 10000 + day.month * 100 + day.day


def date_of_day_number(number: int) -> date | None:
    """The date a day number (YYYYMMDD, as day_number gives it) names; None for 0, a release without a date."""
    return date(number // 10000, number // 100 % 100, number % 100) if number else None
