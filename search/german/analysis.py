"""The German analyzers: one tokenizer for every field, then lowercase, German stop words, PyStemmer's stemmer.

Fields and what they hold (see schema.py): stemmed words (title, body, ...), words as written (`exact`, for the
exact-form bonus and typo corrections), and the known words inside compounds (`parts`: Handelskammer gives
handel, kammer), so that a part matches with a lower weight than a whole word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token

from .compounds import GENDER_ENDINGS, compound_parts
from .stopwords import GERMAN_STOP_WORDS

# What one word is, tried in this order:
# - a single letter and a number, written together, spaced or hyphenated: U7, U 7, U-7, A 66 (lines, roads);
# - a single letter, a hyphen and a word: U-Bahn, E-Mail, S-Bahn (so they equal UBahn, Email, SBahn);
# - a gender form: Bürger*innen, Bürger:innen, Bürger_innen, Bürger/-innen (equal to Bürgerinnen, BürgerInnen);
# - a run of digits, or of letters: digits and letters part, so 24jährige equals 24-Jährige.
# Anything else separates words: "Exchange-Konferenz" yields both parts. A word of one letter is dropped from the
# stemmed fields, a single digit is not: "BAB 5" is not "BAB 3", nor "SonderwortAlpha2" "SonderwortAlpha3" (the
# query parser searches a word written with digits as the phrase of its parts).
TOKEN_PATTERN = (
    r"(?<![^\W_])[^\W\d_][ -]?\d+(?![^\W_])"
    r"|(?<![^\W_])[^\W\d_]-[^\W\d_]+"
    r"|[^\W\d_]+(?:[*:_]|/-?)(?:" + "|".join(GENDER_ENDINGS) + r")(?![^\W_])"
    r"|\d+|[^\W\d_]+"
)
_JOINING_MARKS = re.compile(r"[\s*:_/-]")


# One C stemmer per process: building it is cheap, but the StemFilter pickled into the index must refer to a
# module-level function so that any process that opens the index can load it.
_GERMAN_STEMMER = Stemmer.Stemmer("german")


def stem_german(word: str) -> str:
    """Snowball German via PyStemmer; folds ä/ae, ö/oe, ü/ue and ß/ss alike."""
    return _GERMAN_STEMMER.stemWord(word)


class JoinMarksFilter(Filter):
    """Removes the hyphen, space, star or colon inside a joined word: u-bahn → ubahn, bürger*innen → bürgerinnen."""

    # Whoosh types every Composable as called like a tokenizer, (value, **kwargs); a filter, Whoosh's own Filter
    # included, is called with the token stream alone (CompositeAnalyzer: `item(gen)`), hence the override.
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            if not token.text.isalnum():
                token.text = _JOINING_MARKS.sub("", token.text)
            yield token


class SingleLetterFilter(Filter):
    """Drops the words of one letter (the A of "Plan A", stray initials); a single digit stays a word."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            if _is_long_enough(token.text):
                yield token


def _is_long_enough(word: str) -> bool:
    """Whether `word` is long enough to be searched: two characters, or a single digit."""
    return len(word) >= 2 or word.isdecimal()


class CompoundPartsFilter(Filter):
    """Replaces each compound by the known words inside it (Handelskammer → handel, kammer) and drops other words.

    The parts keep the compound's position and characters: they are extra words of the same place in the text.
    """

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            for part in compound_parts(token.text):
                token.text = part
                yield token


def _words():
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | JoinMarksFilter()


_TOKEN = re.compile(TOKEN_PATTERN)
# Paragraphs whose tokens are kept: more than a long release has.
PARAGRAPHS_KEPT = 256


def normal_word(raw: str) -> str:
    """One token as exact_analyzer() reads it: lowercased, without the marks inside a joined word."""
    word = raw.lower()
    return word if word.isalnum() else _JOINING_MARKS.sub("", word)


