from datetime import UTC, date, datetime

import pytest

from search.query.dates import RELATIVE_DATE, berlin_day, german_days, parse_date_span, relative_span


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


# Mondays and Sundays at the edges of a week, month and year: Monday 30 November 2026, Sunday 29 November 2026,
# Thursday 1 January 2026, Sunday 3 January 2027.
MONDAY, SUNDAY, NEW_YEAR, SUNDAY_AFTER_NEW_YEAR = date(2026, 11, 30), date(2026, 11, 29), date(2026, 1, 1), date(
    2027, 1, 3)


@pytest.mark.parametrize(
    ("typed", "today", "span"),
    [
        ("heute", MONDAY, (MONDAY, MONDAY)),
        ("gestern", MONDAY, (SUNDAY, SUNDAY)),
        ("Gestern", NEW_YEAR, (date(2025, 12, 31), date(2025, 12, 31))),
        ("vorgestern", NEW_YEAR, (date(2025, 12, 30), date(2025, 12, 30))),
        ("letzte Woche", MONDAY, (date(2026, 11, 23), SUNDAY)),
        ("vergangene Woche", SUNDAY, (date(2026, 11, 16), date(2026, 11, 22))),
        ("vorige Woche", NEW_YEAR, (date(2025, 12, 22), date(2025, 12, 28))),
        ("diese Woche", MONDAY, (MONDAY, MONDAY)),
        ("diese Woche", SUNDAY, (date(2026, 11, 23), SUNDAY)),
        ("letzten Monat", MONDAY, (date(2026, 10, 1), date(2026, 10, 31))),
        ("vergangenen Monat", NEW_YEAR, (date(2025, 12, 1), date(2025, 12, 31))),
        ("diesen Monat", MONDAY, (date(2026, 11, 1), MONDAY)),
        ("letztes Jahr", NEW_YEAR, (date(2025, 1, 1), date(2025, 12, 31))),
        ("vergangenes Jahr", SUNDAY_AFTER_NEW_YEAR, (date(2026, 1, 1), date(2026, 12, 31))),
        ("dieses Jahr", SUNDAY_AFTER_NEW_YEAR, (date(2027, 1, 1), SUNDAY_AFTER_NEW_YEAR)),
        # A weekday: the last such day before today, a week back when today is that day.
        ("vergangenen Montag", MONDAY, (date(2026, 11, 23), date(2026, 11, 23))),
        ("letzten Sonntag", MONDAY, (SUNDAY, SUNDAY)),
        ("letzten Sonntag", SUNDAY, (date(2026, 11, 22), date(2026, 11, 22))),
        ("vorigen Freitag", NEW_YEAR, (date(2025, 12, 26), date(2025, 12, 26))),
        # The weekend: the last Saturday and Sunday begun before today.
        ("am Wochenende", MONDAY, (date(2026, 11, 28), SUNDAY)),
        ("am Wochenende", SUNDAY, (date(2026, 11, 28), SUNDAY)),
        ("letztes Wochenende", date(2026, 11, 28), (date(2026, 11, 21), date(2026, 11, 22))),
        ("vergangenes Wochenende", SUNDAY_AFTER_NEW_YEAR, (date(2027, 1, 2), SUNDAY_AFTER_NEW_YEAR)),
    ],
)
def test_relative_dates_are_read_against_today(typed, today, span):
    match = RELATIVE_DATE.fullmatch(typed)
    assert match is not None
    assert relative_span(match, today) == span


@pytest.mark.parametrize("typed", ["heutige", "gestrige", "Woche", "letzte", "letzten Montags", "Wochenendhaus",
                                   "titel:heute", "am Montag", "nächste Woche"])
def test_words_that_are_no_relative_date(typed):
    assert RELATIVE_DATE.search(typed) is None


def test_a_span_is_written_as_german_days():
    assert german_days((SUNDAY, SUNDAY)) == "29.11.2026"
    assert german_days((date(2026, 11, 23), SUNDAY)) == "23.11.2026 bis 29.11.2026"


def test_the_day_of_a_search_is_the_day_in_germany():
    # 23:30 UTC on 29 November is 00:30 on 30 November in Berlin (winter time); 22:30 UTC in summer is 00:30 too.
    assert berlin_day(datetime(2026, 11, 29, 23, 30, tzinfo=UTC).timestamp()) == MONDAY
    assert berlin_day(datetime(2026, 11, 29, 22, 59, tzinfo=UTC).timestamp()) == SUNDAY
    assert berlin_day(datetime(2026, 6, 30, 22, 30, tzinfo=UTC).timestamp()) == date(2026, 7, 1)
