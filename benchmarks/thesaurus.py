"""What OpenThesaurus's synonyms add and cost: the known-item DEV queries and XQuAD German, each with the domain
list alone and with both lists, over the same index in one process, query times interleaved query by query.

    python -m benchmarks.thesaurus --index PATH [--skip-xquad]

writes results/thesaurus.md. The index is a presse index of the shared releases (synonyms are a query-time matter,
so one index serves both variants). Only development queries are run: they are the ones for tuning.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from search import LiveIndex, Settings, build_index, run_query
from search.german.thesaurus import GENERATED_THESAURUS, read_stem_lists
from search.query import expansion

from . import xquad
from .corpus import RELEASES
from .known_item import SEARCH_SECONDS, TOP, KnownItem, load_known_items, run_presse, score_by_category
from .report import machine
from .scoring import mrr, rank_of

REPORT = Path(__file__).resolve().parent / "results" / "thesaurus.md"
ROUNDS = 5
VARIANTS = ("domain list only", "domain list + OpenThesaurus")


Table = dict[str, tuple[str, ...]]


@contextmanager
def synonym_table(words: Table) -> Iterator[None]:
    """Searches within use `words` as the synonyms of words (the loaded lists stay loaded; nothing is read
    again)."""
    original = expansion._synonyms
    expansion._synonyms = lambda: words  # type: ignore[assignment]
    try:
        yield
    finally:
        expansion._synonyms = original


def tables() -> dict[str, Table]:
    """The two variants compared."""
    return {VARIANTS[0]: expansion._word_groups(expansion.THESAURUS), VARIANTS[1]: expansion._synonyms()}


def ablations() -> dict[str, Table]:
    """Without the domain list, which was written alongside the development queries: what OpenThesaurus finds on
    queries it was not made from."""
    return {"no synonyms": {}, "OpenThesaurus only": read_stem_lists(expansion._data_text(GENERATED_THESAURUS))}


def interleaved_seconds(texts: list[str], search: Callable[[str], object], rounds: int) -> dict[str, list[float]]:
    """Each text searched with each variant in turn (the order alternating), `rounds` times over."""
    seconds: dict[str, list[float]] = {name: [] for name in VARIANTS}
    variants = tables()
    for round_number in range(rounds):
        for number, text in enumerate(texts):
            order = VARIANTS if (round_number + number) % 2 == 0 else VARIANTS[::-1]
            for name in order:
                with synonym_table(variants[name]):
                    started = time.perf_counter()
                    search(text)
                    seconds[name].append(time.perf_counter() - started)
    return seconds


def timing_rows(seconds: dict[str, list[float]]) -> list[str]:
    rows = ["| variant | searches | median ms | p90 ms | total s |", "|---|---|---|---|---|"]
    for name, values in seconds.items():
        ordered = sorted(values)
        rows.append(f"| {name} | {len(ordered)} | {statistics.median(ordered) * 1000:.1f} | "
                    f"{ordered[int(0.9 * len(ordered))] * 1000:.1f} | {sum(ordered):.2f} |")
    return rows


def known_item_section(index: Path, items: list[KnownItem]) -> str:
    settings = Settings(corpus=RELEASES, index=index, search_seconds=SEARCH_SECONDS)
    live = LiveIndex(index)
    try:
        with live.searcher() as searcher:
            scores = {}
            for name, table in {**tables(), **ablations()}.items():
                with synonym_table(table):
                    ranks = [outcome.rank for outcome in run_presse(searcher, settings, items)]
                scores[name] = score_by_category(items, ranks)
            seconds = interleaved_seconds([item.query for item in items],
                                          lambda text: run_query(searcher, settings, text, limit=TOP), ROUNDS)
    finally:
        live.close()
    categories = list(scores[VARIANTS[0]])
    rows = ["| variant | " + " | ".join(categories) + " |", "|---|" + "---|" * len(categories)]
    rows += [f"| {name} | " + " | ".join(f"{by[c].mrr:.3f}" for c in categories) + " |" for name, by in scores.items()]
    note = ("The domain list (synonyme.txt) was written alongside these queries; the last two rows leave it out, "
            "so they show what OpenThesaurus finds on queries it was not made from (it was filtered by counting "
            "releases, never by ranking queries).")
    return "\n".join([f"## Known-item DEV queries ({len(items)}), MRR@10", "", note, "", *rows, "",
                      f"Query time, `run_query` in process, {ROUNDS} rounds, variants interleaved query by query:",
                      "", *timing_rows(seconds)])


def xquad_section(data: Path) -> str:
    passages, questions = xquad.load_xquad(data)
    with tempfile.TemporaryDirectory(prefix="presse-bench-thesaurus-") as workdir:
        work = Path(workdir)
        xquad.write_corpus(passages, work / "corpus")
        settings = Settings(corpus=work / "corpus", index=work / "index", search_seconds=60.0)
        build_index(settings)
        live = LiveIndex(settings.index)
        try:
            with live.searcher() as searcher:
                def ranked(text: str) -> list[str]:
                    return [hit.id for hit in run_query(searcher, settings, text, limit=TOP).hits]

                ranks = {}
                for name, table in tables().items():
                    with synonym_table(table):
                        ranks[name] = [rank_of(ranked(q.text), q.passage) for q in questions]
                seconds = interleaved_seconds([q.text for q in questions], ranked, 1)
        finally:
            live.close()
    first, second = (ranks[name] for name in VARIANTS)
    better = sum(1 for a, b in zip(first, second, strict=True) if (1 / b if b else 0) > (1 / a if a else 0))
    worse = sum(1 for a, b in zip(first, second, strict=True) if (1 / b if b else 0) < (1 / a if a else 0))
    rows = ["| variant | MRR@10 |", "|---|---|", *(f"| {name} | {mrr(r):.4f} |" for name, r in ranks.items())]
    return "\n".join([f"## XQuAD German ({len(questions)} questions, {len(passages)} passages)", "", *rows, "",
                      f"With OpenThesaurus {better} questions rank their passage higher, {worse} lower.", "",
                      "Query time, one round, variants interleaved:", "", *timing_rows(seconds)])


def data_section() -> str:
    """The generated file: its size, what it holds, how long reading it takes and what it keeps in memory."""
    text = expansion._data_text(GENERATED_THESAURUS)
    seconds = []
    for _ in range(20):
        started = time.perf_counter()
        lists = read_stem_lists(text)
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    try:
        kept = read_stem_lists(text)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return "\n".join([
        "## The data", "",
        f"- search/german/data/{GENERATED_THESAURUS}: {len(text.encode()):,} bytes, {len(lists):,} stems with "
        f"{sum(map(len, lists.values())):,} synonyms (at most {max(map(len, kept.values()))} a stem)",
        f"- read once per server before its workers start: {statistics.median(seconds) * 1000:.2f} ms (median of 20), "
        f"{held / 1024:.0f} KiB held (tracemalloc)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.thesaurus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a presse index of the shared releases")
    parser.add_argument("--skip-xquad", action="store_true", help="leave out XQuAD German")
    options = parser.parse_args(argv)
    items = [item for item in load_known_items() if item.split == "dev"]
    expansion.load_word_groups()
    sections = [f"# OpenThesaurus's synonyms: what they add and cost\n\n{machine()}\n"
                f"- command: `python -m benchmarks.thesaurus {' '.join(sys.argv[1:] if argv is None else argv)}`",
                data_section(), known_item_section(options.index, items)]
    if not options.skip_xquad:
        sections.append(xquad_section(xquad.xquad_dir()))
    report = "\n\n".join(sections) + "\n"
    print(report)
    REPORT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
