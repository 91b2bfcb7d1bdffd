"""Marking matched words in release text as HTML: everything escaped, only our own <mark> tags are markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

from whoosh.analysis import Token
from whoosh.highlight import ContextFragmenter, Formatter, Fragment, WholeFragmenter, get_text

from ..german.analysis import exact_analyzer, stem_german
from ..german.compounds import compound_parts

# Whoosh stops highlighting after 32 KiB by default; releases are shorter, but a long one must still get marks.
CHAR_LIMIT = 500_000
SNIPPET_CHARS = 220
FRAGMENT_GAP = " … "
_SPACES = re.compile(r"\s+")
_WORDS = exact_analyzer()


class MarkFormatter(Formatter):
    """Escapes all text (quotes too) and wraps each match in <mark>."""

    between = FRAGMENT_GAP

    def _text(self, text: str) -> str:
        return escape(text, quote=True)

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return "<mark>" + escape(get_text(text, token, replace), quote=True) + "</mark>"


def marked_tokens(text: str, terms: frozenset[str]) -> Iterator[Token]:
    """The words of `text`, each marked as matched when its stem, or the stem of a known word inside it, is one of
    the query's `terms` (a search for Kammer marks Handelskammer)."""
    for token in _WORDS(text, chars=True, mode="index"):
        stem = stem_german(token.text)
        token.matched = stem in terms or any(stem_german(part) in terms for part in compound_parts(token.text))
        token.text = stem
        yield token


def snippet(text: str, terms: frozenset[str], passages: int = 2) -> str:
    """Up to `passages` short passages of `text` that together show as many different query words as possible.

    Whoosh ranks passages one by one, so two passages with the same word beat one with the other word; choosing
    greedily by words not yet shown puts every matched word of the query in front of the reader.
    """
    tokens = marked_tokens(text, terms)
    fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60, charlimit=CHAR_LIMIT)
    candidates = list(fragmenter.fragment_tokens(text, tokens))
    chosen: list[Fragment] = []
    shown: set[str] = set()
    while candidates and len(chosen) < passages:
        best = max(candidates, key=lambda f: (len({t.text for t in f.matches} - shown), len(f.matches)))
        if chosen and not {t.text for t in best.matches} - shown:
            break
        chosen.append(best)
        candidates.remove(best)
        shown |= {t.text for t in best.matches}
    if not chosen:
        return ""
    chosen.sort(key=lambda f: f.startchar)
    return _SPACES.sub(" ", MarkFormatter().format(chosen))



def mark_terms(text: str, terms: frozenset[str]) -> str:
    """`text` as HTML with every word whose analysed form (or a part's) is in `terms` marked."""
    if terms:
        fragments = list(WholeFragmenter(charlimit=CHAR_LIMIT).fragment_tokens(text, marked_tokens(text, terms)))
        if any(fragment.matches for fragment in fragments):
            return MarkFormatter().format(fragments)
    return escape(text, quote=True)


def plain_excerpt(text: str, length: int = SNIPPET_CHARS) -> str:
    """The start of `text`, escaped, cut at a word boundary: the snippet when no body word matched."""
    if len(text) <= length:
        return escape(text, quote=True)
    cut = text.rfind(" ", 0, length)
    return escape(text[: cut if cut > 0 else length], quote=True) + FRAGMENT_GAP.rstrip()
