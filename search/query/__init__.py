"""Answering a search: parsing what was typed, expanding words, matching, ranking, highlighting, reading releases."""
