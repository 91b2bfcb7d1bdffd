"""Attacks on a running `presse serve`: idle and slowloris connections, expensive queries, an open-loop overload.

Each attack takes the server's port and the normal requests to time meanwhile, and returns the figures of
stress_figures.py. Every request has a timeout and every socket is closed before an attack returns.
"""

from __future__ import annotations

import http.client
import random
import socket
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from .stress_figures import Expensive, Hold, Outcome, Overload

HOST = "127.0.0.1"  # loopback only: the attacks never send anywhere else
NORMAL_SECONDS = 10.0  # a normal request unanswered by then counts as a timeout (the audit saw 120 s waits)
RECOVERED_SECONDS = 1.0  # after an overload, service is back once a normal search is answered 200 within this
RECOVERY_LIMIT = 90.0


def search_path(query: str, limit: int = 10) -> str:
    return "/api/search?" + urlencode({"q": query, "limit": limit})


def timed_get(port: int, path: str, timeout: float, with_body: bool = False) -> tuple[Outcome, bytes]:
    """GET `path` over a fresh connection: the outcome, and the body when asked for."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        body = response.read()
        return Outcome(time.perf_counter() - started, response.status), body if with_body else b""
    except TimeoutError:
        return Outcome(time.perf_counter() - started, 0, "timeout"), b""
    except (OSError, http.client.HTTPException):
        return Outcome(time.perf_counter() - started, 0, "reset"), b""
    finally:
        connection.close()


def get(port: int, path: str, timeout: float = NORMAL_SECONDS) -> Outcome:
    return timed_get(port, path, timeout)[0]


@contextmanager
def connections(port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` TCP connections to the server (fewer when it refuses some), all closed afterwards."""
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            try:
                opened.append(socket.create_connection((HOST, port), timeout=5))
            except OSError:
                continue
        yield opened
    finally:
        for sock in opened:
            sock.close()


def idle_flood(port: int, count: int, normal: list[str], keep_alive: bool) -> Hold:
    """`count` connections that send nothing (or one keep-alive request, then nothing); normal requests meanwhile."""
    attack = f"{count} keep-alive connections, idle after one request" if keep_alive else \
        f"{count} idle connections, nothing sent"
    with connections(port, count) as opened:
        if keep_alive:
            for sock in opened:
                # The answer is left unread in the socket buffer; the connection stays open, as a browser keeps it.
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        time.sleep(0.5)  # let the server accept them all before the timed requests
        hold = Hold(f"idle: {attack}", len(opened))
        hold.normal = [get(port, path) for path in normal]
    return hold


def slowloris(port: int, count: int, normal: list[str], seconds: float = 10.0) -> Hold:
    """`count` connections sending a request's headers one line a second; normal requests timed meanwhile."""
    stop = threading.Event()
    with connections(port, count) as opened:
        def drip() -> None:
            line = 0
            while not stop.wait(1.0):
                line += 1
                for sock in opened:
                    try:
                        sock.sendall(f"X-Slow-{line}: {line}\r\n".encode())
                    except OSError:
                        continue

        for sock in opened:
            try:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            except OSError:
                continue
        dripping = threading.Thread(target=drip, name="slowloris")
        dripping.start()
        try:
            time.sleep(2.0)
            hold = Hold(f"slowloris: {count} connections, one header line a second", len(opened))
            for path in normal:
                hold.normal.append(get(port, path))
                time.sleep(seconds / (2 * len(normal)))
        finally:
            stop.set()
            dripping.join()
    return hold


def unknown_words(chooser: random.Random, count: int, length: int = 17) -> str:
    """`count` capitalised words of `length` random letters: no release contains them, so each gets corrected."""
    return " ".join(
        "".join(chooser.choice(string.ascii_lowercase) for _ in range(length)).capitalize() for _ in range(count))


def probe(port: int, normal: list[str], seconds: float, pause: float = 0.1) -> list[Outcome]:
    """Normal searches one after another (with a short pause) for `seconds`."""
    outcomes = []
    stop_at = time.perf_counter() + seconds
    position = 0
    while time.perf_counter() < stop_at:
        outcomes.append(get(port, normal[position % len(normal)]))
        position += 1
        time.sleep(pause)
    return outcomes


def expensive_queries(port: int, normal: list[str], attackers: int = 8, words: int = 16,
                      seconds: float = 20.0, alone_seconds: float = 5.0) -> Expensive:
    """A probe alone, then `attackers` clients sending queries of `words` unknown words back to back, probed."""
    figures = Expensive(attackers, words, seconds)
    figures.probe_alone = probe(port, normal, alone_seconds)
    stop_at = time.perf_counter() + seconds
    per_attacker: list[list[Outcome]] = [[] for _ in range(attackers)]

    def attack(number: int) -> None:
        chooser = random.Random(number)
        while time.perf_counter() < stop_at:
            per_attacker[number].append(get(port, search_path(unknown_words(chooser, words))))

    threads = [threading.Thread(target=attack, args=(n,), name=f"attacker-{n}") for n in range(attackers)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # the attackers are busy before the probe starts
        figures.probe_attacked = probe(port, normal, seconds - 1.0)
    finally:
        for thread in threads:
            thread.join()
    figures.attack = [outcome for outcomes in per_attacker for outcome in outcomes]
    return figures


def open_loop(port: int, normal: list[str], rate: float = 80.0, seconds: float = 20.0,
              timeout: float = 10.0) -> Overload:
    """Requests sent at `rate` a second for `seconds`, each on its own thread whatever became of the earlier ones."""
    figures = Overload(rate, seconds)
    lock = threading.Lock()
    started = time.perf_counter()

    def send(path: str) -> None:
        outcome = get(port, path, timeout)
        with lock:
            figures.outcomes.append(outcome)
            if outcome.status == 503 and figures.first_503_seconds is None:
                figures.first_503_seconds = time.perf_counter() - started

    senders = []
    for number in range(int(rate * seconds)):
        time.sleep(max(0.0, started + number / rate - time.perf_counter()))
        sender = threading.Thread(target=send, args=(normal[number % len(normal)],), daemon=True)
        sender.start()
        senders.append(sender)
    load_ended = time.perf_counter()
    while time.perf_counter() - load_ended < RECOVERY_LIMIT:
        outcome = get(port, normal[0], timeout)
        if outcome.status == 200 and outcome.seconds <= RECOVERED_SECONDS:
            figures.recovery_seconds = time.perf_counter() - load_ended
            break
        time.sleep(0.25)
    for sender in senders:
        sender.join(timeout=timeout + 5)
    with lock:
        figures.outcomes = list(figures.outcomes)
    return figures
