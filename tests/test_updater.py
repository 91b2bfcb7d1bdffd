"""presse add and presse sync: the corpus file, the index and the reports, including crashes and concurrency."""

import logging
import os
import re
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from search import build_index, run_query
from search.store.adder import add_paths
from search.store.generations import live_generation
from search.store.syncer import sync_index
from tests.conftest import USABLE_FIXTURES, open_searcher, run_until_stopped

RELEASE = (
    " date 2024-05-06 Zebrastreifen an der Schule erneuert\n\n"
    "Die Stadt hat den Zebrastreifen vor der Grundschule am Markt erneuert und mit einer Ampel ergänzt. "
    "Die Arbeiten dauerten drei Tage.\n\n"
    "Der Verkehr wurde in dieser Zeit umgeleitet.\n\n"
    "Quelle: Stadt Musterstadt\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def search_ids(settings, text, limit=100):
    with open_searcher(settings.index) as searcher:
        return [hit.id for hit in run_query(searcher, settings, text, limit=limit).hits]


def doc_ids(settings):
    """Every id in the live index, with repeats if there were any."""
    from whoosh import index as whoosh_index

    from search.store.live_index import check_live_index

    ix = whoosh_index.open_dir(str(check_live_index(settings.index).generation))
    with ix.reader() as reader:
        return sorted(fields["id"] for _, fields in reader.iter_docs())


@pytest.fixture
def indexed(settings):
    build_index(settings)
    return settings


def test_add_writes_the_canonical_file_and_makes_it_searchable(indexed, tmp_path):
    source = write(tmp_path / "in", "schule.txt", RELEASE)
    report = add_paths(indexed, [str(source)])
    assert [(a.name, a.version_of) for a in report.added] == [(str(source), "")]
    new_id = report.added[0].id
    assert new_id.startswith("00001_") and len(new_id) == 22
    written = (indexed.corpus / f"{new_id}.txt").read_text(encoding="utf-8")
    assert written == RELEASE.replace("Quelle: Stadt Musterstadt\n", "Quelle: Stadt Musterstadt\nDatei: schule.txt\n")
    assert search_ids(indexed, "Zebrastreifen Ampel") == [new_id]
    assert (report.duplicates, report.skipped) == ([], [])


def test_the_same_release_twice_is_a_duplicate(indexed, tmp_path):
    source = write(tmp_path / "in", "schule.txt", RELEASE)
    first = add_paths(indexed, [str(source)]).added[0].id
    again = add_paths(indexed, [str(source)])
    assert again.added == []
    assert again.duplicates == [(str(source), first)]
    assert len(list(indexed.corpus.glob("0000*_*.txt"))) == 1
    assert doc_ids(indexed).count(first) == 1


def test_the_same_body_under_two_names_in_one_batch(indexed, tmp_path):
    one = write(tmp_path / "in", "a.txt", RELEASE)
    two = write(tmp_path / "in", "b.txt", RELEASE.replace("Stadt Musterstadt", "Andere Stelle"))
    report = add_paths(indexed, [str(tmp_path / "in")])
    assert [a.name for a in report.added] == [str(one)]
    assert report.duplicates == [(str(two), report.added[0].id)]


def test_a_corrected_version_is_added_and_linked(indexed, tmp_path):
    first = add_paths(indexed, [str(write(tmp_path / "in", "v1.txt", RELEASE))]).added[0].id
    corrected = RELEASE.replace("2024-05-06", "2024-05-07").replace("drei Tage", "vier Tage")
    report = add_paths(indexed, [str(write(tmp_path / "in", "v2.txt", corrected))])
    second = report.added[0]
    assert second.id.startswith("00002_")
    assert second.version_of == first
    assert "Fassung von: " + first in (indexed.corpus / f"{second.id}.txt").read_text(encoding="utf-8")
    # Another issuer, or more than two days apart, is no version.
    other = corrected.replace("Stadt Musterstadt", "Polizei Musterstadt").replace("vier", "fünf")
    assert add_paths(indexed, [str(write(tmp_path / "in", "v3.txt", other))]).added[0].version_of == ""
    late = RELEASE.replace("2024-05-06", "2024-05-10").replace("drei Tage", "zwei Tage")
    assert add_paths(indexed, [str(write(tmp_path / "in", "v4.txt", late))]).added[0].version_of == ""


def test_bad_inputs_are_skipped_and_the_good_ones_added(indexed, tmp_path):
    folder = tmp_path / "in"
    write(folder, "a_gut.txt", RELEASE)
    (folder / "b_leer.txt").write_bytes(b"")
    (folder / "c_binaer.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "d_gross.txt").write_bytes(b"a " * (3 * 1024 * 1024))
    report = add_paths(indexed, [str(folder), str(tmp_path / "fehlt.txt")])
    assert [a.name for a in report.added] == [str(folder / "a_gut.txt")]
    assert [(s.path.name, s.reason) for s in report.skipped] == [
        ("b_leer.txt", "the file is empty"),
        ("c_binaer.txt", "binary data, not a text release"),
        ("d_gross.txt", "larger than 5 MiB"),
        ("fehlt.txt", "no such file or folder"),
    ]


def test_symlinks_leading_outside_a_given_folder_are_not_followed(indexed, tmp_path):
    outside = write(tmp_path / "outside", "geheim.txt", RELEASE.replace("Zebrastreifen", "Geheimgang"))
    folder = tmp_path / "in"
    write(folder, "echt.txt", RELEASE)
    os.symlink(outside, folder / "link.txt")
    os.symlink(tmp_path / "outside", folder / "linkdir")
    report = add_paths(indexed, [str(folder)])
    assert [a.name for a in report.added] == [str(folder / "echt.txt")]
    assert sorted((s.path.name, s.reason) for s in report.skipped) == [
        ("link.txt", "symbolic link leading outside the given folder"),
        ("linkdir", "symbolic link to a folder, not followed"),
    ]
    assert search_ids(indexed, "Geheimgang") == []


def test_add_builds_a_missing_index_first(settings, tmp_path):
    report = add_paths(settings, [str(write(tmp_path / "in", "schule.txt", RELEASE))])
    assert len(report.added) == 1
    assert len(doc_ids(settings)) == USABLE_FIXTURES + 1


def test_a_run_killed_after_writing_is_completed_by_the_rerun(indexed, tmp_path):
    from search.ingest.corpus_file import body_hash, format_release, release_file_name
    from search.ingest.importer import import_release

    source = write(tmp_path / "in", "schule.txt", RELEASE)
    imported = import_release(source.read_bytes(), str(source))
    # What a run killed between writing the corpus file and committing the index leaves behind:
    orphan = indexed.corpus / release_file_name(1, body_hash(imported.release))
    orphan.write_text(format_release(replace(imported.release, id=orphan.stem), imported.headline), encoding="utf-8")
    report = add_paths(indexed, [str(source)])
    assert [a.id for a in report.added] == [orphan.stem]
    assert len(list(indexed.corpus.glob("0000*_*.txt"))) == 1
    assert doc_ids(indexed).count(orphan.stem) == 1


def test_sync_adds_updates_removes_and_then_has_nothing_to_do(indexed):
    write(indexed.corpus, "neu.txt", RELEASE)
    changed = indexed.corpus / "unfall_singular.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Ratsweg", "Altwortweg"), encoding="utf-8")
    assert search_ids(indexed, "Ratsweg") == ["unfall_singular"]
    (indexed.corpus / "unfaelle_plural.txt").unlink()

    report = sync_index(indexed)
    assert (report.added, report.updated, report.removed) == (["neu"], ["unfall_singular"], ["unfaelle_plural"])
    assert [(s.path.name, s.reason) for s in report.skipped] == [("leer.txt", "the file is empty")]
    assert report.unchanged == USABLE_FIXTURES - 2
    assert search_ids(indexed, "Ratsweg") == []
    assert search_ids(indexed, "Altwortweg") == ["unfall_singular"]
    assert search_ids(indexed, "Auffahrunfälle") == []
    assert search_ids(indexed, "Zebrastreifen") == ["neu"]

    again = sync_index(indexed)
    assert not again.changed
    assert again.unchanged == USABLE_FIXTURES
    assert sorted(doc_ids(indexed)) == sorted(set(doc_ids(indexed)))


