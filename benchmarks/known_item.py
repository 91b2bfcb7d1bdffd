"""Known-item search over the shared releases: the queries people wrote, both engines' ranks, the report section.

The queries live in known_items/<category>.jsonl, one JSON object a line: {"query", "release", "split", "why"},
where `release` is the id (file name without .txt) of the one release the query was written to find.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from search import LiveIndex, QueryError, Settings, run_query

from .baseline import BaselineSearcher
from .scoring import TOP, mrr, rank_of, success

KNOWN_ITEMS = Path(__file__).resolve().parent / "known_items"
# The second set: 160 test queries written blind (from release texts alone, by people who never saw the engine, its
# data or its results), graded once the work was done and never used for tuning.
BLIND_ITEMS = Path(__file__).resolve().parent / "known_items_blind"
# In the order the report lists them.
CATEGORIES = ("plain", "inflection", "compound", "transliteration", "typo", "phrase", "synonym", "date")
SPLITS = ("dev", "test")
KEYS = ("query", "release", "split", "why")
ENGINES = ("presse", "textbook")

@dataclass(frozen=True)
class Targets:
    """MRR@10 a set must reach overall and in its lowest category."""

    overall: float
    category: float


# The relevance issue's targets: the first set, and the blind second set.
TARGETS = Targets(0.95, 0.85)
BLIND_TARGETS = Targets(0.90, 0.80)
# Long enough that a busy machine never cuts a search short and changes the ranks being measured.
SEARCH_SECONDS = 60.0
TITLE_CHARS = 70


class QueryFileError(Exception):
    """A known-item file is malformed, or names a release the corpus does not have."""


@dataclass(frozen=True)
class KnownItem:
    category: str
    query: str
    release: str
    split: str
    why: str


@dataclass(frozen=True)
class Outcome:
    """What one engine made of one query."""

    rank: int | None  # of the wanted release in the top 10
    first_hit: str = ""  # `id „title“` of the first hit, "" without hits
    error: str = ""  # presse's QueryError message: the query counts as a miss
    notes: tuple[str, ...] = ()  # presse's notes (corrected, words dropped, relaxed to OR)


@dataclass(frozen=True)
class Scores:
    queries: int
    mrr: float
    success1: float
    success10: float


@dataclass
class KnownItemResult:
    items: list[KnownItem]
    runs: dict[str, list[Outcome]]  # engine → one outcome per item, in order
    titles: dict[str, str]  # release id → title in index.jsonl, for the wanted releases
    missing: list[str]  # categories without a file


def load_known_items(folder: Path = KNOWN_ITEMS) -> list[KnownItem]:
    """The queries of every category file in `folder`, categories in report order, lines in file order.

    A missing file is left out (see `missing_categories`); a malformed line raises QueryFileError naming
    file and line.
    """
    items = []
    for category in CATEGORIES:
        path = folder / f"{category}.jsonl"
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            items += [_parse_line(category, line, f"{path.name}:{number}")
                      for number, line in enumerate(lines, 1) if line.strip()]
    return items


def missing_categories(folder: Path = KNOWN_ITEMS) -> list[str]:
    return [category for category in CATEGORIES if not (folder / f"{category}.jsonl").is_file()]


def _parse_line(category: str, line: str, where: str) -> KnownItem:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise QueryFileError(f"{where}: not JSON ({error})") from None
    if not isinstance(row, dict) or sorted(row) != sorted(KEYS):
        raise QueryFileError(f"{where}: the keys must be {', '.join(KEYS)}; found {', '.join(row) or 'none'}")
    if not all(isinstance(row[key], str) for key in KEYS):
        raise QueryFileError(f"{where}: every value must be a string")
    if row["split"] not in SPLITS:
        raise QueryFileError(f"{where}: split must be dev or test, not {row['split']!r}")
    if not row["query"].strip() or not row["release"].strip():
        raise QueryFileError(f"{where}: empty query or release")
    return KnownItem(category, row["query"], row["release"], row["split"], row["why"])


def unknown_releases(items: list[KnownItem], titles: dict[str, str]) -> list[str]:
    return [item.release for item in items if item.release not in titles]


def run_presse(searcher, settings: Settings, items: list[KnownItem]) -> list[Outcome]:
    """Each query through `run_query(..., limit=10)` as the web UI runs it; a QueryError is a miss."""
    outcomes = []
    for item in items:
        try:
            page = run_query(searcher, settings, item.query, limit=TOP)
        except QueryError as error:
            outcomes.append(Outcome(rank=None, error=str(error)))
            continue
        # A hit also finds the release when it is one of the other versions folded into that hit.
        found = [item.release if item.release in {v.id for v in hit.versions} else hit.id for hit in page.hits]
        first = f"{page.hits[0].id} „{_short(page.hits[0].title)}“" if page.hits else ""
        outcomes.append(Outcome(rank_of(found, item.release), first, notes=tuple(page.notes)))
    return outcomes


def run_textbook(baseline: BaselineSearcher, items: list[KnownItem]) -> list[Outcome]:
    outcomes = []
    for item in items:
        hits = baseline.search(item.query, limit=TOP)[1]
        first = f"{hits[0][0]} „{_short(hits[0][1])}“" if hits else ""
        outcomes.append(Outcome(rank_of([hit_id for hit_id, _, _ in hits], item.release), first))
    return outcomes


def measure_known_items(items: list[KnownItem], corpus: Path, presse_index: Path, baseline_index: Path,
                        titles: dict[str, str], missing: list[str]) -> KnownItemResult:
    """Rank every item's release with presse (index built from `corpus`) and with the textbook baseline."""
    settings = Settings(corpus=corpus, index=presse_index, search_seconds=SEARCH_SECONDS)
    live, baseline = LiveIndex(presse_index), BaselineSearcher(baseline_index)
    try:
        with live.searcher() as searcher:
            runs = {"presse": run_presse(searcher, settings, items), "textbook": run_textbook(baseline, items)}
    finally:
        live.close()
        baseline.close()
    wanted = {item.release: titles.get(item.release, "") for item in items}
    return KnownItemResult(items, runs, wanted, missing)


