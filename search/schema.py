"""The Whoosh schema: which fields exist, how each is analysed, which are stored."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from .analysis import german_analyzer

# Bump whenever the analyzer or the schema changes: an index stamped with another version is refused.
INDEX_VERSION = 2


def release_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True, sortable=True),
        # The issuer exactly as written, for filtering; `source_text` makes it findable by words too.
        source=ID(stored=True),
        source_text=TEXT(analyzer=analyzer),
        place=TEXT(analyzer=analyzer, stored=True),
        url=STORED(),
        # The release this one is a near-identical version of (linked by `presse add`).
        version_of=ID(stored=True),
        # What `presse add` and `presse sync` compare: the body's SHA-256 (to find duplicates), and where the file
        # is, its size and mtime, and its bytes' SHA-256 (to find changed files). Columns, so sync reads them fast.
        body_hash=ID(stored=True),
        path=ID(stored=True, sortable=True),
        file_stamp=ID(stored=True, sortable=True),
        file_hash=ID(stored=True, sortable=True),
    )
