"""Files of segments a commit merged away stay until readers of the commit before are done with them."""

import json

from search import LiveIndex, build_index, run_query
from search.store.adder import add_paths
from search.store.generations import live_generation
from search.store.segment_files import LEDGER_NAME, LINGER_SECONDS, LingeringStorage


def test_a_segment_file_is_deleted_only_a_while_after_whoosh_gives_it_up(tmp_path):
    now = [1000.0]
    storage = LingeringStorage(str(tmp_path), clock=lambda: now[0])
    for name in ("MAIN_abc.trm", "MAIN_def.trm", "_MAIN_3.toc"):
        (tmp_path / name).write_text("x")
    storage.delete_file("MAIN_abc.trm")
    storage.delete_file("_MAIN_3.toc")  # a table of segments goes at once: it is read whole when opened
    assert sorted(path.name for path in tmp_path.iterdir()) == [LEDGER_NAME, "MAIN_abc.trm", "MAIN_def.trm"]
    now[0] += LINGER_SECONDS - 1
    storage.delete_file("MAIN_def.trm")
    assert (tmp_path / "MAIN_abc.trm").exists()
    now[0] += 1
    storage.delete_file("MAIN_abc.trm")  # Whoosh asks again at every commit; the first time counts
    assert sorted(path.name for path in tmp_path.iterdir()) == [LEDGER_NAME, "MAIN_def.trm"]
    assert json.loads((tmp_path / LEDGER_NAME).read_text()) == {"MAIN_def.trm": 1000.0 + LINGER_SECONDS - 1}


def release(number):
    return f" date 2023-01-01 Meldung {number}\n\nLingerwort und mkr{number}x.\n\nQuelle: Amt {number}\n"


def test_a_reader_of_the_commit_before_a_merge_still_reads_its_releases(settings, tmp_path):
    build_index(settings)
    for number in range(3):
        (tmp_path / f"m{number}.txt").write_text(release(number), encoding="utf-8")
        add_paths(settings, [str(tmp_path / f"m{number}.txt")])
    live = LiveIndex(settings.index)
    with live.searcher() as before:
        segments_before = {leaf.segment().segment_id() for leaf, _ in before.reader().leaf_readers()}
        for number in range(3, 8):  # Whoosh merges the small segments on one of these commits
            (tmp_path / f"m{number}.txt").write_text(release(number), encoding="utf-8")
            add_paths(settings, [str(tmp_path / f"m{number}.txt")])
        fresh = LiveIndex(settings.index)
        with fresh.searcher() as after:
            segments_after = {leaf.segment().segment_id() for leaf, _ in after.reader().leaf_readers()}
        fresh.close()
        assert segments_before - segments_after, "no segment was merged away: the test proves nothing"
        page = run_query(before, settings, "Lingerwort")
        assert sorted(hit.id for hit in page.hits) == sorted(path.stem for path in settings.corpus.glob("0*_*.txt")
                                                             if "mkr" in path.read_text(encoding="utf-8"))[:3]
        assert page.total == 3
    live.close()
    given_up = json.loads((live_generation(settings.index) / LEDGER_NAME).read_text())
    lingering = {name.split(".")[0] for name in given_up}
    assert segments_before - segments_after <= lingering  # noted, not deleted: the reader above still used them
    assert all((live_generation(settings.index) / name).exists() for name in given_up)
