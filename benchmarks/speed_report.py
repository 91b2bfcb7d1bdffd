"""presse's search speed, throughput and memory next to Tantivy, SQLite FTS5 and textbook Whoosh: results/speed.md.

`python -m benchmarks.speed_report` (or `make bench-speed`) measures issue 9's targets in one run on the shared
releases; `--releases 2000` uses only the first 2000 of them (and writes its report under benchmarks/.cache/).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from search import (
    IndexMissingError,
    IndexStaleError,
    LiveIndex,
    QueryError,
    Settings,
    build_index,
    check_live_index,
    run_query,
)

from .baseline import BaselineSearcher, build_baseline
from .corpus import REPO, DataMissing, published_entries, releases_dir
from .known_item import load_known_items
from .report import machine
from .serving import DEADLINE_WORD, Answer, one_at_a_time, process_tree, serving, tree_memory, under_load
from .speed import realistic_queries, time_queries
from .speed_figures import Figures, to_markdown

CACHE = REPO / "benchmarks" / ".cache"
REPORT = REPO / "benchmarks" / "results" / "speed.md"
# Bump when a peer's index is built differently, so that cached peer indexes are rebuilt.
PEER_LAYOUT = 1
BENCH_EXTRA = "the peers need the bench extra: pip install -e '.[bench]'"


def skip_message(missing: DataMissing) -> str:
    return f"skipped: {missing}"


def subset_corpus(releases: Path, count: int | None) -> Path:
    """The shared releases, or a cached copy of the first `count` of them (file order) for quick runs."""
    if count is None:
        return releases
    folder = CACHE / f"corpus-{count}"
    if not (folder / ".complete").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for entry in published_entries(releases)[:count]:
            shutil.copy2(releases / entry["file"], folder / entry["file"])
        (folder / ".complete").touch()
    return folder


def prepare_cache() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("# made by benchmarks/speed_report.py: nothing here is committed\n*\n")


def ensure_presse(corpus: Path, index: Path) -> str:
    """presse's index of `corpus` in `index`, built unless one of this presse's index version is already there."""
    try:
        info = check_live_index(index)
        if info.meta.get("corpus") == str(corpus.resolve()):
            return f"reused (index version {info.meta.get('version')}, {info.meta.get('documents'):,} releases)"
    except (IndexMissingError, IndexStaleError):
        pass
    say(f"building the presse index of {corpus} (a few minutes for the full corpus) ...")
    report = build_index(Settings(corpus=corpus, index=index),
                         progress=lambda done, total, seconds: done % 5000 == 0 and say(f"  {done:,} of {total:,}"))
    return f"built in {report.seconds:.0f} s ({report.indexed:,} releases)"


def ensure_peer(name: str, build: Callable[[Path, Path], int], corpus: Path, folder: Path) -> str:
    """A peer's index of `corpus` in `folder`, built (into a side folder, then renamed) unless complete already."""
    if (folder / ".complete").is_file():
        return "reused"
    say(f"building the {name} index ...")
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    documents = build(corpus, partial)
    (partial / ".complete").write_text(f"{documents}\n")
    partial.rename(folder)
    return f"built ({documents:,} releases)"


def peer_folder(name: str, label: str) -> Path:
    """The cache folder of a peer's index: by corpus, the peer's version and PEER_LAYOUT."""
    versions = {"Tantivy": version("tantivy"), "SQLite FTS5": sqlite3.sqlite_version,
                "textbook Whoosh": version("whoosh3")}
    return CACHE / f"{name.split()[-1].lower()}-{label}-{versions[name]}-layout{PEER_LAYOUT}"


@dataclass
class InProcess:
    """presse's `run_query` and the peers, each a function of the query text returning whether anything was found."""

    engines: dict[str, Callable[[str], bool]] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)  # queries presse answered with a QueryError
    deadline_hits: set[str] = field(default_factory=set)


def presse_engine(searcher, settings: Settings, record: InProcess, facets: bool) -> Callable[[str], bool]:
    def search(text: str) -> bool:
        try:
            page = run_query(searcher, settings, text, limit=10, facets=facets)
        except QueryError:
            record.refused.add(text)
            return False
        if any(DEADLINE_WORD in note for note in page.notes):
            record.deadline_hits.add(text)
        return bool(page.hits)
    return search


