import threading

import pytest

from search import IndexMissingError, LiveIndex, build_index


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
        assert after_rebuild.doc_count() == first.doc_count()
    live.close()


def test_missing_index(tmp_path):
    live = LiveIndex(tmp_path / "index")
    with pytest.raises(IndexMissingError, match=r"No index found in .*index. Run `presse rebuild` first."):
        with live.searcher():
            pass
