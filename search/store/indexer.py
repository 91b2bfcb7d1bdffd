"""Building the index from the corpus into a fresh generation and swapping it in when complete."""

from __future__ import annotations

import logging
import shutil
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from ..config import Settings
from ..ingest.corpus import CorpusFile, Duplicate, Skipped, iter_corpus_files
from . import generations
from .atomic import storage_errors
from .checksums import record_index
from .locking import writer_lock
from .schema import INDEX_VERSION, WRITER_OPTIONS, release_schema
from .segment_build import ShareResult
from .segment_build import entry_document as entry_document  # adder and syncer import it from here
from .shares import ShareProgress, build_processes, run_shares, split_shares

log = logging.getLogger(__name__)

# Progress is reported to this callback as (releases done, releases in total, seconds since start).
ProgressFn = Callable[[int, int, float], None]


@dataclass
class BuildReport:
    indexed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # indexed once, under the first file's id
    seconds: float = 0.0
    generation: Path | None = None


def build_index(settings: Settings, progress: ProgressFn | None = None, processes: int | None = None) -> BuildReport:
    """Index every release under settings.corpus into a new generation and make it live.

    The live index keeps answering until the new one is complete; a failure leaves it untouched.
    Raises IndexBusyError when another writer holds the lock, ReleaseError when the corpus folder is missing.
    """
    with storage_errors(f"the index in {settings.index}"), writer_lock(settings.index, settings.lock_timeout):
        return build_locked(settings, progress, processes)


def build_locked(settings: Settings, progress: ProgressFn | None = None, processes: int | None = None) -> BuildReport:
    """build_index for a caller that already holds the write lock; `processes` worker processes (default: one per
    core, see build_processes) each index a contiguous share of the corpus into a segment of their own."""
    started = time.monotonic()
    report = BuildReport()
    generations.remove_leftovers(settings.index)
    # The listing, kept lean: a build holds it until the end (and its workers share it).
    files: list[str] = []  # each release file's full path, in corpus order
    places = array("I")  # each file's place among everything listed
    left_out: list[tuple[int, Skipped | Duplicate]] = []  # what the listing itself left out, with its place
    listed = 0
    for listed, item in enumerate(iter_corpus_files(settings.corpus), start=1):
        if isinstance(item, CorpusFile):
            files.append(item.location)
            places.append(listed - 1)
        else:
            left_out.append((listed - 1, item))
    shares = split_shares(files, processes or build_processes(len(files)))
    build = generations.new_build_folder(settings.index)
    try:
        whoosh_index.create_in(str(build), release_schema()).close()
        tell = _progress_teller(progress, listed, listed - len(files), started)
        results = run_shares(build, settings.corpus.resolve(), shares, tell)
        _commit_segments(build, [result.segment for result in results if result.segment is not None])
        report.indexed = sum(result.indexed for result in results)
        report.skipped, report.duplicates = _in_corpus_order(left_out, results, files, places)
        for item in report.skipped:
            log.warning("skipped %s: %s", item.path, item.reason)
        ix = whoosh_index.open_dir(str(build))
        record_index(build, ix)
        ix.close()
        meta = {
            "version": INDEX_VERSION,
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": report.indexed,
            "corpus": str(settings.corpus.resolve()),
        }
        report.generation = generations.publish(settings.index, build, meta)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    report.seconds = time.monotonic() - started
    log.info("indexed %d releases in %.1f s", report.indexed, report.seconds)
    return report


def _commit_segments(build: Path, segments: list) -> None:
    """List the shares' segments, in corpus order, as the index's only generation (whoosh3 3.54.0, pinned: the steps
    of Whoosh's own multi-process writer when it keeps its sub-writers' segments)."""
    ix = whoosh_index.open_dir(str(build))
    writer = SegmentWriter(ix, **WRITER_OPTIONS)
    try:
        writer._close_segment()
        writer._commit_toc(segments)
    finally:
        writer._finish()
        ix.close()


def _in_corpus_order(left_out: list[tuple[int, Skipped | Duplicate]], results: list[ShareResult], files: list[str],
                     places: array) -> tuple[list[Skipped], list[Duplicate]]:
    """The files skipped and the duplicates, the listing's and the shares', in the order of the corpus, as a build by
    one process would report them."""
    place_of = {location: places[index] for index, location in enumerate(files)}
    found = list(left_out)
    for result in results:
        found += [(place_of.get(str(item.path), len(place_of)), item) for item in result.skipped]
        found += [(place_of.get(str(item.path), len(place_of)), item) for item in result.duplicates]
    found.sort(key=lambda pair: pair[0])
    return ([item for _, item in found if isinstance(item, Skipped)],
            [item for _, item in found if isinstance(item, Duplicate)])


def _progress_teller(progress: ProgressFn | None, total: int, already: int, started: float) -> ShareProgress:
    """What run_shares calls with the releases its shares have done so far: the caller's progress callback, with the
    files skipped while listing counted as done."""
    def tell(done: int) -> None:
        if progress:
            progress(already + done, total, time.monotonic() - started)
    return tell


