"""A running server sees releases added by `presse add` without a restart, and never a mix of two states."""

import json
import threading
import urllib.request
from contextlib import contextmanager
from dataclasses import replace

from search import build_index
from search.store.adder import add_paths
from tests.conftest import serve_app
from web import create_app


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def release(number):
    return (f" date 2023-01-01 Meldung {number}\n\nLiveupdatewort und mkr{number}x, Nummer {number}.\n\n"
            f"Quelle: Amt {number}\n")


@contextmanager
def rechecking_app(settings):
    """The web app looking for commits at every request (also the serving default; test_live_index checks longer
    intervals with a clock of its own), so a test sees a commit without waiting. Its searchers are closed at the end:
    the test server runs each request in a thread of its own, each with its own searcher. Its probes all come from
    127.0.0.1, standing in for several visitors, so there is no per-address limit."""
    app = create_app(replace(settings, recheck_seconds=0, client_requests=0))
    try:
        yield app
    finally:
        app.extensions["presse"].close()


def test_server_sees_an_added_release_without_a_restart(settings, tmp_path):
    build_index(settings)
    with rechecking_app(settings) as app, serve_app(app) as base:
        assert get_json(f"{base}/api/search?q=mkr1x")[1]["total"] == 0
        source = tmp_path / "neu.txt"
        source.write_text(release(1), encoding="utf-8")
        before = get_json(f"{base}/health")[1]["documents"]
        added = add_paths(settings, [str(source)]).added[0].id
        assert [hit["id"] for hit in get_json(f"{base}/api/search?q=mkr1x")[1]["hits"]] == [added]
        assert get_json(f"{base}/health")[1]["documents"] == before + 1  # the live count, not the build's


# The fifth commit merges the one-release segments of the ones before (Whoosh's MERGE_SMALL): a merge is where
# whoosh3's searcher.refresh() repeated releases, which is why a searcher is replaced instead.
ADDS = 6


def test_pages_never_repeat_a_release_while_adds_commit(settings, tmp_path):
    build_index(settings)
    errors, pages = [], []  # pages: (adds done when the request was sent, status, ids, total)
    landed = threading.Condition()  # guards `done` and `pages`
    done = 0
    with rechecking_app(settings) as app, serve_app(app, threads=4) as base:
        stop = threading.Event()

        def probe():
            while not stop.is_set():
                with landed:
                    sent_after = done
                try:
                    status, data = get_json(f"{base}/api/search?q=Liveupdatewort&limit=100")
                    page = (sent_after, status, [hit["id"] for hit in data["hits"]], data["total"])
                except Exception as error:  # collected and asserted below
                    errors.append(repr(error))
                    continue
                with landed:
                    pages.append(page)
                    landed.notify_all()

        def wait_for_a_page_sent_after(adds):
            # Each state is seen by a request sent after it landed, however slow the probes are scheduled: the next
            # add waits for one (the other probes keep asking while it commits).
            with landed:
                assert landed.wait_for(lambda: errors or any(page[0] == adds for page in pages), timeout=60)

        probes = [threading.Thread(target=probe) for _ in range(3)]
        for thread in probes:
            thread.start()
        try:
            for number in range(ADDS):
                wait_for_a_page_sent_after(number)
                source = tmp_path / f"m{number}.txt"
                source.write_text(release(number), encoding="utf-8")
                add_paths(settings, [str(source)])
                with landed:
                    done = number + 1
            wait_for_a_page_sent_after(ADDS)
        finally:  # a failed add must not leave the probes asking forever (pytest would hang at exit)
            stop.set()
            for thread in probes:
                thread.join(timeout=10)
        final = get_json(f"{base}/api/search?q=Liveupdatewort&limit=100")
    assert errors == []
    assert all(status == 200 for _, status, _, _ in pages)
    assert all(len(ids) == len(set(ids)) == total for _, _, ids, total in pages)
    # A request sees at least every release added before it was sent, and every state between the adds was seen.
    assert all(total >= sent_after for sent_after, _, _, total in pages)
    assert {sent_after for sent_after, _, _, _ in pages} == set(range(ADDS + 1))
    assert final[1]["total"] == ADDS and len(set(hit["id"] for hit in final[1]["hits"])) == ADDS
