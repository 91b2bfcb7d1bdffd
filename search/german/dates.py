"""Reading dates the way German press releases write them: `2025-09-11`, `11.09.2025`, `11. September 2025`."""

from __future__ import annotations

import re
from datetime import date

_GERMAN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_MONTH_NAMES = "|".join(_GERMAN_MONTHS)
_ISO_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z ]*)?\Z")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_WORDED_DATE = re.compile(r"\b(\d{1,2})\.\s?(" + _MONTH_NAMES + r")\s+(\d{4})\b", re.I)
# A weekday before the date, as in "Donnerstag, 11. September 2025".
_WEEKDAY = r"(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag),\s*)?"
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
        parts = int(match.group(3)), _GERMAN_MONTHS[match.group(2).lower()], int(match.group(1))
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
        month = _GERMAN_MONTHS[match.group(2).lower()]
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