def test_sync_treats_a_touched_but_identical_file_as_unchanged(indexed):
    path = indexed.corpus / "unfall_singular.txt"
    os.utime(path, ns=(1, 1))
    report = sync_index(indexed)
    assert not report.changed
    assert report.unchanged == USABLE_FIXTURES


def test_sync_updates_a_file_rewritten_with_the_same_size_and_a_link_whose_target_changed(indexed):
    target = write(indexed.corpus / ".ablage", "zebra.txt", RELEASE)
    os.symlink(target, indexed.corpus / "zebra.txt")
    assert sync_index(indexed).added == ["zebra"]
    path = indexed.corpus / "unfall_singular.txt"
    size = path.stat().st_size
    path.write_text(path.read_text(encoding="utf-8").replace("Ratsweg", "Ratsbad"), encoding="utf-8")
    os.utime(path, ns=(2, 2))
    assert path.stat().st_size == size
    target.write_text(RELEASE.replace("drei Tage", "vier Tage"), encoding="utf-8")
    os.utime(target, ns=(1, 1))  # the link itself is untouched: only the target's size and mtime tell

    report = sync_index(indexed)
    assert (report.added, report.updated, report.removed) == ([], ["unfall_singular", "zebra"], [])
    assert search_ids(indexed, "Ratsbad") == ["unfall_singular"]
    assert search_ids(indexed, "vier Tage") == ["zebra"]


