"""The array scorer agrees with Whoosh: the same matches with the same scores, from arrays that equal its postings."""

import numpy as np
import pytest
from whoosh import query as wq

from search import LiveIndex, Settings, build_index
from search.errors import IndexCorruptError
from search.query.doc_score import DocScore
from search.query.parser import parse_user_query
from search.query.scorer import index_arrays
from search.store import postings
from search.store.adder import add_paths
from search.store.checksums import SUMS_NAME
from search.store.generations import live_generation
from search.store.syncer import sync_index

QUERIES = [
    "Unfall", "Unfälle", "Fussgaenger", "Hochwasser Elbe", "Konferenzen Shenyang", "Handelskammer", "Kammer",
    "Straßenbahnunfall", "Polizei -Unfall", "Hochwasser OR Leuchtturm", '"Hochwasser an der Elbe"',
    "Leuchtt*", "titel:Hochwasser", "quelle:Polizei", "Warnung Hochwasser Pegel", "Auto", "Deich (Elbe OR Oder)",
    "Fußgänger -Radfahrer", "Lagerhalle ODER Taschendieb", "(Lagerhalle OR Taschendieb) Bornheim",
    '"Hanauer Landstraße"', "Strasse Unfall", "Lager*", "Brand NICHT Lagerhalle",
]



def whoosh_scores(searcher, q) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


def array_scores(searcher, q) -> dict[int, float]:
    found = index_arrays(searcher).scorer.score(q)
    return {int(docnum): float(found.scores[docnum]) for docnum in np.flatnonzero(found.matched)}


@pytest.mark.parametrize("text", QUERIES)
def test_every_match_and_score_equals_whoosh(searcher, built_settings, text):
    parsed = parse_user_query(text, searcher, built_settings)
    for q in [parsed.query, *parsed.bonus]:
        expected = whoosh_scores(searcher, q)
        found = array_scores(searcher, q)
        assert sorted(found) == sorted(expected), q
        assert found == pytest.approx(expected, rel=1e-12, abs=1e-12), q


def test_a_fixed_score_for_known_releases_equals_whoosh(searcher, built_settings):
    q = parse_user_query("Unfall", searcher, built_settings).query
    favoured = next(searcher.document_numbers(id="unfaelle_plural"))
    boosted = wq.AndMaybe(q, DocScore(searcher, {favoured}, 50.0))
    assert array_scores(searcher, boosted) == pytest.approx(whoosh_scores(searcher, boosted), rel=1e-12)
    assert sorted(array_scores(searcher, boosted).values())[-1] > 50


def test_the_queries_match_something(searcher, built_settings):
    # The agreement above means little on empty results: most of the table must find releases.
    counts = [len(whoosh_scores(searcher, parse_user_query(text, searcher, built_settings).query))
              for text in QUERIES]
    assert sum(1 for count in counts if count) >= 20, counts


def test_the_arrays_hold_the_field_lengths_whoosh_scores_with(searcher):
    for leaf, _ in searcher.reader().leaf_readers():
        loaded = postings.load_segment_postings(leaf)
        for fieldname in ("title", "body", "parts", "exact", "source_text", "place"):  # the searched ones
            lengths = [leaf.doc_field_length(docnum, fieldname, 0) or 0 for docnum in range(leaf.doc_count_all())]
            assert loaded.fields[fieldname].lengths.tolist() == lengths, fieldname
            assert any(lengths), fieldname


def test_a_postings_file_reads_back_as_written(tmp_path):
    arrays = {"a.terms": np.frombuffer(b"abcde", dtype=np.uint8), "a.docs": np.array([1, 2**31], dtype=np.uint32),
              "a.positions": np.array([7, 65535], dtype=np.uint16), "doc_count": np.array([3], dtype=np.int64)}
    path = tmp_path / "segment.postings"
    written = postings.ArraysFile(path)
    written.add("a.terms", arrays["a.terms"])
    written.finish({name: values for name, values in arrays.items() if name != "a.terms"})
    read = postings.read_arrays(path)
    assert list(read) == list(arrays)
    for name, values in arrays.items():
        assert read[name].dtype == values.dtype and read[name].tolist() == values.tolist(), name
    assert [p.name for p in tmp_path.iterdir()] == ["segment.postings"]


