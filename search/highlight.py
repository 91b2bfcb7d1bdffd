"""Marking matched words in release text as HTML: everything escaped, only our own <mark> tags are markup."""

from __future__ import annotations

import re
from html import escape

from whoosh.highlight import (
    ContextFragmenter,
    Formatter,
    WholeFragmenter,
    get_text,
    highlight,
    set_matched_filter,
)

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

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return "<mark>" + escape(get_text(text, token, replace), quote=True) + "</mark>"


def snippet(text: str, terms: frozenset[str], analyzer, passages: int = 2) -> str:
    """Up to `passages` short passages of `text` that together show as many different query words as possible.

    Whoosh ranks passages one by one, so two passages with the same word beat one with the other word; choosing
    greedily by words not yet shown puts every matched word of the query in front of the reader.
    """
    tokens = set_matched_filter(analyzer(text, chars=True, mode="index", removestops=False), terms)
    fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60, charlimit=CHAR_LIMIT)
    candidates = list(fragmenter.fragment_tokens(text, tokens))
    chosen, shown = [], set()
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



def mark_terms(text: str, terms: frozenset[str], analyzer) -> str:
    """`text` as HTML with every word whose analysed form is in `terms` marked."""
    if terms:
        marked = highlight(text, terms, analyzer, WholeFragmenter(charlimit=CHAR_LIMIT), MarkFormatter(),
                           top=1, minscore=1, mode="index")
        if marked:
            return marked
    return escape(text, quote=True)


def plain_excerpt(text: str, length: int = SNIPPET_CHARS) -> str:
    """The start of `text`, escaped, cut at a word boundary: the snippet when no body word matched."""
    if len(text) <= length:
        return escape(text, quote=True)
    cut = text.rfind(" ", 0, length)
    return escape(text[: cut if cut > 0 else length], quote=True) + FRAGMENT_GAP.rstrip()
