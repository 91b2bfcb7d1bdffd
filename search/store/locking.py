"""The index's single-writer lock: an fcntl lock on a file, freed by the kernel when its holder dies."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexBusyError

log = logging.getLogger(__name__)

LOCK_NAME = "WRITELOCK"


@contextmanager
def writer_lock(index_root: Path, timeout: float) -> Iterator[None]:
    """Hold the write lock of `index_root`, waiting up to `timeout` seconds for it."""
    index_root.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting and timeout > 0:
                    waiting = True
                    log.info("another writer holds %s; waiting up to %g s", index_root / LOCK_NAME, timeout)
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"Another presse process is writing to {index_root} (waited {timeout:g} s). "
                        "Try again when it has finished."
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
