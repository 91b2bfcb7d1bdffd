"""The build in shares: worker processes give the index a build by one process gives, die with the build, and count
their progress honestly; the postings of the cached analyses and the compact pool are Whoosh's own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT

from search import Settings, build_index, run_query
from search.ingest.corpus import Skipped, read_corpus, read_entry
from search.store import postings
from search.store.generations import live_generation
from search.store.posting_pool import CompactPostingPool
from search.store.postings import postings_path, read_arrays
from search.store.schema import WRITER_OPTIONS, IndexedText, release_schema
from search.store.segment_build import build_share, entry_document
from search.store.shares import split_shares
from tests.conftest import FIXTURES, copy_fixture_corpus, open_searcher, run_total, run_until_stopped

LINGUISTICS = FIXTURES.parent / "linguistics"
# The queries the fixture tests ask, and more that reach every field, filters and facets.
QUERIES = [
    "Unfall", "Unfälle", "Auffahrunfälle", "Unfall März", "Unfall datum:2019 datum:2020", "Zebrastreifen Ampel",
    "Brand", "Hochwasser Elbe", "Wohnhaus Mitte Bewohner", "Lagerhalle", "Bibliothek", "Formularen", "verlängert",
    "Handelskammer", "Kammer", "Straßenbahn", "Strassenbahnunfall", "U-Bahn", "Bürger*innen", "Bürgerinnen",
    "Messerangriff", "angegriffen", "Pkw", "Auto", "Berlin", "Berliner Straße", "Dachstuhl", "Tankstelle",
    "Fußgänger", "Fussgängerin", "Polizei", "Polizei -Unfall", '"Polizei bittet"', "Polzei", "Feuerwehr Einsatz",
    "Kiosk 21.03.2015", "Unfall 04.03.2019",
]
# Texts at the corners of the analysis: stop words first and between, single letters, joined and gender forms,
# digits next to letters, compounds, a long code, an empty text, text of marks only.
CORNER_TEXTS = [
    "", "...", "Die der und", "Die Polizei und die Feuerwehr", "a b c Unfall d", "U-Bahn U 7 A66 E-Mail",
    "Bürger*innen Bürger:innen Mitarbeiter_innen Kolleg/-innen", "24jährige 24-Jährige 2024", "Straßenbahnunfall",
    "Handelskammer Handelskammern Verkehrsunfall", "x" * 80 + "unfall", "Müller MÜLLER Mueller groß GROSS",
    # Paragraphs are tokenised one by one: nothing may join or split across a blank line.
    "Unfall auf der A\n\n5 Verletzte", "Mitarbeiter*\n\ninnen", "B\n\n\n40 km", "U-\n\nBahn", "\n\nUnfall\n\n",
    "Die\n\nder\n\nPolizei", "a\n\nb\n\nUnfall",
]


def corpora(tmp_path: Path) -> list[Path]:
    return [copy_fixture_corpus(tmp_path / "releases"), _copy(LINGUISTICS, tmp_path / "linguistics")]


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in sorted(source.iterdir()):
        (target / path.name).write_bytes(path.read_bytes())
    return target


def answers(settings: Settings) -> list[tuple]:
    """Every query's answer as a reader sees it: ids in order, the total, the facets, the notes."""
    with open_searcher(settings.index) as searcher:
        found = []
        for text in QUERIES:
            for sort in ("relevance", "date"):
                page = run_query(searcher, settings, text, limit=50, sort=sort, facets=True)
                found.append((text, sort, [hit.id for hit in page.hits], page.total, page.facets, page.notes,
                              [(hit.score, hit.title_html, hit.snippet) for hit in page.hits]))
        return found


def segment_count(settings: Settings) -> int:
    return len(list(live_generation(settings.index).glob("*.postings")))


@pytest.mark.parametrize("corpus_name", ["releases", "linguistics"])
def test_builds_in_shares_answer_every_query_as_a_build_by_one_process(tmp_path, corpus_name):
    corpus = {path.name: path for path in corpora(tmp_path)}[corpus_name]
    serial = Settings(corpus=corpus, index=tmp_path / "serial")
    serial_report = build_index(serial, processes=1)
    serial_answers = answers(serial)
    assert segment_count(serial) == 1
    assert sum(1 for _, _, ids, *_ in serial_answers if ids) > 20, "the queries should find something"
    for processes in (2, 3):
        shared = Settings(corpus=corpus, index=tmp_path / f"shares-{processes}")
        report = build_index(shared, processes=processes)
        assert segment_count(shared) == processes
        assert answers(shared) == serial_answers
        assert report.indexed == serial_report.indexed


