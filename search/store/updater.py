"""Changing the live index in place: adding imported releases (`presse add`) and syncing it with the corpus folder.

Both run under the index's write lock. The corpus is the source of truth: `add` writes each new release into the
corpus (atomically) before indexing it, and finds releases a killed run wrote but did not index by their file name,
which carries the body's hash. Whoosh does not fsync its commits; a commit lost to a power cut is recovered by
`presse sync`, since the corpus files themselves are fsynced.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from whoosh import query as wq

from ..config import Settings
from ..errors import IndexMissingError, IndexStaleError, ReleaseError
from ..ingest.canonical import body_hash, format_release, release_file_name
from ..ingest.corpus import Skipped, file_stamp, iter_corpus_files, read_entry
from ..ingest.importer import Imported, import_release
from ..ingest.inputs import iter_inputs
from .atomic import storage_errors, write_atomically
from .indexer import build_locked, entry_document
from .live_index import check_live_index, open_index
from .locking import writer_lock

log = logging.getLogger(__name__)

# A release counts as a version of an earlier one from the same issuer within this many days when the two texts
# share at least this fraction of their three-word sequences (Jaccard).
VERSION_DAYS = 2
VERSION_SIMILARITY = 0.7

_ADDED_NAME = re.compile(r"^(\d+)_([0-9a-f]{16})\.txt$")
# The temporary file of an atomic write that a killed run left behind (see search/atomic.py).
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
    with storage_errors(_written(settings)), writer_lock(settings.index, settings.lock_timeout):
        ix = _open_live_index(settings)
        index_started = time.monotonic()
        on_disk, next_number = _added_files(corpus)
        batch: dict[str, str] = {}  # body hash → id, for the same body twice in one batch
        # Whoosh's writer commits when the block ends and cancels on any exception, KeyboardInterrupt included.
        with ix.searcher() as searcher, ix.writer() as writer:
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
                    release = replace(release, id=path.stem, version_of=_find_version(searcher, release))
                    write_atomically(path, format_release(release, item.imported.headline))
                entry = read_entry(corpus, path)
                writer.delete_by_term("id", entry.release.id)
                writer.add_document(**entry_document(entry))
                batch[digest] = entry.release.id
                report.added.append(Added(item.name, entry.release.id, entry.release.version_of))
        ix.close()
        report.index_seconds = time.monotonic() - index_started
    report.seconds = time.monotonic() - started
    log.info("added %d releases (%d duplicates) in %.2f s", len(report.added), len(report.duplicates), report.seconds)
    return report


def sync_index(settings: Settings) -> SyncReport:
    """Bring the live index in line with the corpus folder: index new and changed files, drop deleted ones."""
    started = time.monotonic()
    report = SyncReport()
    corpus = settings.corpus.resolve()
    with storage_errors(_written(settings)), writer_lock(settings.index, settings.lock_timeout):
        ix = _open_live_index(settings)
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
                writer = writer or stack.enter_context(ix.writer())
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
                writer = writer or stack.enter_context(ix.writer())
                writer.delete_by_term("id", release_id)
                report.removed.append(release_id)
        ix.close()
    report.seconds = time.monotonic() - started
    return report


def _written(settings: Settings) -> str:
    return f"to the corpus ({settings.corpus}) or the index ({settings.index})"


@dataclass(frozen=True)
class _IndexedFile:
    path: str
    stamp: str
    file_hash: str


def _open_live_index(settings: Settings):
    """The live generation's index; built first when there is none, it is damaged or from another version.

    Call with the write lock held.
    """
    try:
        return open_index(settings.index, check_live_index(settings.index).generation)
    except (IndexMissingError, IndexStaleError) as reason:  # IndexCorruptError is an IndexMissingError
        log.warning("building the index first: %s", reason)
        generation = build_locked(settings).generation
        assert generation is not None
        return open_index(settings.index, generation)


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


def _find_version(searcher, release) -> str:
    """The id of the earliest version of `release` already indexed, or "" when it is no version of any."""
    if not release.source or release.date is None:
        return ""
    day = datetime(release.date.year, release.date.month, release.date.day)
    candidates = wq.And([
        wq.Term("source", release.source),
        wq.DateRange("date", day - timedelta(days=VERSION_DAYS), day + timedelta(days=VERSION_DAYS)),
    ])
    shingles = _shingles(release.text)
    best, best_score = None, VERSION_SIMILARITY
    for hit in searcher.search(candidates, limit=None):
        stored = hit.fields()
        score = _jaccard(shingles, _shingles(stored.get("body", "")))
        if score >= best_score:
            best, best_score = stored, score
    if best is None:
        return ""
    return best.get("version_of") or best["id"]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
