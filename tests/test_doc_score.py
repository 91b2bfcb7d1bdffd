"""DocScore: a constant score for given releases, as a bonus or a restriction."""

import pytest
from whoosh import query as wq

from search import Settings
from search.query.doc_score import DocScore
from search.query.parser import parse_user_query


def parsed(searcher, text):
    return parse_user_query(text, searcher, Settings()).query


def test_a_doc_score_adds_its_weight_to_exactly_its_documents(searcher):
    q = parsed(searcher, "Unfall")
    plain = {hit["id"]: hit.score for hit in searcher.search(q)}
    assert list(plain) == ["unfall_singular", "unfaelle_plural"]
    favoured = next(searcher.document_numbers(id="unfaelle_plural"))
    boosted = searcher.search(wq.AndMaybe(q, DocScore(searcher, {favoured}, 50.0)))
    assert [hit["id"] for hit in boosted] == ["unfaelle_plural", "unfall_singular"]
    assert boosted[0].score == pytest.approx(plain["unfaelle_plural"] + 50.0)
    assert boosted[1].score == pytest.approx(plain["unfall_singular"])


def test_a_doc_score_of_zero_adds_nothing(searcher):
    q = parsed(searcher, "Unfall")
    plain = {hit["id"]: hit.score for hit in searcher.search(q)}
    everything = {next(searcher.document_numbers(id=release)) for release in plain}
    restricted = {hit["id"]: hit.score for hit in searcher.search(wq.And([DocScore(searcher, everything, 0.0), q]))}
    assert restricted == pytest.approx(plain)