def measure_in_process(corpus: Path, indexes: dict[str, Path], queries: list[str], repeats: int,
                       figures: Figures) -> Figures:
    """Every engine answers every query: one warming pass, then `repeats` passes taking turns (speed.py's way).

    Runs in a child process (see `in_child`), so that it has unmapped presse's index files when the server's memory
    is read: pages this process still mapped would be shared out in the server's PSS and make it look smaller.
    """
    settings = Settings(corpus=corpus, index=indexes["presse"])
    live = LiveIndex(settings.index)
    from .peers import Fts5Searcher, TantivySearcher

    tantivy_searcher = TantivySearcher(indexes["Tantivy"])
    fts5 = Fts5Searcher(indexes["SQLite FTS5"])
    whoosh = BaselineSearcher(indexes["textbook Whoosh"])
    record = InProcess()
    try:
        with live.searcher() as searcher:
            record.engines = {
                "presse `run_query`": presse_engine(searcher, settings, record, facets=False),
                "presse `run_query`, facets as the API": presse_engine(searcher, settings, record, facets=True),
                "Tantivy": lambda text: bool(tantivy_searcher.search(text)),
                "SQLite FTS5": lambda text: bool(fts5.search(text)),
                "textbook Whoosh": lambda text: bool(whoosh.search(text)[1]),
            }
            say(f"timing {len(queries)} queries in-process, {repeats} rounds ...")
            figures.in_process, figures.answered = time_queries(record.engines, queries, repeats)
    finally:
        live.close()
        fts5.close()
        whoosh.close()
    figures.refused = len(record.refused)
    figures.in_process_deadline = len(record.deadline_hits)
    return figures


def in_child(function: Callable[..., Figures], *args: object) -> Figures:
    """`function(*args)` in a fresh process that ends before this returns."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def measure_http(corpus: Path, index: Path, queries: list[str], repeats: int, clients: int, seconds: float,
                 figures: Figures) -> None:
    """presse serve: time to the first answer, one request at a time, then `clients` at once; memory throughout."""
    with tempfile.TemporaryDirectory(prefix="presse-serve-") as logs, \
            serving(corpus, index, queries[0], Path(logs) / "serve.log") as server:
        pid = server.process.pid
        figures.first_answer = server.first_answer_seconds
        figures.memory["after the first answer"] = tree_memory(pid)
        say(f"first answer after {server.first_answer_seconds:.2f} s; {len(queries)} requests one at a time, "
            f"{repeats} rounds after a warming one ...")
        one_at_a_time(server.port, queries)
        rounds = [one_at_a_time(server.port, queries) for _ in range(repeats)]
        figures.sequential = [median_answer([r[i] for r in rounds]) for i in range(len(queries))]
        figures.memory["after the one-at-a-time rounds"] = tree_memory(pid)
        say(f"{clients} clients for {seconds:g} s ...")
        figures.load = under_load(server.port, queries, clients, seconds)
        figures.memory[f"after {clients} clients"] = tree_memory(pid)
        figures.serving_processes = len(process_tree(pid))


def median_answer(answers: list[Answer]) -> Answer:
    """The middle answer by time: the per-query median over rounds, keeping its status and deadline flag."""
    return sorted(answers, key=lambda answer: answer.seconds)[len(answers) // 2]


def say(message: str) -> bool:
    print(message, file=sys.stderr, flush=True)
    return True


def main(argv: list[str] | None = None, locate: Callable[[], Path] = releases_dir) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed_report", description=__doc__)
    parser.add_argument("--releases", type=int, help="use only the first N shared releases (a quick run)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the concurrent load (default 30)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds over the queries (default 3)")
    parser.add_argument("--note", default="", help="a sentence about the conditions, put in the report's header")
    parser.add_argument("--output", type=Path, help="where to write the report (default results/speed.md, or "
                        "benchmarks/.cache/speed-N.md with --releases)")
    args = parser.parse_args(argv)
    try:
        releases = locate()
    except DataMissing as missing:
        print(skip_message(missing), file=sys.stderr)
        return 0
    try:  # only here, so that the benchmark skips without data even where the bench extra is not installed
        from .peers import build_fts5, build_tantivy
    except ImportError as error:
        print(f"{BENCH_EXTRA} ({error})", file=sys.stderr)
        return 1
    prepare_cache()
    label = "all" if args.releases is None else str(args.releases)
    corpus = subset_corpus(releases, args.releases)
    figures = Figures(releases=len(list(corpus.glob("*.txt"))), note=args.note, load_before=os.getloadavg())
    files = {entry["file"] for entry in published_entries(releases)[:args.releases]}
    figures.known_items = [item.query for item in load_known_items()]
    figures.headlines = realistic_queries([e for e in published_entries(releases) if e["file"] in files])
    queries = figures.known_items + figures.headlines

    indexes = {"presse": CACHE / f"presse-{label}"}
    figures.builds["presse"] = ensure_presse(corpus, indexes["presse"])
    peers = {"Tantivy": build_tantivy, "SQLite FTS5": build_fts5, "textbook Whoosh": build_baseline}
    for name, build in peers.items():
        indexes[name] = peer_folder(name, label)
        figures.builds[name] = ensure_peer(name, build, corpus, indexes[name])
    figures = in_child(measure_in_process, corpus, indexes, queries, args.repeats, figures)
    measure_http(corpus, indexes["presse"], queries, args.repeats, args.clients, args.seconds, figures)
    figures.load_after = os.getloadavg()

    report = f"{to_markdown(figures, machine())}\n"
    output = args.output or (REPORT if args.releases is None else CACHE / f"speed-{label}.md")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    print(report)
    say(f"written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
