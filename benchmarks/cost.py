"""What presse's relevance costs: full build and known-item query times of presse and textbook Whoosh, one run."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from search import LiveIndex, QueryError, Settings, run_query

from .baseline import BaselineSearcher
from .scoring import TOP
from .speed import QUERY_REPEATS, BuildRun, p95, time_queries

ENGINES = ("presse", "baseline")
TARGET_RATIO = 1.0


@dataclass
class CostResult:
    builds: dict[str, BuildRun]  # one build each, in a fresh process
    queries: list[str]
    # Per engine, per query: the median over the repeats, in seconds.
    query_seconds: dict[str, list[float]]
    search_seconds: float  # presse's shipped time limit per search
    categories: list[str] = field(default_factory=list)  # per query, its known-item category
    baseline_found: list[bool] = field(default_factory=list)  # per query, whether the baseline found anything


def time_known_queries(corpus: Path, presse_index: Path, baseline_index: Path,
                       queries: list[str]) -> tuple[dict[str, list[float]], list[bool]]:
    """Warm top-10 queries with snippets, interleaved between the engines, each repeated `QUERY_REPEATS` times;
    and per query whether the baseline found anything (a query that finds nothing costs it almost nothing)."""
    settings = Settings(corpus=corpus, index=presse_index)  # the shipped time limit, as the web UI runs
    live, baseline = LiveIndex(presse_index), BaselineSearcher(baseline_index)
    try:
        with live.searcher() as searcher:
            print(f"timing {len(queries)} queries ...", file=sys.stderr, flush=True)
            seconds, answered = time_queries(
                {"presse": lambda text: _presse_total(searcher, settings, text),
                 "baseline": lambda text: len(baseline.search(text, limit=TOP)[1])},
                queries,
            )
    finally:
        live.close()
        baseline.close()
    return seconds, answered["baseline"]


def _presse_total(searcher, settings: Settings, text: str) -> int:
    try:
        return run_query(searcher, settings, text, limit=TOP).total
    except QueryError:  # refused before searching, as the web UI shows it: timed all the same
        return 0


def to_markdown(result: CostResult) -> str:
    ours, base = result.builds["presse"], result.builds["baseline"]
    build_rows = [
        f"| {engine} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | {run.peak_mib:.0f} | {run.size_mib:.0f} | "
        f"{run.documents:,} |"
        for engine, run in result.builds.items()
    ]
    times = result.query_seconds
    query_rows = [f"| {engine} | {1000 * statistics.median(times[engine]):.1f} | {1000 * p95(times[engine]):.1f} |"
                  for engine in ENGINES]
    median_ratio = statistics.median(times["presse"]) / statistics.median(times["baseline"])
    slow = sum(1 for seconds in times["presse"] if seconds > result.search_seconds)
    return "\n".join([
        "## Cost: build and query time against textbook Whoosh",
        "",
        "One full build of each engine over the shared releases, each alone in a fresh process (CPU and peak memory "
        "summed over the processes it starts); both read the files with presse's parser; presse builds with a worker "
        "process per core, the baseline in one process with `limitmb=256`.",
        "",
        "| engine | build wall s | CPU s | peak PSS MiB (all processes) | index MiB | documents |",
        "|---|---|---|---|---|---|",
        *build_rows,
        "",
        f"Build ratio presse/baseline: wall {ours.seconds / base.seconds:.2f}, "
        f"CPU {ours.cpu_seconds / base.cpu_seconds:.2f}.",
        "",
        f"Queries: the {len(result.queries)} known-item test queries, top {TOP} with snippets, one open searcher "
        "per engine, warmed by one untimed pass, then each query repeated "
        f"{QUERY_REPEATS} times with the engines taking turns going first; per query the median of the repeats. "
        f"presse: `run_query` with its shipped settings ({result.search_seconds:g} s search limit, exact total, "
        "retries when nothing matches); baseline: `BaselineSearcher.search`, Whoosh's estimated total.",
        "",
        "| engine | median ms | p95 ms |",
        "|---|---|---|",
        *query_rows,
        "",
        f"Query ratio presse/baseline: median {median_ratio:.2f}, "
        f"p95 {p95(times['presse']) / p95(times['baseline']):.2f}. "
        f"Target: presse's median no worse than the baseline's (ratio ≤ {TARGET_RATIO:.1f}): "
        f"{'**met**' if median_ratio <= TARGET_RATIO else '**not met**'}.",
        f"- presse queries over the {result.search_seconds:g} s search limit (median): {slow}",
        *_breakdown(result),
    ])


def _breakdown(result: CostResult) -> list[str]:
    """Median times per category, and over the queries the baseline answers: where the time goes."""
    if not result.categories:
        return []
    times = result.query_seconds
    groups: dict[str, list[int]] = {}
    for number, category in enumerate(result.categories):
        groups.setdefault(category, []).append(number)
    answered = [number for number, found in enumerate(result.baseline_found) if found]
    if answered:
        groups["queries the baseline answers"] = answered
    rows = []
    for name, numbers in groups.items():
        ours = statistics.median(times["presse"][n] for n in numbers)
        base = statistics.median(times["baseline"][n] for n in numbers)
        found = sum(1 for n in numbers if result.baseline_found[n])
        rows.append(f"| {name} | {len(numbers)} | {found} | {1000 * ours:.1f} | {1000 * base:.1f} | "
                    f"{ours / base:.1f} |")
    return [
        "",
        "Median query time per category. The baseline requires all typed words and finds nothing for most "
        "queries outside `plain` and `phrase`; a search that finds nothing costs it almost nothing, while presse "
        "then corrects, splits, relaxes and still shows hits.",
        "",
        "| queries | n | baseline finds any | presse ms | baseline ms | ratio |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
