"""Build and query time of presse against the textbook Whoosh setup, measured in the same run, interleaved."""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from search import LiveIndex, Settings, run_query
from search.store.generations import live_generation

from .baseline import BaselineSearcher
from .build import measure_build
from .corpus import published_entries, run_alone, typed_words

ENGINES = ("presse", "baseline")
# The baseline answers without an exact match count, as Whoosh does by default; presse shows an exact total.
COUNTED = "baseline, exact count"
BUILD_ROUNDS = 2
QUERY_COUNT = 200
QUERY_REPEATS = 5
SEED = 20240101


@dataclass(frozen=True)
class BuildRun:
    seconds: float
    cpu_seconds: float
    peak_mib: float  # the largest sum of the proportional set sizes of the build's processes
    documents: int
    size_mib: float = 0.0


@dataclass
class SpeedResult:
    queries: list[str]
    builds: dict[str, list[BuildRun]] = field(default_factory=dict)
    # Per query, the median over repeats, in seconds.
    query_seconds: dict[str, list[float]] = field(default_factory=dict)
    answered: dict[str, list[bool]] = field(default_factory=dict)  # per engine, per query: found anything


def realistic_queries(entries: list[dict], count: int = QUERY_COUNT, seed: int = SEED) -> list[str]:
    """1, 2 and 3 words (in turn) taken in order from the headlines of a seeded sample of titled releases."""
    rng = random.Random(seed)
    titled = [entry["title"] for entry in entries if entry["title"]]
    queries: list[str] = []
    for title in rng.sample(titled, len(titled)):
        words = typed_words(title)
        size = 1 + len(queries) % 3
        if len(words) >= size:
            picked = sorted(rng.sample(range(len(words)), size))
            queries.append(" ".join(words[i] for i in picked))
        if len(queries) == count:
            return queries
    raise ValueError(f"only {len(queries)} headlines give a query")


def measure_builds(releases: Path, workdir: Path, rounds: int = BUILD_ROUNDS) -> dict[str, list[BuildRun]]:
    """Build both indexes `rounds` times, alternating which goes first; presse's later rounds are rebuilds."""
    builds: dict[str, list[BuildRun]] = {engine: [] for engine in ENGINES}
    for round_number in range(rounds):
        for engine in ENGINES if round_number % 2 == 0 else ENGINES[::-1]:
            index = workdir / engine
            if engine == "baseline":
                shutil.rmtree(index, ignore_errors=True)
            print(f"building {engine} (round {round_number + 1} of {rounds}) ...", file=sys.stderr, flush=True)
            run = build_alone(engine, releases, index)
            builds[engine].append(run)
            print(f"  {run.seconds:.1f} s", file=sys.stderr, flush=True)
    return builds


def build_alone(engine: str, releases: Path, index: Path) -> BuildRun:
    """One timed build of `engine` ("presse" or "baseline") in a fresh process, its memory summed over every process
    it starts (presse builds with a worker per core), with the size of the index made."""
    run = measure_build(engine, releases, index)
    folder = live_generation(index) if engine == "presse" else index
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20 if folder else 0.0
    return BuildRun(run.seconds, run.cpu_seconds, run.peak_mib, run.documents, size)


def time_queries(engines: dict[str, Callable[[str], int]], queries: list[str],
                 repeats: int = QUERY_REPEATS) -> tuple[dict[str, list[float]], dict[str, list[bool]]]:
    """Per engine: each query's median time over `repeats` interleaved runs, and whether each found anything.

    One untimed pass (the one that sees what each query finds) warms caches first. The engines take turns going
    first, query by query and repeat by repeat.
    """
    answered = {name: [bool(search(text)) for text in queries] for name, search in engines.items()}
    samples: dict[str, list[list[float]]] = {name: [[] for _ in queries] for name in engines}
    names = list(engines)
    for repeat in range(repeats):
        for number, text in enumerate(queries):
            shift = (repeat + number) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                engines[name](text)
                samples[name][number].append(time.perf_counter() - started)
    return {name: [statistics.median(s) for s in per_query] for name, per_query in samples.items()}, answered


