from datetime import date, timedelta

import pytest

from search.german.dates import (
    MAX_MENTIONED_DAYS,
    MONTHS,
    day_number,
    find_german_date,
    is_date_line,
    mentioned_days,
    parse_date,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-11", date(2025, 9, 11)),
        ("2025-09-11T10:15:00+02:00", date(2025, 9, 11)),
        ("2025-09-11 10:15", date(2025, 9, 11)),
        ("11.09.2025", date(2025, 9, 11)),
        ("1.9.2025", date(2025, 9, 1)),
        ("11. September 2025", date(2025, 9, 11)),
        ("3. märz 2016", date(2016, 3, 3)),
        ("1. Jänner 2020", date(2020, 1, 1)),
        ("1. Okt 2015", None),  # releases write months out; abbreviations are for searches only
        ("11. Sept. 2025", None),
        ("31.02.2025", None),
        ("2025-13-01", None),
        ("11.09.25", None),
        ("am 11.09.2025", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_find_german_date_takes_the_first_valid_one():
    assert find_german_date("Am 31.02.2025, nein: am 3. März 2016 und am 01.01.2017.") == date(2016, 3, 3)
    assert find_german_date("Kein Datum hier.") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("11.09.2025", True),
        ("11.09.2025 – 10:15", True),
        ("11.09.2025 | 10:15 Uhr", True),
        ("Donnerstag, 11. September 2025", True),
        ("Pressemitteilung vom 11.09.2025", False),
        ("Am 11.09.2025 brannte es.", False),
    ],
)
def test_is_date_line(line, expected):
    assert is_date_line(line) is expected


def test_every_month_has_its_names_and_the_abbreviations_stay_out_of_release_dates():
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
    assert (MONTHS["jänner"], MONTHS["maerz"], MONTHS["sept"], MONTHS["dez"]) == (1, 3, 9, 12)
    assert find_german_date("Am 1. Okt 2015 und am 2. Oktober 2015.") == date(2015, 10, 2)
    assert not is_date_line("11. Sep 2025")


@pytest.mark.parametrize(
    ("day", "number"),
    [(date(2025, 9, 11), 20250911), (date(2016, 3, 3), 20160303), (date(1999, 12, 31), 19991231)],
)
def test_day_number_is_yyyymmdd(day, number):
    assert day_number(day) == number
    assert day_number(day) == int(day.strftime("%Y%m%d"))  # as the index computed it before


def _days(*isos):
    return [date.fromisoformat(iso) for iso in isos]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Sentences of the shared releases (some shortened); full dates are read as written.
        ("Am Samstag, den 24. Dezember 2016, gegen 14 Uhr", date(2017, 1, 19), _days("2016-12-24")),
        ("Erstmeldung Nr. 1973 vom 23. Oktober 2023: Frau getötet", date(2023, 10, 24), _days("2023-10-23")),
        ("Polizeibericht Nr. 922 vom 21.8.2004), ist weiter", date(2004, 8, 22), _days("2004-08-21")),
        ("Am Sonntag, dem 06.07.2008, gegen 18.45 Uhr", date(2008, 7, 8), _days("2008-07-06")),
        ("Auf frischer Tat konnte am 01.11.14 um 02.00 Uhr", date(2014, 11, 2), _days("2014-11-01")),
        # Day and month without a year: on or before publication, across New Year too.
        ("nicht zu dem Sachverhalt vom 24. Dezember befragt", date(2017, 1, 19), _days("2016-12-24")),
        ("am vergangenen Sonntagnachmittag, dem 13.4. im Bereich", date(2003, 4, 14), _days("2003-04-13")),
        ("am 30.12. kam es zu einem Brand", date(2024, 1, 2), _days("2023-12-30")),
        ("am Morgen des 16.04. in Erfurt", date(2009, 4, 16), _days("2009-04-16")),
        # A weekday written must agree: Samstag, 30. Dezember is 2023 (published 2 January 2024) ...
        ("am Samstag, 30. Dezember, kam es", date(2024, 1, 2), _days("2023-12-30")),
        # ... and where only the coming day agrees, the release announces it.
        ("Am Samstag, 5. März, findet das Fest statt", date(2016, 2, 20), _days("2016-03-05")),
        ("Am Sonntag, 29. Februar, brannte es", date(2016, 3, 1), []),  # 29.02.2016 was a Monday
        ("Am Samstag, 29. Februar, brannte es", date(2020, 3, 2), _days("2020-02-29")),
        # The night before a day, and ranges within a month.
        ("In der Nacht zum 1. März wurde eingebrochen", date(2016, 3, 2), _days("2016-02-29", "2016-03-01")),
        ("in der Nacht zu Montag, 29.02., brannte", date(2016, 3, 1), _days("2016-02-28", "2016-02-29")),
        ("vom 3. bis 5. Mai", date(2016, 5, 10), _days("2016-05-03", "2016-05-04", "2016-05-05")),
        ("zwischen dem 3. und 5. Mai", date(2016, 5, 10), _days("2016-05-03", "2016-05-04", "2016-05-05")),
        ("zwischen 3. und dem 5. Mai", date(2016, 5, 10), _days("2016-05-03", "2016-05-04", "2016-05-05")),
        ("am 3. und 10. Mai", date(2016, 5, 10), _days("2016-05-03", "2016-05-10")),  # two days, no range
        ("am 3. und am 10.05.", date(2016, 5, 10), _days("2016-05-03", "2016-05-10")),
        ("vom 3.-5.5.", date(2016, 5, 10), _days("2016-05-03", "2016-05-04", "2016-05-05")),
        ("vom 1. bis 28. Februar 2015", date(2015, 3, 1), _days("2015-02-01", "2015-02-28")),  # too long: its ends
        # No days: times, case and release numbers, phone numbers, amounts, versions, numbers with dots.
        ("POL-F: 090928 - 1226 Frankfurt", date(2009, 9, 28), []),
        ("gegen 22.15 Uhr und um 10.05. Uhr", date(2016, 5, 10), []),
        ("gegen 10.05. wurde", date(2016, 5, 10), []),
        ("Tel. 069 / 755-12.3. 1.500 Euro 192.168.1.1 Version 3.4.2 Ziffer 1.2. gilt", date(2016, 2, 20), []),
        ("am 31.02.2016 und am 32. Mai", date(2016, 5, 10), []),
        # Without a publication date, only dates with a year.
        ("am 24. Dezember und am 11.09.2001", None, _days("2001-09-11")),
    ],
)
def test_mentioned_days(text, published, expected):
    assert mentioned_days(text, published) == expected


def test_mentioned_days_are_sorted_once_each_and_bounded():
    assert mentioned_days("am 2. Mai, am 1. Mai und wieder am 2. Mai 2016", date(2016, 5, 10)) == _days(
        "2016-05-01", "2016-05-02")
    calendar = " ".join(f"{day}.{month}.2016" for month in range(1, 13) for day in range(1, 29))
    found = mentioned_days(calendar, date(2016, 12, 31))
    assert len(found) == MAX_MENTIONED_DAYS
    assert found[0] == date(2016, 1, 1)


def test_the_days_kept_are_the_first_ones_in_the_text_not_the_earliest():
    autumn = [date(2016, 11, 1) + timedelta(days=n) for n in range(MAX_MENTIONED_DAYS - 1)]
    text = " ".join(f"{day:%d.%m.%Y}" for day in autumn) + " und vom 1. bis 5.1.2016"
    assert mentioned_days(text, date(2016, 12, 31)) == [date(2016, 1, 1), *autumn]
