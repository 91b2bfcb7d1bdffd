from datetime import date

import pytest

from search.query.dates import parse_date_span


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2015", (date(2015, 1, 1), date(2015, 12, 31))),
        ("2015-03", (date(2015, 3, 1), date(2015, 3, 31))),
        ("2016-2", (date(2016, 2, 1), date(2016, 2, 29))),
        ("03.2015", (date(2015, 3, 1), date(2015, 3, 31))),
        ("März 2016", (date(2016, 3, 1), date(2016, 3, 31))),
        ('"Maerz 2016"', (date(2016, 3, 1), date(2016, 3, 31))),
        ("Sept. 2020", (date(2020, 9, 1), date(2020, 9, 30))),
        ("Okt 2015", (date(2015, 10, 1), date(2015, 10, 31))),
        ("Jänner 2021", (date(2021, 1, 1), date(2021, 1, 31))),
        ("11.09.2025", (date(2025, 9, 11), date(2025, 9, 11))),
        ("2025-09-11", (date(2025, 9, 11), date(2025, 9, 11))),
        ("11. September 2025", (date(2025, 9, 11), date(2025, 9, 11))),
        ("2015-03..2015-06", (date(2015, 3, 1), date(2015, 6, 30))),
        ("2020..", (date(2020, 1, 1), date.max)),
        ("..2016", (date.min, date(2016, 12, 31))),
    ],
)
def test_spans(text, span):
    assert parse_date_span(text) == span


@pytest.mark.parametrize("text", ["", "..", "foo", "13.2015", "31.02.2025", "2016..2015", "Brumaire 2015", "2015..x"])
def test_not_dates(text):
    assert parse_date_span(text) is None


@pytest.mark.parametrize("value", ["0000", "0000-01", "01.0000", "März 0000", "11.09.0000", "0000-01-05",
                                   "0000..2015", "..0000"])
def test_year_zero_is_no_date(value):
    # date() cannot hold the year 0: reading it once raised ValueError, a 500 on every search route.
    assert parse_date_span(value) is None
