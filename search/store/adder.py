"""Adding imported releases (`presse add`): each new one written into the corpus, then indexed in the live index.

The corpus is the source of truth: a release is written into the corpus (atomically) before it is indexed, and a
release a killed run wrote but did not index is found by its file name, which carries the body's hash. Whoosh does
not fsync its commits; a commit lost to a power cut is recovered by `presse sync`, since the corpus files themselves
are fsynced.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from ..config import Settings
from ..errors import ReleaseError
from ..ingest.corpus import Skipped, read_entry
from ..ingest.corpus_file import body_hash, format_release, release_file_name
from ..ingest.importer import Imported, import_release
from ..ingest.inputs import iter_inputs
from .atomic import write_atomically
from .indexer import entry_document
from .live_writer import live_index_for_writing
from .schema import WRITER_OPTIONS
from .versions import find_version

log = logging.getLogger(__name__)

_ADDED_NAME = re.compile(r"^(\d+)_([0-9a-f]{16})\.txt$")
# The temporary file of an atomic write that a killed run left behind (see search/store/atomic.py).
_PARTIAL_WRITE = re.compile(r"^\.\d+_[0-9a-f]{16}\.txt\.[0-9a-f]{8}\.tmp$")


@dataclass(frozen=True)
class Incoming:
    """An imported release on its way into the corpus, with the name of the input it came from."""

    name: str
    imported: Imported


@dataclass(frozen=True)
class Added:
    name: str
    id: str
    version_of: str = ""


@dataclass
class AddReport:
    added: list[Added] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (input name, id of the release it repeats)
    skipped: list[Skipped] = field(default_factory=list)
    index_seconds: float = 0.0
    seconds: float = 0.0


def add_paths(settings: Settings, paths: list[str], stdin: BinaryIO | None = None) -> AddReport:
    """Import every input under `paths` (files, folders, "-" for standard input) and add the releases.

    Inputs that cannot be used are skipped with a reason; they never stop the others.
    """
    incoming, skipped = [], []
    for item in iter_inputs(paths, stdin):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        try:
            incoming.append(Incoming(item.name, import_release(item.data, item.name)))
        except ReleaseError as error:
            skipped.append(Skipped.from_error(Path(item.name), error))
    report = add_releases(settings, incoming) if incoming else AddReport()
    report.skipped = skipped + report.skipped
    return report


def add_releases(settings: Settings, incoming: list[Incoming]) -> AddReport:
    """Write each new release into the corpus and index it; repeats of indexed bodies are reported, not added."""
    started = time.monotonic()
    report = AddReport()
    corpus = settings.corpus.resolve()
    with live_index_for_writing(settings) as ix:
        index_started = time.monotonic()
        on_disk, next_number = _added_files(corpus)
        batch: dict[str, str] = {}  # body hash → id, for the same body twice in one batch
        # Whoosh's writer commits when the block ends and cancels on any exception, KeyboardInterrupt included.
        with ix.searcher() as searcher, ix.writer(**WRITER_OPTIONS) as writer:
            for item in incoming:
                release = item.imported.release
                digest = body_hash(release)
                repeated = batch.get(digest) or _indexed_id(searcher, digest)
                if repeated:
                    report.duplicates.append((item.name, repeated))
                    continue
                path = on_disk.get(digest[:16])
                if path is None:  # new; otherwise a killed run wrote it and this run indexes it
                    path = corpus / release_file_name(next_number, digest)
                    next_number += 1
                    release = replace(release, id=path.stem, version_of=find_version(searcher, release))
                    write_atomically(path, format_release(release, item.imported.headline))
                entry = read_entry(corpus, path)
                writer.delete_by_term("id", entry.release.id)
                writer.add_document(**entry_document(entry))
                batch[digest] = entry.release.id
                report.added.append(Added(item.name, entry.release.id, entry.release.version_of))
        report.index_seconds = time.monotonic() - index_started
    report.seconds = time.monotonic() - started
    log.info("added %d releases (%d duplicates) in %.2f s", len(report.added), len(report.duplicates), report.seconds)
    return report


def _added_files(corpus: Path) -> tuple[dict[str, Path], int]:
    """Files in the corpus folder named like added releases, by the 16 hex of their body hash; the next number.

    Partial writes of killed runs are removed on the way (the lock is held, so no writer is still at work on them).
    """
    by_hash: dict[str, Path] = {}
    highest = 0
    for path in corpus.iterdir():
        if _PARTIAL_WRITE.match(path.name):
            path.unlink(missing_ok=True)
            continue
        match = _ADDED_NAME.match(path.name)
        if match:
            by_hash[match.group(2)] = path
            highest = max(highest, int(match.group(1)))
    return by_hash, highest + 1


def _indexed_id(searcher, digest: str) -> str:
    fields = searcher.document(body_hash=digest)
    return fields["id"] if fields else ""
