import json
import sys

import pytest

from search import IndexBusyError, IndexStaleError, LiveIndex, build_index, check_live_index, run_query
from search.store.generations import live_generation
from search.store.locking import writer_lock
from search.store.schema import INDEX_VERSION
from tests.conftest import USABLE_FIXTURES, open_searcher, run_total, run_until_stopped


def folder_names(index_root):
    return sorted(p.name.split("-")[0] for p in index_root.iterdir() if p.is_dir())


def search_ids(settings, text):
    with open_searcher(settings.index) as searcher:
        return [hit.id for hit in run_query(searcher, settings, text).hits]


def test_build_publishes_a_stamped_generation_and_reports_skips(settings):
    report = build_index(settings)
    assert report.indexed == USABLE_FIXTURES
    assert [(s.path.name, s.reason) for s in report.skipped] == [("leer.txt", "the file is empty")]
    info = check_live_index(settings.index)
    assert info.generation == report.generation == live_generation(settings.index)
    assert info.meta["documents"] == USABLE_FIXTURES
    assert info.meta["version"] == INDEX_VERSION
    assert info.meta["corpus"] == str(settings.corpus.resolve())
    assert folder_names(settings.index) == ["gen"]


def test_rebuild_swaps_generations_and_keeps_only_the_previous_one(settings):
    first = build_index(settings).generation
    (settings.corpus / "neu.txt").write_text(" date 2024-01-01 Neue Meldung Zebrastreifen\n\nText.\n\nQuelle: Q\n")
    second = build_index(settings).generation
    assert second != first
    assert search_ids(settings, "Zebrastreifen") == ["neu"]
    assert first.exists()  # a reader may still answer from it
    third = build_index(settings).generation
    assert not first.exists()
    assert sorted(p for p in settings.index.iterdir() if p.is_dir()) == sorted([second, third])


def test_failed_rebuild_leaves_the_old_index_live_and_no_leftovers(settings):
    good = build_index(settings).generation
    (settings.corpus / "neu.txt").write_text(" date 2024-01-01 Zebrastreifen\n\nText.\n\nQuelle: Q\n")

    def fail_halfway(done, total, seconds):
        if done == 4:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        build_index(settings, progress=fail_halfway)
    assert live_generation(settings.index) == good
    assert folder_names(settings.index) == ["gen"]
    assert search_ids(settings, "Zebrastreifen") == []
    assert sorted(search_ids(settings, "Unfall")) == ["unfaelle_plural", "unfall_singular"]


def test_a_second_writer_gets_a_busy_error(settings):
    settings = type(settings)(corpus=settings.corpus, index=settings.index, lock_timeout=0.2)
    with writer_lock(settings.index, timeout=0):
        with pytest.raises(IndexBusyError) as raised:
            build_index(settings)
    assert str(raised.value) == (
        f"Another presse process is writing to {settings.index} (waited 0.2 s). Try again when it has finished."
    )


def test_index_from_another_version_is_refused(settings):
    generation = build_index(settings).generation
    meta_file = generation / "presse.json"
    meta = json.loads(meta_file.read_text())
    meta["version"] = 0
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(IndexStaleError) as raised:
        check_live_index(settings.index)
    assert str(raised.value) == (
        f"The index in {settings.index} was built by another version of presse "
        f"(index version 0, this presse {INDEX_VERSION}). Run `presse rebuild`."
    )


# A rebuild in a child process that stops, says so and waits to be killed, after indexing its third release.
STOPPED_REBUILD = """
import sys
from pathlib import Path
from search import Settings, build_index

def stop_at_the_third(done, total, seconds):
    if done == 3:
        print("stopped", flush=True)
        sys.stdin.read()  # until killed

build_index(Settings(corpus=Path(sys.argv[1]), index=Path(sys.argv[2])), progress=stop_at_the_third)
"""


def test_killed_rebuild_leaves_the_old_index_and_the_next_rebuild_cleans_up(settings):
    build_index(settings)
    for number in range(5):
        (settings.corpus / f"gen_{number:05d}.txt").write_text(
            f" date 2020-01-01 Meldung {number}\n\nZebrastreifen Nummer {number}.\n\nQuelle: Q\n"
        )
    run_until_stopped([sys.executable, "-c", STOPPED_REBUILD, str(settings.corpus), str(settings.index)])
    assert folder_names(settings.index) == ["build", "gen"]
    assert search_ids(settings, "Zebrastreifen") == []
    assert sorted(search_ids(settings, "Unfall")) == ["unfaelle_plural", "unfall_singular"]

    report = build_index(settings)
    assert report.indexed == USABLE_FIXTURES + 5
    assert folder_names(settings.index) == ["gen", "gen"]
    assert run_total(settings, "Zebrastreifen") == 5


def test_a_title_derived_from_the_lead_is_shown_but_not_searched_as_a_title(built_settings):
    live = LiveIndex(built_settings.index)
    with live.searcher() as searcher:
        title_words = set(searcher.lexicon("title"))
        # "Motto" is only in the sample's lead, from which its title is derived; "Hanauer" is in a real headline.
        assert b"motto" not in title_words and b"motto" in set(searcher.lexicon("body"))
        assert b"hanau" in title_words
        assert searcher.document(id="000_9bbab4686f7edeba")["title"].endswith("die unter dem Motto …")
    live.close()
