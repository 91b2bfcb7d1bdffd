"""Embargo times (Sperrfristen) as German releases state them: "Sperrfrist: 12.05.2025, 10:00 Uhr", "Sperrfrist bis
Dienstag, 12. Mai 2025, 10 Uhr", "Veröffentlichung frei ab 12.05.2025 10:00", read as instants in Europe/Berlin.

A notice counts only at the start of a line (after stars, pluses or brackets, as releases set them off): in running
text, "Die Sperrfrist für die Straße endet …" is about a closed road, not about the release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from .dates import WEEKDAYS, WRITTEN_MONTHS

# Press releases state their embargo in German local time; zoneinfo needs the system's zone files or the tzdata
# package (a dependency for machines without them).
BERLIN = ZoneInfo("Europe/Berlin")

_WEEKDAY = r"(?:(?P<weekday>" + "|".join(WEEKDAYS) + r"),?\s+)?"
# Notices write the month's full name ("12. Mai 2025").
_MONTH_NAMES = "|".join(WRITTEN_MONTHS)
_NUMERIC = r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4}|\d{2})\b"
_WORDED = r"(?P<wday>\d{1,2})\.\s?(?P<wmonth>" + _MONTH_NAMES + r")\s+(?P<wyear>\d{4})\b"
# "10:00 Uhr", "10.00 Uhr", "0.01 Uhr", "10 Uhr", "10:00": after the date, perhaps after a comma, "um" or a dash.
_TIME = r"(?:\s*(?:,|–|-|um)?\s*(?P<hour>\d{1,2})(?:(?:[:.](?P<minute>\d{2}))\s*(?:Uhr)?|\s*Uhr))?"
_WHEN = re.compile(r"\A\s*" + _WEEKDAY + r"(?:" + _NUMERIC + "|" + _WORDED + r")" + _TIME, re.I)
# The start of a notice: "Sperrfrist:", "SPERRFRIST bis", "Sperrfrist -", "Veröffentlichung frei ab",
# "Frei zur Veröffentlichung ab", "Zur Veröffentlichung frei ab", "Veröffentlichung nicht vor".
_NOTICE = re.compile(
    r"^[ \t*+#>\[(„\"]*(?P<notice>(?:Sperrfrist(?:\s*:\s*(?:bis\b)?|\s+bis\b\s*:?|\s+[-–]\s)"
    r"|(?:Zur\s+)?Veröffentlichung\s+(?:frei\s+ab|nicht\s+vor)\b\s*:?|Frei\s+zur\s+Veröffentlichung\s+ab\b\s*:?))"
    r"(?P<rest>[^\n]*)",
    re.I | re.M,
)
# A `Sperrfrist:` line that lifts the embargo rather than setting one.
_NONE = re.compile(r"\A\s*(?:keine|aufgehoben|entfällt|ohne)\b", re.I)


@dataclass(frozen=True)
class Embargo:
    """One embargo a release states: the words as written, and the instant they name (None: it cannot be read)."""

    notice: str
    until: datetime | None


def parse_embargo_time(value: str) -> datetime | None:
    """The instant `value` names (a date, perhaps a weekday before and a time after it; a date alone is its first
    minute) in Europe/Berlin; None when it names no valid date and time, or a weekday the date does not fall on
    ("Dienstag, 12. Mai 2025" was a Monday: which of the two was meant cannot be known)."""
    match = _WHEN.match(value)
    if not match:
        return None
    if match.group("day"):
        day, month, year = int(match.group("day")), int(match.group("month")), int(match.group("year"))
        year += 2000 if year < 100 else 0
    else:
        day, month, year = (int(match.group("wday")), WRITTEN_MONTHS[match.group("wmonth").lower()],
                            int(match.group("wyear")))
    hour = int(match.group("hour") or 0)
    minute = int(match.group("minute") or 0)
    try:
        until = datetime(year, month, day, hour, minute, tzinfo=BERLIN)
    except ValueError:  # 31.02., 25:00 Uhr
        return None
    weekday = match.group("weekday")
    if weekday and weekday.lower() != WEEKDAYS[until.weekday()].lower():
        return None
    return until


def find_embargoes(text: str) -> list[Embargo]:
    """Every embargo notice at the start of a line of `text`, in order; one that lifts the embargo ("Sperrfrist:
    keine") is left out."""
    found = []
    for match in _NOTICE.finditer(text):
        rest = match.group("rest")
        if _NONE.match(rest):
            continue
        notice = " ".join((match.group("notice") + rest).split()).rstrip(" *+#])“\"")
        found.append(Embargo(notice, parse_embargo_time(rest)))
    return found


def embargo_line(value: str) -> Embargo | None:
    """The embargo of a `Sperrfrist:` metadata line's `value`; None when it lifts the embargo ("keine")."""
    if _NONE.match(value):
        return None
    return Embargo("Sperrfrist: " + " ".join(value.split()), parse_embargo_time(value))


def latest_embargo(embargoes: list[Embargo]) -> Embargo | None:
    """The embargo that ends last, or the first that cannot be read (it must keep the release back); None for none."""
    unreadable = [embargo for embargo in embargoes if embargo.until is None]
    if unreadable:
        return unreadable[0]
    return max(embargoes, key=lambda embargo: cast(datetime, embargo.until), default=None)  # all readable here


def format_embargo(until: datetime) -> str:
    """12.05.2025, 10:00 Uhr (in Berlin's time)"""
    return until.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr")
