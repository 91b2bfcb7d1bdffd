"""The set-based document count must equal Whoosh's own matching, deleted documents included."""

import pytest
from whoosh import query as wq

from search import LiveIndex, Settings, run_query
from search.query.match_sets import DocScore, matching_docs
from search.query.parser import parse_user_query
from search.store.indexer import build_index
from search.store.syncer import sync_index

QUERIES = ["Unfall", "Fußgänger -Radfahrer", "Lagerhalle ODER Taschendieb", "(Lagerhalle OR Taschendieb) Bornheim",
           '"Hanauer Landstraße"', "Kammer", "Strasse Unfall", "Lager*", "Brand NICHT Lagerhalle"]


@pytest.fixture(scope="module")
def searcher(built_settings):
    live = LiveIndex(built_settings.index)
    with live.searcher() as opened:
        yield opened
    live.close()


def parsed(searcher, text):
    return parse_user_query(text, searcher, Settings()).query


@pytest.mark.parametrize("text", QUERIES)
def test_matching_docs_equals_whoosh(searcher, text):
    q = parsed(searcher, text)
    assert matching_docs(searcher, q) == set(searcher.docs_for_query(q))


def test_deleted_documents_are_not_counted(settings):
    build_index(settings)
    (settings.corpus / "unfall_singular.txt").unlink()
    sync_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as opened:
        q = parsed(opened, "Unfall")
        found = matching_docs(opened, q)
        assert found == set(opened.docs_for_query(q))
        assert len(found) == run_query(opened, settings, "Unfall").total == 1
    live.close()


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
