"""The Whoosh schema: which fields exist, how each is analysed, which are stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import cast

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from ..german.analysis import (
    exact_analyzer,
    german_analyzer,
    part_counts,
    parts_analyzer,
    stem_positions,
    word_counts,
)
from .codec import PresseCodec

# Bump whenever the analyzer or the schema changes: an index stamped with another version is refused.
# 10: the text fields are IndexedText (the same postings, written faster); pickled schemas name the class.
# 11: `mentioned`, the days each release's text mentions.
# 12: single digits are words (BAB 5, SonderwortAlpha2); a street name's only part is its last word (Raumerstraße:
# strasse), a place name has none (Sachsenhausen).
# 13: every word ending in -straße is a street with the part strasse (of 2,566 such words in the shared releases,
# 100 were split wrongly, Seestraße as Sees + Trasse, and 891 not at all, Akazienstraße); `mentioned` reads
# "am 3. und 10. Mai" as two days (it gave the eight from 3 to 10) and keeps the first 60 days of the text.
# 14: postings written by presse's codec as the arrays only (no W3 term table and posting blocks); frequencies,
# offsets and positions in the narrowest integers they fit.
INDEX_VERSION = 14

# Every writer writes postings with presse's codec (store/codec.py), and a segment's files separately: Whoosh reads
# those with plain file reads, while it copies each file of a compound segment into memory when it opens it (130 MB
# per searcher on the full corpus, in every serving process). Only the postings arrays are memory-mapped.
WRITER_OPTIONS = {"compound": False, "codec": PresseCodec()}


# A posting as Whoosh's writer takes it from a field: (term, frequency, weight, encoded value).
Posting = tuple[bytes, int, float, bytes]


class IndexedText(TEXT):
    """A TEXT field whose postings at indexing come from the per-word cached analyses of german/analysis.py
    rather than a Token stream through the analyzer: the same postings, byte for byte, in a fraction of the time.

    Queries, highlighting and spelling still use the field's analyzer; `words` names which analysis it is."""

    def __init__(self, words: str, analyzer, **options) -> None:
        super().__init__(analyzer=analyzer, **options)
        self.words = words

    @property
    def with_positions(self) -> bool:
        return self.words == "stems" and isinstance(self.format, Positions)

    def positions_of(self, value: str) -> dict[str, list[int]]:
        """The field's words in `value` with their positions (for a field `with_positions`)."""
        return stem_positions(value)

    def counts_of(self, value: str) -> dict[str, int]:
        """The field's words in `value` with their counts."""
        return _COUNTERS[self.words](value)

    def index(self, value, **kwargs) -> Iterator[Posting]:  # type: ignore[override]
        if kwargs or not isinstance(value, str) or self.format is None:
            return super().index(value, **kwargs)
        if self.with_positions:
            return _with_positions(self.positions_of(value), cast(Positions, self.format), self.format.field_boost)
        return _with_counts(self.counts_of(value), self.format.field_boost)


_COUNTERS: dict[str, Callable[[str], dict[str, int]]] = {
    "stems": lambda text: {stem: len(positions) for stem, positions in stem_positions(text).items()},
    "words": word_counts,
    "parts": part_counts,
}


def _with_positions(found: dict[str, list[int]], fmt: Positions, boost: float) -> Iterator[Posting]:
    for word, positions in found.items():
        yield word.encode("utf-8"), len(positions), float(len(positions)) * boost, fmt.encode(positions)


def _with_counts(found: dict[str, int], boost: float) -> Iterator[Posting]:
    for word, count in found.items():
        yield word.encode("utf-8"), count, float(count) * boost, pack_uint(count)


def release_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=IndexedText("stems", analyzer, stored=True),
        body=IndexedText("stems", analyzer, stored=True),
        date=DATETIME(stored=True),
        # The date as a number for sorting, YYYYMMDD, and 0 without a date: newest first puts undated releases
        # last (a missing DATETIME column value sorts first and reads back as garbage).
        day=NUMERIC(sortable=True, bits=32, signed=False),
        # The days the text mentions (german/dates.py's mentioned_days: the day of an incident, an event), as
        # little-endian uint32 YYYYMMDD numbers: a column only, read into arrays (store/columns.py) so that a date
        # typed among the words also ranks the releases that mention a day of it.
        mentioned=COLUMN(VarBytesColumn()),
        # The issuer exactly as written, for filtering; `source_text` makes it findable by words too.
        # Title and text as written, lowercased: the surface words a typo is corrected against.
        exact=IndexedText("words", exact_analyzer(), phrase=False),
        # The known words inside the compounds of title and text (Handelskammer → handel, kammer): a query word
        # found only here matches with a lower weight than the same word standing alone.
        parts=IndexedText("parts", parts_analyzer(), phrase=False),
        source=ID(stored=True, sortable=True),
        source_text=IndexedText("stems", analyzer),
        place=IndexedText("stems", analyzer, stored=True),
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
