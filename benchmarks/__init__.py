"""Measurements of presse on the shared corpus: metadata agreement, speed against textbook Whoosh, the title weight.

Run all of them with `python -m benchmarks` (writes results/foundation.md), or one with `python -m benchmarks.speed`;
`python -m benchmarks.relevance` measures relevance (XQuAD, known items) and its cost (writes results/relevance.md).
"""