def measure_speed(releases: Path, workdir: Path) -> SpeedResult:
    """Builds, then warm top-10 queries with snippets against one open searcher per engine."""
    result = SpeedResult(queries=realistic_queries(published_entries(releases)))
    result.builds = measure_builds(releases, workdir)
    settings = Settings(corpus=releases, index=workdir / "presse")
    live, baseline = LiveIndex(settings.index), BaselineSearcher(workdir / "baseline")
    try:
        with live.searcher() as searcher:
            print(f"timing {len(result.queries)} queries ...", file=sys.stderr, flush=True)
            result.query_seconds, result.answered = time_queries(
                {
                    "presse": lambda text: run_query(searcher, settings, text, limit=10).total,
                    "baseline": lambda text: len(baseline.search(text, limit=10)[1]),
                    COUNTED: lambda text: len(baseline.search(text, limit=10, count=True)[1]),
                },
                result.queries,
            )
    finally:
        live.close()
        baseline.close()
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def to_markdown(result: SpeedResult) -> str:
    ours, base = result.builds["presse"], result.builds["baseline"]
    build_rows = [
        f"| {engine} | {' / '.join(f'{b.seconds:.1f}' for b in runs)} | {_median(runs, 'seconds'):.1f} | "
        f"{_median(runs, 'cpu_seconds'):.1f} | {max(b.peak_mib for b in runs):.0f} | {runs[-1].size_mib:.0f} | "
        f"{runs[-1].documents:,} |"
        for engine, runs in result.builds.items()
    ]
    query_rows = [
        f"| {engine} | {1000 * statistics.median(times):.1f} | {1000 * p95(times):.1f} | "
        f"{sum(result.answered[engine])} / {len(result.queries)} |"
        for engine, times in result.query_seconds.items()
    ]
    ours_q = result.query_seconds["presse"]
    ratios = [
        f"presse/{engine}: median {statistics.median(ours_q) / statistics.median(times):.2f}, "
        f"p95 {p95(ours_q) / p95(times):.2f}"
        for engine, times in result.query_seconds.items() if engine != "presse"
    ]
    return "\n".join([
        "## Speed: presse against textbook Whoosh",
        "",
        "Baseline: whoosh3 `LanguageAnalyzer(\"de\")` on stored `title` and `body`, `MultifieldParser` (AND), "
        "`ContextFragmenter` + `HtmlFormatter` snippets of the top 10. Both read the files with presse's parser; "
        "presse builds with a worker process per core, the baseline in one process with `limitmb=256`; each build "
        "runs alone in a fresh process (CPU and peak memory summed over the processes it starts). Builds "
        f"alternate order over {len(ours)} rounds; presse's later rounds are rebuilds (a new generation swapped in).",
        "",
        "| engine | build wall s (each round) | median wall s | median CPU s | peak PSS MiB (all processes) | "
        "index MiB | documents |",
        "|---|---|---|---|---|---|---|",
        *build_rows,
        "",
        f"Build ratio presse/baseline: wall {_median(ours, 'seconds') / _median(base, 'seconds'):.2f}, "
        f"CPU {_median(ours, 'cpu_seconds') / _median(base, 'cpu_seconds'):.2f}.",
        "",
        f"Queries: {len(result.queries)} of 1, 2 and 3 words (in turn) from headlines of a seeded sample of releases; "
        f"top 10 with snippets, one open searcher per engine, warmed by one untimed pass, then {QUERY_REPEATS} "
        "repeats alternating the order of the engines; per query the median of the repeats. presse retries "
        "with OR when all words together find nothing, and counts all matches for its exact total; the baseline "
        "does neither (Whoosh's estimate of the total comes for free), so it is also timed with `len(results)`.",
        "",
        "| engine | median ms | p95 ms | queries with hits |",
        "|---|---|---|---|",
        *query_rows,
        "",
        "Query ratios " + "; ".join(ratios) + ".",
        "",
        "First queries: " + ", ".join(f"`{text}`" for text in result.queries[:12]) + ".",
    ])


def _median(runs: list[BuildRun], name: str) -> float:
    return statistics.median(getattr(run, name) for run in runs)


def main(releases: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="presse-speed-") as workdir:
        return to_markdown(measure_speed(releases, Path(workdir)))


if __name__ == "__main__":
    sys.exit(run_alone(main))
