"""The German stop words: not searched, never compound parts."""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

# The German list alone: Whoosh's LanguageAnalyzer("de") adds the English one, which drops "US", "IT", "not".
# The list mixes pre-1996 ("daß") and current spelling ("musste"); both forms of each are used.
GERMAN_STOP_WORDS = frozenset(stoplists["de"]) | {word.replace("ß", "ss") for word in stoplists["de"]} | {
    word.replace("ss", "ß") for word in stoplists["de"]}