def score_by_category(items: list[KnownItem], ranks: list[int | None]) -> dict[str, Scores]:
    """MRR@10, Success@1 and Success@10 per category present (in report order), then "all" over every item."""
    groups: dict[str, list[int | None]] = {}
    for item, rank in zip(items, ranks, strict=True):
        groups.setdefault(item.category, []).append(rank)
    ordered = {category: groups[category] for category in CATEGORIES if category in groups}
    if ranks:
        ordered["all"] = list(ranks)
    return {name: Scores(len(r), mrr(r), success(r, 1), success(r, TOP)) for name, r in ordered.items()}


def judge_targets(scores: dict[str, Scores], missing: list[str], targets: Targets = TARGETS) -> str:
    """Whether MRR@10 reaches `targets` overall and in every category, as one sentence."""
    if "all" not in scores:
        return "no queries"
    overall = scores["all"].mrr
    lowest = min((name for name in scores if name != "all"), key=lambda name: scores[name].mrr)
    parts = [f"overall {overall:.4f} {'≥' if overall >= targets.overall else '<'} {targets.overall:.2f}",
             f"lowest category {lowest} {scores[lowest].mrr:.4f} "
             f"{'≥' if scores[lowest].mrr >= targets.category else '<'} {targets.category:.2f}"]
    met = overall >= targets.overall and scores[lowest].mrr >= targets.category
    if met and missing:
        return "; ".join(parts) + f": not judged, categories without queries: {', '.join(missing)}"
    return "; ".join(parts) + (": **met**" if met else ": **not met**")


