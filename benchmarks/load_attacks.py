"""Attacks on a running `presse serve`, each with a probe that times ordinary searches meanwhile: idle connections,
slowloris, expensive queries from several clients, and an open-loop overload. Each function returns its figures.

Run against a server already listening: python -m benchmarks.load_attacks PORT [attack ...]
Everything stays on loopback; attackers send from their own loopback addresses (127.0.0.0/8 is all local on
Linux), so a server that shares its work per client address can tell them from the probe at 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "127.0.0.1"
# Ordinary searches: common words, each finding hits on the first step of the ladder.
PROBE_QUERIES = ("Feuerwehr", "Polizei Frankfurt", "Schule", "Unfall Autobahn", "Stadtrat", "Haushalt 2024")
# Sixteen unknown 17-letter words: nothing matches, and every word goes through spelling correction.
EXPENSIVE_QUERY = " ".join(f"{head}qxqxqxqxqxqxq{tail}" for head, tail in zip(
    ("Schu", "Bla", "Kra", "Fre", "Gro", "Hau", "Mei", "Ste", "Wal", "Ber", "Dor", "Fel", "Kir", "Lan", "Mar", "Sch"),
    ("pq", "qx", "ux", "ix", "ox", "ax", "ex", "yx", "wx", "vx", "tx", "sx", "rx", "nx", "mx", "lx"), strict=True))
# The open loop's visitors, each with its own loopback address.
VISITORS = 200
TIMEOUT_SECONDS = 30.0  # a probe unanswered by then counts as status 0


@dataclass
class Timings:
    """Seconds of the answers of one kind, and their statuses (0: no answer, a reset or a time-out)."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def add(self, seconds: float, status: int) -> None:
        self.seconds.append(seconds)
        self.statuses[status] += 1

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.seconds)
        return {
            "requests": len(ordered),
            "p50": round(_quantile(ordered, 0.5), 3),
            "p99": round(_quantile(ordered, 0.99), 3),
            "max": round(ordered[-1], 3) if ordered else 0.0,
            "statuses": dict(sorted(self.statuses.items())),
        }


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def search_path(query: str) -> str:
    return "/api/search?" + urlencode({"q": query})


def get(port: int, path: str, source: str = HOST, timeout: float = TIMEOUT_SECONDS) -> tuple[float, int]:
    """(seconds, status) of one GET over a fresh connection from `source`; status 0 when no answer came."""
    started = time.perf_counter()
    try:
        with socket.create_connection((HOST, port), timeout=timeout, source_address=(source, 0)) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            status = _read_status(sock)
    except OSError:
        status = 0
    return time.perf_counter() - started, status


def _read_status(sock: socket.socket) -> int:
    """The status of the response on `sock`, read to its end (the server closes the connection)."""
    received = bytearray()
    while chunk := sock.recv(65536):
        received += chunk
    line = bytes(received).split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 and line[1].isdigit() else 0


@contextmanager
def probing(port: int, interval: float = 0.1, paths: tuple[str, ...] = ()) -> Iterator[Timings]:
    """Ordinary searches (or `paths` in turn), one every `interval` seconds after the previous answer, while the
    block runs."""
    paths = paths or tuple(search_path(query) for query in PROBE_QUERIES)
    timings = Timings()
    stop = threading.Event()

    def loop() -> None:
        number = 0
        while not stop.is_set():
            timings.add(*get(port, paths[number % len(paths)]))
            number += 1
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="probe")
    thread.start()
    try:
        yield timings
    finally:
        stop.set()
        thread.join()


