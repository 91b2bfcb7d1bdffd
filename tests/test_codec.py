"""presse's codec reads, through every Whoosh reader call presse and Whoosh make, exactly as whoosh3's own codec does
with the same releases written: terms, statistics, postings with their values, word beginnings, spelling, queries,
and again after segments are merged and releases deleted."""

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.reading import TermNotFound

from search.ingest.corpus import Skipped, read_corpus
from search.store import postings
from search.store.codec import PresseCodec
from search.store.schema import release_schema
from search.store.segment_build import entry_document
from tests.conftest import FIXTURES, copy_fixture_corpus

LINGUISTICS = FIXTURES.parent / "linguistics"


def documents(tmp_path: Path) -> list[dict]:
    found = []
    for corpus in (copy_fixture_corpus(tmp_path / "releases"), LINGUISTICS):
        found += [entry_document(item) for item in read_corpus(corpus) if not isinstance(item, Skipped)]
    return found


def write_index(folder: Path, codec, batches: list[list[dict]], delete: list[str] = (), merge: bool = False):
    """An index of `batches`, one commit (so one segment) each, then `delete` by id in a commit that merges when
    `merge` is set."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), release_schema())
    for batch in batches:
        writer = ix.writer(codec=codec, compound=False)
        for document in batch:
            writer.add_document(**document)
        writer.commit(merge=False)
    if delete or merge:
        writer = ix.writer(codec=codec, compound=False)
        for release_id in delete:
            writer.delete_by_term("id", release_id)
        writer.commit(optimize=merge)
    return ix


def postings_of(reader) -> list:
    """Every term with its statistics and postings (release, weight, value) as Whoosh's reader gives them."""
    found = []
    for fieldname, term in reader.all_terms():
        info = reader.term_info(fieldname, term)
        matcher = reader.postings(fieldname, term)
        items = []
        while matcher.is_active():
            items.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        found.append((fieldname, term, reader.doc_frequency(fieldname, term), reader.frequency(fieldname, term),
                      info.weight(), info.doc_frequency(), info.min_id(), info.max_id(), info.max_weight(),
                      info.min_length(), info.max_length(), items))
    return found


QUERIES = [
    wq.Prefix("body", "unf"), wq.Prefix("exact", "hoch"), wq.Phrase("body", ["hochwass", "elb"]),
    wq.DateRange("date", datetime(2019, 1, 1), datetime(2019, 12, 31)), wq.Term("source", "Polizei Berlin"),
    wq.NumericRange("day", 20190301, 20190331), wq.And([wq.Term("body", "polizei"), wq.Prefix("title", "b")]),
]


def answers(ix) -> list:
    with ix.searcher() as searcher:
        return [[(hit.docnum, round(hit.score, 12)) for hit in searcher.search(q, limit=None)] for q in QUERIES]


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> list[dict]:
    return documents(tmp_path_factory.mktemp("codec"))


@pytest.mark.parametrize("case", ["one segment", "two segments", "merged with deletions", "spilled"])
def test_presse_postings_read_as_whooshs_own(tmp_path, releases, case, monkeypatch):
    assert len(releases) > 40
    if case == "spilled":  # a field's postings and positions go to temporary files every 5
        monkeypatch.setattr(postings, "SPILL_ITEMS", 5)
    batches = [releases] if case in ("one segment", "spilled") else [releases[:30], releases[30:]]
    options = {"delete": [releases[3]["id"], releases[35]["id"]], "merge": True} if case.startswith("merged") else {}
    stock = write_index(tmp_path / "w3", W3Codec(), batches, **options)
    ours = write_index(tmp_path / "presse", PresseCodec(), batches, **options)
    assert not list((tmp_path / "presse").glob("*.trm")) and not list((tmp_path / "presse").glob("*.pst"))
    with stock.reader() as expected, ours.reader() as found:
        assert found.doc_count() == expected.doc_count() == len(releases) - len(options.get("delete", []))
        assert len(list(found.leaf_readers())) == (2 if case == "two segments" else 1)
        assert postings_of(found) == postings_of(expected)
        for fieldname, prefix in [("body", "unf"), ("exact", "hoch"), ("parts", "kammer"), ("code", "")]:
            assert list(found.expand_prefix(fieldname, prefix)) == list(expected.expand_prefix(fieldname, prefix))
        for word, distance in [("polzei", 1), ("hochwaser", 2), ("feuerwer", 1), ("lagerhale", 1)]:
            assert sorted(found.terms_within("exact", word, distance)) == sorted(
                expected.terms_within("exact", word, distance)) != []
        assert found.frequency("body", "gibtsnicht") == 0 and found.doc_frequency("body", "gibtsnicht") == 0
        assert ("body", b"polizei") in found.leaf_readers()[0][0]._terms
        assert list(found.lexicon("version_of")) == list(expected.lexicon("version_of"))
    assert answers(ours) == answers(stock)
    assert any(answers(ours))


