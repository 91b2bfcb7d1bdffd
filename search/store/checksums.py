"""Checksums of a generation's files: recorded when a build is published and after every commit, verified when a
process opens the index and, by size and mtime only, before every search.

Every file a reader needs (the table of segments, each segment's files, its `.postings` arrays among them) is
recorded in `presse.sums` with its size and CRC-32. A segment's files never change once written, so a process
verifies each file once (keyed by name, size and mtime) and afterwards only looks at its size and mtime: a file
truncated, overwritten or deleted after that shows up at the next request, before its memory map is touched (a
truncated map kills the process with SIGBUS; only the `.postings` arrays are mapped, Whoosh reads its separate segment
files with read()). A truncation while a search is already reading the map can still kill that process: the check
narrows the window to one search (about 6 ms on the full corpus); reading the arrays into memory would close it at
+69 MB per serving process (PSS 79-82 MB -> 148-149 MB after 60 searches on the full corpus), so they stay mapped
and shared. CRC-32 finds every flipped bit and read the 277 MB of the full
corpus's generation at 2.6-3.1 GB/s from the page cache, BLAKE2b at 0.86 GB/s. It guards against damage, not
against someone who can write the folder (they could rewrite the record too): ownership.py warns about that, and
safe_unpickle.py keeps planted files from running code.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from .atomic import write_atomically
from .postings import segment_key, segment_readers

log = logging.getLogger(__name__)

SUMS_NAME = "presse.sums"
_TOC = re.compile(r"_MAIN_(\d+)\.toc\Z")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Record:
    """What a commit left: the table of segments it wrote and every file that table needs, name -> (size, CRC)."""

    toc: str
    files: dict[str, tuple[int, int]]


def crc_of(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def latest_toc(generation: Path) -> str | None:
    """The name of the newest table of segments in `generation` (the one Whoosh opens), or None."""
    numbered = [(int(match.group(1)), name) for name in os.listdir(generation) if (match := _TOC.match(name))]
    return max(numbered)[1] if numbered else None


def reader_files(generation: Path, reader: IndexReader) -> list[str]:
    """The files `reader` reads in `generation`: its table of segments and every file of its segments."""
    number = reader.generation()
    toc = f"_MAIN_{number}.toc" if number is not None and number >= 0 else latest_toc(generation)
    prefixes = tuple(f"{segment_key(leaf)[1]}." for leaf, _ in segment_readers(reader))
    segment_files = [name for name in os.listdir(generation) if prefixes and name.startswith(prefixes)]
    return sorted([toc, *segment_files]) if toc else segment_files


def record_index(generation: Path, ix: FileIndex) -> None:
    """Record the checksums of the files of `ix`'s newest commit (call with the write lock held)."""
    with ix.reader() as reader:
        names = reader_files(generation, reader)
    toc = next((name for name in names if name.endswith(".toc")), None)
    if toc is not None:
        record_checksums(generation, toc, names)


def read_record(generation: Path) -> Record | None:
    """The recorded checksums, or None when there are none (an index built before presse recorded them)."""
    try:
        raw = json.loads((generation / SUMS_NAME).read_text(encoding="utf-8"))
        return Record(raw["toc"], {name: (int(size), int(crc)) for name, (size, crc) in raw["files"].items()})
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        # Written atomically, so this is damage too; the files themselves are still checked by Whoosh when read.
        log.warning("the checksums in %s cannot be read (%s); they are written again at the next commit",
                    generation / SUMS_NAME, error)
        return None


def record_checksums(generation: Path, toc: str, names: Iterable[str]) -> Record:
    """Record the checksums of `names`, the files of table `toc`, atomically.

    Entries of the previous record are kept for files of the same name and size: segment files never change, and
    they were verified when the writer opened the index, so only a commit's new files are read.
    """
    previous = read_record(generation)
    files = {}
    for name in names:
        path = generation / name
        size = path.stat().st_size
        known = previous.files.get(name) if previous else None
        files[name] = known if known is not None and known[0] == size else (size, crc_of(path))
    write_atomically(generation / SUMS_NAME, json.dumps({"toc": toc, "files": files}, sort_keys=True) + "\n")
    return Record(toc, files)


class Verifier:
    """Which files this process has found intact, by path, size and mtime: each is read once, then only stat'ed."""

    def __init__(self) -> None:
        self._intact: set[tuple[str, int, int]] = set()
        self._broken: dict[tuple[str, int, int], str] = {}  # not read again while it stays as it is
        self._lock = threading.Lock()

    def damaged(self, generation: Path, record: Record | None, names: Iterable[str]) -> list[str]:
        """The files of `names` that differ from `record`, each with what is wrong ("MAIN_x.pst: missing").

        A file the record does not list (written by a commit still finishing, or the index predates checksums)
        is not checked here; Whoosh's own checks still apply when it is read.
        """
        if record is None:
            return []
        problems = []
        folder = str(generation)
        for name in names:
            expected = record.files.get(name)
            if expected is None:
                continue
            path = os.path.join(folder, name)  # plain strings and os.stat: this runs before every search
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                problems.append(f"{name}: missing")
                continue
            key = (path, stat.st_size, stat.st_mtime_ns)
            if key in self._intact:  # a set lookup needs no lock; only adding does
                continue
            with self._lock:
                problem = self._broken.get(key)
            if problem is None:
                if stat.st_size != expected[0]:
                    problem = f"{name}: {stat.st_size} bytes, {expected[0]} recorded"
                elif crc_of(Path(path)) != expected[1]:
                    problem = f"{name}: checksum differs"
            with self._lock:
                if problem is None:
                    self._intact.add(key)
                else:
                    self._broken[key] = problem
            if problem is not None:
                problems.append(problem)
        return problems
