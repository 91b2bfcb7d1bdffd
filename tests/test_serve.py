"""`presse serve`: several worker processes, each of which sees a release added by `presse add`."""

import http.client
import json

import pytest

from search import build_index
from search.store.adder import add_paths
from tests.conftest import presse_serve

# Connections are spread over the workers by the kernel; this many always reached both workers in practice.
MAX_CONNECTIONS = 200


def ask(port: int) -> tuple[int, list[str]]:
    """(the worker process, the ids found for the added word), over one connection, so one worker answers both."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/health")
        process = json.loads(connection.getresponse().read())["process"]
        connection.request("GET", "/api/search?q=Zweiprozesswort")
        hits = json.loads(connection.getresponse().read())["hits"]
        return process, [hit["id"] for hit in hits]
    finally:
        connection.close()


@pytest.fixture
def server(settings):
    build_index(settings)
    # Every request looks for a new commit (the default; said here because the test depends on it).
    with presse_serve(settings, workers=2, threads=2, environment={"PRESSE_RECHECK_SECONDS": "0"}) as port:
        yield port


def test_every_worker_finds_a_release_added_while_it_serves(server, settings, tmp_path):
    assert [hits for _, hits in (ask(server) for _ in range(5))] == [[]] * 5  # not there before the add
    source = tmp_path / "neu.txt"
    source.write_text(" date 2025-11-01 Neue Meldung\n\nDas Zweiprozesswort steht nur hier.\n\nQuelle: Amt\n",
                      encoding="utf-8")
    added = add_paths(settings, [str(source)]).added[0].id
    answers: dict[int, list[str]] = {}
    for _ in range(MAX_CONNECTIONS):
        process, hits = ask(server)
        answers.setdefault(process, hits)
        assert hits == [added], f"worker {process} still answers from the index before the add"
        if len(answers) == 2:
            break
    assert len(answers) == 2, f"only worker(s) {sorted(answers)} answered"
