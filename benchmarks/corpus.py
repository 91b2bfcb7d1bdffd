"""The shared corpus for benchmarks: where it lives, its published metadata, and the words a reader would type."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from search.german.analysis import GERMAN_STOP_WORDS, TOKEN_PATTERN
from search.ingest.corpus import CorpusEntry, read_corpus

REPO = Path(__file__).resolve().parent.parent
RELEASES = REPO.parent / "shared" / "data" / "releases"

_WORD = re.compile(TOKEN_PATTERN)
# The ots prefix of Frankfurt headlines, "POL-F: 151124 - 925 ": a code and numbers nobody searches for.
_OTS_PREFIX = re.compile(r"\A\s*POL-\w+:\s*(\d{6}\s*[-–]\s*\d+\s*)?")


class DataMissing(Exception):
    """The shared corpus is not where the benchmarks look for it."""


def releases_dir(path: Path = RELEASES) -> Path:
    """The shared releases folder; raises DataMissing when it is absent."""
    if not (path / "index.jsonl").is_file():
        raise DataMissing(f"shared data not found at {path}; the benchmarks need ../shared/data next to the repo")
    return path


def published_entries(releases: Path) -> list[dict]:
    """The entries of index.jsonl (file, title, date, source, ...) in file order."""
    with (releases / "index.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def typed_words(text: str) -> list[str]:
    """The words of `text` a reader might search for: no stop words, numbers, short words or ots codes."""
    text = _OTS_PREFIX.sub("", text)
    return [
        word for word in _WORD.findall(text)
        if len(word) >= 3 and not any(c.isdigit() for c in word) and word.lower() not in GERMAN_STOP_WORDS
    ]


def run_alone(main: Callable[[Path], str], locate: Callable[[], Path] = releases_dir) -> int:
    """Run one benchmark on the shared data `locate` finds and print its markdown; skip with a message when missing."""
    try:
        data = locate()
    except DataMissing as missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return 0
    print(main(data))
    return 0


def iter_documents(corpus: Path) -> Iterator[tuple[str, str, str]]:
    """(id, title, text) of every usable release under `corpus`."""
    for item in read_corpus(corpus):
        if isinstance(item, CorpusEntry):
            yield item.release.id, item.release.title, item.release.text
