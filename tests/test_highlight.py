"""Snippet passages are cut exactly as Whoosh's ContextFragmenter cuts them, without walking every word."""

import random

import pytest
from whoosh.highlight import ContextFragmenter

from search.german.analysis import stem_german
from search.query.highlight import CHAR_LIMIT, SNIPPET_CHARS, SURROUND_CHARS, context_fragments, marked_tokens
from tests.conftest import FIXTURES, require_shared

TERM_SETS = [["polizei"], ["brand", "feuerwehr"], ["frankfurt", "unfall", "auto"], ["kammer"], ["mann", "frau"],
             ["berlin"], ["hochwasser", "elbe"], ["straße"]]


def passages(fragments) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    # Whoosh also cuts empty passages (its countdown ending at exactly 0); no snippet can show one.
    return [(f.startchar, f.endchar, [(t.text, t.startchar, t.endchar) for t in f.matches])
            for f in fragments if f.matches]


def whoosh_passages(text: str, terms: frozenset[str]):
    fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND_CHARS, charlimit=CHAR_LIMIT)
    return passages(fragmenter.fragment_tokens(text, marked_tokens(text, terms)))


def texts_and_terms(texts: list[str]):
    for words in TERM_SETS:
        terms = frozenset(stem_german(word) for word in words)
        for text in texts:
            yield text, terms


def test_the_passages_of_the_fixture_releases_are_whooshs():
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    compared = found = 0
    for text, terms in texts_and_terms(texts):
        expected = whoosh_passages(text, terms)
        assert passages(context_fragments(text, terms)) == expected
        compared, found = compared + 1, found + len(expected)
    assert (compared, found > 20) == (len(texts) * len(TERM_SETS), True)


def test_the_passages_of_shared_releases_are_whooshs():
    # 400 releases: before the rule for a countdown ending at exactly 0 was copied, 1 in 9 cuts differed.
    files = sorted(require_shared().glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in random.Random(7).sample(files, 400)]
    differing = [(text[:60], sorted(terms)) for text, terms in texts_and_terms(texts)
                 if passages(context_fragments(text, terms)) != whoosh_passages(text, terms)]
    assert differing == []


@pytest.mark.parametrize("text", ["", "Keine passenden Wörter hier.", "Polizei " * 200])
def test_edge_texts(text):
    terms = frozenset({"polizei"})
    assert passages(context_fragments(text, terms)) == whoosh_passages(text, terms)
