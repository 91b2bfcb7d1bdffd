"""One budget for every step of a search: where it stops the ladder, what the note then says, and exact counts."""

import itertools
import threading

import pytest

from search import Budget, run_query

CORRECTED = "Ergebnisse für „Lagerhalle“ (statt „Lagerhale“), „Brand“ (statt „Brnd“)."
STOPPED = "Die Suche war zu aufwendig und wurde nach 1 Sekunden abgebrochen; nicht mehr gesucht wurden "
LATER_STEPS = "Treffer ohne die unbekannten Wörter und Treffer mit einigen der Wörter."


def spent_after(readings: int) -> Budget:
    """A one-second budget whose clock reads 0 the first `readings` times and 10 from then on."""
    calls = itertools.count()
    return Budget(1.0, clock=lambda: 0.0 if next(calls) < readings else 10.0)


def test_with_time_enough_every_unknown_word_is_corrected(searcher, built_settings):
    page = run_query(searcher, built_settings, "Lagerhale Brnd", budget=spent_after(1000))
    assert ([hit.id for hit in page.hits], page.total, page.notes) == (["pressemeldung_portal"], 1, [CORRECTED])


def test_correction_stops_when_the_budget_is_spent_and_names_the_words_not_tried(searcher, built_settings):
    # Readings: the start, before the ladder, before "Lagerhale", before "Brnd" (spent).
    page = run_query(searcher, built_settings, "Lagerhale Brnd", budget=spent_after(3))
    assert (page.hits, page.total) == ([], 0)  # "Lagerhalle Brnd" finds nothing
    assert page.notes == [STOPPED + "ähnliche Schreibweisen für „Brnd“, " + LATER_STEPS]


def test_a_budget_spent_before_the_ladder_names_every_step(searcher, built_settings):
    page = run_query(searcher, built_settings, "Lagerhale Brnd", budget=spent_after(1))
    assert (page.hits, page.total) == ([], 0)
    assert page.notes == [STOPPED + "ähnliche Schreibweisen, " + LATER_STEPS]


@pytest.mark.parametrize("readings", range(1, 8))
@pytest.mark.parametrize("query", ["Lagerhale Brnd", "Testhausen", "Unfall", "Lagerhalle Testhausen"])
def test_every_count_is_exact_wherever_the_budget_runs_out(searcher, built_settings, query, readings):
    # Each step finds all its matches, so the total is that of the hits shown (the fixture's results fit one page),
    # and a word in no release never gets a count.
    page = run_query(searcher, built_settings, query, budget=spent_after(readings))
    assert page.total == len(page.hits)
    assert page.total in (0, len(run_query(searcher, built_settings, query).hits))


def test_without_a_free_turn_the_costly_steps_are_left_out_and_said_so(searcher, built_settings):
    turns = threading.Semaphore(0)  # another search holds the only turn
    page = run_query(searcher, built_settings, "Lagerhale Brnd", budget=Budget(1.0, fallback_turns=turns))
    assert (page.hits, page.total) == ([], 0)
    assert page.notes == ["Der Server ist gerade ausgelastet; nicht gesucht wurden ähnliche Schreibweisen, "
                          + LATER_STEPS]


def test_a_query_that_finds_something_needs_no_turn(searcher, built_settings):
    page = run_query(searcher, built_settings, "Unfall", budget=Budget(1.0, fallback_turns=threading.Semaphore(0)))
    assert ([hit.id for hit in page.hits], page.notes) == (["unfall_singular", "unfaelle_plural"], [])


def test_a_turn_is_given_back_after_the_search(searcher, built_settings):
    turns = threading.Semaphore(1)
    page = run_query(searcher, built_settings, "Lagerhale Brnd", budget=Budget(1.0, fallback_turns=turns))
    assert page.notes == [CORRECTED]
    assert turns.acquire(blocking=False)  # free again
