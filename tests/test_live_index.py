import re
import threading
from types import SimpleNamespace

import pytest

from search import IndexMissingError, LiveIndex, build_index
from search.store.syncer import sync_index
from tests.conftest import USABLE_FIXTURES


def test_searcher_is_opened_once_per_generation_and_thread(settings):
    build_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as first:
        pass
    with live.searcher() as again:
        assert again is first
    other = []

    def in_thread():
        with live.searcher() as opened:
            other.append(opened)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert other[0] is not first

    build_index(settings)
    with live.searcher() as after_rebuild:
        assert after_rebuild is not first
        assert after_rebuild.doc_count() == USABLE_FIXTURES
    assert first.is_closed  # the thread's searcher of the old generation was closed when it was replaced
    live.close()


def test_a_commit_is_seen_at_the_first_recheck_a_second_later_not_before(settings):
    build_index(settings)
    now = [100.0]
    live = LiveIndex(settings.index, recheck_seconds=1, clock=lambda: now[0])  # rechecking once a second
    with live.searcher() as first:
        pass
    with live.searcher() as again:  # the first recheck, at 100.0: nothing committed yet
        assert again is first
    (settings.corpus / "neu.txt").write_text(" date 2024-01-01 Neu\n\nZebrastreifen.\n\nQuelle: Q\n", encoding="utf-8")
    assert sync_index(settings).added == ["neu"]
    now[0] = 100.999
    with live.searcher() as before:
        assert before is first and before.doc_count() == USABLE_FIXTURES
    now[0] = 101.0
    with live.searcher() as after:
        assert after is not first and after.doc_count() == USABLE_FIXTURES + 1
    assert first.is_closed
    live.close()


def test_missing_index(tmp_path):
    live = LiveIndex(tmp_path / "index")
    with pytest.raises(IndexMissingError, match=r"No index found in .*index. Run `presse rebuild` first."):
        with live.searcher():
            pass


def damage_toc(settings):
    from search.store.generations import live_generation

    for toc in live_generation(settings.index).glob("_MAIN_*.toc"):
        toc.write_bytes(toc.read_bytes()[:100])


def test_a_damaged_index_is_reported_not_crashed_on(settings):
    from search import IndexCorruptError

    build_index(settings)
    damage_toc(settings)
    live = LiveIndex(settings.index)
    with pytest.raises(IndexCorruptError) as raised:
        with live.searcher():
            pass
    # The table of segments differs from its recorded checksum: named before Whoosh reads it.
    assert re.fullmatch(rf"The index in {re.escape(str(settings.index))} is damaged: _MAIN_1\.toc: 100 bytes, \d+ "
                        r"recorded\. Run `presse rebuild`\.", str(raised.value)), raised.value
    # A writer rebuilds a damaged index before its own work.
    report = sync_index(settings)
    assert not report.changed and report.unchanged == USABLE_FIXTURES
    with live.searcher() as searcher:
        assert searcher.doc_count() == USABLE_FIXTURES
    live.close()


def test_opening_retries_while_a_commit_replaces_files(monkeypatch, tmp_path):
    # Measured: 2 readers opening in a loop during 30 `presse add` commits failed 6 times in 3,035 opens with one
    # attempt (the table of segments half written, a merged segment already deleted), 0 times with retries.
    from search.errors import IndexCorruptError
    from search.store import live_index

    opened = SimpleNamespace(ix="index", reader=SimpleNamespace(close=lambda: None))
    outcomes = [IndexCorruptError("gone"), IndexCorruptError("gone"), opened]
    calls = []

    def flaky(index_root, generation, verifier):
        calls.append(generation)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(live_index, "_open_once", flaky)
    monkeypatch.setattr(live_index, "OPEN_RETRY_SECONDS", 0)
    assert live_index.open_index(tmp_path, tmp_path / "gen") == "index"
    assert len(calls) == 3

    outcomes[:] = [IndexCorruptError("damaged")] * live_index.OPEN_ATTEMPTS
    with pytest.raises(IndexCorruptError, match="damaged"):
        live_index.open_index(tmp_path, tmp_path / "gen")
