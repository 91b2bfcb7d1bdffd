"""The gunicorn worker: gthread's, but each request's head is read by the worker's poller before a thread takes it.

gunicorn's gthread worker hands a connection to a thread as soon as its first byte arrives, and the thread then
blocks until the whole request head is there: eight connections sending their headers slowly (slowloris) held all
eight threads of `presse serve` on a 2-core machine, and no one else got an answer. Here the worker's own loop
collects the head without blocking; a thread gets the connection only with the head complete, and a head not
complete within HEAD_SECONDS (whether the connection sent nothing, a little, or is an idle keep-alive one) is
closed, and so is the one waiting longest when the worker has as many connections as it takes (gthread would
stop accepting). Each request also carries how long it waited for a thread, so the app can refuse work that
waited too long.
"""

from __future__ import annotations

import errno
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from .shedding import QUEUED_KEY

# A request head must be complete this long after its connection opened or its previous request was answered.
HEAD_SECONDS = 10.0
# Once a thread has the connection, a read or write that makes no progress for this long ends it.
SOCKET_SECONDS = 30.0
# Heads longer than this are handed on unfinished: gunicorn's parser then refuses them (its limits are lower).
MAX_HEAD_BYTES = 128 * 1024
READ_BYTES = 16 * 1024
HEAD_END = b"\r\n\r\n"


class _Connection(TConn):
    """A client connection with the part of its next request head received so far."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.head = bytearray()
        self.head_deadline: float | None = None  # while waiting for a head: when to give up on it
        self.ready_at = 0.0  # when its head was complete


class HeadFirstWorker(ThreadWorker):
    """gthread with request heads read in the poller, idle connections closed, and the wait for a thread measured."""

    def init_process(self) -> None:
        # Connections waiting for their heads, oldest first, each with the deadline it was queued with (an entry
        # whose connection since got a new deadline, or none, is stale and skipped).
        self._heads: deque[tuple[float, _Connection]] = deque()
        self._current = threading.local()  # the connection each thread is answering
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app: Callable[..., Iterable[bytes]] = self.wsgi  # type: ignore[has-type]  # set by gunicorn, untyped

        def timed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            environ[QUEUED_KEY] = max(0.0, time.monotonic() - self._current.connection.ready_at)
            return app(environ, start_response)

        self.wsgi = timed

    def accept(self, server: Any, listener: socket.socket) -> None:
        try:
            sock, client = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):  # another worker took it, or the client gave up
            return
        except OSError as error:
            if error.errno not in (errno.EMFILE, errno.ENFILE):
                raise
            self._close_oldest_waiting()  # out of file descriptors: make room for the next one
            return
        self.nr_conns += 1
        self._await_head(_Connection(self.cfg, sock, client, server))
        # gthread stops accepting at worker_connections: a flood of idle connections would lock everyone out until
        # their heads are overdue. The connection that has waited longest for its head gives way instead.
        while self.nr_conns >= self.worker_connections - self.cfg.threads and self._close_oldest_waiting():
            pass

    def on_client_socket_readable(self, conn: _Connection, client: socket.socket) -> None:
        """A kept-alive connection sends its next request: its head is read like a new connection's."""
        with self._lock:
            self.poller.unregister(client)
            try:
                self._keep.remove(conn)
            except ValueError:  # closed as idle meanwhile
                return
        self._await_head(conn)
        self._read_head(conn, client)

    def _await_head(self, conn: _Connection) -> None:
        conn.head_deadline = time.monotonic() + HEAD_SECONDS
        self._heads.append((conn.head_deadline, conn))
        with self._lock:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read_head, conn))

    def _read_head(self, conn: _Connection, client: socket.socket) -> None:
        """Take what arrived; with the head complete (or too long), hand the connection to a thread."""
        try:
            data = conn.sock.recv(READ_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._close(conn)
            return
        conn.head += data
        if HEAD_END not in conn.head and len(conn.head) <= MAX_HEAD_BYTES:
            return
        with self._lock:
            self.poller.unregister(conn.sock)
        conn.head_deadline = None
        conn.ready_at = time.monotonic()
        conn.init()  # blocking from here on, for the thread
        conn.sock.settimeout(SOCKET_SECONDS)
        conn.parser.unreader.unread(bytes(conn.head))  # the parser reads what was received first
        conn.head.clear()
        self._wrap_future(self.tpool.submit(self.handle, conn), conn)

    def handle(self, conn: _Connection) -> tuple[bool, _Connection]:
        self._current.connection = conn
        return super().handle(conn)

    def murder_keepalived(self) -> None:
        """Close idle kept-alive connections (gthread's own) and connections whose head is overdue."""
        super().murder_keepalived()
        now = time.monotonic()
        while self._heads:
            deadline, conn = self._heads[0]
            if conn.head_deadline == deadline and deadline > now:
                break
            self._heads.popleft()
            if conn.head_deadline == deadline:
                self._close(conn)

    def _close_oldest_waiting(self) -> bool:
        """Close the connection that has waited longest for its head; False when none is waiting."""
        while self._heads:
            deadline, conn = self._heads.popleft()
            if conn.head_deadline == deadline:
                self._close(conn)
                return True
        return False

    def _close(self, conn: _Connection) -> None:
        conn.head_deadline = None
        with self._lock:
            try:
                self.poller.unregister(conn.sock)
            except (KeyError, ValueError):
                pass
        conn.close()
        self.nr_conns -= 1
