"""Filters, sorting, facets, folded versions and similar releases, on a small corpus written by the test."""

from dataclasses import replace
from datetime import date

import pytest

from search import (
    Filters,
    LiveIndex,
    QueryError,
    Settings,
    build_index,
    release_versions,
    run_query,
    similar_releases,
)

# None of these releases has an embargo: any instant shows them all.
NOW = 1_750_000_000.0
RELEASES = {
    "a1": (" date 2024-01-10 Brand in einem Wohnhaus in Mitte\n\nIn der Nacht brannte es in einem Wohnhaus in "
           "Mitte. Die Feuerwehr löschte den Brand, zwei Bewohner kamen ins Krankenhaus.\n\nQuelle: Polizei Berlin\n"
           "Ort: Mitte\n"),
    "v1": (" date 2024-01-11 Brand in einem Wohnhaus in Mitte\n\nIn der Nacht brannte es in einem Wohnhaus in "
           "Mitte. Die Feuerwehr löschte den Brand, drei Bewohner kamen ins Krankenhaus.\n\nQuelle: Polizei Berlin\n"
           "Ort: Mitte\nFassung von: a1\n"),
    "a2": (" date 2024-03-05 Brand in einem Keller in Pankow\n\nIn einem Keller in Pankow brannte Sperrmüll. "
           "Die Feuerwehr löschte den Brand, verletzt wurde niemand.\n\nQuelle: Polizei Berlin\nOrt: Pankow\n"),
    "b1": (" date 2023-12-30 Brand einer Lagerhalle\n\nEine Lagerhalle in Spandau brannte vollständig aus.\n\n"
           "Quelle: Feuerwehr Berlin\nOrt: Spandau\n"),
    "b2": (" date 2022-06-01 Übung der Feuerwehr\n\nDie Feuerwehr übte am Hafen den Ernstfall.\n\n"
           "Quelle: Feuerwehr Berlin\n"),
    "c1": "Brand im Rathaus verhindert\n\nEin Hausmeister bemerkte den Schwelbrand rechtzeitig.\n\nQuelle: Stadt\n",
}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    base = tmp_path_factory.mktemp("matching")
    corpus = base / "corpus"
    corpus.mkdir()
    for release_id, text in RELEASES.items():
        (corpus / f"{release_id}.txt").write_text(text, encoding="utf-8")
    settings = Settings(corpus=corpus, index=base / "index")
    build_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        yield settings, searcher
    live.close()


def ids(env, text, **kwargs):
    settings, searcher = env
    return [hit.id for hit in run_query(searcher, settings, text, **kwargs).hits]


def test_versions_are_folded_into_the_best_hit(env):
    settings, searcher = env
    page = run_query(searcher, settings, "Wohnhaus Mitte Bewohner")
    assert [hit.id for hit in page.hits] == ["a1"]
    assert [(v.id, v.date) for v in page.hits[0].versions] == [("v1", date(2024, 1, 11))]
    assert page.total == 1
    assert page.to_json()["hits"][0]["versions"] == [
        {"id": "v1", "title": "Brand in einem Wohnhaus in Mitte", "date": "2024-01-11"}
    ]


def test_versions_are_folded_however_short_the_time(env):
    settings, searcher = env
    page = run_query(searcher, replace(settings, search_seconds=1e-9), "Wohnhaus Mitte Bewohner")
    assert [hit.id for hit in page.hits] == ["a1"]  # not a1 and its version v1
    assert (page.total, page.notes) == (1, [])


def test_filter_by_issuer_and_dates(env):
    assert ids(env, "Brand", filters=Filters(source="Feuerwehr Berlin")) == ["b1"]
    assert ids(env, "Brand", filters=Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 10))) == ["a1"]
    assert ids(env, "Brand", filters=Filters(date_from=date(2024, 3, 5))) == ["a2"]  # inclusive bounds
    assert ids(env, "Brand", filters=Filters(date_to=date(2023, 12, 30))) == ["b1"]
    assert ids(env, "Brand", filters=Filters(source="Polizei Berlin", date_to=date(2023, 1, 1))) == []


def test_sort_by_date_newest_first_and_undated_last(env):
    # Newest first shows the newest version of a1: the correction v1.
    assert ids(env, "Brand", sort="date") == ["a2", "v1", "b1", "c1"]


def test_facets_count_all_matches_of_query_and_filters(env):
    settings, searcher = env
    page = run_query(searcher, settings, "Brand", facets=True, limit=1)
    assert page.total == 4  # a1 and v1 are one release in two versions
    assert page.facets == {
        # Counted like the total: a1 and its version v1 once.
        "source": [("Polizei Berlin", 2), ("Feuerwehr Berlin", 1), ("Stadt", 1)],
        "year": [("2024", 2), ("2023", 1)],
        # c1 names no place; a1 and v1 count once, as in the total.
        "place": [("Mitte", 1), ("Pankow", 1), ("Spandau", 1)],
    }
    filtered = run_query(searcher, settings, "Brand", facets=True, filters=Filters(source="Feuerwehr Berlin"))
    assert filtered.facets == {"source": [("Feuerwehr Berlin", 1)], "year": [("2023", 1)], "place": [("Spandau", 1)]}
    assert page.to_json()["facets"]["year"] == [{"value": "2024", "count": 2}, {"value": "2023", "count": 1}]


def test_place_filter_takes_the_place_exactly(env):
    assert ids(env, "Brand", filters=Filters(place="Mitte")) == ["a1"]  # its version v1 folded into it
    assert ids(env, "", filters=Filters(place="Pankow")) == ["a2"]
    assert ids(env, "Brand", filters=Filters(place="mitte")) == []
    assert ids(env, "Brand", filters=Filters(place="Mitte", source="Feuerwehr Berlin")) == []


def test_no_words_lists_the_filtered_releases_newest_first(env):
    assert ids(env, "", filters=Filters(source="Feuerwehr Berlin")) == ["b1", "b2"]
    assert ids(env, " ", sort="date", limit=3) == ["a2", "v1", "b1"]


def test_no_words_without_filters_or_date_sort_is_an_error(env):
    settings, searcher = env
    with pytest.raises(QueryError, match="Bitte geben Sie einen Suchbegriff ein."):
        run_query(searcher, settings, "")
    with pytest.raises(QueryError) as raised:
        run_query(searcher, settings, "Brand", sort="alphabetisch")
    assert str(raised.value) == "Sortiert werden kann nach Relevanz oder Datum."


def test_release_versions_both_ways(env):
    _, searcher = env
    assert [v.id for v in release_versions(searcher, "a1", now=NOW)] == ["v1"]
    assert [v.id for v in release_versions(searcher, "v1", now=NOW)] == ["a1"]
    assert release_versions(searcher, "b1", now=NOW) == []


def test_similar_releases_leave_out_the_release_and_its_versions(env):
    _, searcher = env
    similar = [hit.id for hit in similar_releases(searcher, "a1", limit=3, now=NOW)]
    assert "a1" not in similar and "v1" not in similar
    assert similar[0] == "a2"  # the other fire in a Berlin building, with the most words in common
