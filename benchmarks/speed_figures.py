"""What one speed run measured, issue 9's targets judged on it, and the markdown of results/speed.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from .serving import Answer, LoadRun, Memory

PRESSE = "presse `run_query`"
PEERS = ("Tantivy", "SQLite FTS5", "textbook Whoosh")
MB = 1_000_000  # the targets' megabytes; memory figures are shown in the same unit


def percentile(values: list[float], percent: float) -> float:
    """The `percent` percentile of `values`, interpolated linearly between the two nearest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass
class Figures:
    releases: int
    note: str = ""
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    known_items: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    builds: dict[str, str] = field(default_factory=dict)  # engine → how its index came to be
    in_process: dict[str, list[float]] = field(default_factory=dict)  # engine → per query, median seconds
    answered: dict[str, list[bool]] = field(default_factory=dict)  # engine → per query, found anything
    refused: int = 0  # queries presse refused with a QueryError
    in_process_deadline: int = 0  # queries whose in-process search hit the deadline at least once
    first_answer: float = 0.0  # seconds from starting `presse serve` to its first 200
    sequential: list[Answer] = field(default_factory=list)  # per query, the median of the rounds
    load: LoadRun | None = None
    memory: dict[str, Memory] = field(default_factory=dict)  # moment → all serving processes together
    serving_processes: int = 0

    @property
    def queries(self) -> int:
        return len(self.known_items) + len(self.headlines)


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


def targets(figures: Figures) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each of issue 9's targets."""
    http = [answer.seconds for answer in figures.sequential]
    ours = figures.in_process[PRESSE]
    load = figures.load or LoadRun(0, 1.0)
    ok = [answer.seconds for answer in load.ok]
    rate = len(ok) / load.seconds
    p99 = percentile(ok, 99) if ok else float("inf")
    pss = list(figures.memory.values())[-1].pss_kib * 1024 if figures.memory else 0
    clients = f"{load.clients} clients"
    return [
        ("`GET /api/search` one at a time: p50 ≤ 5 ms", f"{ms(percentile(http, 50))} ms",
         percentile(http, 50) <= 0.005),
        ("`GET /api/search` one at a time: p95 ≤ 15 ms", f"{ms(percentile(http, 95))} ms",
         percentile(http, 95) <= 0.015),
        ("`run_query` in-process: p50 ≤ 3 ms", f"{ms(percentile(ours, 50))} ms", percentile(ours, 50) <= 0.003),
        (f"{clients}: ≥ 200 searches/s", f"{rate:.1f} searches/s", rate >= 200),
        (f"{clients}: p99 ≤ 100 ms", f"{ms(p99)} ms", p99 <= 0.1),
        (f"{clients}: 0 errors", f"{load.errors}", load.errors == 0 and bool(load.answers)),
        (f"{clients}: 0 deadline hits", f"{load.deadline_hits}", load.deadline_hits == 0 and bool(load.answers)),
        ("serving processes after the load: PSS ≤ 300 MB", f"{pss / MB:.0f} MB", 0 < pss <= 300 * MB),
        ("`presse serve` start to first answer ≤ 2 s", f"{figures.first_answer:.2f} s", figures.first_answer <= 2),
    ]


def to_markdown(figures: Figures, machine: str) -> str:
    return "\n".join([
        "# Speed: presse against Tantivy, SQLite FTS5 and textbook Whoosh (issue 9)",
        "",
        machine,
        f"- {figures.releases:,} releases; load average (1, 5, 15 min) {_load(figures.load_before)} at the start, "
        f"{_load(figures.load_after)} at the end",
        *([f"- **{figures.note}**"] if figures.note else []),
        "",
        f"Queries: the {len(figures.known_items)} known-item queries of benchmarks/known_items (all categories, "
        f"dev and test) and the {len(figures.headlines)} headline queries of the foundation report "
        f"(benchmarks/speed.py), {figures.queries} in all, top 10 with snippets. Indexes: "
        + "; ".join(f"{engine} {how}" for engine, how in figures.builds.items()) + ".",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *(f"| {target} | {measured} | {'met' if met else '**missed**'} |"
          for target, measured, met in targets(figures)),
        "",
        *_in_process(figures),
        "",
        *_http(figures),
        "",
        "First queries: " + ", ".join(f"`{text}`" for text in (figures.known_items + figures.headlines)[:8]) + ".",
    ])


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in values)


