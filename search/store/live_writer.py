"""Holding the live index for a change in place (`presse add`, `presse sync`): locked, opened, built first if needed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import FileIndex

from ..config import Settings
from ..errors import IndexMissingError, IndexStaleError, IndexUnsafeError
from .atomic import storage_errors
from .checksums import record_index
from .generations import remove_partial_files, remove_stale_builds
from .indexer import build_locked
from .live_index import check_live_index, open_index
from .locking import writer_lock

log = logging.getLogger(__name__)


@contextmanager
def live_index_for_writing(settings: Settings) -> Iterator[FileIndex]:
    """The live generation's Whoosh index, with the write lock held until the block ends.

    An index that is missing, damaged or from another version is built first. A full disk or a read-only folder,
    in the corpus or the index, becomes a StorageError; another writer past `settings.lock_timeout`, IndexBusyError.
    """
    what = f"to the corpus ({settings.corpus}) or the index ({settings.index})"
    with storage_errors(what), writer_lock(settings.index, settings.lock_timeout):
        # A killed rebuild leaves its half-built folder behind; with the lock held, no build is still at work on it.
        for folder in remove_stale_builds(settings.index):
            log.info("removed the unfinished build %s", folder.name)
        generation, ix = _open_or_build(settings)
        for path in remove_partial_files(generation):
            log.info("removed %s, left by a writer that was stopped", path.name)
        try:
            yield ix
            record_index(generation, ix)
        finally:
            ix.close()


def _open_or_build(settings: Settings) -> tuple[Path, FileIndex]:
    """The live generation's folder and its opened index; one missing, damaged or from another version is built
    first."""
    try:
        generation = check_live_index(settings.index).generation
        return generation, open_index(settings.index, generation)
    except IndexUnsafeError:
        raise  # planted files are not quietly replaced: the operator has to look at who can write the folder
    except (IndexMissingError, IndexStaleError) as reason:  # IndexCorruptError is an IndexMissingError
        log.warning("building the index first: %s", reason)
        built = build_locked(settings).generation
        assert built is not None
        return built, open_index(settings.index, built)
