"""`presse serve` under load: started on a free loopback port, timed one request and many at a time; its memory."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from .corpus import REPO

# Loopback only: the benchmark must never listen on, or send to, any other address.
HOST = "127.0.0.1"
START_SECONDS = 180.0  # a server that has not answered by then counts as broken
REQUEST_SECONDS = 60.0  # one request's socket timeout: far beyond any target, so only a hung server trips it
# presse's note when a search ran into its time limit ("... wurde nach 0,5 Sekunden abgebrochen ...").
DEADLINE_WORD = "abgebrochen"


@dataclass(frozen=True)
class Memory:
    """Resident and proportional set size in KiB, summed over processes (PSS counts shared pages once)."""

    rss_kib: int
    pss_kib: int

    def __add__(self, other: Memory) -> Memory:
        return Memory(self.rss_kib + other.rss_kib, self.pss_kib + other.pss_kib)


@dataclass(frozen=True)
class Answer:
    """One GET /api/search: its time, HTTP status (0 when no answer came) and whether it hit the deadline."""

    seconds: float
    status: int
    deadline: bool = False


@dataclass
class LoadRun:
    clients: int
    seconds: float  # from the first request sent to the last answer received
    answers: list[Answer] = field(default_factory=list)

    @property
    def ok(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status == 200]

    @property
    def errors(self) -> int:
        return len(self.answers) - len(self.ok)

    @property
    def deadline_hits(self) -> int:
        return sum(answer.deadline for answer in self.answers)


def read_memory(pid: int, proc: Path = Path("/proc")) -> Memory:
    """Rss and Pss of one process from its smaps_rollup (the kernel's sums over all its mappings)."""
    values = {}
    for line in (proc / str(pid) / "smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name] = int(rest.split()[0])  # "Pss:   235 kB"
    return Memory(values["Rss"], values["Pss"])


def process_tree(pid: int, proc: Path = Path("/proc")) -> list[int]:
    """`pid` and all its descendants (worker processes of a server), found through each process's parent id."""
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name in parentheses may hold spaces; the fields after its closing one are fixed.
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += children.get(current, [])
    return tree


def tree_memory(pid: int) -> Memory:
    """Rss and Pss of `pid` and its descendants together."""
    total = Memory(0, 0)
    for member in process_tree(pid):
        try:
            total += read_memory(member)
        except (OSError, KeyError):  # a process that ended between listing and reading
            continue
    return total


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def search_path(query: str, limit: int = 10) -> str:
    return "/api/search?" + urlencode({"q": query, "limit": limit})


class Client:
    """One keep-alive HTTP connection to the server, as one browser tab would hold."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> Answer:
        started = time.perf_counter()
        try:
            if self._connection is None:
                self._connection = http.client.HTTPConnection(HOST, self._port, timeout=REQUEST_SECONDS)
            self._connection.request("GET", path)
            response = self._connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.close()  # a fresh connection for the next request
            return Answer(time.perf_counter() - started, 0)
        seconds = time.perf_counter() - started
        deadline = False
        if response.status == 200:
            deadline = any(DEADLINE_WORD in note for note in json.loads(body).get("notes", []))
        return Answer(seconds, response.status, deadline)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    first_answer_seconds: float


@contextmanager
def serving(corpus: Path, index: Path, probe_query: str, log: Path) -> Iterator[Server]:
    """`presse serve` on a free loopback port, yielded once it answered `probe_query`; stopped afterwards.

    It runs the CLI's own entry point (what the `presse` script calls) with this checkout first on the path.
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           # Every benchmark client comes from 127.0.0.1, standing in for many visitors: no per-address limit.
           "PRESSE_CLIENT_REQUESTS": "0"}
    command = [sys.executable, "-c", "import sys; from search.cli import main; sys.argv[0] = 'presse'; main()",
               "--corpus", str(corpus), "--index", str(index), "serve", "--host", HOST, "--port", str(port)]
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield Server(process, port, wait_for_answer(process, port, probe_query, started))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_answer(process: subprocess.Popen, port: int, query: str, started: float) -> float:
    """Seconds from `started` to the first 200 for `query`; polls every 10 ms for at most START_SECONDS."""
    client = Client(port)
    try:
        while time.perf_counter() - started < START_SECONDS:
            if process.poll() is not None:
                raise RuntimeError(f"presse serve ended with status {process.returncode} before answering")
            if client.get(search_path(query)).status == 200:
                return time.perf_counter() - started
            time.sleep(0.01)
    finally:
        client.close()
    raise RuntimeError(f"presse serve did not answer within {START_SECONDS:.0f} s")


def one_at_a_time(port: int, queries: list[str]) -> list[Answer]:
    """Each query once, in order, over one connection, each request sent after the previous answer."""
    client = Client(port)
    try:
        return [client.get(search_path(query)) for query in queries]
    finally:
        client.close()


def under_load(port: int, queries: list[str], clients: int, seconds: float) -> LoadRun:
    """`clients` threads, each with its own connection, sending the queries (each from its own offset) back to back
    until `seconds` have passed; a request under way then is waited for and counted."""
    stop_at = time.perf_counter() + seconds
    answers: list[list[Answer]] = [[] for _ in range(clients)]

    def client_loop(number: int) -> None:
        client = Client(port)
        position = number * len(queries) // clients
        try:
            while time.perf_counter() < stop_at:
                answers[number].append(client.get(search_path(queries[position % len(queries)])))
                position += 1
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(n,), name=f"client-{n}") for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadRun(clients, time.perf_counter() - started, [a for per_client in answers for a in per_client])
