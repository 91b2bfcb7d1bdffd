"""Issue 10's figures in one run: the full build of presse next to the textbook Whoosh build (wall, CPU and peak
memory of all their processes together, index size), presse's build of the corpus's first half (how memory grows
with the corpus), then adding one release and a sync with nothing to do on the full corpus; written to
results/build.md.

Each build runs in a fresh process (`python -m benchmarks.build --one ENGINE CORPUS INDEX`), so that its memory is
its own; this process samples the resident memory of that process and of every process it started, summed, every
SAMPLE_SECONDS, and takes the largest sum. Run it on an idle machine: the report states the load it saw.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from . import updates
from .corpus import REPO, run_alone
from .report import machine
from .serving import process_tree, tree_memory

ENGINES = ("presse", "textbook")
HALF = "presse, first half"
SAMPLE_SECONDS = 0.05
REPORT = Path(__file__).resolve().parent / "results" / "build.md"
# Issue 10's targets.
TARGET_BUILD_SECONDS = 60
TARGET_PEAK_MIB = 400
TARGET_SIZE_RATIO = 1.5
TARGET_ADD_INDEX = 0.15
TARGET_ADD_TOTAL = 0.3
TARGET_SYNC = 0.5


@dataclass(frozen=True)
class Build:
    engine: str
    seconds: float
    cpu_seconds: float  # of the build's process and every process it started
    peak_mib: float  # the largest sum of their proportional set sizes (shared pages split among their sharers)
    peak_rss_mib: float  # the largest sum of their resident memory (shared pages counted in each process)
    documents: int
    size_mib: float
    processes: int  # the most processes seen at once


def build_once(engine: str, corpus: Path, index: Path) -> dict:
    """The build itself, in the process `measure_build` started: the documents and the CPU seconds of all its
    processes (workers included: they have ended and been waited for)."""
    if engine == "presse":
        from search import Settings, build_index
        documents = build_index(Settings(corpus=corpus, index=index)).indexed
    else:
        from .baseline import build_baseline
        documents = build_baseline(corpus, index)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return {"documents": documents, "cpu_seconds": cpu}


def measure_build(engine: str, corpus: Path, index: Path) -> Build:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.build", "--one", engine, str(corpus), str(index)],
                               cwd=REPO, stdout=subprocess.PIPE, text=True)
    peak, peak_rss, most = 0, 0, 1
    while process.poll() is None:
        memory, count = tree_memory(process.pid), len(process_tree(process.pid))
        peak, peak_rss, most = max(peak, memory.pss_kib), max(peak_rss, memory.rss_kib), max(most, count)
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    output = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise RuntimeError(f"the {engine} build failed (exit status {process.returncode})")
    figures = json.loads(output.strip().splitlines()[-1])
    return Build(engine, seconds, figures["cpu_seconds"], peak / 1024, peak_rss / 1024, figures["documents"],
                 folder_mib(index), most)


def folder_mib(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def half_corpus(releases: Path, folder: Path) -> Path:
    """A copy of the first half of the corpus's releases (in name order), to see how memory grows with a corpus."""
    folder.mkdir()
    files = sorted(path for path in releases.iterdir() if path.suffix == ".txt")
    for path in files[:len(files) // 2]:
        shutil.copy2(path, folder / path.name)
    return folder


def measure(releases: Path, workdir: Path) -> tuple[list[Build], dict, list[str]]:
    loads = [f"before the builds: {load()}"]
    builds = []
    for engine in ENGINES:
        builds.append(measure_build(engine, releases, workdir / f"{engine}-index"))
        loads.append(f"after the {engine} build: {load()}")
        shutil.rmtree(workdir / f"{engine}-index")
    half = measure_build("presse", half_corpus(releases, workdir / "half"), workdir / "half-index")
    builds.append(replace(half, engine=HALF))
    loads.append(f"after the presse build of half the corpus: {load()}")
    shutil.rmtree(workdir / "half-index")
    shutil.rmtree(workdir / "half")
    updates_dir = workdir / "updates"
    updates_dir.mkdir()
    kept = updates.measure_updates(releases, updates_dir)
    loads.append(f"after the adds and syncs: {load()}")
    return builds, kept, loads


def to_markdown(builds: list[Build], kept: dict, loads: list[str]) -> str:
    """The report; `builds` are presse's and the textbook's of the whole corpus, and presse's of its first half."""
    presse, textbook, half = builds
    lines = [
        "## Full build",
        "",
        f"The {presse.documents:,} shared releases, each engine built once in a fresh process. Memory is the largest "
        f"sum over the build's processes, sampled every {SAMPLE_SECONDS * 1000:.0f} ms, of their proportional set "
        "sizes (PSS: pages shared between processes split among them) and of their resident sets (RSS: shared pages "
        "counted in every process); CPU is the seconds of all of them. The last row builds the first half of the "
        "releases (by file name): how the build's memory grows with the corpus.",
        "",
        "| engine | wall s | CPU s | peak PSS MiB (all processes) | peak RSS MiB (summed) | processes | index MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for build in builds:
        lines.append(f"| {build.engine} | {build.seconds:.1f} | {build.cpu_seconds:.1f} | {build.peak_mib:.0f} | "
                     f"{build.peak_rss_mib:.0f} | {build.processes} | {build.size_mib:.0f} |")
    rows = [
        ("full build", f"{presse.seconds:.1f} s", f"≤ {TARGET_BUILD_SECONDS} s",
         presse.seconds <= TARGET_BUILD_SECONDS),
        ("peak memory of the build (PSS, all processes)", f"{presse.peak_mib:.0f} MiB", f"≤ {TARGET_PEAK_MIB} MB",
         presse.peak_mib * 2**20 <= TARGET_PEAK_MIB * 10**6),
        ("peak memory, whole corpus against its first half",
         f"{presse.peak_mib:.0f} against {half.peak_mib:.0f} MiB ({presse.peak_mib / half.peak_mib - 1:+.0%})",
         "no growth beyond the index's buffers", None),
        ("index on disk against the textbook's", f"{presse.size_mib / textbook.size_mib:.2f}×",
         f"≤ {TARGET_SIZE_RATIO}×", presse.size_mib <= TARGET_SIZE_RATIO * textbook.size_mib),
        ("add one release: indexing", f"{kept['add_index']:.3f} s (slowest {kept['add_index_max']:.3f})",
         f"≤ {TARGET_ADD_INDEX} s", kept["add_index"] <= TARGET_ADD_INDEX),
        ("add one release: whole call", f"{kept['add_total']:.3f} s", f"≤ {TARGET_ADD_TOTAL} s",
         kept["add_total"] <= TARGET_ADD_TOTAL),
        ("sync with nothing to do", f"{kept['sync']:.3f} s", f"≤ {TARGET_SYNC} s", kept["sync"] <= TARGET_SYNC),
    ]
    lines += [
        "",
        "## Against issue 10's targets",
        "",
        f"Adds and syncs as in results/updates.md ({updates.ADDS} adds of one release, median; {updates.SYNCS} syncs, "
        f"median) on a copy of the full corpus, built first ({kept['rebuild']:.1f} s in that run).",
        "",
        "| figure | measured | target | met |",
        "|---|---|---|---|",
        *[f"| {name} | {value} | {target} | {_met(met)} |" for name, value, target, met in rows],
        "",
        "## Machine load during the run",
        "",
        *[f"- {line}" for line in loads],
    ]
    return "\n".join(lines)


def _met(met: bool | None) -> str:
    return "see the figures" if met is None else "yes" if met else "no"


def main(releases: Path) -> str:
    """Measure, write results/build.md, and return the report."""
    with tempfile.TemporaryDirectory(prefix="presse-bench-build-") as workdir:
        builds, kept, loads = measure(releases, Path(workdir))
    report = f"# Build benchmark\n\n{machine()}\n\n{to_markdown(builds, kept, loads)}\n"
    REPORT.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(build_once(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
        sys.exit(0)
    sys.exit(run_alone(main))
