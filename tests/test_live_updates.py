"""A running server sees releases added by `presse add` without a restart, and never a mix of two states."""

import json
import threading
import time
import urllib.request

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


def test_server_sees_an_added_release_within_two_seconds(settings, tmp_path):
    build_index(settings)
    with serve_app(create_app(settings)) as base:
        assert get_json(f"{base}/api/search?q=mkr1x")[1]["total"] == 0
        source = tmp_path / "neu.txt"
        source.write_text(release(1), encoding="utf-8")
        added = add_paths(settings, [str(source)]).added[0].id
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            if [hit["id"] for hit in get_json(f"{base}/api/search?q=mkr1x")[1]["hits"]] == [added]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the added release did not appear within 2 s")


def test_pages_never_repeat_a_release_while_adds_commit(settings, tmp_path):
    build_index(settings)
    errors, pages = [], []
    with serve_app(create_app(settings), threads=4) as base:
        stop = threading.Event()

        def probe():
            while not stop.is_set():
                try:
                    status, data = get_json(f"{base}/api/search?q=Liveupdatewort&limit=100")
                    pages.append((status, [hit["id"] for hit in data["hits"]], data["total"]))
                except Exception as error:  # collected and asserted below
                    errors.append(repr(error))

        probes = [threading.Thread(target=probe) for _ in range(3)]
        for thread in probes:
            thread.start()
        for number in range(12):
            source = tmp_path / f"m{number}.txt"
            source.write_text(release(number), encoding="utf-8")
            add_paths(settings, [str(source)])
        time.sleep(1.2)  # one recheck interval, so the probes end on the final state
        stop.set()
        for thread in probes:
            thread.join(timeout=10)
    assert errors == []
    assert pages and all(status == 200 for status, _, _ in pages)
    assert all(len(ids) == len(set(ids)) == total for _, ids, total in pages)
    assert pages[-1][2] == 12
