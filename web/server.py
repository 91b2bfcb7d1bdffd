"""Serving the app with gunicorn: worker processes sized to the machine, each with a few threads.

Python threads take turns on one core (the GIL), so one process cannot use a second core; several processes can.
The app is created once, before the workers fork, and opens the index lazily in each worker; the index files and
the postings arrays beside them are memory-mapped, so the workers share one copy in the page cache.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from search import prepare_searches


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
        # Threads in each worker: a request waiting on the network does not hold its process.
        "worker_class": "gthread",
        "threads": threads,
        # Idle keep-alive connections are closed after this long, so they cannot pile up.
        "keepalive": 5,
        "timeout": 30,
        "graceful_timeout": 10,
        "proc_name": "presse",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }).run()
