"""Attacks on a running `presse serve`: idle and slowloris connections, expensive queries, an open-loop overload.

Each attack takes the server's port and the normal requests to time meanwhile, and returns the figures of
stress_figures.py. Every request has a timeout and every socket is closed before an attack returns. Attackers send
from loopback addresses of their own (all of 127.0.0.0/8 is this machine on Linux) and normal requests from
127.0.0.1, so a server that shares its work out per client address can tell them apart, as it could in use.
"""

from __future__ import annotations

import asyncio
import http.client
import random
import socket
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .serving import HOST, search_path
from .stress_figures import Expensive, Hold, Outcome, Overload

IDLE_SOURCE = "127.0.1.1"  # the one client holding idle connections
SLOWLORIS_SOURCE = "127.0.1.2"
NORMAL_SECONDS = 10.0  # a normal request unanswered by then counts as a timeout (the audit saw 120 s waits)
RECOVERED_SECONDS = 1.0  # after an overload, service is back once a normal search is answered 200 within this
RECOVERY_LIMIT = 90.0


def timed_get(port: int, path: str, timeout: float, with_body: bool = False,
              source: str = HOST) -> tuple[Outcome, bytes]:
    """GET `path` over a fresh connection from `source`: the outcome, and the body when asked for."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=(source, 0))
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


def get(port: int, path: str, timeout: float = NORMAL_SECONDS, source: str = HOST) -> Outcome:
    return timed_get(port, path, timeout, source=source)[0]


@contextmanager
def connections(port: int, count: int, source: str) -> Iterator[list[socket.socket]]:
    """`count` TCP connections to the server from `source` (fewer when it refuses some), all closed afterwards."""
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            try:
                opened.append(socket.create_connection((HOST, port), timeout=5, source_address=(source, 0)))
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
    with connections(port, count, IDLE_SOURCE) as opened:
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
    with connections(port, count, SLOWLORIS_SOURCE) as opened:
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
            per_attacker[number].append(get(port, search_path(unknown_words(chooser, words)),
                                            source=f"127.0.0.{10 + number}"))

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


def capacity(port: int, normal: list[str], clients: int = 8, seconds: float = 5.0) -> float:
    """Normal searches answered 200 a second with `clients` sending back to back (a closed loop)."""
    stop_at = time.perf_counter() + seconds
    answered = [0] * clients

    def client(number: int) -> None:
        position = number
        while time.perf_counter() < stop_at:
            answered[number] += get(port, normal[position % len(normal)]).status == 200
            position += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(answered) / (time.perf_counter() - started)


def open_loop(port: int, normal: list[str], rate: float, seconds: float, timeout: float = 10.0) -> Overload:
    """Requests sent at `rate` a second for `seconds` whatever became of the earlier ones; then the recovery.

    asyncio rather than a thread a request: the sender must keep its rate even when hundreds wait for answers.
    """
    figures = Overload(rate, seconds)
    asyncio.run(_send_at_rate(port, normal, figures, timeout))
    return figures


async def _send_at_rate(port: int, normal: list[str], figures: Overload, timeout: float) -> None:
    """Send figures.rate requests a second for figures.seconds; then, while the last answers (or time-outs) come,
    probe until a normal search is answered 200 within RECOVERED_SECONDS."""
    started = time.perf_counter()

    async def send(path: str, source: str) -> None:
        sent = time.perf_counter()
        try:
            status = await asyncio.wait_for(_status_of(port, path, source), timeout)
            outcome = Outcome(time.perf_counter() - sent, status, "" if status else "reset")
        except TimeoutError:
            outcome = Outcome(time.perf_counter() - sent, 0, "timeout")
        except OSError:
            outcome = Outcome(time.perf_counter() - sent, 0, "reset")
        figures.outcomes.append(outcome)
        if outcome.status == 503 and figures.first_503_seconds is None:
            figures.first_503_seconds = time.perf_counter() - started

    pending = []
    for number in range(int(figures.rate * figures.seconds)):
        await asyncio.sleep(max(0.0, started + number / figures.rate - time.perf_counter()))
        # Many people at once, as an overload is: 200 client addresses taking turns.
        pending.append(asyncio.create_task(send(normal[number % len(normal)], f"127.0.2.{1 + number % 200}")))
    await asyncio.gather(_recovery(port, normal[0], figures), *pending)


async def _recovery(port: int, path: str, figures: Overload) -> None:
    """Seconds from the last request sent to the first normal search answered 200 within RECOVERED_SECONDS."""
    load_ended = time.perf_counter()
    while time.perf_counter() - load_ended < RECOVERY_LIMIT:
        try:
            if await asyncio.wait_for(_status_of(port, path, HOST), RECOVERED_SECONDS) == 200:
                figures.recovery_seconds = time.perf_counter() - load_ended
                return
        except (TimeoutError, OSError):
            pass  # not yet: try again
        await asyncio.sleep(0.25)


async def _status_of(port: int, path: str, source: str) -> int:
    """The status of GET `path` from `source`, the answer read to its end; 0 when it is not HTTP."""
    reader, writer = await asyncio.open_connection(HOST, port, local_addr=(source, 0))
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    parts = answer.split(b"\r\n", 1)[0].split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
