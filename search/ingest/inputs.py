"""Finding what `presse add` was given: files, folders (recursively) and `-` for standard input, as named bytes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import ReleaseError
from .corpus import Skipped
from .file_bytes import read_file_bytes, read_stream_bytes

STDIN_NAME = "-"


@dataclass(frozen=True)
class InputFile:
    name: str  # the path as given (or found under a given folder), "-" for standard input
    data: bytes


def iter_inputs(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[InputFile | Skipped]:
    """Each input file's bytes, or a Skipped entry saying why it was not read.

    Folders are walked in sorted order; hidden files and folders are left out; a symbolic link found inside a folder
    is followed only when it is a file inside that folder.
    """
    for given in paths:
        if given == STDIN_NAME:
            yield _read_stream(stdin if stdin is not None else sys.stdin.buffer)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield _read_file(path)
        else:
            yield Skipped(path, "no such file or folder")


def _walk(folder: Path) -> Iterator[InputFile | Skipped]:
    root = folder.resolve()
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if Path(current, d).is_symlink()]:
            dirs.remove(name)  # os.walk would not enter it either; saying so beats a silent gap (and no loops)
            yield Skipped(Path(current, name), "symbolic link to a folder, not followed")
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(current, name)
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                yield Skipped(path, "symbolic link leading outside the given folder")
                continue
            yield _read_file(path)


def _read_file(path: Path) -> InputFile | Skipped:
    """A regular file's bytes; a pipe, device or socket (given or found in a folder) is skipped with the reason."""
    try:
        return InputFile(str(path), read_file_bytes(path, path.name))
    except ReleaseError as error:
        return Skipped.from_error(path, error)


def _read_stream(stream: BinaryIO) -> InputFile | Skipped:
    try:
        return InputFile(STDIN_NAME, read_stream_bytes(stream, STDIN_NAME))
    except ReleaseError as error:
        return Skipped.from_error(Path(STDIN_NAME), error)
