"""Running a build's shares: the corpus files cut into contiguous shares of about equal size, each indexed by its
own worker process (segment_build.py), their progress gathered, their results collected in corpus order.

Workers are forked: they inherit the loaded dictionaries and the shared progress counters, and die with the
building process (a worker outliving a killed build would hold the index's lock and write into a deleted folder).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import cast

from ..german.compounds import load_dictionary
from .segment_build import ShareResult, TextOwners, build_share

# Called with the releases done so far, over all shares.
ShareProgress = Callable[[int], None]
# The postings a worker keeps in memory before it sorts them into a run on disk (Whoosh's limitmb), shared by all
# workers: the build's memory does not grow with the corpus, only with this budget (Whoosh's estimate of its
# postings' size is about a third of what Python holds for them).
POOL_BUDGET_MB = 24
# Below this many files per worker a second process costs more than it saves.
MIN_FILES_PER_PROCESS = 500
MAX_PROCESSES = 4
# How often the building process reports progress while its workers run.
PROGRESS_SECONDS = 0.25


def build_processes(files: int) -> int:
    """One worker per core available to this process, at most MAX_PROCESSES, and none for a small corpus."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_PROCESSES, files // MIN_FILES_PER_PROCESS))


def split_shares(files: list[str], count: int) -> list[list[str]]:
    """`files` (paths) cut into at most `count` contiguous runs of about equal bytes (file sizes), none empty."""
    if count <= 1 or len(files) <= 1:
        return [files] if files else []
    sizes = [_size(path) for path in files]
    total = sum(sizes)
    shares: list[list[str]] = [[]]
    seen = 0
    for path, size in zip(files, sizes, strict=True):
        if shares[-1] and seen >= total * len(shares) / count and len(shares) < count:
            shares.append([])
        shares[-1].append(path)
        seen += size
    return shares


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will say why


def run_shares(build: Path, corpus_root: Path, shares: list[list[str]], progress: ShareProgress) -> list[ShareResult]:
    """Index each share into its own segment of the index in `build`; the results in the order of `shares`.

    One share is indexed in this process; more run in forked workers, stopped when this process stops."""
    limitmb = max(8, POOL_BUDGET_MB // max(1, len(shares)))
    if len(shares) <= 1:
        return [build_share(build, corpus_root, share, limitmb, progress, partial(TextOwners().repeats, share))
                for share in shares]
    load_dictionary()  # once, before the fork: every worker shares its pages instead of loading its own copy
    # Shared pages stay shared only while nobody writes to them, and a worker's garbage collector writes to every
    # object it inherited as it walks them: frozen, they are left alone (the file lists, the dictionaries).
    gc.freeze()
    try:
        return _start_and_collect(build, corpus_root, shares, limitmb, progress)
    finally:
        gc.unfreeze()  # in this process only: the workers keep theirs frozen


def _start_and_collect(build: Path, corpus_root: Path, shares: list[list[str]], limitmb: int,
                       progress: ShareProgress) -> list[ShareResult]:
    counters = multiprocessing.get_context("fork").Array("q", len(shares), lock=False)
    workers = []
    try:
        for slot, share in enumerate(shares):
            receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=True)
            worker = multiprocessing.get_context("fork").Process(
                target=_work, args=(build, corpus_root, share, limitmb, counters, slot, sender, os.getpid()),
                name=f"presse-build-{slot}", daemon=True)
            worker.start()
            sender.close()
            workers.append((worker, receiver))
        return _collect(workers, shares, counters, progress)
    finally:
        for worker, receiver in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receiver.close()


def _collect(workers: list, shares: list[list[str]], counters, progress: ShareProgress) -> list[ShareResult]:
    """Answer each worker's text digests with its repeated texts once every earlier share has sent its own (a share's
    repeats depend on the shares before it only), and take their results."""
    results: dict[int, ShareResult] = {}
    digests: dict[int, bytes] = {}
    owners = TextOwners()
    answered = 0
    waiting: dict[Connection, int] = {receiver: slot for slot, (_, receiver) in enumerate(workers)}
    while waiting:
        for ready in wait(list(waiting), timeout=PROGRESS_SECONDS):
            receiver = cast(Connection, ready)
            slot = waiting.pop(receiver)
            try:
                outcome = receiver.recv()
            except EOFError:
                raise RuntimeError(f"build worker {slot} ended without a result "
                                   f"(exit status {workers[slot][0].exitcode})") from None
            if isinstance(outcome, BaseException):
                raise outcome
            if isinstance(outcome, bytes):  # the share's text digests; its result comes later
                digests[slot] = outcome
                waiting[receiver] = slot
                while answered in digests:
                    workers[answered][1].send(owners.repeats(shares[answered], digests.pop(answered)))
                    answered += 1
                continue
            results[slot] = outcome
        progress(sum(counters))
    return [results[slot] for slot in range(len(workers))]


def _work(build: Path, corpus_root: Path, share: list[str], limitmb: int, counters, slot: int, sender: Connection,
          parent: int) -> None:
    """A worker process: index its share, send the result (or the exception) back."""
    _die_with(parent)

    def tally(done: int) -> None:
        counters[slot] = done
        if os.getppid() != parent:  # the building process is gone (where the signal below is not available)
            os._exit(1)

    try:
        outcome: ShareResult | BaseException = build_share(build, corpus_root, share, limitmb, tally,
                                                           lambda digests: _ask(sender, digests))
    except BaseException as error:  # handed to the building process, which raises it
        outcome = error
    sender.send(outcome)
    sender.close()


def _ask(connection: Connection, digests: bytes) -> dict[int, str]:
    """Send the analysed share's text digests to the building process and wait for which of its files repeat a
    text."""
    connection.send(digests)
    return connection.recv()


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere tally checks."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