def presse(settings, *args, **kwargs):
    command = [sys.executable, "-c", "from search.cli import main; main()",
               "--corpus", str(settings.corpus), "--index", str(settings.index), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def numbered_releases(folder: Path, start: int, count: int) -> Path:
    for number in range(start, start + count):
        write(folder, f"m{number:04d}.txt",
              f" date 2023-01-01 Meldung {number}\n\nMarkerwort mkr{number}x steht hier, Nummer {number}.\n\n"
              f"Quelle: Amt {number}\n")
    return folder


def wait_for_line(stream, text):
    """Read `stream` up to the first line containing `text`; the lines read, for an assertion message."""
    lines = []
    while line := stream.readline():
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"no line with {text!r} in {lines}")


def test_two_concurrent_adds_wait_for_each_other_and_both_land(indexed, tmp_path):
    from search.store.locking import writer_lock

    with writer_lock(indexed.index, timeout=0):  # both start while the lock is taken, so both have to wait for it
        first = presse(indexed, "-v", "add", str(numbered_releases(tmp_path / "a", 0, 5)), text=True)
        second = presse(indexed, "-v", "add", str(numbered_releases(tmp_path / "b", 5, 5)), text=True)
        for process in (first, second):
            wait_for_line(process.stderr, "another writer holds")
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    ids = doc_ids(indexed)
    assert len(ids) == len(set(ids)) == USABLE_FIXTURES + 10
    added = sorted(indexed.corpus.glob("000[0-9][0-9]_*.txt"))
    assert {path.stem for path in added} <= set(ids)
    markers = sorted(int(re.search(r"mkr(\d+)x", path.read_text(encoding="utf-8"))[1]) for path in added)
    assert markers == list(range(10))


# Runs `add` in a child process that stops, prints "stopped" and waits to be killed at a chosen point:
# "rename:N" while its Nth corpus file is written in full but not yet renamed into place (a partial write is left),
# "commit" when the index's segment is written but before the table of segments names it; "postings" while the
# segment's postings are in their temporary file, not yet moved into place.
STOPPED_ADD = """
import os, sys
from pathlib import Path
from whoosh.writing import SegmentWriter
from search.config import Settings
from search.store.adder import add_paths

corpus, index, folder, where = sys.argv[1:]

def stop(*args):
    print("stopped", flush=True)
    sys.stdin.read()  # until killed

if where.startswith("rename:"):
    rename, renames = os.replace, []
    def replace(src, dst):
        renames.append(dst)
        if len(renames) == int(where.removeprefix("rename:")):
            stop()
        rename(src, dst)
    os.replace = replace
elif where == "postings":
    import search.store.postings
    search.store.postings.write_atomically = stop
else:
    SegmentWriter._commit_toc = stop
add_paths(Settings(corpus=Path(corpus), index=Path(index)), [folder])
"""


def kill_add_at(settings, folder, where):
    run_until_stopped([sys.executable, "-c", STOPPED_ADD, str(settings.corpus), str(settings.index), str(folder),
                       where])


