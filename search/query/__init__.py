"""Answering a search: parsing what was typed, expanding words, matching, ranking, highlighting, reading releases."""

from whoosh.searching import Searcher

# The open index every function here reads through: Whoosh's own class, named once for the package (code outside
# search/ never imports whoosh; it only passes along the searcher that search.LiveIndex opened).
__all__ = ["Searcher"]
