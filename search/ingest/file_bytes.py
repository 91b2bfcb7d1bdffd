"""Reading the bytes of one input or corpus file: regular files only, never more than the size limit.

A named pipe would make a reader wait forever for a writer (and `rebuild`, `sync` and `add` hold the write lock while
they read), and a device such as /dev/zero never ends; both are refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import ReleaseError

# Press releases are a few kilobytes; anything this large is not one.
MAX_RELEASE_BYTES = 5 * 1024 * 1024
TOO_LARGE = f"larger than {MAX_RELEASE_BYTES // (1024 * 1024)} MiB"

_KINDS = [
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
]


def irregular_kind(mode: int) -> str | None:
    """What a file of `mode` is when it is not a regular file ("a named pipe", …); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for is_kind, name in _KINDS if is_kind(mode)), "not a regular file")


def not_regular_reason(kind: str) -> str:
    return f"not a regular file ({kind}); only regular files are read"


def read_file_bytes(path: Path, label: str) -> bytes:
    """The bytes of the regular file `path` (symbolic links followed), at most MAX_RELEASE_BYTES of them.

    Raises ReleaseError `<label>: <reason>` for anything else: missing, unreadable, not a regular file, too large.
    """
    try:
        kind = irregular_kind(path.stat().st_mode)
        if kind:
            raise ReleaseError(f"{label}: {not_regular_reason(kind)}")
        # O_NONBLOCK: should a pipe have taken the file's place since the check, opening it does not wait for a
        # writer, and the check of the open file below refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise ReleaseError(f"{label}: cannot be read ({error.strerror})") from None
    with os.fdopen(fd, "rb") as file:
        kind = irregular_kind(os.fstat(fd).st_mode)
        if kind:
            raise ReleaseError(f"{label}: {not_regular_reason(kind)}")
        try:
            return _bounded(file.read(MAX_RELEASE_BYTES + 1), label)
        except OSError as error:
            raise ReleaseError(f"{label}: cannot be read ({error.strerror})") from None


def read_stream_bytes(stream: BinaryIO, label: str) -> bytes:
    """At most MAX_RELEASE_BYTES of `stream` (standard input); raises ReleaseError when it holds more."""
    return _bounded(stream.read(MAX_RELEASE_BYTES + 1), label)


def _bounded(data: bytes, label: str) -> bytes:
    # One byte more than the limit was asked for: getting it means the input is too large, without reading it all.
    if len(data) > MAX_RELEASE_BYTES:
        raise ReleaseError(f"{label}: {TOO_LARGE}")
    return data
