"""Bringing the live index in line with the corpus folder: new and changed files in, deleted ones out."""

from __future__ import annotations

import hashlib
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import ReleaseError
from ..ingest.corpus import CorpusFile, Duplicate, Skipped, iter_corpus_files, read_entry
from ..ingest.corpus_file import body_hash
from ..ingest.file_bytes import read_file_bytes
from .columns import string_column
from .indexer import entry_document
from .live_writer import live_index_for_writing
from .postings import segment_readers
from .schema import WRITER_OPTIONS


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # not indexed: the release is indexed already
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def sync_index(settings: Settings) -> SyncReport:
    """Bring the live index in line with the corpus folder: index new and changed files, drop deleted ones.

    A new or changed file with the text of another indexed release is reported as a duplicate and not indexed, as
    `rebuild` and `add` do.
    """
    started = time.monotonic()
    report = SyncReport()
    corpus = settings.corpus.resolve()
    with live_index_for_writing(settings) as ix:
        indexed = _indexed_files(ix)
        seen: set[str] = set()
        changed: list[tuple[str, Path]] = []
        for item in iter_corpus_files(settings.corpus):
            if isinstance(item, CorpusFile):
                seen.add(item.id)
                if _is_unchanged(item, indexed):
                    report.unchanged += 1
                else:
                    changed.append((item.id, item.path))
            elif isinstance(item, Skipped):
                report.skipped.append(item)
            else:
                report.duplicates.append(item)
        # Releases whose text a changed file may repeat: the ones that stay as they are, and those indexed now.
        kept = seen - {release_id for release_id, _ in changed}
        by_body: dict[str, str] = {}
        # The writer is taken only when something changed: committing nothing would still write a new table of
        # segments, and every server would reopen its searchers for it. Entered on the stack, it commits when the
        # block ends and cancels on any exception, as in `with ix.writer() as writer`.
        with ExitStack() as stack:
            searcher = stack.enter_context(ix.searcher())
            writer = None
            for release_id, path in changed:
                known = release_id in indexed.paths
                writer = writer or stack.enter_context(ix.writer(**WRITER_OPTIONS))
                writer.delete_by_term("id", release_id)
                try:
                    entry = read_entry(corpus, path)
                except ReleaseError as error:
                    report.skipped.append(Skipped.from_error(path, error))
                    if known:  # the file became unusable: its old text must not stay findable
                        report.removed.append(release_id)
                    continue
                digest = body_hash(entry.release)
                first = by_body.get(digest) or _indexed_id(searcher, digest, kept)
                if first:
                    report.duplicates.append(Duplicate(path, f"same text as {first}"))
                    if known:  # its old text is gone, and the new one is indexed as `first`
                        report.removed.append(release_id)
                    continue
                by_body[digest] = release_id
                writer.add_document(**entry_document(entry))
                (report.updated if known else report.added).append(release_id)
            for release_id in sorted(indexed.paths.keys() - seen):
                writer = writer or stack.enter_context(ix.writer(**WRITER_OPTIONS))
                writer.delete_by_term("id", release_id)
                report.removed.append(release_id)
    report.seconds = time.monotonic() - started
    return report


def _indexed_id(searcher, digest: str, kept: set[str]) -> str:
    """The id of an indexed release with the body hash `digest` that this sync keeps as it is, or ""."""
    return next((fields["id"] for fields in searcher.documents(body_hash=digest) if fields["id"] in kept), "")


@dataclass(frozen=True)
class _IndexedFiles:
    """Where each indexed release's file was and what it was, by release id.

    Three dicts of strings rather than one of records: Python's garbage collector does not track them, and 37,649
    records allocated in one go cost a full collection (0.06 s in a process holding a large heap, as the benchmark's
    after its build)."""

    paths: dict[str, str]  # relative to the corpus folder, with forward slashes
    stamps: dict[str, str]  # as file_stamp gives them
    hashes: dict[str, str]  # SHA-256 of the file's bytes


def _indexed_files(ix) -> _IndexedFiles:
    """The indexed files, read from the index's columns segment by segment (each column read whole: looking up
    every release through the reader of all segments took most of an idle sync)."""
    indexed = _IndexedFiles({}, {}, {})
    with ix.reader() as reader:
        for leaf, _ in segment_readers(reader):
            ids, paths, stamps, hashes = (string_column(leaf, name) for name in ("id", "path", "file_stamp",
                                                                                   "file_hash"))
            if leaf.has_deletions():
                live = list(leaf.all_doc_ids())
                ids, paths, stamps, hashes = ([column[docnum] for docnum in live]
                                              for column in (ids, paths, stamps, hashes))
            indexed.paths.update(zip(ids, paths, strict=True))
            indexed.stamps.update(zip(ids, stamps, strict=True))
            indexed.hashes.update(zip(ids, hashes, strict=True))
    return indexed


def _is_unchanged(file: CorpusFile, indexed: _IndexedFiles) -> bool:
    """Whether the file is the one indexed: at the same place, with the same size and mtime (as found by the walk,
    which holds the write lock, so nothing is indexed in between) or else the same bytes."""
    if indexed.paths.get(file.id) != file.relative:
        return False
    if indexed.stamps[file.id] == file.stamp:
        return True
    try:
        return indexed.hashes[file.id] == hashlib.sha256(read_file_bytes(file.path, file.path.name)).hexdigest()
    except (OSError, ReleaseError):
        return False
