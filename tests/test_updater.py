"""presse add and presse sync: the corpus file, the index and the reports, including crashes and concurrency."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from search import LiveIndex, build_index, run_query
from search.store.adder import add_paths
from search.store.syncer import sync_index
from tests.conftest import USABLE_FIXTURES

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
    live = LiveIndex(settings.index)
    try:
        with live.searcher() as searcher:
            return [hit.id for hit in run_query(searcher, settings, text, limit=limit).hits]
    finally:
        live.close()


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
    from search.ingest.canonical import body_hash, format_release, release_file_name
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


def test_two_concurrent_adds_both_land(indexed, tmp_path):
    first = presse(indexed, "add", str(numbered_releases(tmp_path / "a", 0, 60)))
    second = presse(indexed, "add", str(numbered_releases(tmp_path / "b", 60, 60)))
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    ids = doc_ids(indexed)
    assert len(ids) == len(set(ids)) == USABLE_FIXTURES + 120
    assert search_ids(indexed, "mkr0x") != [] and search_ids(indexed, "mkr119x") != []


def test_killed_add_then_rerun_ends_with_every_release_once(indexed, tmp_path):
    folder = numbered_releases(tmp_path / "in", 0, 200)
    rng = random.Random(7)
    for _ in range(3):
        process = presse(indexed, "add", str(folder))
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL)
        process.communicate()
    rerun = presse(indexed, "add", str(folder), "--json")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    report = json.loads(out)
    assert len(report["added"]) + len(report["duplicates"]) == 200
    ids = doc_ids(indexed)
    assert len(ids) == len(set(ids)) == USABLE_FIXTURES + 200
    assert len(list(indexed.corpus.glob("[0-9][0-9][0-9][0-9][0-9]_*.txt"))) == 200
    assert not list(indexed.corpus.glob(".*.tmp"))


def test_a_waiting_writer_gives_up_after_the_lock_timeout(indexed, tmp_path):
    from search.store.locking import writer_lock

    source = write(tmp_path / "in", "schule.txt", RELEASE)
    with writer_lock(indexed.index, timeout=0):
        started = time.monotonic()
        with pytest.raises(Exception) as raised:
            add_paths(replace(indexed, lock_timeout=0.3), [str(source)])
        waited = time.monotonic() - started
    assert type(raised.value).__name__ == "IndexBusyError"
    assert 0.3 <= waited < 2
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