def test_killed_adds_then_a_rerun_end_with_every_release_once(indexed, tmp_path):
    corpus = indexed.corpus
    add_paths(indexed, [str(numbered_releases(tmp_path / "first", 0, 5))])
    folder = numbered_releases(tmp_path / "in", 0, 20)

    kill_add_at(indexed, folder, "rename:8")
    assert len(list(corpus.glob("000[0-9][0-9]_*.txt"))) == 5 + 7
    assert len(list(corpus.glob(".*.tmp"))) == 1
    kill_add_at(indexed, folder, "commit")
    assert len(list(corpus.glob("000[0-9][0-9]_*.txt"))) == 20
    assert list(corpus.glob(".*.tmp")) == []
    kill_add_at(indexed, folder, "postings")
    generation = live_generation(indexed.index)
    (partial,) = generation.glob(".*.tmp")
    assert re.fullmatch(r"\.MAIN_\w+\.postings\.data\.tmp", partial.name)
    assert len(doc_ids(indexed)) == USABLE_FIXTURES + 5  # no killed run committed

    report = add_paths(indexed, [str(folder)])
    assert list(generation.glob(".*.tmp")) == []
    assert len(report.duplicates) == 5 and len(report.added) == 15
    ids = doc_ids(indexed)
    assert len(ids) == len(set(ids)) == USABLE_FIXTURES + 20
    assert sorted(a.id for a in report.added) == sorted(p.stem for p in corpus.glob("000[0-9][0-9]_*.txt"))[5:]
    assert len(list(corpus.glob("000[0-9][0-9]_*.txt"))) == 20


