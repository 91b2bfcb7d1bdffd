from datetime import date

import pytest

from search.german.dates import find_german_date, is_date_line, parse_date


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
