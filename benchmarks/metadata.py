"""How often the title, date and source read from each release file agree with what index.jsonl says was published."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from search.ingest.corpus import read_release

from .corpus import published_entries, run_alone

EXAMPLES = 5


@dataclass
class Agreement:
    total: int = 0
    titled: int = 0
    titles: int = 0
    dates: int = 0
    sources: int = 0
    # Releases published without a title whose first paragraph was short enough to be taken as the headline.
    untitled_headlines: int = 0
    # (file, published, parsed) for a few disagreements of each kind.
    title_misses: list[tuple[str, str | None, str]] = field(default_factory=list)
    date_misses: list[tuple[str, str, str | None]] = field(default_factory=list)
    source_misses: list[tuple[str, str, str]] = field(default_factory=list)


def measure_metadata(releases: Path) -> Agreement:
    """Parse every release listed in index.jsonl and count agreements with its published metadata."""
    result = Agreement()
    for entry in published_entries(releases):
        release = read_release(releases / entry["file"])
        parsed_date = release.date.isoformat() if release.date else None
        result.total += 1
        result.titled += entry["title"] is not None
        result.untitled_headlines += entry["title"] is None and release.title.removesuffix(" …") not in release.text
        # A release published without a title gets one derived from its lead: that counts as a disagreement.
        _count(result, "titles", result.title_misses, entry["file"], entry["title"], release.title)
        _count(result, "dates", result.date_misses, entry["file"], entry["date"], parsed_date)
        _count(result, "sources", result.source_misses, entry["file"], entry["source"], release.source)
    return result


def _count(result: Agreement, name: str, misses: list, file: str, published, parsed) -> None:
    if published == parsed:
        setattr(result, name, getattr(result, name) + 1)
    elif len(misses) < EXAMPLES:
        misses.append((file, published, parsed))


def to_markdown(result: Agreement) -> str:
    untitled = result.total - result.titled
    lines = [
        "## Metadata agreement with index.jsonl",
        "",
        f"All {result.total:,} releases parsed with `search.ingest.corpus.read_release`; {untitled:,} were published "
        f"without a title; for {result.untitled_headlines:,} of them the parser took a short first paragraph as the "
        "headline, for the others it derived a title from the lead's first sentence. Either way, such a title counts "
        "as a disagreement in the overall figure.",
        "",
        "| field | agree, all releases | agree, releases with a published title |",
        "|---|---|---|",
        f"| title | {_share(result.titles, result.total)} | {_share(result.titles, result.titled)} |",
        f"| date | {_share(result.dates, result.total)} | |",
        f"| source | {_share(result.sources, result.total)} | |",
    ]
    for name, misses in (("title", result.title_misses), ("date", result.date_misses),
                         ("source", result.source_misses)):
        if misses:
            lines += ["", f"Examples of {name} disagreements (file: published → parsed):", ""]
            lines += [f"- `{file}`: {published!r} → {parsed!r}" for file, published, parsed in misses]
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{part:,} / {whole:,} = {100 * part / whole:.2f} %" if whole else "n/a"


def main(releases: Path) -> str:
    return to_markdown(measure_metadata(releases))


if __name__ == "__main__":
    sys.exit(run_alone(main))
