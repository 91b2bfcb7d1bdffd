"""The Whoosh schema: which fields exist, how each is analysed, which are stored."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, TEXT, Schema

from .analysis import german_analyzer


def release_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True, sortable=True),
        # The issuer exactly as written, for filtering; `source_text` makes it findable by words too.
        source=ID(stored=True),
        source_text=TEXT(analyzer=analyzer),
        place=TEXT(analyzer=analyzer, stored=True),
    )
