"""Choosing the title weight (search.weights.Weights.title) by measurement: MRR@10 of known-item queries."""

from __future__ import annotations

import math
import random
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from search import LiveIndex, Settings, build_index, run_query
from search.ingest.corpus import read_release

from .corpus import published_entries, run_alone, typed_words

WEIGHTS = (1.0, 1.5, 2.0, 3.0, 5.0)
SAMPLE = 300
SEED = 7
BOOTSTRAP = 2000
SETS = ("body", "headline")

METHOD = (
    "For a seeded sample of releases with a published title, two queries each: 2 or 3 words (in turn) from the "
    "body (the paragraphs below the headline), and 2 or 3 words from the headline. Words are drawn without "
    "replacement with probability proportional to tf × idf (idf from the field they come from; no stop words, "
    "numbers, words under 3 letters or ots codes), in the spirit of Azzopardi et al.'s simulated known-item queries. "
    "Words found in only one document are left out: such a query finds its release alone, first under every "
    "weight, and says nothing about the weight. Each query runs through `run_query` (top 10) over the full index "
    "with the title weight (`Weights.title` in search/weights.py) set to each weight in turn."
)
BIAS = (
    "Bias of the method: headline queries favour a high title weight by construction (their words are in the "
    "target's title), body queries a low one (releases with those words in their title push the target down), so "
    "the recommendation depends on the 50/50 mix of the two sets, which no query log backs. The words come from the "
    "target itself, spelled as there; real users paraphrase and misspell. Only the target counts as relevant, so a "
    "near-duplicate ranked first (a follow-up, a bundled 2000–2004 report) is a miss under every weight. The "
    "interval column shows how far sampling noise alone moves the difference to the best weight."
)
EDGE = (
    " The best weight is the largest one tried, so this method finds no optimum inside the grid: a larger weight "
    "may score higher still."
)


@dataclass(frozen=True)
class KnownItem:
    text: str
    release_id: str


@dataclass
class TitleWeightResult:
    queries: dict[str, list[KnownItem]]
    current: float
    # ranks[set][weight]: the target's rank (1-based) per query, or None when it is not in the top 10.
    ranks: dict[str, dict[float, list[int | None]]] = field(default_factory=dict)


def known_item_queries(releases: Path, searcher, sample: int = SAMPLE, seed: int = SEED) -> dict[str, list[KnownItem]]:
    """`sample` body queries and `sample` headline queries, one of each per sampled release."""
    rng = random.Random(seed)
    entries = [entry for entry in published_entries(releases) if entry["title"]]
    analyzer = searcher.schema["body"].analyzer
    documents = searcher.doc_count()
    queries: dict[str, list[KnownItem]] = {name: [] for name in SETS}
    for entry in rng.sample(entries, len(entries)):
        release = read_release(releases / entry["file"])
        size = 2 + len(queries["body"]) % 2
        picked = {
            name: _draw_words(typed_words(text), fieldname, size, searcher, analyzer, documents, rng)
            for name, text, fieldname in (("body", release.text, "body"), ("headline", release.title, "title"))
        }
        if all(len(words) == size for words in picked.values()):
            for name, words in picked.items():
                queries[name].append(KnownItem(" ".join(words), release.id))
        if len(queries["body"]) == sample:
            return queries
    raise ValueError(f"only {len(queries['body'])} releases give both queries")


def _draw_words(words: list[str], fieldname: str, size: int, searcher, analyzer, documents: int,
                rng: random.Random) -> list[str]:
    """Up to `size` words with distinct stems, drawn by tf × idf, returned in text order."""
    first_word: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for word in words:
        stems = [token.text for token in analyzer(word)]
        if len(stems) == 1:
            first_word.setdefault(stems[0], word)
            counts[stems[0]] += 1
    weights = {}
    for stem, tf in counts.items():
        frequency = searcher.doc_frequency(fieldname, stem)
        if frequency >= 2:
            weights[stem] = tf * math.log(documents / frequency)
    chosen: list[str] = []
    while weights and len(chosen) < size:
        stem = rng.choices(list(weights), weights=list(weights.values()))[0]
        chosen.append(stem)
        del weights[stem]
    return [word for stem, word in first_word.items() if stem in chosen]


