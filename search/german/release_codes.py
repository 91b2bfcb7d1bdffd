"""Release codes at the start of German press-release titles: an ots code ("POL-F: 090928 - 1226") or a release
number ("Nr. 0241"), split off for display and turned into search keys, in titles and in what people type.

The forms are the shared corpus's: 24,252 Frankfurt titles, 56 % of them `POL-F: <yymmdd> - <number> <place>: …`
with dashes, en dashes, missing spaces, 2 to 5 digit numbers and the odd `2/4 ` before the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The issuer kinds of ots codes (Polizei, Feuerwehr, Bundespolizei, Polizeiinspektionen, Zoll) and their office.
_OTS_ISSUER = r"(?:B?POL[A-Z]{0,2}|FW|LPI|KPI|HZA|ZOLL|THW)-[A-ZÄÖÜ]{1,5}(?:-[A-ZÄÖÜ]{1,4})?"
# `090928 - 1226`, `090928 – 1226`, `090928-1226`, `120611 763`: the day (yymmdd, sometimes mistyped with five,
# seven or eight digits) and the issuer's running number of that year. A number is never an ordinal
# (`000707 2. Nachmittagsmeldung`, `000109 - 2. Nachmittagsmeldung`).
_DAY_NUMBER = r"(?P<dated>\d{5,8})(?:\s*[-–]\s*(?P<number>\d{1,5})(?!\d|\.\s)|\s+(?P<spaced>\d{2,5})(?![\d.,]))"
_OTS_TITLE = re.compile(
    rf"\A(?P<code>(?P<issuer>{_OTS_ISSUER}):[ \t]*(?:\d/\d+[ \t]+)?"
    rf"(?:{_DAY_NUMBER}|(?P<day>\d{{6}})(?![\d])|(?P<bare>\d{{4}})(?=[ \t]))?)"
)
# `Nr. 0241`, `Nr.0241`: Polizei Berlin's running number of the year, as berlin.de prints it before a headline.
_NUMBER_TITLE = re.compile(r"\A(?P<code>Nr\.[ \t]*(?P<number>\d{1,5}))(?!\d)")
# What separates a code from the headline after it.
_SEPARATORS = " \t-–:.,"
# The same codes typed into a search box, anywhere among the words.
_TYPED_OTS = re.compile(rf"(?<![\w-])(?:{_OTS_ISSUER}:\s*)?(\d{{6}})\s*[-–]\s*(\d{{1,5}})(?!\d)")
# A typed number has three digits at least (Berlin writes four, `Nr. 0241`): `Nr. 5` is more likely a house.
_TYPED_NUMBER = re.compile(r"(?<!\w)Nr\.?\s*(\d{3,5})(?!\d)", re.I)


@dataclass(frozen=True)
class TitleCode:
    """A title split into its code (`POL-F: 090928 - 1226`, "" without one) and the headline after it."""

    code: str
    headline: str
    keys: tuple[str, ...] = ()  # the search keys the code gives (see code_keys)


def split_title_code(title: str) -> TitleCode:
    """The code a title begins with and the headline after it; the whole title as headline when there is no code
    or nothing would be left of the headline."""
    match = _OTS_TITLE.match(title)
    keys: tuple[str, ...] = ()
    if match:
        number = match.group("number") or match.group("spaced")
        keys = _keys(match.group("dated"), number) if number else _keys(None, match.group("bare"))
    else:
        match = _NUMBER_TITLE.match(title)
        if match:
            keys = _keys(None, match.group("number"))
    if not match:
        return TitleCode("", title)
    headline = title[match.end():].lstrip(_SEPARATORS)
    if not re.search(r"\w", headline):
        return TitleCode("", title)
    return TitleCode(match.group("code").rstrip(_SEPARATORS), headline, keys)


def code_keys(title: str) -> tuple[str, ...]:
    """The search keys of a title's code: `090928-1226` for a day and number, `nr-1226` for the number alone (so
    "Nr. 1226" finds it too); none without a code."""
    return split_title_code(title).keys


def typed_codes(typed: str) -> list[tuple[str, str]]:
    """The codes in what a person typed, each as (the text as typed, its search key), in order."""
    found: list[tuple[int, str, str]] = []
    for match in _TYPED_OTS.finditer(typed):
        found.append((match.start(), match.group(0), _keys(match.group(1), match.group(2))[0]))
    for match in _TYPED_NUMBER.finditer(typed):
        found.append((match.start(), match.group(0), f"nr-{int(match.group(1))}"))
    return [(text, key) for _, text, key in sorted(found)]


def _keys(day: str | None, number: str | None) -> tuple[str, ...]:
    if number is None:
        return ()
    by_number = f"nr-{int(number)}"
    return (f"{day}-{int(number)}", by_number) if day else (by_number,)
