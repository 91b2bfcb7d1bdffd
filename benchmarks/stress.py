"""Issue 12's stress run: kill loops, concurrent writers, readers during commits, attacks on `presse serve` and
damaged index files, on a temporary corpus; writes results/stress.md.

`python -m benchmarks.stress` (or `make stress`; not part of `make test`) takes a few minutes on two cores.
The corpus is the first 2,000 shared releases (real German text, so spelling correction and ranking cost what they
cost in use) plus generated releases with a marker word each, copied into a temporary folder that is removed at
the end; without the shared data, generated releases stand in for the shared ones.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .corpus import REPO, DataMissing, published_entries, releases_dir, typed_words
from .report import machine
from .serving import search_path, serving
from .stress_attacks import capacity, expensive_queries, idle_flood, open_loop, slowloris
from .stress_damage import damage_cases
from .stress_figures import StressFigures, to_markdown
from .stress_writers import (
    PROBE_WORD,
    VOCABULARY,
    Workspace,
    census,
    concurrent_adds,
    kill_adds,
    kill_rebuilds,
    read_during_adds,
    run_presse,
    write_releases,
)

REPORT = REPO / "benchmarks" / "results" / "stress.md"
SEEDED = 50  # generated releases in the corpus before the first build, so the probe word has hits from the start
FALLBACK_FIRST = 900_000  # numbers of the generated releases standing in for the shared ones
Result = TypeVar("Result")


def prepare_corpus(workspace: Workspace, releases: int, locate: Callable[[], Path]) -> tuple[str, list[str]]:
    """Fill the workspace's corpus; its description for the report and normal queries (two title words each)."""
    workspace.seed(SEEDED)
    try:
        shared = locate()
    except DataMissing as missing:
        write_releases(workspace.corpus, range(FALLBACK_FIRST, FALLBACK_FIRST + releases))
        return (f"{releases:,} generated releases ({missing}) and {SEEDED} more with a marker word each",
                [search_path(f"{VOCABULARY[n]} {VOCABULARY[-n - 1]}") for n in range(20)])
    entries = published_entries(shared)[:releases]
    for entry in entries:
        shutil.copy2(shared / entry["file"], workspace.corpus / entry["file"])
    pairs = [typed_words(entry.get("title") or "")[:2] for entry in entries]
    normal = [search_path(" ".join(pair)) for pair in pairs if len(pair) == 2][:40]
    return (f"the first {len(entries):,} shared releases (file order of index.jsonl) copied into a temporary folder, "
            f"and {SEEDED} generated releases with a marker word each; the run adds generated ones", normal)


def overload_rates(rate: float, capacity: float | None) -> list[float]:
    """The issue's fixed rate, and twice the measured capacity when that is more: an overload whatever the machine."""
    return [rate] + ([float(round(2 * capacity))] if capacity and 2 * capacity > rate else [])


def attempt(figures: StressFigures, name: str, scenario: Callable[[], Result]) -> Result | None:
    """Run one scenario; when it breaks, say so on stderr and in the report, and go on with the next."""
    say(f"{name} ...")
    try:
        return scenario()
    except Exception as error:  # a broken scenario must not cost the figures of the others; it is reported
        traceback.print_exc()
        figures.skipped.append(f"{name} ({type(error).__name__}: {error})")
        return None


def run(workspace: Workspace, args: argparse.Namespace, locate: Callable[[], Path]) -> StressFigures:
    description, normal = prepare_corpus(workspace, args.releases, locate)
    figures = StressFigures(description)
    built = run_presse(workspace, "rebuild")
    if built.status != 0:
        raise RuntimeError(f"presse rebuild of the stress corpus failed: {built.stderr.strip()[-500:]}")
    chooser = random.Random(12)
    for loop in (attempt(figures, "kill loop: add", lambda: kill_adds(workspace, args.kills, 30, chooser)),
                 attempt(figures, "kill loop: rebuild", lambda: kill_rebuilds(workspace, args.kills // 2, chooser))):
        if loop:
            figures.kill_loops.append(loop)
    figures.writers = attempt(figures, "concurrent writers", lambda: concurrent_adds(workspace, 4, 20))
    # A server that does not come up costs its scenarios, not the damage cases after them.
    attempt(figures, "presse serve", lambda: attack_server(workspace, figures, args, normal))
    rebuilt = run_presse(workspace, "rebuild")
    if rebuilt.status == 0:  # the corpus is the source of truth: a fresh build must hold every release as well
        found = attempt(figures, "census", lambda: census(workspace, "after a final `presse rebuild`"))
        figures.censuses += [found] if found else []
    else:
        figures.skipped.append(f"the final census (rebuild exited {rebuilt.status})")
    run_presse(workspace, "add", workspace.new_batch(10))  # so the newest segment is an add's, as in use
    figures.damages = attempt(figures, "damaged index",
                              lambda: damage_cases(workspace, workspace.index, normal, workspace.root / "damage")) or []
    return figures


def attack_server(workspace: Workspace, figures: StressFigures, args: argparse.Namespace, normal: list[str]) -> None:
    """Readers during commits, then the attacks, against one `presse serve` of the workspace's index."""
    with serving(workspace.corpus, workspace.index, PROBE_WORD, workspace.root / "serve.log") as server:
        port = server.port
        figures.readers = attempt(figures, "readers during commits",
                                  lambda: read_during_adds(workspace, port, adds=5, files=10)) or []
        found = attempt(figures, "census", lambda: census(workspace, "after the kill loops, writers and readers"))
        figures.censuses += [found] if found else []
        for hold in (lambda: idle_flood(port, 150, normal[:3], keep_alive=False),
                     lambda: idle_flood(port, 150, normal[:3], keep_alive=True),
                     lambda: slowloris(port, 90, normal[:3])):
            held = attempt(figures, "idle connections and slowloris", hold)
            figures.holds += [held] if held else []
        figures.expensive = attempt(figures, "expensive queries",
                                    lambda: expensive_queries(port, normal, seconds=args.seconds))
        measured = attempt(figures, "capacity", lambda: capacity(port, normal))
        for rate in overload_rates(args.rate, measured):
            overload = attempt(figures, f"open-loop overload at {rate:g} requests/s",
                               lambda rate=rate: open_loop(port, normal, rate, args.seconds))
            if overload:
                overload.capacity = measured
                figures.overloads.append(overload)


def _load(averages: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in averages)


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None, locate: Callable[[], Path] = releases_dir) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stress", description=__doc__)
    parser.add_argument("--releases", type=int, default=2000, help="shared releases in the corpus (default 2000)")
    parser.add_argument("--kills", type=int, default=10, help="kills of `presse add` (half as many of rebuild)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each attack (default 20)")
    parser.add_argument("--rate", type=float, default=80.0, help="requests a second of the overload (default 80)")
    parser.add_argument("--output", type=Path, default=REPORT, help="where to write the report")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="presse-stress-") as root:
        figures = run(Workspace(Path(root)), args, locate)
    # The machine is shared: the load shows how much of it other work took while these figures were measured.
    load = f"- load average (1, 5, 15 min) before {_load(load_before)}, after {_load(os.getloadavg())}"
    report = to_markdown(figures, f"{machine()}\n{load}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    say(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