def rank_of(searcher, settings: Settings, item: KnownItem) -> int | None:
    hits = run_query(searcher, settings, item.text, limit=10).hits
    ids = [hit.id for hit in hits]
    return ids.index(item.release_id) + 1 if item.release_id in ids else None


def measure_title_weight(releases: Path, index: Path) -> TitleWeightResult:
    """MRR@10 per weight for both query sets, over the full index in `index` (built by presse)."""
    # No time limit worth the name: a search cut short by a busy machine would change the ranks being measured.
    settings = Settings(corpus=releases, index=index, search_seconds=60.0)
    live = LiveIndex(index)
    try:
        with live.searcher() as searcher:
            result = TitleWeightResult(queries=known_item_queries(releases, searcher), current=settings.weights.title)
            for name, items in result.queries.items():
                result.ranks[name] = {}
                for weight in WEIGHTS:
                    print(f"title weight {weight}: {name} queries ...", file=sys.stderr, flush=True)
                    weighted = replace(settings, weights=replace(settings.weights, title=weight))
                    result.ranks[name][weight] = [rank_of(searcher, weighted, item) for item in items]
    finally:
        live.close()
    return result


def mrr(ranks: list[int | None]) -> float:
    return statistics.fmean(_rr(rank) for rank in ranks)


def combined(result: TitleWeightResult, weight: float) -> float:
    return statistics.fmean(mrr(result.ranks[name][weight]) for name in SETS)


def best_weight(result: TitleWeightResult) -> float:
    return max(WEIGHTS, key=lambda weight: combined(result, weight))


def difference_interval(result: TitleWeightResult, weight: float, other: float) -> tuple[float, float]:
    """95 % paired bootstrap interval of combined MRR(weight) − combined MRR(other), resampling releases."""
    # The body and headline query of a release sit at the same position in both lists.
    differences = [
        statistics.fmean(_rr(result.ranks[name][weight][i]) - _rr(result.ranks[name][other][i]) for name in SETS)
        for i in range(len(result.queries["body"]))
    ]
    rng = random.Random(SEED)
    means = sorted(statistics.fmean(rng.choices(differences, k=len(differences))) for _ in range(BOOTSTRAP))
    return means[int(0.025 * BOOTSTRAP)], means[int(0.975 * BOOTSTRAP) - 1]


def _rr(rank: int | None) -> float:
    return 1 / rank if rank else 0.0


def to_markdown(result: TitleWeightResult) -> str:
    best = best_weight(result)
    rows = []
    for weight in WEIGHTS:
        cells = [f"{mrr(result.ranks[name][weight]):.4f}" for name in SETS]
        firsts = [sum(rank == 1 for rank in result.ranks[name][weight]) for name in SETS]
        marks = (" (best)" if weight == best else "") + (" (current)" if weight == result.current else "")
        low, high = difference_interval(result, weight, best)
        interval = "" if weight == best else f"{low:+.4f} … {high:+.4f}"
        rows.append(f"| {weight}{marks} | {cells[0]} | {cells[1]} | {combined(result, weight):.4f} | {interval} | "
                    f"{firsts[0]} / {firsts[1]} |")
    moved = {name: sum(a != b for a, b in zip(result.ranks[name][best], result.ranks[name][result.current],
                                              strict=True)) for name in SETS}
    examples = {name: ", ".join(f"`{item.text}`" for item in items[:5]) for name, items in result.queries.items()}
    return "\n".join([
        "## Title weight",
        "",
        f"{len(result.queries['body'])} body and {len(result.queries['headline'])} headline queries. {METHOD}",
        "",
        "| title weight | MRR@10 body | MRR@10 headline | combined (mean) | combined − best, 95 % interval "
        "| rank 1, body / headline |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Recommendation: title weight {best} (highest combined MRR@10). Between it and the current "
        f"{result.current}, the target's rank differs for {moved['body']} body and {moved['headline']} headline "
        "queries." + (EDGE if best == max(WEIGHTS) else ""),
        "",
        f"Body queries, first five: {examples['body']}.",
        f"Headline queries, first five: {examples['headline']}.",
        "",
        BIAS,
    ])


def main(releases: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="presse-title-weight-") as workdir:
        index = Path(workdir) / "index"
        print("building the index ...", file=sys.stderr, flush=True)
        build_index(Settings(corpus=releases, index=index))
        return to_markdown(measure_title_weight(releases, index))


if __name__ == "__main__":
    sys.exit(run_alone(main))
