"""Ranks and the figures made of them: the rank of a wanted id among the hits, MRR@10 and Success@k."""

from __future__ import annotations

import statistics

TOP = 10


def rank_of(ids: list[str], wanted: str) -> int | None:
    """The 1-based position of `wanted` among `ids`, or None when it is not there."""
    return ids.index(wanted) + 1 if wanted in ids else None


def reciprocal(rank: int | None) -> float:
    return 1 / rank if rank else 0.0


def mrr(ranks: list[int | None]) -> float:
    """Mean reciprocal rank; a rank of None (not in the top 10) counts 0."""
    return statistics.fmean(reciprocal(rank) for rank in ranks)


def success(ranks: list[int | None], k: int) -> float:
    """The share of ranks within the first `k`."""
    return statistics.fmean(rank is not None and rank <= k for rank in ranks)


def is_later(rank: int | None, other: int | None) -> bool:
    """Whether `rank` is worse than `other` (None: not in the top 10)."""
    return other is not None and (rank is None or rank > other)