def test_a_missing_term_is_not_found(tmp_path, releases):
    ix = write_index(tmp_path / "presse", PresseCodec(), [releases[:5]])
    with ix.reader() as reader:
        with pytest.raises(TermNotFound):
            reader.term_info("body", "gibtsnicht")
        assert ("body", b"gibtsnicht") not in reader.leaf_readers()[0][0]._terms


def test_a_cancelled_writer_leaves_no_postings_file(tmp_path, releases):
    ix = write_index(tmp_path / "presse", PresseCodec(), [releases[:5]])
    before = sorted(path.name for path in (tmp_path / "presse").glob("*postings*"))
    writer = ix.writer(codec=PresseCodec(), compound=False)
    writer.add_document(**releases[6])
    writer.cancel()
    assert len(before) == 1
    assert sorted(path.name for path in (tmp_path / "presse").glob("*postings*")) == before


@pytest.mark.parametrize(("typecode", "values", "dtype"), [
    ("I", [0, 65535], "uint16"), ("I", [3, 65536], "uint32"), ("f", [1.0, 255.0], "uint8"),
    ("f", [1.0, 256.0], "uint16"), ("f", [1.0, 70000.0], "float32"), ("f", [1.0, 2.5], "float32"), ("I", [], "uint16"),
])
def test_spilled_values_come_back_in_order_in_the_narrowest_type(tmp_path, monkeypatch, typecode, values, dtype):
    monkeypatch.setattr(postings, "SPILL_ITEMS", 3)
    growing = postings.SpillingArray(typecode, tmp_path / "spill.tmp")
    written = [values[index % len(values)] if index != 4 else 1 for index in range(10)] if values else []
    for value in written:
        growing.append(value)
    assert len(growing) == len(written)
    assert growing.narrowest() == np.dtype(dtype)
    assert [value for chunk in growing.chunks(growing.narrowest()) for value in chunk.tolist()] == written
    growing.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_midway_leaves_no_postings_file(tmp_path, monkeypatch):
    from search.store.codec import ArraysFieldWriter

    monkeypatch.setattr(postings, "SPILL_ITEMS", 2)  # temporary files too
    schema = release_schema()

    def terms():
        yield "body", b"brand", [0, 1, 2], [1.0, 1.0, 2.0], [3, 4, 5, 9]
        yield "exact", b"brand", [0, 1, 2], [1.0, 1.0, 2.0], None
        raise RuntimeError("the disk went away")

    writer = ArraysFieldWriter(tmp_path / "MAIN_x.postings")
    with pytest.raises(RuntimeError, match="the disk went away"):
        writer.add_terms(schema, object(), terms())
    writer.close()
    assert writer.is_closed
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_a_writer_whose_close_fails_writes_nothing_when_it_is_cancelled(tmp_path, releases, monkeypatch):
    """As a build's share does: the segment's postings written and closed, then (the close failing on a full disk)
    the writer cancelled, which closes its field writer again."""
    ix = write_index(tmp_path / "presse", PresseCodec(), [releases[:5]])
    before = sorted(path.name for path in (tmp_path / "presse").iterdir() if "postings" in path.name)
    writer = ix.writer(codec=PresseCodec(), compound=False)
    writer.add_document(**releases[6])
    original = postings.ArraysFile.add

    def full_disk(self, name, values):
        if name == "doc_count":
            raise OSError(28, "No space left on device")
        original(self, name, values)

    monkeypatch.setattr(postings.ArraysFile, "add", full_disk)
    writer.perdocwriter.close()
    lengths = writer.per_document_reader()
    try:
        writer.fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
        with pytest.raises(OSError, match="No space left"):
            writer.fieldwriter.close()
    finally:
        lengths.close()
    monkeypatch.undo()
    writer.cancel()
    assert sorted(path.name for path in (tmp_path / "presse").iterdir() if "postings" in path.name) == before


def test_terms_with_zero_bytes_are_found_exactly():
    """numpy's fixed-width keys drop trailing zero bytes (numeric terms end in them): ab and ab\\0 stay apart."""
    terms = [b"ab\x00", b"abc", b"b" * 30, b"b" * 31, b"zz"]
    ends = np.cumsum([len(term) for term in terms])
    keys = np.array([term[:postings.KEY_BYTES] for term in terms], dtype=f"S{postings.KEY_BYTES}")
    sorted_terms = postings.SortedTerms(np.frombuffer(b"".join(terms), dtype=np.uint8), ends, keys)
    asked = [b"ab", b"ab\x00", b"abc", b"b" * 30, b"b" * 31, b"b" * 32, b"zz", b"q"]
    assert sorted_terms.find_many(asked).tolist() == [-1, 0, 1, 2, 3, -1, 4, -1]
    assert [sorted_terms.find(term) for term in asked] == [-1, 0, 1, 2, 3, -1, 4, -1]
    assert [sorted_terms.lower_bound(term) for term in asked] == [0, 0, 1, 2, 3, 4, 4, 4]