class Waiting(logging.Handler):
    """Sets `event` when a writer finds the index's lock taken and starts waiting for it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("another writer holds"):
            self.event.set()


@pytest.fixture
def waiting(caplog):
    caplog.set_level(logging.INFO, logger="search.store.locking")
    handler = Waiting()
    logging.getLogger("search.store.locking").addHandler(handler)
    yield handler.event
    logging.getLogger("search.store.locking").removeHandler(handler)


def test_a_waiting_writer_goes_on_when_the_lock_is_freed(indexed, tmp_path, waiting):
    from search.store.locking import writer_lock

    source = write(tmp_path / "in", "schule.txt", RELEASE)
    reports = []
    patient = replace(indexed, lock_timeout=60)
    writer = threading.Thread(target=lambda: reports.append(add_paths(patient, [str(source)])))
    with writer_lock(indexed.index, timeout=0):
        writer.start()
        assert waiting.wait(timeout=30)
        assert list(indexed.corpus.glob("0000*_*.txt")) == []  # nothing written while waiting
    writer.join(timeout=30)
    assert [(a.name, a.id[:6]) for a in reports[0].added] == [(str(source), "00001_")]


def test_a_waiting_writer_gives_up_after_the_lock_timeout(indexed, tmp_path, waiting):
    from search import IndexBusyError
    from search.store.locking import writer_lock

    source = write(tmp_path / "in", "schule.txt", RELEASE)
    with writer_lock(indexed.index, timeout=0):
        with pytest.raises(IndexBusyError) as raised:
            add_paths(replace(indexed, lock_timeout=0.05), [str(source)])
    assert waiting.is_set()
    assert str(raised.value) == (
        f"Another presse process is writing to {indexed.index} (waited 0.05 s). Try again when it has finished."
    )
    assert list(indexed.corpus.glob("0000*_*.txt")) == []  # nothing written while waiting


def test_a_full_disk_is_a_clear_error_and_loses_nothing(indexed, tmp_path, monkeypatch):
    import errno

    import search.store.adder
    from search import StorageError

    source = write(tmp_path / "in", "schule.txt", RELEASE)

    def disk_full(path, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search.store.adder, "write_atomically", disk_full)
    with pytest.raises(StorageError) as raised:
        add_paths(indexed, [str(source)])
    assert str(raised.value) == (
        f"Writing to the corpus ({indexed.corpus}) or the index ({indexed.index}) failed: no space left on the "
        "device; free some space, then run the command again (nothing was left half-written)."
    )
    monkeypatch.undo()
    assert len(doc_ids(indexed)) == USABLE_FIXTURES
    assert len(add_paths(replace(indexed, lock_timeout=0), [str(source)]).added) == 1  # the lock was released


def test_a_full_disk_while_committing_is_the_same_clear_error(indexed, tmp_path, monkeypatch):
    import errno

    from whoosh.writing import SegmentWriter

    from search import StorageError

    source = write(tmp_path / "in", "schule.txt", RELEASE)

    def disk_full(self, segments):  # writing the table of segments, the last step of a commit
        raise OSError(errno.ENOSPC, "No space left on device")

    # A commit that fails was once cancelled again by hand, and "This writer is closed" hid the full disk.
    monkeypatch.setattr(SegmentWriter, "_commit_toc", disk_full)
    with pytest.raises(StorageError) as raised:
        add_paths(indexed, [str(source)])
    assert str(raised.value).endswith("failed: no space left on the device; free some space, then run the command "
                                      "again (nothing was left half-written).")
    monkeypatch.undo()
    assert len(doc_ids(indexed)) == USABLE_FIXTURES
    # The rerun indexes the corpus file the failed run wrote, and Whoosh's lock was released too.
    assert [a.id[:6] for a in add_paths(replace(indexed, lock_timeout=0), [str(source)]).added] == ["00001_"]


def test_sync_reports_a_copy_of_an_indexed_release_and_does_not_index_it(indexed):
    # Both files were indexed without a word; `add` reports such a copy as a duplicate, and so does `sync` now.
    copy = write(indexed.corpus / "kopie", "unfall_zweitschrift.txt",
                 (indexed.corpus / "unfall_singular.txt").read_text(encoding="utf-8"))
    os.symlink(indexed.corpus / "unfaelle_plural.txt", indexed.corpus / "verweis.txt")
    report = sync_index(indexed)
    assert report.added == []
    corpus = indexed.corpus.resolve()
    assert [(d.path, d.reason) for d in report.duplicates] == [
        (corpus / "verweis.txt", "symbolic link to unfaelle_plural.txt, indexed as unfaelle_plural.txt"),
        (corpus / "kopie" / copy.name, "same text as unfall_singular"),
    ]
    assert search_ids(indexed, "Ratsweg") == ["unfall_singular"]
    # Once the first file is gone, the copy is the release.
    (indexed.corpus / "unfall_singular.txt").unlink()
    report = sync_index(indexed)
    assert (report.added, report.removed) == (["unfall_zweitschrift"], ["unfall_singular"])
    assert search_ids(indexed, "Ratsweg") == ["unfall_zweitschrift"]


@pytest.mark.parametrize("command", ["add", "sync"])
def test_add_and_sync_remove_the_folder_of_a_killed_rebuild(indexed, tmp_path, command):
    from search.store.generations import BUILD_PREFIX

    stale = indexed.index / f"{BUILD_PREFIX}20250101T000000000000000-dead"
    stale.mkdir()
    (stale / "_MAIN_1.toc").write_bytes(b"half a build")
    live = live_generation(indexed.index)
    if command == "add":
        add_paths(indexed, [str(write(tmp_path / "eingang", "neu.txt", RELEASE))])
    else:
        sync_index(indexed)
    assert not stale.exists()
    assert live_generation(indexed.index) == live
    assert live is not None and live.is_dir()


# A release with RELEASE's word less prominent, telling of a day before its publication ("am Samstag, 4. Mai").
ZEBRA_LATER = (
    " date 2024-05-08 Schmierereien an der Grundschule\n\n"
    "Am Samstag, 4. Mai, beschmierten Unbekannte die Mauer der Grundschule, zwei Bänke auf dem Schulhof und den "
    "Zebrastreifen. Die Stadt lässt die Farbe entfernen.\n\n"
    "Quelle: Stadt Musterstadt\n"
)


@pytest.mark.parametrize("how", ["add", "sync"])
def test_add_and_sync_index_the_days_a_release_mentions(indexed, tmp_path, how):
    write(indexed.corpus, "schule.txt", RELEASE)
    sync_index(indexed)
    if how == "add":
        added = add_paths(indexed, [str(write(tmp_path / "in", "beschmiert.txt", ZEBRA_LATER))]).added[0].id
    else:
        write(indexed.corpus, "beschmiert.txt", ZEBRA_LATER)
        assert sync_index(indexed).added == ["beschmiert"]
        added = "beschmiert"
    assert search_ids(indexed, "Zebrastreifen") == ["schule", added]
    # 4 May 2024 is neither release's publication day; the one that mentions it comes first.
    assert search_ids(indexed, "Zebrastreifen 04.05.2024") == [added, "schule"]
