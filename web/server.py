"""Serving the app with gunicorn: worker processes sized to the machine, each with a few threads.

Python threads take turns on one core (the GIL), so one process cannot use a second core; several processes can.
The app is created once, before the workers fork; each worker opens the index and runs one search before it takes
requests. The index files and the postings arrays beside them are memory-mapped, so the workers share one copy in
the page cache. The worker class (web/worker.py) reads request heads without tying up a thread.
"""

from __future__ import annotations

import gc
import os
import threading
from functools import partial
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from search import prepare_searches

from .engine import warm_up

# Request heads: a request line (the search's URL) of at most this many bytes, at most this many header fields of
# at most this many bytes each; gunicorn answers a longer one 414 or 431 (browsers send some 10 fields, and a
# URL of a maximal query, 2,000 characters percent-encoded, stays far below the line limit).
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELDS = 50
LIMIT_REQUEST_FIELD_SIZE = 8190
# How long a worker's threads wait for one another to start before each warms up anyway.
WARM_UP_WAIT_SECONDS = 10.0


class _Gunicorn(BaseApplication):
    """gunicorn running one already created WSGI app with the given options (no command line, no config file)."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self.app


def default_workers() -> int:
    """One worker process per core this process may run on."""
    return max(1, len(os.sched_getaffinity(0)))


def warm_up_threads(app: Flask, worker: ThreadWorker) -> None:
    """Run the warm-up search in each of `worker`'s threads, before it takes requests: each thread has a searcher of
    its own, and the first search on it costs some 45 ms more (on 37,654 releases) than the next."""
    threads = worker.cfg.threads
    all_there = threading.Barrier(threads)

    def warm() -> None:
        try:
            all_there.wait(timeout=WARM_UP_WAIT_SECONDS)  # every job holds its thread until all are running
        except threading.BrokenBarrierError:  # a thread did not start in time: this one warms up all the same
            pass
        warm_up(app)

    for job in [worker.tpool.submit(warm) for _ in range(threads)]:
        job.result()


def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    """Serve `app` on `host`:`port` until stopped (Ctrl+C or SIGTERM, which let requests in progress finish)."""
    # What every worker needs is loaded once, before the fork, and then frozen: the collector leaves those objects
    # alone, so their memory pages stay shared instead of being copied into each worker.
    prepare_searches()
    gc.freeze()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Gunicorn(app, {
        "bind": bind,
        "workers": workers,
        # Threads in each worker: a request waiting on the network does not hold its process. gthread's worker, but
        # reading each request head in its poller, so slow or idle clients hold no thread.
        "worker_class": "web.worker.HeadFirstWorker",
        "threads": threads,
        "limit_request_line": LIMIT_REQUEST_LINE,
        "limit_request_fields": LIMIT_REQUEST_FIELDS,
        "limit_request_field_size": LIMIT_REQUEST_FIELD_SIZE,
        # Each worker opens the index and warms up before it takes requests, so no visitor waits for that.
        "post_worker_init": partial(warm_up_threads, app),
        # Idle keep-alive connections are closed after this long, so they cannot pile up.
        "keepalive": 5,
        "timeout": 30,
        "graceful_timeout": 10,
        "proc_name": "presse",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }).run()
