"""`presse serve`'s worker (web/worker.py) with a single thread: connections that are idle, kept alive or sending
their head slowly hold no thread, oversized heads are refused, and the server goes on answering."""

import http.client
import json
import resource
import socket

import pytest

from tests.conftest import presse_serve
from web.worker import HEAD_SECONDS

# A request the server answers at all comes back well within this; a thread held by a slow client never would.
ANSWER_SECONDS = 10
HOCHWASSER = ["web_hochwasser_warnung", "web_hochwasser_pegel", "web_hochwasser_deich", "web_hochwasser_uebung"]


def get_json(port: int, path: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_SECONDS)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def raw_status(port: int, request: bytes) -> bytes:
    """The status line the server answers `request` with, sent as is."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_SECONDS) as sock:
        sock.sendall(request)
        return sock.makefile("rb").readline().rstrip()


@pytest.fixture(scope="module")
def one_thread_server(web_settings):
    """`presse serve` with one worker process with one thread, on the web fixtures' index."""
    with presse_serve(web_settings, workers=1, threads=1) as port:
        yield port


def test_idle_kept_alive_and_slow_connections_hold_no_thread(one_thread_server):
    port = one_thread_server
    held = []
    try:
        for _ in range(10):  # opened, nothing sent
            held.append(socket.create_connection(("127.0.0.1", port)))
        for _ in range(3):  # one request answered, then kept open
            kept = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_SECONDS)
            kept.request("GET", "/health")
            kept.getresponse().read()
            held.append(kept.sock)
        for _ in range(3):  # a head begun and never finished: gthread gave each its own thread until it ended
            slow = socket.create_connection(("127.0.0.1", port))
            slow.sendall(b"GET /api/search?q=Hochwasser HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Langsam: ")
            held.append(slow)
        status, answer = get_json(port, "/api/search?q=Hochwasser")
        assert (status, [hit["id"] for hit in answer["hits"]]) == (200, HOCHWASSER)
    finally:
        for sock in held:
            sock.close()


def test_more_idle_connections_than_a_worker_takes_do_not_lock_others_out(one_thread_server):
    # gthread stops accepting at worker_connections (1,000): the worker closes the connection waiting longest for
    # its head instead, so a new request is answered at once rather than when the idle heads are overdue (10 s).
    idle = 1_100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < idle + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, idle + 1_000), hard))
    held = []
    try:
        for _ in range(idle):
            held.append(socket.create_connection(("127.0.0.1", one_thread_server)))
        connection = http.client.HTTPConnection("127.0.0.1", one_thread_server, timeout=5)
        connection.request("GET", "/api/search?q=Hochwasser")
        response = connection.getresponse()
        assert (response.status, [hit["id"] for hit in json.loads(response.read())["hits"]]) == (200, HOCHWASSER)
        connection.close()
    finally:
        for sock in held:
            sock.close()


def test_a_kept_alive_connection_gets_each_of_its_requests_answered(one_thread_server):
    connection = http.client.HTTPConnection("127.0.0.1", one_thread_server, timeout=ANSWER_SECONDS)
    try:
        answers = []
        for query in ("Hochwasser", "Leuchtturm", "Hochwasser"):
            connection.request("GET", f"/api/search?q={query}")
            answers.append([hit["id"] for hit in json.loads(connection.getresponse().read())["hits"]])
    finally:
        connection.close()
    assert answers[0] == answers[2] == HOCHWASSER
    assert answers[1] == ["web_leuchtturm_titel", "web_leuchtturm_fest", "web_leuchtturm_fahrplan"]


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-F%d: a\r\n" % n for n in range(200)) + b"\r\n",
     b"HTTP/1.1 431 Request Header Fields Too Large"),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Gross: " + b"a" * 100_000 + b"\r\n\r\n",
     b"HTTP/1.1 431 Request Header Fields Too Large"),
    (b"GET /?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"HTTP/1.1 400 Bad Request"),
])
def test_oversized_heads_are_refused_and_the_server_keeps_serving(one_thread_server, request_bytes, status):
    assert raw_status(one_thread_server, request_bytes) == status
    status_code, answer = get_json(one_thread_server, "/health")
    assert (status_code, answer["status"]) == (200, "ok")


@pytest.mark.slow  # waits for the server's 10 s head deadline
def test_a_head_not_complete_in_time_is_closed(one_thread_server):
    # Without the deadline these connections would stay open as long as the client liked (gthread kept the
    # half-sent one in a thread): recv would then time out instead of seeing the server close them.
    silent = socket.create_connection(("127.0.0.1", one_thread_server), timeout=HEAD_SECONDS + ANSWER_SECONDS)
    slow = socket.create_connection(("127.0.0.1", one_thread_server), timeout=HEAD_SECONDS + ANSWER_SECONDS)
    try:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Langsam: ")
        assert (silent.recv(1024), slow.recv(1024)) == (b"", b"")
    finally:
        silent.close()
        slow.close()
