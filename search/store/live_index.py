"""Opening the live index generation: checked for its version, opened once per generation, reopened on a swap."""

from __future__ import annotations

import logging
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import EmptyIndexError, FileIndex
from whoosh.searching import Searcher

from ..errors import IndexCorruptError, IndexMissingError, IndexStaleError
from . import generations
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
# damage that is still there after these attempts is real.
OPEN_ATTEMPTS = 4
OPEN_RETRY_SECONDS = 0.05


def open_index(index_root: Path, generation: Path) -> FileIndex:
    """The Whoosh index of `generation`, its segments opened once; raises IndexCorruptError when they cannot be read
    (after OPEN_ATTEMPTS tries, in case a commit was under way)."""
    for _ in range(OPEN_ATTEMPTS - 1):
        try:
            return _open_once(index_root, generation)
        except IndexCorruptError:
            time.sleep(OPEN_RETRY_SECONDS)
    return _open_once(index_root, generation)


def _open_once(index_root: Path, generation: Path) -> FileIndex:
    try:
        ix = LingeringStorage(str(generation)).open_index()
        ix.reader().close()  # reads every segment's files: damage shows here, not in the middle of a search
        return ix
    except (EmptyIndexError, FileNotFoundError):
        raise IndexCorruptError(f"The index in {index_root} is incomplete. Run `presse rebuild`.") from None
    except Exception as error:  # a damaged file fails in many ways (unpickling, struct, EOF): all mean the same
        log.debug("cannot open the index generation %s", generation, exc_info=True)
        kind = type(error).__name__
        # Whoosh leaves the damaged file open in its frames; clearing them closes it here, not at a random gc.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            traceback.clear_frames(error.__traceback__)
            del error
        raise IndexCorruptError(f"The index in {index_root} cannot be read ({kind}). Run `presse rebuild`.") from None


class LiveIndex:
    """Hands out searchers for the live generation of one index folder.

    Whoosh searchers keep file positions, so each thread gets its own; a thread's searcher is replaced (and the old
    one closed) the first time the thread asks after a new generation was published, or, checked at most every
    `recheck_seconds` as read from `clock`, after `presse add` or `presse sync` committed to the live generation.
    A searcher is never refreshed in place: whoosh3's refresh() returned duplicates after a merge (see WHOOSH.md).
    """

    def __init__(self, index_root: Path, recheck_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.index_root = index_root
        self.recheck_seconds = recheck_seconds
        self.clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[Searcher] = set()  # every searcher handed out and not yet closed, for close()

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        stamp = generations.pointer_stamp(self.index_root)
        cached = getattr(self._local, "cached", None)
        if cached is None or cached[0] != stamp or stamp is None or not self._is_current(cached[1]):
            self._local.cached = None
            if cached is not None:
                self._forget(cached[1])
            info = check_live_index(self.index_root)
            opened = open_index(self.index_root, info.generation).searcher()
            with self._lock:
                self._open.add(opened)
            self._local.cached = cached = (stamp, opened)
        yield cached[1]

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
