"""Bringing the live index in line with the corpus folder: new and changed files in, deleted ones out."""

from __future__ import annotations

import hashlib
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import ReleaseError
from ..ingest.corpus import Skipped, file_stamp, iter_corpus_files, read_entry
from .indexer import entry_document
from .live_writer import live_index_for_writing
from .schema import WRITER_OPTIONS


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def sync_index(settings: Settings) -> SyncReport:
    """Bring the live index in line with the corpus folder: index new and changed files, drop deleted ones."""
    started = time.monotonic()
    report = SyncReport()
    corpus = settings.corpus.resolve()
    with live_index_for_writing(settings) as ix:
        indexed = _indexed_files(ix)
        seen: set[str] = set()
        # The writer is taken only when something changed: committing nothing would still write a new table of
        # segments, and every server would reopen its searchers for it. Entered on the stack, it commits when the
        # block ends and cancels on any exception, as in `with ix.writer() as writer`.
        with ExitStack() as stack:
            writer = None
            for item in iter_corpus_files(settings.corpus):
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                release_id, path = item
                seen.add(release_id)
                known = indexed.get(release_id)
                if known and _is_unchanged(corpus, path, known):
                    report.unchanged += 1
                    continue
                writer = writer or stack.enter_context(ix.writer(**WRITER_OPTIONS))
                writer.delete_by_term("id", release_id)
                try:
                    entry = read_entry(corpus, path)
                except ReleaseError as error:
                    report.skipped.append(Skipped.from_error(path, error))
                    if known:  # the file became unusable: its old text must not stay findable
                        report.removed.append(release_id)
                    continue
                writer.add_document(**entry_document(entry))
                (report.updated if known else report.added).append(release_id)
            for release_id in sorted(indexed.keys() - seen):
                writer = writer or stack.enter_context(ix.writer(**WRITER_OPTIONS))
                writer.delete_by_term("id", release_id)
                report.removed.append(release_id)
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class _IndexedFile:
    path: str
    stamp: str
    file_hash: str


def _indexed_files(ix) -> dict[str, _IndexedFile]:
    """Id → where the indexed file was and what it was, read from the index's columns."""
    with ix.reader() as reader:
        ids, paths, stamps, hashes = (reader.column_reader(name) for name in ("id", "path", "file_stamp", "file_hash"))
        return {
            ids[docnum]: _IndexedFile(paths[docnum], stamps[docnum], hashes[docnum])
            for docnum in reader.all_doc_ids()
        }


def _is_unchanged(corpus: Path, path: Path, known: _IndexedFile) -> bool:
    if known.path != path.relative_to(corpus).as_posix():
        return False
    try:
        if known.stamp == file_stamp(path):
            return True
        return known.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
