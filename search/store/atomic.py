"""Writing a file so that a crash leaves the old content or the new, never a half-written file."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StorageError

_HINTS = {
    errno.ENOSPC: "no space left on the device; free some space",
    errno.EDQUOT: "the disk quota is used up; free some space",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied; check who owns the folder",
    errno.EPERM: "operation not permitted; check who owns the folder",
}


def write_atomically(path: Path, content: str | bytes | Iterable[bytes | memoryview]) -> None:
    """Write `content` (text as UTF-8, or the chunks of a large file one after another, never joined in memory) to a
    temporary file beside `path`, fsync it, rename it over `path`, fsync the folder."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    chunks = [content.encode("utf-8")] if isinstance(content, str) else [content] if isinstance(content, bytes) \
        else content
    try:
        with open(tmp, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_path(path.parent)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def storage_errors(what: str) -> Iterator[None]:
    """Turn an operating-system failure while writing `what` into a StorageError a person can act on."""
    try:
        yield
    except OSError as error:
        if error.errno not in _HINTS:
            raise
        raise StorageError(
            f"Writing {what} failed: {_HINTS[error.errno]}, then run the command again "
            "(nothing was left half-written)."
        ) from error