def test_cached_analyses_give_the_analyzers_postings(tmp_path):
    schema = release_schema()
    texts = list(CORNER_TEXTS)
    for corpus in corpora(tmp_path):
        for item in read_corpus(corpus):
            if not isinstance(item, Skipped):
                document = entry_document(item)
                texts += [document["body"], document["exact"], document["title"], document["place"] or ""]
    fields = [name for name in schema.names() if isinstance(schema[name], IndexedText)]
    assert sorted(fields) == ["body", "exact", "parts", "place", "source_text", "title"]
    for name in fields:
        for text in texts:
            assert list(schema[name].index(text)) == list(TEXT.index(schema[name], text)), (name, text[:60])


def test_compact_pool_hands_out_each_terms_postings_in_order_across_its_runs(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    storage = FileStorage(str(tmp_path)).create()
    pool = CompactPostingPool(storage, None, limitmb=1)
    pool.limit = 2_000  # bytes: many runs
    expected: dict[tuple[str, bytes], tuple[list, list, list | None]] = {}
    for doc in range(300):  # in release order, as a build adds them
        stems = {f"w{term % 37:02d}ä": [doc % 5 + term, 100 + term] for term in range(doc % 11, 60, 5)}
        codes = {f"c{doc % 4}".encode(): 1.0, b"\x00\x80same": 2.0}
        pool.add_positions("body", doc, stems)
        pool.add_weights("code", doc, codes)
        for term, positions in stems.items():
            docs, weights, found = expected.setdefault(("body", term.encode()), ([], [], []))
            docs.append(doc)
            weights.append(float(len(positions)))
            found += positions
        for term, weight in codes.items():
            docs, weights, _ = expected.setdefault(("code", term), ([], [], None))
            docs.append(doc)
            weights.append(weight)
    assert len(pool.runs) > 5
    assert pool.count == sum(len(docs) for docs, _, _ in expected.values())
    handed: list[tuple[tuple[str, bytes], tuple[list, list, list | None]]] = []
    for fieldname, term, docs, weights, positions in pool.iter_terms():
        if handed and handed[-1][0] == (fieldname, term):  # the same term from the next run
            previous = handed[-1][1]
            previous[0].extend(docs)
            previous[1].extend(weights)
            if previous[2] is not None:
                previous[2].extend(positions)
        else:
            handed.append(((fieldname, term), (list(docs), list(weights), list(positions) if positions else None)))
    assert handed == sorted(expected.items())
    assert list(tmp_path.glob("*.run")) == []


def test_shares_are_contiguous_and_balanced_by_bytes(tmp_path):
    files = []
    for number, size in enumerate([100, 100, 100, 700, 100, 100, 100, 100]):
        path = tmp_path / f"{number}.txt"
        path.write_bytes(b"x" * size)
        files.append(str(path))
    shares = split_shares(files, 2)
    assert [[Path(path).name for path in share] for share in shares] == [
        ["0.txt", "1.txt", "2.txt", "3.txt"], ["4.txt", "5.txt", "6.txt", "7.txt"]]
    assert split_shares(files, 1) == [files]
    assert split_shares(files[:1], 4) == [files[:1]]
    assert split_shares([], 2) == []
    assert [len(share) for share in split_shares(files, 20)] == [1] * 8


def test_progress_counts_up_to_the_total_in_every_mode(tmp_path):
    corpus = copy_fixture_corpus(tmp_path / "corpus")
    files = len(list(corpus.iterdir()))
    for processes in (1, 2):
        calls: list[tuple[int, int, float]] = []
        build_index(Settings(corpus=corpus, index=tmp_path / f"index-{processes}"),
                    progress=lambda done, total, seconds: calls.append((done, total, seconds)),  # noqa: B023
                    processes=processes)
        assert {total for _, total, _ in calls} == {files}
        counts = [done for done, _, _ in calls]
        assert counts == sorted(counts), "progress never goes back"
        assert counts[-1] == files
        assert 0 <= counts[0] < files, "the first report comes before the end"
        seconds = [second for _, _, second in calls]
        assert seconds == sorted(seconds)


# A rebuild in shares that stops, says so and waits to be killed once its progress reaches a given fraction:
# while its workers analyse, or while they write their segments.
STOPPED_SHARED_REBUILD = """
import sys
from pathlib import Path
from search import Settings, build_index

fraction = float(sys.argv[3])

def stop(done, total, seconds):
    if done >= fraction * total:
        print("stopped", flush=True)
        sys.stdin.read()  # until killed

build_index(Settings(corpus=Path(sys.argv[1]), index=Path(sys.argv[2])), progress=stop, processes=2)
"""


@pytest.mark.parametrize("fraction", [0.0, 0.5, 0.9])
def test_a_killed_build_in_shares_leaves_the_old_index_its_workers_gone_and_no_strays(settings, fraction):
    build_index(settings)
    for number in range(40):
        (settings.corpus / f"gen_{number:05d}.txt").write_text(
            f" date 2020-01-01 Meldung {number}\n\nZebrastreifen Nummer {number} an der Ampel.\n\nQuelle: Q\n"
        )
    run_until_stopped([sys.executable, "-c", STOPPED_SHARED_REBUILD, str(settings.corpus), str(settings.index),
                       str(fraction)])
    assert run_total(settings, "Zebrastreifen") == 0
    # The workers died with the build: the lock is free at once, and nothing writes into the old build folder.
    quick = Settings(corpus=settings.corpus, index=settings.index, lock_timeout=5.0)
    report = build_index(quick, processes=2)
    assert report.indexed == len([p for p in settings.corpus.iterdir() if p.name != "leer.txt"])
    assert sorted(re.sub(r"-.*", "", p.name) for p in settings.index.iterdir() if p.is_dir()) == ["gen", "gen"]
    assert not [p.name for p in live_generation(settings.index).iterdir() if p.name.endswith((".tmp", ".run"))]
    assert run_total(settings, "Zebrastreifen") == 40


def test_a_share_spilled_in_many_runs_writes_the_postings_whooshs_own_writer_does(tmp_path, monkeypatch):
    corpus = copy_fixture_corpus(tmp_path / "corpus")
    build = tmp_path / "build"
    build.mkdir()
    whoosh_index.create_in(str(build), release_schema()).close()
    files = sorted(path for path in corpus.resolve().iterdir() if path.name != "leer.txt")
    done: list[int] = []
    # A pool of 2 KB: every few releases a run, so a term's postings come from many runs; and the segment's writer
    # moves every 7 postings or positions of a field to a temporary file.
    monkeypatch.setattr(postings, "SPILL_ITEMS", 7)
    result = build_share(build, corpus.resolve(), [str(path) for path in files], 2 / 1024, done.append,
                         lambda digests: {})
    monkeypatch.undo()
    repeats = {item.path for item in result.duplicates}
    assert result.indexed == len(files) - len(repeats) and result.segment is not None
    assert done[-1] == len(files) and done == sorted(done)
    assert list(build.rglob("*.run")) == []
    # Only the writers' shared temporary folder is left, which the build's commit removes.
    assert sorted(path.name for path in build.iterdir() if path.name.endswith((".tmp", ".run"))) == ["MAIN.tmp"]
    # The same files through Whoosh's writer (its pool, its postings one by one into presse's codec).
    reference = tmp_path / "reference"
    reference.mkdir()
    ix = whoosh_index.create_in(str(reference), release_schema())
    writer = ix.writer(**WRITER_OPTIONS)
    for path in files:
        if path not in repeats:
            writer.add_document(**entry_document(read_entry(corpus.resolve(), path)))
    writer.commit()
    (expected_path,) = reference.glob("*.postings")
    written, expected = read_arrays(postings_path(build, result.segment.segment_id())), read_arrays(expected_path)
    assert sorted(written) == sorted(expected)
    for name, values in expected.items():
        assert written[name].dtype == values.dtype, name
        assert written[name].tolist() == values.tolist(), name


def test_a_text_repeated_in_a_later_share_is_a_duplicate_as_in_a_build_by_one_process(tmp_path):
    corpus = copy_fixture_corpus(tmp_path / "corpus")
    first = sorted(corpus.iterdir())[0]
    # The last files, in the last share: its worker indexes the first copy before it learns of the earlier share's
    # text, and takes the second for a copy of the first, until it analyses its share again.
    (corpus / "zz_kopie.txt").write_bytes(first.read_bytes())
    (corpus / "zz_kopie_2.txt").write_bytes(first.read_bytes())
    settings = {processes: Settings(corpus=corpus, index=tmp_path / f"index-{processes}") for processes in (1, 2)}
    reports = {processes: build_index(settings[processes], processes=processes) for processes in (1, 2)}
    for report in reports.values():
        assert [(item.path.name, item.reason) for item in report.duplicates] == [
            ("zz_kopie.txt", f"same text as {first.stem}"), ("zz_kopie_2.txt", f"same text as {first.stem}")]
        assert [item.path.name for item in report.skipped] == ["leer.txt"]
    assert reports[1].indexed == reports[2].indexed
    assert segment_count(settings[2]) == 2
    assert answers(settings[2]) == answers(settings[1])
