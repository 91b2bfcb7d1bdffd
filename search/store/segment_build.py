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
from ..ingest.corpus import CorpusEntry, Duplicate, Skipped, read_entry
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


# The files of a share with the hash of each one's text (None where it cannot be read), in corpus order.
Texts = list[tuple[Path, str | None, str]]
# Given a share's texts, which of its files repeat a text an earlier file of the corpus has: path → reason.
Repeats = Callable[[Texts], dict[Path, str]]


def repeated_texts(shares: list[Texts]) -> list[dict[Path, str]]:
    """For each share, its files whose text an earlier file of the corpus has (in any share), with the reason
    `presse rebuild` gives: the first file with a text is indexed, as ingest/corpus.py's read_corpus decides."""
    first: dict[str, str] = {}
    found = []
    for texts in shares:
        repeats = {}
        for path, text_hash, release_id in texts:
            if text_hash is None:
                continue
            owner = first.setdefault(text_hash, release_id)
            if owner != release_id:
                repeats[path] = f"same text as {owner}"
        found.append(repeats)
    return found


def build_share(build: Path, corpus_root: Path, files: list[Path], limitmb: float, tally: Tally,
                repeats: Repeats) -> ShareResult:
    """Index `files` (under `corpus_root`) into a new segment of the index in `build`, which is not committed:
    the caller lists the segments of every share in the index's table of contents.

    Each file is read once: a file whose text an earlier file of the share has is left out as a duplicate as it
    comes. Once the share is analysed, `repeats` (given the share's text hashes) says which files repeat a text of
    the corpus, earlier shares included. Should it name a file this share indexed (a text repeated across shares,
    rare), the share is analysed again without it, as its releases' numbers change."""
    ix = whoosh_index.open_dir(str(build))
    try:
        writer, result, texts = _analyse_share(ix, corpus_root, files, limitmb, tally, None)
        repeated = repeats(texts)
        if repeated != {item.path: item.reason for item in result.duplicates}:
            writer.cancel()
            analysed = int(len(files) * ANALYSED_PART)
            writer, result, _ = _analyse_share(ix, corpus_root, files, limitmb,
                                               lambda done: tally(max(done, analysed)), repeated)
        _finish_share(writer, result, len(files), tally)
    finally:
        ix.close()
    return result


def _analyse_share(ix, corpus_root: Path, files: list[Path], limitmb: float, tally: Tally,
                   repeated: dict[Path, str] | None) -> tuple[BuildWriter, ShareResult, Texts]:
    """A segment writer with the share's releases added, what it holds and the share's text hashes. Files named
    in `repeated` are duplicates; when it is None, so is every file whose text an earlier file of the share has."""
    writer = BuildWriter(ix, limitmb)
    result = ShareResult(segment=None)
    texts: Texts = []
    first: dict[str, str] = {}
    try:
        for done, path in enumerate(files, start=1):
            _add_file(writer, result, texts, first, corpus_root, path, repeated)
            tally(int(done * ANALYSED_PART))
            if done % FORGET_SPLITS_EVERY == 0:
                forget_splits()
    except BaseException:
        writer.cancel()
        raise
    return writer, result, texts


def _add_file(writer: BuildWriter, result: ShareResult, texts: Texts, first: dict[str, str], corpus_root: Path,
              path: Path, repeated: dict[Path, str] | None) -> None:
    """One file of the share into the writer, or into the result's skipped or duplicates; its text hash noted."""
    if repeated is not None and path in repeated:
        result.duplicates.append(Duplicate(path, repeated[path]))
        return
    try:
        entry = read_entry(corpus_root, path)
    except ReleaseError as error:
        result.skipped.append(Skipped.from_error(path, error))
        texts.append((path, None, ""))
        return
    release = entry.release
    text_hash = body_hash(release)
    texts.append((path, text_hash, release.id))
    owner = first.setdefault(text_hash, release.id)
    if repeated is None and owner != release.id:
        result.duplicates.append(Duplicate(path, f"same text as {owner}"))
        return
    writer.add_document(**entry_document(entry))
    result.indexed += 1


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
