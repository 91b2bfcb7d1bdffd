"""Deleting the files of merged-away segments only a while after Whoosh gives them up, so readers can finish.

Segments are written as separate files (WRITER_OPTIONS): Whoosh memory-maps or reads those in place, where it
copied every file of a compound segment into memory (130 MB per searcher on the full corpus). But a reader opens
a segment's column files (stored fields, lengths, days) when it first needs them, and Whoosh deletes the files of
segments a commit merged away at once: a server still answering from the commit before then found no stored
fields. So a file Whoosh deletes is only noted, and really deleted by a commit LINGER_SECONDS later; every serving
thread has moved to a newer commit by then (it looks at least every `recheck_seconds`, and a request ends within
the server's 30 s timeout).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

LINGER_SECONDS = 60.0
# The files given up and when (a dot file: Whoosh's clean-up passes over names beginning with a dot).
LEDGER_NAME = ".given-up.json"


class LingeringStorage(FileStorage):
    """A Whoosh FileStorage whose segment files outlive their deletion by LINGER_SECONDS.

    Only writers delete, and they hold the index lock, so the ledger has one writer at a time.
    """

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(path)
        self.clock = clock
        self._ledger: dict[str, float] | None = None  # read once: Whoosh deletes file by file, some 15 a segment

    def delete_file(self, name: str) -> None:
        if name.startswith("_"):  # a table of segments (_MAIN_7.toc): read whole when an index is opened
            super().delete_file(name)
            return
        if self._ledger is None:
            self._ledger = self._read_ledger()
        ledger, now = self._ledger, self.clock()
        expired = [old for old, since in ledger.items() if now - since >= LINGER_SECONDS]
        if name in ledger and not expired:
            return  # noted already (Whoosh asks again at every commit), and nothing is due
        ledger.setdefault(name, now)
        for old in expired:
            (Path(self.folder) / old).unlink(missing_ok=True)
            del ledger[old]
        self._write_ledger(ledger)

    def _read_ledger(self) -> dict[str, float]:
        try:
            return json.loads((Path(self.folder) / LEDGER_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:  # damaged: the files it named are deleted by the rebuild that replaces this generation
            return {}

    def _write_ledger(self, ledger: dict[str, float]) -> None:
        # Replaced whole, but not fsynced: a ledger lost to a power cut only lets its files linger once more.
        path = Path(self.folder) / LEDGER_NAME
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(ledger, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
