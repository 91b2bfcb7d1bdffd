"""Finding the release an incoming one is a version of: same issuer, a few days apart, mostly the same words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from whoosh import query as wq

from ..release import Release

# A release counts as a version of an earlier one from the same issuer within this many days when the two texts
# share at least this fraction of their three-word sequences (Jaccard).
VERSION_DAYS = 2
VERSION_SIMILARITY = 0.7


def find_version(searcher, release: Release) -> str:
    """The id of the earliest version of `release` already indexed, or "" when it is no version of any."""
    if not release.source or release.date is None:
        return ""
    day = datetime(release.date.year, release.date.month, release.date.day)
    candidates = wq.And([
        wq.Term("source", release.source),
        wq.DateRange("date", day - timedelta(days=VERSION_DAYS), day + timedelta(days=VERSION_DAYS)),
    ])
    shingles = _shingles(release.text)
    best, best_score = None, VERSION_SIMILARITY
    for hit in searcher.search(candidates, limit=None):
        stored = hit.fields()
        score = _jaccard(shingles, _shingles(stored.get("body", "")))
        if score >= best_score:
            best, best_score = stored, score
    if best is None:
        return ""
    return best.get("version_of") or best["id"]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
