"""Passage retrieval on XQuAD German: MRR@10 and Success@1/10 of presse and textbook Whoosh on the same passages.

Each of the 240 passages becomes one release file holding its text only; neither engine sees the Wikipedia article
title. Every question goes through `run_query` as a reader would type it; the baseline ORs its words over `body`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from search import LiveIndex, QueryError, Settings, build_index, run_query

from .baseline import QuestionSearcher, build_baseline
from .corpus import REPO, DataMissing
from .scoring import TOP, is_later, mrr, rank_of, reciprocal, success

XQUAD = REPO.parent / "shared" / "data" / "xquad_de"
ENGINES = ("presse", "textbook")
# The start of run_query's note when no release holds all the words and it searched for some of them instead.
RELAXED_NOTE = "Kein Treffer enthält alle Wörter"
TRUNCATED_NOTE = "Nur die ersten"
EXAMPLES = 12
TARGET = 0.95
# Published figures to read ours against: (retriever, data, MRR@10, Success@1, Success@10, source).
ANCHORS = [
    ('textbook Whoosh 2.7.4, LanguageAnalyzer("de"), BM25F, OR of the question\'s words', "XQuAD de",
     0.9286, 0.8966, 0.9824, "shared/data/xquad_de/README.md"),
    ("BM25-de (rank_bm25, stop words, Snowball German)", "GermanQuAD test",
     0.9213016377149771, 0.882940108892922, 0.984573502722323, "shared/data/germanquad/published/table_main.csv"),
    ("bge-m3 (best dense model)", "GermanQuAD test",
     0.9455519185895774, 0.9169691470054446, 0.9886569872958257, "shared/data/germanquad/published/table_main.csv"),
]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    passage: str  # the doc id of the passage that answers it


@dataclass
class EngineRun:
    # Per question, in order: the rank of the answering passage in the top 10, or None.
    ranks: list[int | None] = field(default_factory=list)
    # Positions of the questions presse relaxed to OR, cut to its word limit, or refused with a QueryError.
    relaxed: set[int] = field(default_factory=set)
    truncated: set[int] = field(default_factory=set)
    errors: set[int] = field(default_factory=set)
    # presse only: per question, its first hit as `id „title“` (empty without hits).
    first_hits: list[str] = field(default_factory=list)


@dataclass
class XquadResult:
    passages: int
    questions: list[Question]
    runs: dict[str, EngineRun] = field(default_factory=dict)


def xquad_dir(path: Path = XQUAD) -> Path:
    """The normalized XQuAD German folder; raises DataMissing when it is absent."""
    if not (path / "docs.normalized.jsonl").is_file():
        raise DataMissing(f"XQuAD German not found at {path}; the relevance benchmark needs ../shared/data/xquad_de")
    return path


def load_xquad(data: Path) -> tuple[dict[str, str], list[Question]]:
    """The passages (doc id → text) and the questions with the passage answering each, in file order."""
    passages = {row["doc_id"]: row["text"] for row in _rows(data / "docs.normalized.jsonl")}
    answers = {row["query_id"]: row["doc_id"] for row in _rows(data / "qrels.normalized.jsonl")}
    questions = [Question(row["query_id"], row["query_text"], answers[row["query_id"]])
                 for row in _rows(data / "queries.normalized.jsonl")]
    return passages, questions


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def write_corpus(passages: dict[str, str], corpus: Path) -> None:
    """One release file per passage, its text only: presse derives a title from the first sentence, as for any
    release without a headline."""
    corpus.mkdir(parents=True)
    for doc_id, text in passages.items():
        (corpus / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")


def run_presse(corpus: Path, index: Path, questions: list[Question]) -> EngineRun:
    # No time limit worth the name: a search cut short by a busy machine would change the ranks being measured.
    settings = Settings(corpus=corpus, index=index, search_seconds=60.0)
    build = build_index(settings)
    if build.skipped:
        raise RuntimeError(f"presse skipped passages: {build.skipped[:3]}")
    run = EngineRun()
    live = LiveIndex(index)
    try:
        with live.searcher() as searcher:
            for position, question in enumerate(questions):
                try:
                    page = run_query(searcher, settings, question.text, limit=TOP)
                except QueryError:
                    run.errors.add(position)
                    run.ranks.append(None)
                    run.first_hits.append("")
                    continue
                if any(note.startswith(RELAXED_NOTE) for note in page.notes):
                    run.relaxed.add(position)
                if any(note.startswith(TRUNCATED_NOTE) for note in page.notes):
                    run.truncated.add(position)
                run.ranks.append(rank_of([hit.id for hit in page.hits], question.passage))
                run.first_hits.append(f"{page.hits[0].id} „{page.hits[0].title}“" if page.hits else "")
    finally:
        live.close()
    return run


def run_textbook(corpus: Path, index: Path, questions: list[Question], passages: int) -> EngineRun:
    documents = build_baseline(corpus, index)
    if documents != passages:
        raise RuntimeError(f"the baseline indexed {documents} of {passages} passages")
    searcher = QuestionSearcher(index)
    try:
        return EngineRun(ranks=[rank_of(searcher.ranked_ids(q.text, TOP), q.passage) for q in questions])
    finally:
        searcher.close()


def measure_xquad(data: Path, workdir: Path, questions: int | None = None) -> XquadResult:
    """Build both engines over the passages in `workdir` and rank every question (or the first `questions`)."""
    passages, asked = load_xquad(data)
    result = XquadResult(passages=len(passages), questions=asked[:questions])
    write_corpus(passages, workdir / "corpus")
    print(f"presse: {len(result.questions)} questions ...", file=sys.stderr, flush=True)
    result.runs["presse"] = run_presse(workdir / "corpus", workdir / "presse", result.questions)
    print("textbook Whoosh ...", file=sys.stderr, flush=True)
    result.runs["textbook"] = run_textbook(workdir / "corpus", workdir / "textbook", result.questions, len(passages))
    return result


def _row(name: str, data: str, ranks: list[int | None]) -> str:
    figures = f"{mrr(ranks):.4f} | {success(ranks, 1):.4f} | {success(ranks, TOP):.4f}"
    return f"| {name} | {data} | {figures} | {len(ranks):,} |"


def to_markdown(result: XquadResult) -> str:
    presse, textbook = result.runs["presse"], result.runs["textbook"]
    count = len(result.questions)
    words = Settings().max_query_terms
    relaxed = sorted(presse.relaxed)
    worse = [i for i in range(count) if is_later(presse.ranks[i], textbook.ranks[i])]
    better = [i for i in range(count) if is_later(textbook.ranks[i], presse.ranks[i])]
    lines = [
        "## Passage retrieval on XQuAD German",
        "",
        f"{count:,} questions over {result.passages} passages (../shared/data/xquad_de). Each passage is one release "
        "file holding its text only, no Wikipedia title; presse derives a display title from the first sentence, as "
        "for any release without a headline, and searches only `body` (a derived title is not indexed as a title). "
        f"presse: `build_index`, then `run_query(..., limit={TOP})` with its shipped settings (all words required, "
        f"relaxed to OR when none matches; {words} words at most) but no search time limit. "
        'Textbook Whoosh: `LanguageAnalyzer("de")` on `body`, `QueryParser("body", schema, group=OrGroup)` without '
        "the wildcard plugin (a question's final `?` would make its last word an unstemmed wildcard), BM25F defaults, "
        f"top {TOP}. A question presse refuses (QueryError) counts as a miss.",
        "",
        "| engine | data | MRR@10 | Success@1 | Success@10 | questions |",
        "|---|---|---|---|---|---|",
        _row("presse", "XQuAD de", presse.ranks),
        _row("textbook Whoosh (measured here)", "XQuAD de", textbook.ranks),
        *(f"| {name} (published) | {data} | {m:.4f} | {s1:.4f} | {s10:.4f} | |"
          for name, data, m, s1, s10, _ in ANCHORS),
        "",
        f"Target for the relevance issue: presse MRR@10 ≥ {TARGET} on XQuAD de. "
        "Published figures: " + "; ".join(f"{name}: `{source}`" for name, _, _, _, _, source in ANCHORS) + ". "
        "GermanQuAD is another data set (474 passages, 2,204 questions): an anchor, not a like-for-like comparison.",
        "",
        f"- relaxed to OR: {len(relaxed):,} of {count:,} questions"
        + (f"; on them MRR@10 presse {_subset_mrr(presse, relaxed)}, textbook {_subset_mrr(textbook, relaxed)}"
           if relaxed else ""),
        f"- cut to the first {words} words: {len(presse.truncated):,}",
        f"- QueryError (counted as misses): {len(presse.errors):,}",
        f"- presse ranks the answering passage lower than textbook Whoosh for {len(worse):,} questions "
        f"({sum(presse.ranks[i] is None for i in worse):,} of them outside presse's top {TOP}), "
        f"higher for {len(better):,}",
    ]
    if worse:
        lines += ["", *_losses(result, worse)]
    return "\n".join(lines)


def _losses(result: XquadResult, worse: list[int]) -> list[str]:
    """A table of the questions presse ranks lower than textbook Whoosh, the largest losses first."""
    presse, textbook = result.runs["presse"], result.runs["textbook"]
    worst = sorted(worse, key=lambda i: reciprocal(presse.ranks[i]) - reciprocal(textbook.ranks[i]))[:EXAMPLES]
    lines = [
        f"### Questions presse ranks lower, largest losses first ({len(worst)} of {len(worse):,})",
        "",
        "| question | passage | presse | textbook | presse's first hit | relaxed |",
        "|---|---|---|---|---|---|",
    ]
    for i in worst:
        question = result.questions[i]
        lines.append(f"| {question.text} | {question.passage} | {presse.ranks[i] or '–'} | "
                     f"{textbook.ranks[i] or '–'} | {presse.first_hits[i] or '–'} | "
                     f"{'yes' if i in presse.relaxed else 'no'} |")
    return lines


def _subset_mrr(run: EngineRun, positions: list[int]) -> str:
    return f"{mrr([run.ranks[i] for i in positions]):.4f}"
