"""Opening the live index generation: checked for its version, opened once per generation, reopened on a swap."""

from __future__ import annotations

import logging
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh.index import EmptyIndexError, FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ..errors import IndexCorruptError, IndexDamagedError, IndexMissingError, IndexStaleError, IndexUnsafeError
from . import checksums, generations, safe_unpickle
from .checksums import Verifier
from .ownership import foreign_writers
from .schema import INDEX_VERSION
from .segment_files import LingeringStorage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexInfo:
    generation: Path
    meta: dict


def check_live_index(index_root: Path) -> IndexInfo:
    """The live generation and its metadata; raises when there is none or it was built by another version."""
    generation = generations.live_generation(index_root)
    if generation is None:
        raise IndexMissingError(f"No index found in {index_root}. Run `presse rebuild` first.")
    meta = generations.read_meta(generation)
    if meta.get("version") != INDEX_VERSION:
        raise IndexStaleError(
            f"The index in {index_root} was built by another version of presse "
            f"(index version {meta.get('version')}, this presse {INDEX_VERSION}). Run `presse rebuild`."
        )
    return IndexInfo(generation, meta)


# A commit by `presse add` replaces the table of segments and deletes merged ones: a reader that opens the index in
# that moment finds a file half written or already gone. Opening again shortly after sees the finished commit;
# damage that is still there after these attempts is real. A file that differs from its recorded checksum while
# the record and the table stay as they were, and a pickle presse refuses, are final at once.
OPEN_ATTEMPTS = 4
OPEN_RETRY_SECONDS = 0.05


@dataclass(frozen=True)
class _Checked:
    """An opened index, the reader whose files were checked, those files and the record they were checked against."""

    ix: FileIndex
    reader: IndexReader
    files: list[str]
    record: checksums.Record | None


def open_index(index_root: Path, generation: Path, verifier: Verifier | None = None) -> FileIndex:
    """The Whoosh index of `generation`, its files checked against their checksums and its segments opened once.

    Raises IndexDamagedError naming the files that differ from their checksums, IndexUnsafeError for a file holding
    a pickle presse does not load, IndexCorruptError when the segments cannot be read (after OPEN_ATTEMPTS tries,
    in case a commit was under way). `verifier` remembers the files already found intact in this process.
    """
    checked = _open_checked(index_root, generation, verifier if verifier is not None else Verifier())
    checked.reader.close()
    return checked.ix


def _open_checked(index_root: Path, generation: Path, verifier: Verifier) -> _Checked:
    safe_unpickle.install()
    for _ in range(OPEN_ATTEMPTS - 1):
        try:
            return _open_once(index_root, generation, verifier)
        except (IndexDamagedError, IndexUnsafeError):
            raise
        except IndexCorruptError:
            time.sleep(OPEN_RETRY_SECONDS)
    return _open_once(index_root, generation, verifier)


def _open_once(index_root: Path, generation: Path, verifier: Verifier) -> _Checked:
    record = checksums.read_record(generation)
    if record is not None and record.toc == checksums.latest_toc(generation):
        # The usual case: the record describes the table Whoosh will open, so its files are checked before Whoosh
        # reads any of them.
        _raise_if_damaged(index_root, generation, record, verifier.damaged(generation, record, record.files))
    try:
        ix = LingeringStorage(str(generation)).open_index()
        reader = ix.reader()  # reads every segment's files: damage shows here, not in a search
    except IndexUnsafeError as error:
        message = str(error)
        _close_files_of(error)
        del error
        raise IndexUnsafeError(f"{message} (index folder: {index_root})") from None
    except (EmptyIndexError, FileNotFoundError):
        raise IndexCorruptError(f"The index in {index_root} is incomplete. Run `presse rebuild`.") from None
    except Exception as error:  # a damaged file fails in many ways (unpickling, struct, EOF): all mean the same
        log.debug("cannot open the index generation %s", generation, exc_info=True)
        kind = type(error).__name__
        _close_files_of(error)
        del error
        raise IndexCorruptError(f"The index in {index_root} cannot be read ({kind}). Run `presse rebuild`.") from None
    try:
        files = checksums.reader_files(generation, reader)
        # A record older than the table (a commit still finishing) covers the files the two share.
        _raise_if_damaged(index_root, generation, record, verifier.damaged(generation, record, files))
    except BaseException:
        reader.close()
        raise
    if record is None:
        log.info("no checksums recorded in %s yet: they are written at the next commit or rebuild", generation)
    return _Checked(ix, reader, files, record)