def _in_process(figures: Figures) -> list[str]:
    ours = figures.in_process[PRESSE]
    rows = [
        f"| {engine} | {ms(percentile(times, 50))} | {ms(percentile(times, 95))} | "
        f"{sum(figures.answered[engine])} / {len(times)} | {_ratio(ours, times)} |"
        for engine, times in figures.in_process.items()
    ]
    return [
        "## In-process, one query at a time",
        "",
        "In a child process that has ended before `presse serve` starts; one open searcher per engine, one "
        "untimed warming pass, then rounds in which the engines take turns "
        "going first; per query the median of the rounds. presse runs with its shipped settings (0.5 s search "
        "deadline), counts all matches exactly and relaxes to any word when all words find nothing; Tantivy "
        "(tantivy-py, `simple` tokens, lowercase, Snowball German stemmer, lenient parser) and SQLite FTS5 "
        "(`unicode61 remove_diacritics 2`, bm25, `snippet()`) also ask for all words first and then any; "
        "textbook Whoosh (benchmarks/baseline.py) asks for all words only and estimates its total.",
        "",
        "| engine | p50 ms | p95 ms | queries with hits | presse `run_query` / engine, p50 (p95) |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"presse refused {figures.refused} queries (QueryError); {figures.in_process_deadline} queries hit its "
        "deadline in-process at least once.",
    ]


def _http(figures: Figures) -> list[str]:
    http = [answer.seconds for answer in figures.sequential]
    load = figures.load or LoadRun(0, 1.0)
    ok = [answer.seconds for answer in load.ok]
    ratios = "; ".join(f"{peer} {_ratio(http, figures.in_process[peer])}" for peer in PEERS
                       if peer in figures.in_process)
    memory_rows = [f"| {moment} | {memory.rss_kib * 1024 / MB:.0f} | {memory.pss_kib * 1024 / MB:.0f} |"
                   for moment, memory in figures.memory.items()]
    return [
        "## `presse serve` over HTTP",
        "",
        "`presse serve` (the CLI's entry point, its defaults) on a free port of 127.0.0.1; the client sends "
        "`GET /api/search?q=…&limit=10` over keep-alive connections from this process, so it shares the cores.",
        "",
        f"- start to the first successful answer: {figures.first_answer:.2f} s",
        f"- one request at a time ({len(http)} queries, per query the median of the rounds after a warming one): "
        f"p50 {ms(percentile(http, 50))} ms, p95 {ms(percentile(http, 95))} ms, "
        f"errors {sum(answer.status != 200 for answer in figures.sequential)}, "
        f"deadline notes {sum(answer.deadline for answer in figures.sequential)}",
        f"- presse over HTTP / peer in-process, p50 (p95): {ratios}",
        f"- {load.clients} concurrent clients for {load.seconds:.1f} s: {len(load.answers)} requests, "
        f"{len(ok) / load.seconds:.1f} searches/s, p50 {ms(percentile(ok, 50)) if ok else '–'} ms, "
        f"p99 {ms(percentile(ok, 99)) if ok else '–'} ms, errors {load.errors}, deadline notes "
        f"{load.deadline_hits}",
        "",
        f"Memory of the serving processes ({figures.serving_processes} after the load), summed from "
        "/proc/<pid>/smaps_rollup; RSS counts shared pages in every process, PSS shares them out:",
        "",
        "| moment | RSS MB | PSS MB |",
        "|---|---|---|",
        *memory_rows,
    ]


def _ratio(ours: list[float], theirs: list[float]) -> str:
    return (f"{percentile(ours, 50) / percentile(theirs, 50):.1f} "
            f"({percentile(ours, 95) / percentile(theirs, 95):.1f})")
