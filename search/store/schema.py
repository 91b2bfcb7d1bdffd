"""The Whoosh schema: which fields exist, how each is analysed, which are stored."""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from ..german.analysis import exact_analyzer, german_analyzer, parts_analyzer

# Bump whenever the analyzer or the schema changes: an index stamped with another version is refused.
INDEX_VERSION = 9

# Every writer writes a segment's files separately: Whoosh memory-maps those, while it copies each file of a compound
# segment into memory when it opens it (130 MB per searcher on the full corpus, in every serving process).
WRITER_OPTIONS = {"compound": False}


def release_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        date=DATETIME(stored=True),
        # The date as a number for sorting, YYYYMMDD, and 0 without a date: newest first puts undated releases
        # last (a missing DATETIME column value sorts first and reads back as garbage).
        day=NUMERIC(sortable=True, bits=32, signed=False),
        # The issuer exactly as written, for filtering; `source_text` makes it findable by words too.
        # Title and text as written, lowercased: the surface words a typo is corrected against.
        exact=TEXT(analyzer=exact_analyzer(), phrase=False),
        # The known words inside the compounds of title and text (Handelskammer → handel, kammer): a query word
        # found only here matches with a lower weight than the same word standing alone.
        parts=TEXT(analyzer=parts_analyzer(), phrase=False),
        source=ID(stored=True, sortable=True),
        source_text=TEXT(analyzer=analyzer),
        place=TEXT(analyzer=analyzer, stored=True),
        # The place exactly as written, for the place filter and facet (`place` finds it by words, for `ort:`).
        place_name=ID(sortable=True),
        # The search keys of the code the title begins with (`090928-1226 nr-1226`, see german/release_codes.py):
        # a code typed into the box finds its release. (A TEXT field of space-separated keys: a KEYWORD field would
        # pickle a class store/safe_unpickle.py does not load.)
        code=TEXT(analyzer=RegexTokenizer(r"\S+") | LowercaseFilter(), phrase=False),
        url=STORED(),
        # The release this one is a near-identical version of (linked by `presse add`), and the group every version
        # shares (the earliest version's id; a release without versions is its own group): results fold on it.
        version_of=ID(stored=True),
        group=ID(sortable=True),
        # The end of the release's embargo (Sperrfrist) in seconds since 1970, 0 without one: no search, page or
        # feed shows the release before then (a column for the searches' masks, stored for the release page).
        embargo=NUMERIC(sortable=True, stored=True, bits=64, signed=False),
        # The year of `date`, for the year facet.
        year=ID(sortable=True),
        # What `presse add` and `presse sync` compare: the body's SHA-256 (to find duplicates), and where the file
        # is, its size and mtime, and its bytes' SHA-256 (to find changed files). Columns, so sync reads them fast.
        body_hash=ID(stored=True),
        path=ID(stored=True, sortable=True),
        file_stamp=ID(stored=True, sortable=True),
        file_hash=ID(stored=True, sortable=True),
    )