def _close_files_of(error: BaseException) -> None:
    """Whoosh leaves the file it failed on open in its frames; clearing them closes it now, not at a random gc."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(error.__traceback__)


def _raise_if_damaged(index_root: Path, generation: Path, record: checksums.Record | None,
                      problems: list[str]) -> None:
    """IndexDamagedError for `problems`; but when a commit replaced the record or the table meanwhile, a retryable
    IndexCorruptError (the files checked may have been given up by that commit)."""
    if not problems:
        return
    if record is not None and (checksums.read_record(generation) != record
                               or checksums.latest_toc(generation) != record.toc):
        raise IndexCorruptError(f"The index in {index_root} changed while it was checked. Run `presse rebuild` if "
                                "this stays.")
    raise damaged_error(index_root, problems)


def damaged_error(index_root: Path, problems: list[str]) -> IndexDamagedError:
    return IndexDamagedError(
        f"The index in {index_root} is damaged: {'; '.join(problems)}. Run `presse rebuild`.", problems)


@dataclass(frozen=True)
class _Opened:
    """A thread's searcher and what it needs to check its files before each search."""

    stamp: tuple[int, int] | None
    searcher: Searcher
    generation: Path
    record: checksums.Record | None
    files: list[str]


class LiveIndex:
    """Hands out searchers for the live generation of one index folder.

    Whoosh searchers keep file positions, so each thread gets its own; a thread's searcher is replaced (and the old
    one closed) the first time the thread asks after a new generation was published, or, checked at most every
    `recheck_seconds` as read from `clock`, after `presse add` or `presse sync` committed to the live generation.
    A searcher is never refreshed in place: whoosh3's refresh() returned duplicates after a merge (see WHOOSH.md).

    Before each search the searcher's files are compared with what was verified (size and mtime, a stat each): a
    damaged file ends that searcher (IndexDamagedError) before a memory map of it is touched (the postings arrays:
    a truncated map kills the process) or a search reads it (Whoosh's own files: a 500 otherwise); some 100 µs for
    the full index's files. When a newer commit or
    generation cannot be opened, the thread keeps answering from the searcher it has; `damage()` says why.
    """

    def __init__(self, index_root: Path, recheck_seconds: float = 0.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.index_root = index_root
        self.recheck_seconds = recheck_seconds
        self.clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[Searcher] = set()  # every searcher handed out and not yet closed, for close()
        self._verifier = Verifier()
        self._damage: IndexCorruptError | None = None
        self._warned_ownership = False

    def damage(self) -> IndexCorruptError | None:
        """The damage this process found in the live index since it last opened it intact, or None."""
        return self._damage

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        stamp = generations.pointer_stamp(self.index_root)
        cached: _Opened | None = getattr(self._local, "cached", None)
        if cached is not None:
            problems = self._verifier.damaged(cached.generation, cached.record, cached.files)
            if problems:
                self._local.cached = None
                self._forget(cached.searcher)
                self._found(damaged_error(self.index_root, problems))
                assert self._damage is not None
                raise self._damage
        if cached is None or cached.stamp != stamp or stamp is None or not self._is_current(cached.searcher):
            try:
                opened = self._open_live(stamp)
            except IndexCorruptError as error:
                if cached is None:
                    self._found(error)
                    raise
                self._found(error)
                # Keep the intact searcher; try the new one again when the pointer changes or at the next recheck.
                self._local.cached = replace(cached, stamp=stamp)
                yield cached.searcher
                return
            self._local.cached = None
            if cached is not None:
                self._forget(cached.searcher)
            self._local.cached = cached = opened
            self._damage = None
        yield cached.searcher

    def _open_live(self, stamp: tuple[int, int] | None) -> _Opened:
        info = check_live_index(self.index_root)
        if not self._warned_ownership:
            self._warned_ownership = True
            for warning in foreign_writers([self.index_root, info.generation]):
                log.warning("%s", warning)
        checked = _open_checked(self.index_root, info.generation, self._verifier)
        # The searcher reads exactly the commit whose files were checked.
        searcher = Searcher(checked.reader, fromindex=checked.ix)
        with self._lock:
            self._open.add(searcher)
        # A table of segments is read whole when opened, and a commit deletes the one before it at once.
        files = [name for name in checked.files if not name.endswith(".toc")]
        return _Opened(stamp, searcher, info.generation, checked.record, files)

    def _found(self, error: IndexCorruptError) -> None:
        if self._damage is None or str(self._damage) != str(error):
            log.warning("%s", error)
        self._damage = error

    def _is_current(self, opened: Searcher) -> bool:
        now = self.clock()
        if now - getattr(self._local, "checked", float("-inf")) < self.recheck_seconds:
            return True
        self._local.checked = now
        return opened.up_to_date()

    def close(self) -> None:
        """Close every searcher handed out, in all threads."""
        with self._lock:
            searchers, self._open = self._open, set()
        for opened in searchers:
            opened.close()
        self._local = threading.local()

    def _forget(self, opened: Searcher) -> None:
        with self._lock:
            self._open.discard(opened)
        opened.close()
