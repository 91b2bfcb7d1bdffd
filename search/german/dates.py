"""German dates: reading them as releases write them (`2025-09-11`, `11.09.2025`, `11. September 2025`), the month
names people type, and the day number the index sorts by."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

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


# Days a release's text mentions (the day of an incident, an event): "am Sonntag, 29. Februar", "29.02.2016",
# "in der Nacht zum 1. März", "vom 3. bis 5. Mai". A day without a year is read in the year that puts it on or
# before the release's publication, within a year (releases tell what happened); a weekday written before it must
# agree, and when it agrees only with the same day after publication (within MENTION_AHEAD_DAYS), that one is meant:
# an event the release announces.
MENTION_AHEAD_DAYS = 183
# A range ("vom 1. bis 28. Februar") longer than this gives its two ends only: a season is no day to search by.
MENTION_RANGE_DAYS = 14
# At most this many days per release (a calendar of events lists more): the first ones in the text.
MAX_MENTIONED_DAYS = 60
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_MENTION = re.compile(
    r"(?<![\d.,:/])(?P<day>[0-3]?\d)\.\s?"
    r"(?:(?P<month>[01]?\d)\.(?:\s?(?P<year>\d{4})\b|(?P<short>\d{2})\b(?![.,:/-]?\d)|(?![\d/-]|\s*Uhr\b))"
    r"|(?P<named>" + _MONTH_NAMES + r")\b(?:\s+(?P<named_year>\d{4})\b)?)",
    re.I,
)
_DIGIT_DOT = re.compile(r"\d\.")
# A weekday right before a date: "Sonntag, 29. Februar", "Sonntag, den 29.02.", "Sonntag (29.02.)". (Looked for
# before each date found rather than as part of the pattern: an optional word first made the search 4 times slower.)
_WEEKDAY_BEFORE = re.compile(r"\b(?P<weekday>" + _WEEKDAY_NAMES + r")(?:\s*,\s*|\s+|\s*\(\s*)(?:(?:den|dem)\s+)?\Z",
                             re.I)
# What makes a day-and-month without a year ("29.02.") a date rather than a number: a word for a day before it.
_DAY_WORD_BEFORE = re.compile(
    r"(?:\b(?:am|vom|zum|bis|seit|den|dem|des|ab|und|zwischen|Nacht)\s+|\d\.\s*[-–]\s*)\Z", re.I)
# The start of a range whose end is the date after it: "vom 3. bis ", "3.-", "zwischen dem 3. und "; or, an "und"
# without "zwischen", another day of its month ("am 3. und 10. Mai": two days, not eight).
_RANGE_START = re.compile(
    r"(?:\bzwischen\s+(?:dem\s+)?(?P<between>[0-3]?\d)\.\s*und\s+(?:dem\s+)?"
    r"|(?P<first>[0-3]?\d)\.\s*(?:bis(?:\s+(?:zum|einschließlich))?\s+|[-–]\s*)"
    r"|(?P<other>[0-3]?\d)\.\s*und\s+(?:am\s+)?)\Z", re.I)
# "in der Nacht zum 1. März", "Nacht auf Sonntag, 1. März", "Nacht zu Sonntag, den 1.3.": the night before too.
_NIGHT_BEFORE = re.compile(r"\bNacht\s+(?:zum|zu|auf)\s+(?:den\s+)?\Z", re.I)
_LOOK_BACK = 40


def mentioned_days(text: str, published: date | None) -> list[date]:
    """The days `text` mentions, sorted, each once, for a release published on `published` (None: only the dates
    with a year are read). Dates inside numbers, times (`10.05 Uhr`) and codes (`090928 - 1226`) are not days."""
    found: dict[date, None] = {}  # in the order of the text
    for match in _mentions(text):
        before = text[max(0, match.start() - _LOOK_BACK):match.start()]
        weekday = _WEEKDAY_BEFORE.search(before)
        if weekday:
            days = _days_of(match, before[:weekday.start()], weekday.group("weekday"), published)
        else:
            days = _days_of(match, before, None, published)
        found.update(dict.fromkeys(sorted(days)))
        if len(found) >= MAX_MENTIONED_DAYS:
            break
    return sorted(list(found)[:MAX_MENTIONED_DAYS])


def _mentions(text: str) -> Iterator[re.Match]:
    """Each date in `text` as _MENTION reads it. Tried only where a digit and a dot stand: searching the text with
    _MENTION itself took 80 µs per release, five times as long."""
    end = 0
    for candidate in _DIGIT_DOT.finditer(text):
        start = candidate.start()
        if start < end:
            continue
        if start and text[start - 1].isdigit():
            start -= 1
        if match := _MENTION.match(text, start):
            end = match.end()
            yield match


def _days_of(match: re.Match, before: str, weekday: str | None, published: date | None) -> list[date]:
    """The days one date of the text stands for (`before` it the text up to its weekday, if one is written): itself,
    a range ending with it, the night before it."""
    month_text, named = match.group("month"), match.group("named")
    year_text = match.group("year") or match.group("named_year")
    month = int(month_text) if month_text else WRITTEN_MONTHS[named.lower()]
    day = int(match.group("day"))
    if year_text:
        last = _valid(int(year_text), month, day)
    elif match.group("short"):
        last = _short_year(int(match.group("short")), month, day, published)
    elif published is None or (month_text and weekday is None and not _DAY_WORD_BEFORE.search(before)):
        return []  # "Ziffer 3.4." or "um 22.05." is no day
    else:
        last = _year_for(month, day, weekday, published)
    if last is None:
        return []
    days = [last]
    start = _RANGE_START.search(before) if weekday is None else None
    if start and start.group("other"):
        other = int(start.group("other"))
        days += [last.replace(day=other)] if other < day else []
    elif start:
        first = int(start.group("first") or start.group("between"))
        if first < day and (day - first) < MENTION_RANGE_DAYS:
            days += [last.replace(day=number) for number in range(first, day)]
        elif first < day:
            days.append(last.replace(day=first))
    if _NIGHT_BEFORE.search(before):
        days.append(last - timedelta(days=1))
    return days


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _short_year(short: int, month: int, day: int, published: date | None) -> date | None:
    """A date written with two digits of its year ("29.02.16"): the one within a year of publication, if any."""
    if published is None:
        return None
    for century in (published.year // 100 * 100, published.year // 100 * 100 - 100):
        found = _valid(century + short, month, day)
        if found and abs((published - found).days) <= 366:
            return found
    return None


def _year_for(month: int, day: int, weekday: str | None, published: date) -> date | None:
    """A day and month without a year: the last such day on or before `published`, within a year (a 29 February
    too), whose weekday is `weekday` when one is written; else such a day soon after with that weekday (an
    announcement)."""
    wanted = WEEKDAYS.index(weekday.capitalize()) if weekday else None
    candidates = [found for year in range(published.year, published.year - 5, -1)
                  if (found := _valid(year, month, day)) is not None]
    past = [found for found in candidates if found <= published][:1]
    if past and (wanted is None or past[0].weekday() == wanted) and (published - past[0]).days <= 366:
        return past[0]
    ahead = _valid(published.year, month, day) or None
    if ahead is not None and ahead <= published:
        ahead = _valid(published.year + 1, month, day)
    if (ahead is not None and wanted is not None and ahead.weekday() == wanted
            and (ahead - published).days <= MENTION_AHEAD_DAYS):
        return ahead
    return None
