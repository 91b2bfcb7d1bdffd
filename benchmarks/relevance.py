"""The relevance benchmark in one run: XQuAD German, known items over the shared releases, and what they cost.

`python -m benchmarks.relevance` writes results/relevance.md. `--dev` runs the known-item DEV queries and prints
each one's ranks; `--index PATH` reuses a presse index for the known items and measures no cost; neither writes
the report.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from search import SearchError, Settings, check_live_index

from . import cost, known_item, xquad
from .corpus import RELEASES, DataMissing, published_entries, releases_dir
from .known_item import (
    BLIND_ITEMS,
    KNOWN_ITEMS,
    KnownItem,
    QueryFileError,
    load_known_items,
    measure_known_items,
    missing_categories,
    unknown_releases,
)
from .report import machine
from .speed import build_alone

REPORT = Path(__file__).resolve().parent / "results" / "relevance.md"
COMMAND = "python -m benchmarks.relevance"
QUERIES_NOTE = (
    "Known-item queries: written by people from the release text before searching, 20 test queries per category "
    "(reported here) and 15 development queries (5 written with the test queries, 10 added later from other "
    "releases), 30 for inflection, compound, transliteration, synonym and date (15 more written blind, from release "
    "texts alone, by a helper who never saw the engine); only the development queries were used for tuning. "
    "Whether a query is distinctive was checked by counting the "
    "files containing its words, never with a ranking. The test figures of an intermediate run (engine half done) "
    "were seen during the work; no change after that was made for a test query (thesaurus and word-form entries "
    "included), and weights were chosen on the development queries only."
)


def published_titles(entries: list[dict]) -> dict[str, str]:
    """Release id → its published title; "" for the 341 releases published without one (null in index.jsonl)."""
    return {Path(entry["file"]).stem: entry["title"] or "" for entry in entries}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="store_true",
                        help="run the known-item DEV queries (for tuning), print each one's ranks, write no report")
    parser.add_argument("--index", type=Path, metavar="PATH",
                        help="reuse this presse index for the known items instead of building one; "
                             "no cost section, no report")
    parser.add_argument("--skip-xquad", action="store_true", help="leave out the XQuAD German section")
    parser.add_argument("--queries", type=Path, default=KNOWN_ITEMS, metavar="DIR",
                        help="folder of the known-item files <category>.jsonl (default: benchmarks/known_items)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, releases: Path = RELEASES, xquad_data: Path = xquad.XQUAD) -> int:
    """Run what the options ask for; print the report (and write it after a full run). Returns the exit status."""
    options = parse_args(argv)
    try:
        releases = releases_dir(releases)
        xquad_data = None if options.skip_xquad else xquad.xquad_dir(xquad_data)
    except DataMissing as missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return 0
    try:
        sections = measure(options, releases, xquad_data)
    except (SearchError, QueryFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    command = " ".join([COMMAND, *(sys.argv[1:] if argv is None else argv)])
    report = "\n\n".join([f"# Relevance benchmark\n\n{machine()}\n- command: `{command}`\n\n{QUERIES_NOTE}",
                          *sections]) + "\n"
    print(report)
    if not options.dev and options.index is None:
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text(report, encoding="utf-8")
        print(f"written to {REPORT}", file=sys.stderr)
    return 0


def check_wanted(items: list[KnownItem], titles: dict[str, str], releases: Path, what: str = "") -> None:
    """Raise QueryFileError when `items` want releases that `titles` (the releases' index.jsonl) lacks."""
    unknown = unknown_releases(items, titles)
    if unknown:
        raise QueryFileError(f"{len(unknown)} wanted releases{what} are not in {releases}/index.jsonl: "
                             f"{', '.join(unknown[:5])}")


def blind_items(options: argparse.Namespace, titles: dict[str, str], releases: Path) -> list[KnownItem]:
    """The blind set's test queries, read and checked only when this run grades them: a full run of the shipped
    queries, where its report is written (never seen while tuning); [] otherwise."""
    if options.dev or options.queries != KNOWN_ITEMS or options.index is not None:
        return []
    blind = [item for item in load_known_items(BLIND_ITEMS) if item.split == "test"]
    check_wanted(blind, titles, releases, " of the blind set")
    return blind


def measure(options: argparse.Namespace, releases: Path, xquad_data: Path | None) -> list[str]:
    """The report's sections: XQuAD (unless skipped), the known items, and the cost (after a full run only)."""
    split = "dev" if options.dev else "test"
    items = [item for item in load_known_items(options.queries) if item.split == split]
    missing = missing_categories(options.queries)
    if missing:
        print(f"warning: no query file for {', '.join(missing)} in {options.queries}", file=sys.stderr)
    if not items:
        raise QueryFileError(f"no {split} queries in {options.queries}")
    entries = published_entries(releases)
    titles = published_titles(entries)
    check_wanted(items, titles, releases)
    blind = blind_items(options, titles, releases)  # checked now, before the builds
    if options.index is not None:
        info = check_live_index(options.index)
        print(f"--index: reusing {options.index} ({info.meta.get('documents')} documents); "
              "no cost section and no report", file=sys.stderr)

    sections = []
    with tempfile.TemporaryDirectory(prefix="presse-bench-relevance-") as workdir:
        work = Path(workdir)
        if xquad_data is not None:
            sections.append(xquad.to_markdown(xquad.measure_xquad(xquad_data, work / "xquad")))
        builds = {}
        presse_index = options.index or work / "presse"
        for engine, index in (("presse", presse_index), ("baseline", work / "baseline")):
            if engine == "presse" and options.index is not None:
                continue
            print(f"building {engine} over {len(entries):,} releases ...", file=sys.stderr, flush=True)
            builds[engine] = build_alone(engine, releases, index)
            print(f"  {builds[engine].seconds:.1f} s", file=sys.stderr, flush=True)
        print(f"ranking {len(items)} {split} queries ...", file=sys.stderr, flush=True)
        known = measure_known_items(items, releases, presse_index, work / "baseline", titles, missing)
        if options.dev:
            return [*sections, known_item.dev_listing(known)]
        sections.append(known_item.to_markdown(known, len(entries)))
        if blind:
            print(f"ranking {len(blind)} queries of the blind set ...", file=sys.stderr, flush=True)
            graded = measure_known_items(blind, releases, presse_index, work / "baseline", titles,
                                         missing_categories(BLIND_ITEMS))
            sections.append(known_item.to_markdown(graded, len(entries), blind=True))
        if options.index is None:
            texts = [item.query for item in items]
            seconds, baseline_found = cost.time_known_queries(releases, presse_index, work / "baseline", texts)
            sections.append(cost.to_markdown(cost.CostResult(
                builds, texts, seconds, Settings().search_seconds, categories=[item.category for item in items],
                baseline_found=baseline_found)))
    return sections


if __name__ == "__main__":
    sys.exit(main())
