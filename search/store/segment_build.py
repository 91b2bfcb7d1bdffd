"""One share of a build: a contiguous run of corpus files indexed into one segment of the build's index, with the
segment's postings arrays beside it; run in a worker process (or in the building process itself).

The shares of a build follow the corpus order and their segments are listed in that order, so every release gets
the same number as in a build by one process, and the index answers every query exactly as that one would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import cast

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment

from ..errors import ReleaseError
from ..german.compounds import forget_splits
from ..german.dates import day_number, mentioned_days
from ..german.release_codes import code_keys
from ..ingest.corpus import CorpusEntry, Duplicate, Skipped, read_entry, release_id_for
from ..ingest.corpus_file import body_hash, release_embargo
from .build_writer import BuildWriter
from .codec import ArraysFieldWriter, TermPostings
from .columns import encode_days
from .posting_pool import CompactPostingPool

# How much of the share is done, in releases: a release counts as done in two steps, in proportion to the time each
# takes (measured on 6,000 shared releases in one share): read and analysed into the pool, 90 % of the work; its
# postings written into the segment, the rest. So the count, its rate and the time left stay true while a share
# writes its segment.
Tally = Callable[[int], None]
ANALYSED_PART = 0.9
TALLY_POSTINGS_EVERY = 50_000
# The compound splitter's caches fill with the corpus's rare words (300,000 entries, some 70 MB, on the shared
# corpus); the analysis keeps the parts of its common words itself (german/analysis.py), so these are emptied.
FORGET_SPLITS_EVERY = 1_000


@dataclass
class ShareResult:
    segment: Segment | None  # None when no file of the share could be indexed
    indexed: int = 0
    postings: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


# A share's text digests: the SHA-256 of each file's text (ingest/corpus_file.py's body_hash), 32 bytes each, in the
# share's order, NO_TEXT for a file that cannot be read. What a worker tells the building process: a few bytes a file.
NO_TEXT = bytes(32)
DIGEST_BYTES = 32
# Given a share's text digests, which of its files repeat a text an earlier file of the corpus has: their positions
# in the share, with the reason `presse rebuild` gives.
Repeats = Callable[[bytes], dict[int, str]]


class TextOwners:
    """Which file of the corpus first has each text, over the shares given in corpus order: the first file with a
    text is indexed, as ingest/corpus.py's read_corpus decides. One dictionary entry a distinct text."""

    def __init__(self) -> None:
        self._first: dict[bytes, int] = {}  # digest -> share number << 32 | position in the share
        self._shares: list[list[str]] = []

    def repeats(self, files: list[str], digests: bytes) -> dict[int, str]:
        """The files of the next share (`files`, with their text `digests`) whose text an earlier file has."""
        share = len(self._shares)
        self._shares.append(files)
        found = {}
        for position in range(len(files)):
            digest = digests[position * DIGEST_BYTES:(position + 1) * DIGEST_BYTES]
            if digest == NO_TEXT:
                continue
            owner = self._first.setdefault(digest, share << 32 | position)
            if owner != share << 32 | position:
                found[position] = f"same text as {_release_id(self._shares[owner >> 32][owner & 0xFFFFFFFF])}"
        return found


def build_share(build: Path, corpus_root: Path, files: list[str], limitmb: float, tally: Tally,
                repeats: Repeats) -> ShareResult:
    """Index `files` (full paths under `corpus_root`) into a new segment of the index in `build`, which is not
    committed: the caller lists the segments of every share in the index's table of contents.

    The paths are strings, each made a Path only while its file is read: a worker's Paths, with what they cache,
    would stay for the whole build (and the building process's list is shared with its workers until touched).

    Each file is read once: a file whose text an earlier file of the share has is left out as a duplicate as it
    comes. Once the share is analysed, `repeats` (given the share's text digests) says which files repeat a text of
    the corpus, earlier shares included. Should it name a file this share indexed (a text repeated across shares,
    rare), the share is analysed again without it, as its releases' numbers change."""
    ix = whoosh_index.open_dir(str(build))
    try:
        writer, result, digests, own = _analyse_share(ix, corpus_root, files, limitmb, tally, None)
        repeated = repeats(digests)
        if repeated != own:
            writer.cancel()
            analysed = int(len(files) * ANALYSED_PART)
            writer, result, _, _ = _analyse_share(ix, corpus_root, files, limitmb,
                                                  lambda done: tally(max(done, analysed)), repeated)
        _finish_share(writer, result, len(files), tally)
    finally:
        ix.close()
    return result


