"""The per-request searcher: taken from the app's LiveIndex on first use, kept on `g`, released at teardown."""

from __future__ import annotations

from contextlib import ExitStack

from flask import current_app, g

from search import LiveIndex, Searcher, Settings


def get_settings() -> Settings:
    return current_app.config["PRESSE_SETTINGS"]


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