def scores_table(result: KnownItemResult, targets: Targets = TARGETS) -> list[str]:
    per_engine = {engine: score_by_category(result.items, [o.rank for o in result.runs[engine]])
                  for engine in ENGINES}
    lines = [
        "| category | queries | presse MRR@10 | S@1 | S@10 | textbook MRR@10 | S@1 | S@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in (*CATEGORIES, "all"):
        if name in result.missing:
            lines.append(f"| {name} | no file | | | | | | |")
        elif name in per_engine["presse"]:
            cells = " | ".join(f"{s.mrr:.4f} | {s.success1:.2f} | {s.success10:.2f}"
                               for s in (per_engine[engine][name] for engine in ENGINES))
            label = f"**{name}**" if name == "all" else name
            lines.append(f"| {label} | {per_engine['presse'][name].queries} | {cells} |")
    lines += ["", *(f"- target for {engine} (MRR@10 ≥ {targets.overall:.2f} overall, no category below "
                    f"{targets.category:.2f}): {judge_targets(per_engine[engine], result.missing, targets)}"
                    for engine in ENGINES)]
    return lines


def to_markdown(result: KnownItemResult, releases: int, blind: bool = False) -> str:
    """The report's section for the first set of test queries, or (`blind`) for the second set, written blind."""
    presse = result.runs["presse"]
    errors = sum(1 for outcome in presse if outcome.error)
    heading, folder = "## Known-item search over the shared releases", "known_items"
    if blind:
        heading, folder = "## Known-item search, second set written blind", "known_items_blind"
    about = (" Written blind: from release texts alone (releases drawn with new seeds, none used in the first set), "
             "by people who never saw the engine, its data files or its results; graded once the work was done, "
             "never used for tuning." if blind else "")
    return "\n".join([
        heading,
        "",
        f"{len(result.items)} test queries over the {releases:,} shared releases (../shared/data/releases), each "
        f"written to find one release (benchmarks/{folder}/<category>.jsonl).{about} presse: `build_index` over the "
        f"full corpus, then `run_query(..., limit={TOP})` as the web UI runs it, with its shipped settings but "
        "no search time limit; a hit also counts when the wanted release is one of the versions folded into it; "
        "a query presse refuses (QueryError) counts as a miss. Textbook Whoosh: `LanguageAnalyzer(\"de\")` on "
        "`title` and `body`, `MultifieldParser` over both (all words required, Whoosh's default), BM25F defaults, "
        f"top {TOP}.",
        "",
        *scores_table(result, BLIND_TARGETS if blind else TARGETS),
        f"- QueryError (counted as misses): {errors}",
        "",
        *_misses(result),
    ])


def _misses(result: KnownItemResult) -> list[str]:
    """The queries presse does not answer with the wanted release first, by category, worst first."""
    order = {category: number for number, category in enumerate(CATEGORIES)}
    presse = result.runs["presse"]
    below = [i for i, outcome in enumerate(presse) if outcome.rank != 1]
    below.sort(key=lambda i: (order[result.items[i].category], -(presse[i].rank or TOP + 1)))
    if not below:
        return ["presse ranks the wanted release first for every test query."]
    return [
        f"### Test queries presse misses or ranks below 1 ({len(below)} of {len(presse)})",
        "",
        *query_table(result, below),
    ]


def query_table(result: KnownItemResult, positions: list[int]) -> list[str]:
    """One row per item: category, query, wanted release, both ranks, presse's first hit and notes."""
    presse, textbook = result.runs["presse"], result.runs["textbook"]
    lines = [
        "| category | query | wanted release | presse | textbook | presse's first hit | presse's notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in positions:
        item, ours = result.items[i], presse[i]
        wanted = f"{item.release} „{_short(result.titles.get(item.release, ''))}“"
        notes = f"QueryError: {ours.error}" if ours.error else " ".join(ours.notes)
        lines.append(" | ".join([
            f"| {item.category}", _cell(item.query), _cell(wanted), str(ours.rank or "–"),
            str(textbook[i].rank or "–"), _cell(ours.first_hit or "–"), _cell(notes or "–"),
        ]) + " |")
    return lines


def dev_listing(result: KnownItemResult) -> str:
    """Every query with both ranks and presse's first hit, then the scores: what `--dev` prints."""
    return "\n".join([
        f"## Known-item DEV queries ({len(result.items)})",
        "",
        *query_table(result, list(range(len(result.items)))),
        "",
        *scores_table(result),
    ])


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1].rstrip() + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

