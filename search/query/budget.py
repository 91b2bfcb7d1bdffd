"""The processor time one search may spend over all its steps, and the turn a server hands out for its costly steps."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Budget:
    """`seconds` of `clock` time from now, for one search: parsing, matching, corrections, ranking and snippets.

    The clock is this thread's processor time by default: on a busy server a search waits for its turn on a core,
    and that wait must not cut short what it finds. `fallback_turns`, when given, is shared by the searches of one
    serving process: only a search holding a turn tries the costly steps of the ladder (spelling corrections, fewer
    words), so searches that find nothing cannot occupy every thread with them; the others say what they left out.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.thread_time,
                 fallback_turns: threading.Semaphore | None = None) -> None:
        self.seconds = seconds
        self._clock = clock
        self._started = clock()
        self._turns = fallback_turns

    def is_spent(self) -> bool:
        return self._clock() - self._started > self.seconds

    @contextmanager
    def fallback_turn(self) -> Iterator[bool]:
        """Whether this search may try the costly steps now: True without shared turns, else when one was free (it
        is not waited for; it is given back at the end of the block)."""
        if self._turns is None:
            yield True
            return
        taken = self._turns.acquire(blocking=False)
        try:
            yield taken
        finally:
            if taken:
                self._turns.release()
