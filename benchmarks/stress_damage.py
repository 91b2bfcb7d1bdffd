"""Damaged index files under a running `presse serve` and `presse info`: what the server answers and whether it lives.

Each case damages a fresh copy of a good index while a server has it open: the newest segment's files truncated,
zeroed, a bit flipped or deleted (Lucene's MockDirectoryWrapper modes, RELIABILITY.md case 7), or a table of
segments planted whose pickled schema would create a marker file when unpickled (issue 12, failure 1).
"""

from __future__ import annotations

import random
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from search.store.generations import live_generation

from .serving import search_path, serving
from .stress_attacks import get
from .stress_figures import Damage
from .stress_writers import PROBE_WORD, Workspace, run_presse

DAMAGE_SECONDS = 5.0  # one request to a damaged server unanswered by then counts as a timeout
# gunicorn's error lines when a worker process died: "Worker (pid:12) was sent SIGBUS!", "... exited with code 1".
_WORKER_DEATH = re.compile(r"Worker \(pid:\d+\) (was sent|exited with code)")


def newest_segment_file(generation: Path, suffix: str) -> Path:
    """The file ending in `suffix` of the segment written last (the newest commit's)."""
    candidates = sorted(generation.glob(f"MAIN_*{suffix}"), key=lambda path: path.stat().st_mtime_ns)
    if not candidates:
        raise FileNotFoundError(f"no MAIN_*{suffix} in {generation}")
    return candidates[-1]


def truncate_half(path: Path) -> None:
    with path.open("r+b") as file:  # in place: the server's open handles and memory maps see it
        file.truncate(path.stat().st_size // 2)


def zero_fill(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.write(bytes(size))


def flip_bit(path: Path, seed: int = 12) -> None:
    """One bit in the middle half of the file, chosen the same way every run."""
    size = path.stat().st_size
    chooser = random.Random(seed)
    offset = chooser.randrange(size // 4, max(size // 4 + 1, 3 * size // 4))
    with path.open("r+b") as file:
        file.seek(offset)
        byte = file.read(1)[0]
        file.seek(offset)
        file.write(bytes([byte ^ (1 << chooser.randrange(8))]))


def plant_table(generation: Path, marker: Path) -> Path:
    """A `_MAIN_999.toc` listing the live segments, whose pickled schema unpickles to `open(marker, "w")`.

    Opening the file creates the marker and nothing else: it shows code ran without running anything harmful.
    """
    from whoosh.fields import Schema
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    class Planted(Schema):
        def __reduce__(self):  # what pickle stores instead of the schema: a call to make when loading
            return (open, (str(marker), "w"))

    storage = FileStorage(str(generation))
    live = TOC.read(storage, "MAIN")
    TOC(Planted(), live.segments, 999).write(storage, "MAIN")
    return generation / "_MAIN_999.toc"


@dataclass(frozen=True)
class Case:
    damage: str
    suffix: str  # of the newest segment's file to damage; "" for the planted table
    apply: Callable[[Path], None]


CASES = [
    Case("truncated to half", "._stored.col", truncate_half),
    Case("truncated to half (memory-mapped)", ".postings", truncate_half),
    Case("zero-filled", "._stored.col", zero_fill),
    Case("zero-filled (memory-mapped)", ".postings", zero_fill),
    Case("one bit flipped", ".postings", flip_bit),
    Case("deleted", "._stored.col", lambda path: path.unlink()),
    Case("planted table of segments, malicious pickle", "", lambda path: None),
]


def damage_cases(workspace: Workspace, good_index: Path, normal: list[str], folder: Path) -> list[Damage]:
    return [damaged_under_server(workspace, good_index, normal, case, folder / f"case-{n}")
            for n, case in enumerate(CASES)]


def damaged_under_server(workspace: Workspace, good_index: Path, normal: list[str], case: Case,
                         folder: Path) -> Damage:
    """Copy `good_index`, serve it, damage it, then ask the server and `presse info` about it."""
    index = folder / "index"
    shutil.copytree(good_index, index)
    marker = folder / "marker"
    log = folder / "serve.log"
    paths = [search_path(PROBE_WORD), *normal[:2], "/?" + f"q={PROBE_WORD}"]
    created_by = []
    with serving(workspace.corpus, index, PROBE_WORD, log) as server:
        for path in paths:
            get(server.port, path, DAMAGE_SECONDS)  # every worker thread has the index open before the damage
        generation = live_generation(index)
        assert generation is not None
        if case.suffix:
            target = newest_segment_file(generation, case.suffix)
            case.apply(target)
        else:
            target = plant_table(generation, marker)
        time.sleep(1.5)  # past LiveIndex's once-a-second check for commits, so the server looks at the files again
        answers = [get(server.port, path, DAMAGE_SECONDS) for path in paths * 2]
        health = get(server.port, "/health", DAMAGE_SECONDS)
        alive = server.process.poll() is None
    if marker.exists():
        created_by.append("server")
        marker.unlink()
    info = run_presse(workspace, "info", "--json", index=index, timeout=120)
    if marker.exists():
        created_by.append("`info`")
    deaths = len(_WORKER_DEATH.findall(log.read_text(encoding="utf-8", errors="replace")))
    return Damage(case.damage, target.name, alive, Counter(str(a.status or a.error) for a in answers), health.status,
                  info.status, tuple(created_by), deaths)
