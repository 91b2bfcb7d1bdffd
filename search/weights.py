"""The ranking weights: every number that decides how matches are ordered, tuned by measurement, in one value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """How much each kind of match counts, relative to the stemmed word in the body (1.0).

    The defaults are the tuned values; a benchmark varies one by passing `replace(Weights(), title=5.0)` in the
    Settings it searches with.
    """

    # A title match counts this many times a body match. Chosen by measurement (benchmarks/title_weight.py,
    # results/foundation.md): 2.0 scored clearly below 3.0 and 5.0, which were within noise of each other; 3.0 gives
    # up less on queries whose words are in the body only, and the method rewards ever larger weights by
    # construction, so the smaller of the two is the safer choice.
    title: float = 3.0
    # The weights of a word's extras (expansion.py) were set on the 120 development queries of the known-item
    # benchmark (benchmarks/known_items/*.jsonl, split "dev"). Halving or doubling any of them moved MRR@10 by at
    # most 0.005 there, except the exact form: without it 0.878, with 0.25-1.0 0.891 (40 queries then).
    # The word as written (`exact`: "Berliner" over a mere "Berlin").
    exact: float = 0.5
    # The word inside a compound (`parts`: "Kammer" finds "Handelskammer").
    part: float = 0.5
    # The parts of a typed compound, all of them ("Straßenbahnunfall" finds "Unfall mit einer Straßenbahn").
    split: float = 0.6
    # Other forms the stemmer cannot join ("Sprengung" finds "gesprengt", "gefunden" "fand").
    form: float = 0.8
    # The forms of a separable verb without its particle, in the body ("kippte … um" for umgekippt): the particle
    # is not checked, so less than another form.
    separated: float = 0.4
    # Synonyms from the thesaurus ("Auto" finds "Pkw").
    synonym: float = 0.4
    # A compound in at least this many releases is not also searched by its parts (development queries: always
    # split 0.956 MRR@10 at 22.2 ms median, 1000 0.956 at 20.2 ms, 200 0.953, 50 0.944).
    common_releases: int = 1000
    # The bonus for two neighbouring query words within `proximity_slop` words of each other (tuned on the known-item
    # development queries, like the weights of the extras).
    proximity: float = 1.0
    proximity_slop: int = 2
    # What a release dated within a date typed among the words gets on top of its score: more than any text score
    # reaches, so that those releases come first (on the 15 date development queries: 10 → 0.61, 25 → 0.86,
    # 50 → 0.97 MRR@10).
    preferred: float = 50.0
    # A release whose text mentions a day of that time (the day of an incident, typically a day or a few before
    # publication) gets the same, when the time is at most this many days (a year is too long, see
    # Columns.of_time). On the 15 date development queries (months) mentions changed nothing (0.967 either way);
    # with each query's month replaced by a day the wanted release mentions besides its publication day (3 of the
    # 15 mention one), publication alone ranked none of the 3 in the top 10, a mention bonus of 25 gave 0.67 and
    # the full 50 ranked all three first.
    mentioned_span_days: int = 31
    # When no release holds all the words, releases holding more of them rank first; a word found in more than this
    # share of all releases does not count there, only in the score (development queries 0.9639 → 0.9722 MRR@10,
    # 0.10 alike; XQuAD 0.9245 → 0.9359, where every word counting gave 0.9245 and 0.02 gave 0.9205).
    coverage_share: float = 0.05
    # ... and in more than this many: in a small archive every word is in a large share of the releases.
    coverage_floor: int = 10
    # How many of the best hits by their words a ranking bonus may reorder (see collector._best_hits).
    rerank_depth: int = 100
    # Above this many matches the bonus re-ranks the best hits instead of being looked up for every match.
    rerank_above: int = 1000
