"""Refusing work the server cannot do in time: a request that waited too long for a thread (503), and a client
address's requests beyond its share (429); both say when to try again."""

from __future__ import annotations

import threading
from collections import Counter

from flask import current_app, g, request
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from .engine import get_settings

# The WSGI environ key with the seconds a request waited, head complete, for a thread (set by web/worker.py).
QUEUED_KEY = "presse.queued_seconds"
# Seconds a shed request is asked to wait before trying again.
BUSY_RETRY_SECONDS = 2
CLIENT_RETRY_SECONDS = 1
# Answered whatever the load: the health check must tell a monitor the server is alive, and style sheets are cheap.
ALWAYS_ANSWERED = {"presse.health", "static"}


class ClientShares:
    """How many requests each client address has under way in this process, up to `limit` each (0: no limit)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._under_way: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, address: str) -> bool:
        """One more request from `address`, if it has fewer than `limit` under way."""
        with self._lock:
            if self.limit and self._under_way[address] >= self.limit:
                return False
            self._under_way[address] += 1
            return True

    def give_back(self, address: str) -> None:
        with self._lock:
            self._under_way[address] -= 1
            if not self._under_way[address]:
                del self._under_way[address]


def get_client_shares() -> ClientShares:
    return current_app.extensions["presse_clients"]


def refuse_excess() -> None:
    """Before each request: raise 503 when it waited longer than `queue_seconds` for a thread (the server is
    overloaded: answering at once lets the queue drain, so it recovers by itself), 429 when its client address
    already has its share of requests under way."""
    if request.endpoint in ALWAYS_ANSWERED:
        return
    if request.environ.get(QUEUED_KEY, 0.0) > get_settings().queue_seconds:
        raise ServiceUnavailable(retry_after=BUSY_RETRY_SECONDS)
    address = request.remote_addr or ""
    if not get_client_shares().take(address):
        raise TooManyRequests(retry_after=CLIENT_RETRY_SECONDS)
    g.presse_client = address


def give_back_share(_error: BaseException | None = None) -> None:
    """After each request: its client's share is free again."""
    address = g.pop("presse_client", None)
    if address is not None:
        get_client_shares().give_back(address)