def test_a_truncated_postings_file_is_a_corrupt_index(settings):
    """In an index without recorded checksums (built before presse recorded them; with them, a truncated file is
    damage: tests/test_damaged_index.py)."""
    build_index(settings)
    generation = live_generation(settings.index)
    (generation / SUMS_NAME).unlink()
    (path,) = generation.glob("*.postings")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    postings.forget_segments(set())
    live = LiveIndex(settings.index)
    with pytest.raises(IndexCorruptError) as raised, live.searcher():
        pass
    live.close()
    assert str(raised.value) == f"The index in {settings.index} cannot be read (DamagedPostings). Run `presse rebuild`."


def segment_ids(settings) -> list[str]:
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        ids = sorted(leaf.segment().segment_id() for leaf, _ in searcher.reader().leaf_readers())
    live.close()
    return ids


def test_every_commit_leaves_one_postings_file_per_segment(settings):
    build_index(settings)
    generation = live_generation(settings.index)
    assert sorted(path.stem for path in generation.glob("*.postings")) == segment_ids(settings)
    (settings.corpus / "web_konferenz_radwege.txt").unlink()
    assert sync_index(settings).removed == ["web_konferenz_radwege"]
    assert sorted(path.stem for path in generation.glob("*.postings")) == segment_ids(settings)


def test_a_deleted_release_is_not_matched(settings):
    build_index(settings)
    (settings.corpus / "web_hochwasser_pegel.txt").unlink()
    sync_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        q = parse_user_query("Hochwasser", searcher, Settings(corpus=settings.corpus, index=settings.index)).query
        found = array_scores(searcher, q)
        assert found == whoosh_scores(searcher, q)
        ids = {searcher.stored_fields(docnum)["id"] for docnum in found}
    live.close()
    assert "web_hochwasser_pegel" not in ids and "web_hochwasser_warnung" in ids


def test_after_adds_and_a_rebuild_the_arrays_answer_as_whoosh(settings, tmp_path):
    build_index(settings)
    for number in range(3):  # three commits, three more segments
        source = tmp_path / f"add{number}.txt"
        source.write_text(f" date 2025-02-0{number + 1} Hochwasser am Pegel {number}\n\nDas Hochwasser steigt am "
                          f"Pegel {number}; die Elbe tritt über.\n\nQuelle: Amt {number}\n", encoding="utf-8")
        add_paths(settings, [str(source)])
    for rebuilt in (False, True):
        if rebuilt:
            build_index(settings)
        live = LiveIndex(settings.index)
        with live.searcher() as searcher:
            assert len(searcher.reader().leaf_readers()) == (1 if rebuilt else 4)
            for text in ("Hochwasser", "Pegel Elbe", '"Hochwasser am Pegel"'):
                parsed = parse_user_query(text, searcher, settings)
                for q in [parsed.query, *parsed.bonus]:
                    assert array_scores(searcher, q) == pytest.approx(whoosh_scores(searcher, q), rel=1e-12)
            # the five Hochwasser fixtures, web_leuchtturm_fest (Hoch + Wasser), and the three added
            assert len(whoosh_scores(searcher, parse_user_query("Hochwasser", searcher, settings).query)) == 8
        live.close()


def test_a_process_keeps_the_arrays_of_the_newest_searchers_segments_only(settings, tmp_path):
    from search.store import columns

    build_index(settings)
    for number in range(6):  # Whoosh merges the small segments on one of these commits
        source = tmp_path / f"keep{number}.txt"
        source.write_text(f" date 2025-03-0{number + 1} Meldung {number}\n\nBehaltwort {number}.\n\nQuelle: Amt\n",
                          encoding="utf-8")
        add_paths(settings, [str(source)])
        live = LiveIndex(settings.index)
        with live.searcher() as searcher:
            index_arrays(searcher)
            current = {postings.segment_key(leaf) for leaf, _ in searcher.reader().leaf_readers()}
        live.close()
        assert set(postings._LOADED) == current == set(columns._LOADED)