@lru_cache(maxsize=32)
def word_spans(text: str) -> tuple[re.Match[str], ...]:
    """The words of `text` as exact_analyzer() finds them (each match's group is the word as written). The last
    texts are kept: a hit's text is read for its explanation, its snippet and its marks, one after another."""
    return tuple(_TOKEN.finditer(text))


def _stemmed(chain):
    # The single letters go before the stop words, so positions count as when StopFilter dropped them itself.
    return (chain | SingleLetterFilter() | StopFilter(stoplist=GERMAN_STOP_WORDS, minsize=1)
            | StemFilter(stemfn=stem_german, cachesize=50000))


def german_analyzer():
    """The analyzer for every searchable text field."""
    return _stemmed(_words())


def exact_analyzer():
    """Words as written, only lowercased, stop words kept: the exact-form bonus, the vocabulary typos are corrected
    against, and the words highlighting stems and splits itself."""
    return _words()


def parts_analyzer():
    """The stemmed known words inside the compounds of a text, nothing else."""
    return _stemmed(_words() | CompoundPartsFilter())


# The same analyses for indexing, by distinct word: a corpus repeats its words, so each word is lowercased, joined,
# stop-checked, stemmed and split once per process instead of once per occurrence, and no Token objects are made.
# Each function gives exactly what the analyzer above yields for the same text (tests/test_analysis.py compares
# them on every fixture and on texts written to catch the corner cases).
# A bounded cache: the common words stay, the rare ones come and go, and a build's memory does not grow with the
# corpus (the shared corpus has 113,000 distinct tokens; 32,768 of them answer 97 % of its 6.2 million).
_STEM_CACHE_WORDS = 32_768


@lru_cache(maxsize=_STEM_CACHE_WORDS)
def _stem_of_token(raw: str) -> str | None:
    """What german_analyzer() makes of one token as written: its stem, or None for a stop word or a single letter."""
    return _stem_unless_stopped(normal_word(raw))


def _stem_unless_stopped(word: str) -> str | None:
    return stem_german(word) if _is_long_enough(word) and word not in GERMAN_STOP_WORDS else None


@lru_cache(maxsize=_STEM_CACHE_WORDS)
def _part_stems_of_token(raw: str) -> tuple[str, ...]:
    """What parts_analyzer() makes of one token as written: the stems of the known words inside it."""
    return tuple(stem for stem in map(_stem_unless_stopped, compound_parts(normal_word(raw))) if stem is not None)


@lru_cache(maxsize=4)
def _tokens(text: str) -> list[str]:
    """The tokens of `text` as written, paragraph by paragraph (no token spans a blank line). The last few texts
    and paragraphs are kept: one release's text is indexed in several fields one after another, and the searched
    text is its title and its text again; tokenising is a third of the analysis."""
    if "\n\n" not in text:
        return _TOKEN.findall(text)
    return [token for paragraph in text.split("\n\n") for token in _paragraph_tokens(paragraph)]


@lru_cache(maxsize=PARAGRAPHS_KEPT)
def _paragraph_tokens(paragraph: str) -> list[str]:
    return _TOKEN.findall(paragraph)


def stem_positions(text: str) -> dict[str, list[int]]:
    """Each stem german_analyzer() finds in `text`, with its positions (in the order stems first occur).

    Positions count as Whoosh's StopFilter renumbers them: the first kept word keeps its place among all words,
    every later kept word follows the one before it."""
    found: dict[str, list[int]] = {}
    position = -1
    for index, raw in enumerate(_tokens(text)):
        stem = _stem_of_token(raw)
        if stem is None:
            continue
        position = index if position < 0 else position + 1
        if stem in found:
            found[stem].append(position)
        else:
            found[stem] = [position]
    return found


def word_counts(text: str) -> dict[str, int]:
    """How often each word exact_analyzer() finds in `text` occurs."""
    return _counts(map(normal_word, _tokens(text)))


def part_counts(text: str) -> dict[str, int]:
    """How often each stem parts_analyzer() finds in `text` occurs."""
    return _counts(stem for raw in _tokens(text) for stem in _part_stems_of_token(raw))


def _counts(words: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts
