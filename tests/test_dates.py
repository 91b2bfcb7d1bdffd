from datetime import date

import pytest

from search.german.dates import MONTHS, day_number, find_german_date, is_date_line, parse_date


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