def _analyse_share(ix, corpus_root: Path, files: list[str], limitmb: float, tally: Tally,
                   repeated: dict[int, str] | None) -> tuple[BuildWriter, ShareResult, bytes, dict[int, str]]:
    """A segment writer with the share's releases added, what it holds, the share's text digests and the files it
    left out as repeats (by position). Files at positions in `repeated` are repeats; when it is None, so is every
    file whose text an earlier file of the share has."""
    writer = BuildWriter(ix, limitmb)
    result = ShareResult(segment=None)
    digests = bytearray()
    first: dict[bytes, int] = {}  # digest -> position of the share's first file with that text
    own: dict[int, str] = {}
    try:
        for position in range(len(files)):
            digests += _add_file(writer, result, corpus_root, files, position, first, own, repeated)
            tally(int((position + 1) * ANALYSED_PART))
            if (position + 1) % FORGET_SPLITS_EVERY == 0:
                forget_splits()
    except BaseException:
        writer.cancel()
        raise
    return writer, result, bytes(digests), own


def _add_file(writer: BuildWriter, result: ShareResult, corpus_root: Path, files: list[str], position: int,
              first: dict[bytes, int], own: dict[int, str], repeated: dict[int, str] | None) -> bytes:
    """The file at `position` of the share into the writer, or into the result's skipped or duplicates (a repeat
    named in `repeated`; without it, a repeat of a text `first` has, noted in `own`); its text digest."""
    path = Path(files[position])
    if repeated is not None and position in repeated:
        result.duplicates.append(Duplicate(path, repeated[position]))
        return NO_TEXT
    try:
        entry = read_entry(corpus_root, path)
    except ReleaseError as error:
        result.skipped.append(Skipped.from_error(path, error))
        return NO_TEXT
    digest = bytes.fromhex(body_hash(entry.release))
    owner = first.setdefault(digest, position)
    if repeated is None and owner != position:
        own[position] = f"same text as {_release_id(files[owner])}"
        result.duplicates.append(Duplicate(path, own[position]))
        return digest
    writer.add_document(**entry_document(entry))
    result.indexed += 1
    return digest


def _release_id(location: str) -> str:
    return release_id_for(Path(location))


def _finish_share(writer: BuildWriter, result: ShareResult, files: int, tally: Tally) -> None:
    """The analysed share's segment written (or the writer cancelled when it indexed nothing)."""
    pool = writer.compact_pool
    try:
        result.postings = pool.count

        def tally_written(written: int) -> None:
            tally(int(files * (ANALYSED_PART + (1 - ANALYSED_PART) * written / max(1, result.postings))))

        if result.indexed:
            result.segment = _write_segment(writer, pool, tally_written)
        else:
            writer.cancel()
        tally(files)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _write_segment(writer: BuildWriter, pool: CompactPostingPool, written: Callable[[int], None]) -> Segment:
    """Whoosh's SegmentWriter._finalize_segment (whoosh3 3.54.0, pinned) with the postings handed to presse's field
    writer a term at a time and counted as they go, and without a commit: the pool's sorted postings into the
    segment's files, then closed."""
    writer.perdocwriter.close()
    lengths = writer.per_document_reader()
    segment = writer.get_segment()
    try:
        cast(ArraysFieldWriter, writer.fieldwriter).add_terms(writer.schema, lengths, _postings(pool, written))
        writer.fieldwriter.close()
    finally:
        lengths.close()
    writer._close_segment()
    writer._assemble_segment()
    writer._tempstorage.destroy()
    writer.is_closed = True
    return segment


def _postings(pool: CompactPostingPool, written: Callable[[int], None]) -> Iterator[TermPostings]:
    """The pool's postings a term at a time, in Whoosh's order, with the count of postings handed out given to
    `written` now and then."""
    count, told = 0, 0
    for postings in pool.iter_terms():
        yield postings
        count += len(postings[2])
        if count - told >= TALLY_POSTINGS_EVERY:
            written(count)
            told = count
    written(count)


def entry_document(entry: CorpusEntry) -> dict:
    """The Whoosh document for one corpus file."""
    release = entry.release
    embargo = release_embargo(release)
    searched_text = (release.title + "\n\n" + release.text) if release.headline else release.text
    return {
        "id": release.id,
        # A title derived from the lead is shown but not searched as a title: its words are in the body already.
        "title": release.title if release.headline else "",
        "_stored_title": release.title,
        "body": release.text,
        "exact": searched_text,
        "parts": searched_text,
        "date": datetime(release.date.year, release.date.month, release.date.day) if release.date else None,
        "source": release.source,
        "source_text": release.source,
        "place": release.place,
        "place_name": release.place,
        "code": " ".join(code_keys(release.title)),
        "url": release.url,
        "version_of": release.version_of,
        "group": release.version_of or release.id,
        "year": str(release.date.year) if release.date else "",
        "day": day_number(release.date) if release.date else 0,
        "mentioned": encode_days(mentioned_days(searched_text, release.date)),
        "embargo": int(embargo.until.timestamp()) if embargo and embargo.until else 0,
        "body_hash": body_hash(release),
        "path": entry.path,
        "file_stamp": entry.stamp,
        "file_hash": entry.file_hash,
    }
