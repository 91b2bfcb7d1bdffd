"""Cost of keeping the index current on the full shared corpus: adding one release and a sync with nothing to do.

The corpus is copied to a temporary folder (the shared data stays read-only and outside the repository), built
once; the rebuild time is the baseline the incremental costs are compared with.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search import Settings, build_index
from search.store.adder import add_paths
from search.store.syncer import sync_index

from .corpus import run_alone
from .report import machine

ADDS = 10
SYNCS = 3


def new_release(number: int) -> str:
    return (
        f" date 2025-10-{1 + number % 28:02d} Testmeldung {number}: Fahrrad am Bahnhof gestohlen\n\n"
        f"Ein unbekannter Täter hat am Bahnhof ein Fahrrad gestohlen, Markierung bench{number}x. "
        "Die Polizei bittet um Hinweise.\n\nQuelle: Benchmark-Amt\n"
    )


def measure_updates(releases: Path, workdir: Path) -> dict:
    corpus = workdir / "corpus"
    corpus.mkdir()
    for path in releases.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    settings = Settings(corpus=corpus, index=workdir / "index")
    rebuild = build_index(settings).seconds
    inputs = workdir / "inputs"
    inputs.mkdir()
    add_index, add_total = [], []
    for number in range(ADDS):
        source = inputs / f"neu{number}.txt"
        source.write_text(new_release(number), encoding="utf-8")
        report = add_paths(settings, [str(source)])
        assert len(report.added) == 1, report
        add_index.append(report.index_seconds)
        add_total.append(report.seconds)
    syncs = []
    for _ in range(SYNCS):
        started = time.monotonic()
        report = sync_index(settings)
        syncs.append(time.monotonic() - started)
        assert not report.changed, report
    return {
        "documents": report.unchanged,
        "rebuild": rebuild,
        "add_index": statistics.median(add_index),
        "add_index_max": max(add_index),
        "add_total": statistics.median(add_total),
        "sync": statistics.median(syncs),
    }


def to_markdown(figures: dict) -> str:
    rebuild = figures["rebuild"]
    return "\n".join([
        "## Keeping the index current",
        "",
        f"Full shared corpus copied to a temporary folder, {figures['documents']:,} releases after the adds. "
        f"{ADDS} single-release `add` runs (median, and the slowest), then {SYNCS} `sync` runs with nothing to do "
        "(median). Baseline: a full rebuild of the same corpus in the same run.",
        "",
        "| operation | seconds | ratio to the full rebuild |",
        "|---|---|---|",
        f"| full rebuild (baseline) | {rebuild:.1f} | 1 |",
        f"| add one release: indexing (open writer, duplicate and version checks, write, commit) | "
        f"{figures['add_index']:.3f} (slowest {figures['add_index_max']:.3f}) | {figures['add_index'] / rebuild:.5f} |",
        f"| add one release: whole call (lock, import, corpus scan, indexing) | {figures['add_total']:.3f} | "
        f"{figures['add_total'] / rebuild:.5f} |",
        f"| sync with nothing to do | {figures['sync']:.3f} | {figures['sync'] / rebuild:.5f} |",
    ])


REPORT = Path(__file__).resolve().parent / "results" / "updates.md"


def main(releases: Path) -> str:
    """Measure, write results/updates.md, and return the report."""
    with tempfile.TemporaryDirectory(prefix="presse-bench-updates-") as workdir:
        section = to_markdown(measure_updates(releases, Path(workdir)))
    report = f"# Update benchmarks\n\n{machine()}\n\n{section}\n"
    REPORT.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    sys.exit(run_alone(main))
