"""Finding the words of a query that no release contains, and the corpus words they were probably meant to be."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import Searcher
from .expansion import words_as_typed
from .parser import SEARCH_FIELDS, ParsedQuery
from .scorer import index_arrays

# Where a word counts as known: standing alone (stemmed) or inside a compound.
KNOWN_IN = (*SEARCH_FIELDS, "parts")

# Words shorter than this are not corrected: too many other words are one edit away. Words longer than the maximum
# are pasted codes, not typos (and would cost some 60 lookups per letter).
MIN_CORRECTED_CHARS = 4
MAX_CORRECTED_CHARS = 40
# Words this long may be two edits from the word meant.
TWO_EDITS_FROM_CHARS = 8
LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"


def unknown_words(searcher: Searcher, parsed: ParsedQuery) -> list[str]:
    """The words of `parsed`, as typed, whose analysed form is in no searched field of any release."""
    reader = searcher.reader()
    missing = {
        stem for fieldname, stem in parsed.query.iter_all_terms()
        if fieldname in SEARCH_FIELDS and not any(reader.doc_frequency(f, stem) for f in KNOWN_IN)
    }
    return [word for stem, word in words_as_typed(parsed.typed).items() if stem in missing]


# Each side of a word split in two must have at least this many letters.
MIN_SIDE_CHARS = 3


def suggest(searcher: Searcher, word: str) -> str | None:
    """A correction for `word`, which no release contains: a corpus word one or two edits away, else the two
    corpus words it joins ("plazamarzahn" → "plaza marzahn"); None when there is neither, or for a word written with
    digits: an identifier is meant as typed (L30045 is no typo of L3004, nor U77 of U7)."""
    if any(char.isdecimal() for char in word):
        return None
    return near_word(searcher, word) or split_word(searcher, word)


def split_word(searcher: Searcher, word: str) -> str | None:
    """`word` cut into two words that releases contain, the cut whose rarer side is most common; or None."""
    if len(word) > MAX_CORRECTED_CHARS:
        return None
    reader = searcher.reader()
    lowered = word.lower()
    best: tuple[int, str] | None = None
    for cut in range(MIN_SIDE_CHARS, len(lowered) - MIN_SIDE_CHARS + 1):
        left, right = lowered[:cut], lowered[cut:]
        support = min(reader.doc_frequency("exact", left), reader.doc_frequency("exact", right))
        if support and (best is None or support > best[0]):
            best = (support, f"{word[:cut]} {right.capitalize() if word[:1].isupper() else right}")
    return best[1] if best else None


def near_word(searcher: Searcher, word: str) -> str | None:
    """The most frequent corpus word one edit away from `word` (a letter left out, added, changed, or two
    neighbours swapped; the first letter kept), else, for long words, two edits away; in `word`'s capitalisation."""
    if not MIN_CORRECTED_CHARS <= len(word) <= MAX_CORRECTED_CHARS:
        return None
    lowered = word.lower()
    reader = searcher.reader()
    # One edit: the candidates (some 600 for a ten-letter word) are looked up together in the postings arrays
    # (Whoosh's automaton-based corrector took 7.5-17.6 ms for seven typos, one lookup each in Whoosh's table
    # 2.2-2.8 ms). The most frequent wins; of equally frequent ones, the first in order (argmax takes the first).
    candidates = sorted(set(_one_edit(lowered)))
    counts = index_arrays(searcher).scorer.frequencies("exact", candidates)
    found = candidates[int(np.argmax(counts))] if len(candidates) and counts.max() > 0 else None
    if found is None and len(word) >= TWO_EDITS_FROM_CHARS:
        suggestions = reader.corrector("exact").suggest(lowered, limit=1, maxdist=2, prefix=1)
        found = suggestions[0] if suggestions else None
    if found is None:
        return None
    return found.capitalize() if word[:1].isupper() else found


def _one_edit(word: str) -> Iterator[str]:
    """Every string one edit from `word` that keeps its first letter."""
    head, tail = word[0], word[1:]
    for cut in range(len(tail) + 1):
        left, right = tail[:cut], tail[cut:]
        if right:
            yield head + left + right[1:]
        if len(right) > 1:
            yield head + left + right[1] + right[0] + right[2:]
        for letter in LETTERS:
            if right:
                yield head + left + letter + right[1:]
            yield head + left + letter + right
