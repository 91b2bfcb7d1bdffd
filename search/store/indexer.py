"""Building the index from the corpus into a fresh generation and swapping it in when complete."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from ..config import Settings
from ..german.dates import day_number
from ..german.release_codes import code_keys
from ..ingest.corpus import CorpusEntry, Duplicate, Skipped, iter_release_files, read_corpus
from ..ingest.corpus_file import body_hash, release_embargo
from . import generations
from .atomic import storage_errors
from .checksums import record_index
from .locking import writer_lock
from .postings import write_missing_postings
from .schema import INDEX_VERSION, WRITER_OPTIONS, release_schema

log = logging.getLogger(__name__)

# Progress is reported to this callback as (releases done, releases in total, seconds since start).
ProgressFn = Callable[[int, int, float], None]


@dataclass
class BuildReport:
    indexed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # indexed once, under the first file's id
    seconds: float = 0.0
    generation: Path | None = None


def build_index(settings: Settings, progress: ProgressFn | None = None) -> BuildReport:
    """Index every release under settings.corpus into a new generation and make it live.

    The live index keeps answering until the new one is complete; a failure leaves it untouched.
    Raises IndexBusyError when another writer holds the lock, ReleaseError when the corpus folder is missing.
    """
    with storage_errors(f"the index in {settings.index}"), writer_lock(settings.index, settings.lock_timeout):
        return build_locked(settings, progress)


def build_locked(settings: Settings, progress: ProgressFn | None = None) -> BuildReport:
    """build_index for a caller that already holds the write lock."""
    started = time.monotonic()
    report = BuildReport()
    generations.remove_leftovers(settings.index)
    total = sum(1 for _ in iter_release_files(settings.corpus))
    build = generations.new_build_folder(settings.index)
    try:
        ix = whoosh_index.create_in(str(build), release_schema())
        # Whoosh's writer commits when the block ends and cancels on any exception, KeyboardInterrupt included.
        with ix.writer(limitmb=256, procs=1, **WRITER_OPTIONS) as writer:
            for done, item in enumerate(read_corpus(settings.corpus), start=1):
                if isinstance(item, Skipped):
                    log.warning("skipped %s: %s", item.path, item.reason)
                    report.skipped.append(item)
                elif isinstance(item, Duplicate):
                    report.duplicates.append(item)
                else:
                    writer.add_document(**entry_document(item))
                    report.indexed += 1
                if progress:
                    progress(done, total, time.monotonic() - started)
        write_missing_postings(build, ix)
        record_index(build, ix)
        ix.close()
        meta = {
            "version": INDEX_VERSION,
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": report.indexed,
            "corpus": str(settings.corpus.resolve()),
        }
        report.generation = generations.publish(settings.index, build, meta)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    report.seconds = time.monotonic() - started
    log.info("indexed %d releases in %.1f s", report.indexed, report.seconds)
    return report


def entry_document(entry: CorpusEntry) -> dict:
    """The Whoosh document for one corpus file."""
    release = entry.release
    embargo = release_embargo(release)
    searched_text = (release.title + "\n\n" + release.text) if release.headline else release.text
    return {
        "id": release.id,
        # A title derived from the lead is shown but not searched as a title: its words are in the body already.
        "title": release.title if release.headline else "",
        "_stored_title": release.title,
        "body": release.text,
        "exact": searched_text,
        "parts": searched_text,
        "date": datetime(release.date.year, release.date.month, release.date.day) if release.date else None,
        "source": release.source,
        "source_text": release.source,
        "place": release.place,
        "place_name": release.place,
        "code": " ".join(code_keys(release.title)),
        "url": release.url,
        "version_of": release.version_of,
        "group": release.version_of or release.id,
        "year": str(release.date.year) if release.date else "",
        "day": day_number(release.date) if release.date else 0,
        "embargo": int(embargo.until.timestamp()) if embargo and embargo.until else 0,
        "body_hash": body_hash(release),
        "path": entry.path,
        "file_stamp": entry.stamp,
        "file_hash": entry.file_hash,
    }
