"""Marking matched words in release text as HTML: everything escaped, only our own <mark> tags are markup."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import escape

from whoosh.analysis import Token
from whoosh.highlight import Formatter, Fragment, WholeFragmenter, get_text, mkfrag

from ..german.analysis import normal_word, stem_german, word_spans
from ..german.compounds import compound_parts

# Whoosh stops highlighting after 32 KiB by default; releases are shorter, but a long one must still get marks.
CHAR_LIMIT = 500_000
SNIPPET_CHARS = 220
# Characters of context before the first and after the last matched word of a passage.
SURROUND_CHARS = 60
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
    spans = word_spans(text)
    matched = _matched_words(spans, terms)
    token = Token(positions=False, chars=True)  # one token, reused, as Whoosh's tokenizers do
    for span in spans:
        raw = span.group()
        token.text = written_word_stems(raw)[0]
        token.matched = raw in matched  # type: ignore[attr-defined]  # the attribute Whoosh's fragmenters read
        token.startchar, token.endchar = span.start(), span.end()
        yield token


def _matched_words(spans: Sequence[re.Match[str]], terms: frozenset[str]) -> dict[str, str]:
    """Each distinct word of `spans` (as written) that matches `terms`, with its stem: a release repeats its words,
    so each is looked at once."""
    matched: dict[str, str] = {}
    for raw in {span.group() for span in spans}:
        stem, part_stems = written_word_stems(raw)
        if stem in terms or (part_stems and not terms.isdisjoint(part_stems)):
            matched[raw] = stem
    return matched


def first_marked_word(text: str, terms: frozenset[str]) -> str | None:
    """The first word of `text` (as written) that `terms` mark, or None."""
    for raw in _distinct_words(text):
        stem, part_stems = written_word_stems(raw)
        if stem in terms or (part_stems and not terms.isdisjoint(part_stems)):
            return raw
    return None


@lru_cache(maxsize=32)
def _distinct_words(text: str) -> tuple[str, ...]:
    """The different words of `text` as written, in the order they first occur."""
    return tuple(dict.fromkeys(span.group() for span in word_spans(text)))


def context_fragments(text: str, terms: frozenset[str], maxchars: int = SNIPPET_CHARS,
                      surround: int = SURROUND_CHARS) -> list[Fragment]:
    """The passages Whoosh's ContextFragmenter(maxchars, surround) cuts around the matched words of `text`, cut
    the same way, but without walking every word in Python: between passages only the next match is looked for.

    The state machine is Whoosh's (whoosh.highlight.ContextFragmenter.fragment_tokens); tests/test_highlight.py
    checks the passages against it on releases of the shared corpus.
    """
    spans = word_spans(text)
    stems = _matched_words(spans, terms)
    flags = [span.group() in stems for span in spans]
    matched = [index for index, flag in enumerate(flags) if flag]
    fragments: list[Fragment] = []
    index = reset = 0  # `reset`: the first word after the last passage
    for next_match in matched:
        if next_match < index:
            continue  # inside the passage just cut
        # Outside a passage Whoosh only keeps the starts of the words within `surround` characters before the
        # current one: the passage begins at the first of them.
        before = next_match - 1
        first = None
        if before >= reset:
            lowest = spans[before].end() - surround
            for candidate in range(reset, next_match):
                if spans[candidate].start() >= lowest:
                    first = spans[candidate].start()
                    break
        index, used_up = _cut_passage(text, spans, stems, flags, next_match, first, maxchars, surround, fragments)
        reset = index
        if used_up and index < len(spans) and not flags[index]:
            # Whoosh's countdown ended at exactly 0: it cuts one more, empty passage from the next word (which no
            # snippet ever shows) and only then starts remembering words again.
            reset = index = index + 1
    return fragments


def _cut_passage(text: str, spans: Sequence[re.Match[str]], stems: dict[str, str], flags: list[bool], start: int,
                 first: int | None, maxchars: int, surround: int, fragments: list[Fragment]) -> tuple[int, bool]:
    """Cut the passage that begins with the matched word `start` (its text from `first`, or from the word itself),
    as Whoosh does, and append it to `fragments`; the index of the first word after it, and whether its countdown
    ended at exactly 0."""
    countdown, currentlen, tokens = -1, 0, []
    index = start
    endchar = spans[start].end()
    while index < len(spans):
        span = spans[index]
        startchar, endchar = span.start(), span.end()
        if endchar > CHAR_LIMIT:
            break
        length = endchar - startchar
        if countdown >= 0 and currentlen + length > maxchars:
            countdown = 0
        elif flags[index]:
            countdown = surround
            if first is None:
                first = startchar
                countdown += surround
            token = Token(positions=False, chars=True, text=stems[span.group()], startchar=startchar, endchar=endchar)
            token.matched = True  # type: ignore[attr-defined]  # the attribute Whoosh's fragmenters read
            tokens.append(token)
        currentlen += length
        countdown -= length
        index += 1
        if countdown <= 0:
            fragments.append(mkfrag(text, tokens, startchar=first, endchar=endchar))
            return index, countdown == 0
    if tokens:
        fragments.append(mkfrag(text, tokens, startchar=first, endchar=endchar))
    return len(spans), False


@lru_cache(maxsize=200_000)
def written_word_stems(raw: str) -> tuple[str, tuple[str, ...]]:
    """The stem of a word as the text writes it and the stems of the known words inside it: splitting a compound
    costs ~30 µs, and the releases of one result page share most of their words with the pages before."""
    word = normal_word(raw)
    return stem_german(word), tuple(stem_german(part) for part in compound_parts(word))


def snippet(text: str, terms: frozenset[str], passages: int = 2) -> str:
    """Up to `passages` short passages of `text` that together show as many different query words as possible.

    Whoosh ranks passages one by one, so two passages with the same word beat one with the other word; choosing
    greedily by words not yet shown puts every matched word of the query in front of the reader.
    """
    candidates = context_fragments(text, terms)
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
