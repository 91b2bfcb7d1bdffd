"""Marking matched words in release text as HTML: everything escaped, only our own <mark> tags are markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from html import escape

from whoosh.analysis import Token
from whoosh.highlight import ContextFragmenter, Formatter, Fragment, WholeFragmenter, get_text

from ..german.analysis import iter_words, stem_german
from ..german.compounds import compound_parts

# Whoosh stops highlighting after 32 KiB by default; releases are shorter, but a long one must still get marks.
CHAR_LIMIT = 500_000
SNIPPET_CHARS = 220
FRAGMENT_GAP = " … "
_SPACES = re.compile(r"\s+")


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
    known: dict[str, tuple[str, bool]] = {}  # a release repeats its words: each is looked at once
    token = Token(positions=False, chars=True)  # one token, reused, as Whoosh's tokenizers do
    for word, start, end in iter_words(text):
        found = known.get(word)
        if found is None:
            stem, part_stems = word_stems(word)
            found = known[word] = (stem, stem in terms or any(part in terms for part in part_stems))
        token.text = found[0]
        token.matched = found[1]  # type: ignore[attr-defined]  # the attribute Whoosh's fragmenters read
        token.startchar, token.endchar = start, end
        yield token


@lru_cache(maxsize=200_000)
def word_stems(word: str) -> tuple[str, tuple[str, ...]]:
    """The stem of a word as written and the stems of the known words inside it: splitting a compound costs
    ~30 µs, and the releases of one result page share most of their words with the pages before."""
    return stem_german(word), tuple(stem_german(part) for part in compound_parts(word))


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