def idle_flood(port: int, connections: int = 150, keepalive: bool = False, seconds: float = 10.0) -> dict:
    """`connections` sockets that send nothing (with `keepalive`: one request each, then nothing) held open while a
    probe searches for `seconds`."""
    held: list[socket.socket] = []
    try:
        for _ in range(connections):
            sock = socket.create_connection((HOST, port), timeout=TIMEOUT_SECONDS)
            if keepalive:
                sock.sendall(f"GET /health HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
                sock.recv(65536)  # the answer; the connection stays open
            held.append(sock)
        with probing(port) as probe:
            time.sleep(seconds)
    finally:
        for sock in held:
            sock.close()
    return {"attack": "idle keep-alive" if keepalive else "idle", "connections": connections,
            "probe": probe.summary()}


def slowloris(port: int, connections: int = 90, seconds: float = 15.0, gap: float = 1.0) -> dict:
    """`connections` requests whose header lines come one every `gap` seconds, never finished, while a probe
    searches for `seconds`; also counts how many of them the server closed."""
    held: list[socket.socket] = []
    closed = 0
    for _ in range(connections):
        sock = socket.create_connection((HOST, port), timeout=TIMEOUT_SECONDS)
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        held.append(sock)
    try:
        with probing(port) as probe:
            ends = time.monotonic() + seconds
            line = 0
            while time.monotonic() < ends:
                time.sleep(gap)
                line += 1
                for sock in list(held):
                    try:
                        sock.sendall(f"X-Zeile-{line}: {'a' * 20}\r\n".encode())
                    except OSError:
                        held.remove(sock)
                        closed += 1
    finally:
        for sock in held:
            sock.close()
    return {"attack": "slowloris", "connections": connections, "closed_by_server": closed, "probe": probe.summary()}


def expensive_clients(port: int, attackers: int = 8, seconds: float = 20.0) -> dict:
    """`attackers` clients, each from its own loopback address, sending the expensive query back to back while a
    probe from 127.0.0.1 searches for `seconds`."""
    attacks = Timings()
    lock = threading.Lock()
    stop = threading.Event()

    def attack(number: int) -> None:
        while not stop.is_set():
            figures = get(port, search_path(EXPENSIVE_QUERY), source=f"127.0.0.{10 + number}")
            with lock:
                attacks.add(*figures)

    threads = [threading.Thread(target=attack, args=(n,), name=f"attacker-{n}") for n in range(attackers)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # the attack under way before the probe starts
        with probing(port) as probe:
            time.sleep(seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return {"attack": "expensive queries", "attackers": attackers, "attacks": attacks.summary(),
            "probe": probe.summary()}


def open_loop(port: int, rate: float = 300.0, seconds: float = 20.0, after_seconds: float = 5.0) -> dict:
    """Ordinary searches started at `rate` a second for `seconds` whether or not earlier ones were answered (each
    on its own connection from one of VISITORS loopback addresses, as many independent visitors would), with /health
    asked every 0.2 s meanwhile; then, once they are done, a probe for `after_seconds` to see that the server
    recovered."""
    by_status: dict[str, Timings] = {"ok": Timings(), "shed": Timings(), "other": Timings()}
    with probing(port, interval=0.2, paths=("/health",)) as health:
        asyncio.run(_open_loop(port, rate, seconds, by_status))
    with probing(port) as after:
        time.sleep(after_seconds)
    return {"attack": "open loop", "rate": rate, "seconds": seconds,
            **{name: timings.summary() for name, timings in by_status.items()}, "health": health.summary(),
            "after": after.summary()}


async def _open_loop(port: int, rate: float, seconds: float, by_status: dict[str, Timings]) -> None:
    async def one(path: str, source: str) -> None:
        started = time.perf_counter()
        status = 0
        try:
            connecting = asyncio.open_connection(HOST, port, local_addr=(source, 0))
            reader, writer = await asyncio.wait_for(connecting, TIMEOUT_SECONDS)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            line = (await asyncio.wait_for(reader.readline(), TIMEOUT_SECONDS)).split()
            await asyncio.wait_for(reader.read(), TIMEOUT_SECONDS)
            writer.close()
            status = int(line[1]) if len(line) > 1 and line[1].isdigit() else 0
        except (TimeoutError, OSError):
            pass
        kind = "ok" if status == 200 else "shed" if status == 503 else "other"
        by_status[kind].add(time.perf_counter() - started, status)

    tasks = []
    started = time.perf_counter()
    for number in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
        path = search_path(PROBE_QUERIES[number % len(PROBE_QUERIES)])
        tasks.append(asyncio.create_task(one(path, f"127.0.1.{1 + number % VISITORS}")))
    await asyncio.gather(*tasks)


ATTACKS: dict[str, Callable[[int], dict]] = {
    "idle": idle_flood,
    "keepalive": lambda port: idle_flood(port, keepalive=True),
    "slowloris": slowloris,
    "expensive": expensive_clients,
    "overload": open_loop,
}


def main(argv: list[str]) -> None:
    port, names = int(argv[0]), argv[1:] or list(ATTACKS)
    for name in names:
        print(json.dumps(ATTACKS[name](port)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
