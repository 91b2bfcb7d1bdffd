"""The per-request searcher: taken from the app's LiveIndex on first use, kept on `g`, released at teardown."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from datetime import date

from flask import Flask, current_app, g

from search import Budget, LiveIndex, Searcher, SearchError, Settings, berlin_day, run_query

log = logging.getLogger(__name__)

# The releases' days are Berlin days, and so is "today" for the time shortcuts.

# Searches of one serving process that may climb the costly steps of the ladder (corrections, fewer words) at the
# same time: searches that find nothing then hold at most this many of its threads for their budget.
FALLBACK_TURNS = 1
# Run once in each serving process before it takes requests: common enough to touch every kind of array.
WARM_UP_QUERY = "Polizei Frankfurt"


def get_settings() -> Settings:
    return current_app.config["PRESSE_SETTINGS"]


def today() -> date:
    """Today in Berlin, by the settings' clock (tests fix it, so "Letzte 7 Tage" is stable)."""
    return berlin_day(get_settings().clock())


def get_live_index() -> LiveIndex:
    return current_app.extensions["presse"]


def get_searcher() -> Searcher:
    """The searcher for this request; raises IndexMissingError or IndexStaleError when there is no usable index.

    The LiveIndex keeps one searcher per thread and generation, so a request borrows it rather than opening one;
    a published rebuild is picked up by the next request.
    """
    if "presse_searcher" not in g:
        stack = ExitStack()
        searcher = stack.enter_context(get_live_index().searcher())
        g.presse_stack = stack
        g.presse_searcher = searcher
    return g.presse_searcher


def release_searcher(_error: BaseException | None = None) -> None:
    """Hand the searcher back to the LiveIndex at the end of the request (it stays open for the next one)."""
    stack = g.pop("presse_stack", None)
    g.pop("presse_searcher", None)
    if stack is not None:
        stack.close()


def search_budget() -> Budget:
    """The budget of one search of this request: the settings' seconds, and the process's turns for the ladder."""
    return Budget(get_settings().search_seconds, fallback_turns=current_app.extensions["presse_turns"])


def warm_up(app: Flask, query: str = WARM_UP_QUERY) -> int | None:
    """Open the index and run one search in this process, so the first visitor's search does not spend its budget
    loading what every search needs (0.2 s on 37,654 releases); returns the search's total. Without a usable index
    it only logs why and returns None: each request will then say so."""
    with app.app_context():
        try:
            return run_query(get_searcher(), get_settings(), query).total
        except SearchError as error:
            log.warning("warm-up skipped: %s", error)
            return None
