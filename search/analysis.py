"""The German analyzer: explicit tokenizer, lowercase, German stop words only, PyStemmer's German stemmer."""

from __future__ import annotations

import Stemmer
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.stopwords import stoplists

# Runs of letters and digits. `*`, `:` and hyphens separate words, so "Mitarbeiter*innen" and
# "Exchange-Konferenz" yield their parts ("mitarbeiter", "konferenz") as tokens.
TOKEN_PATTERN = r"[^\W_]+"

# The German list alone: Whoosh's LanguageAnalyzer("de") adds the English one, which drops "US", "IT", "not".
# The list is in pre-1996 spelling ("daß"); the ss forms are added so both spellings behave alike.
GERMAN_STOP_WORDS = frozenset(stoplists["de"]) | {word.replace("ß", "ss") for word in stoplists["de"]}

# One C stemmer per process: building it is cheap, but the StemFilter pickled into the index must refer to a
# module-level function so that any process that opens the index can load it.
_GERMAN_STEMMER = Stemmer.Stemmer("german")


def stem_german(word: str) -> str:
    """Snowball German via PyStemmer; folds ä/ae, ö/oe, ü/ue and ß/ss alike."""
    return _GERMAN_STEMMER.stemWord(word)


def german_analyzer():
    """The analyzer for every searchable text field."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=GERMAN_STOP_WORDS, minsize=2)
        | StemFilter(stemfn=stem_german, cachesize=50000)
    )


def exact_analyzer():
    """Words as written, only lowercased: the vocabulary typos are corrected against (not stems)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
