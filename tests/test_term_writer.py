"""The term writer: a term's postings written a block at a time give the bytes Whoosh's per-posting writer gives."""

from __future__ import annotations

from array import array
from itertools import repeat

from whoosh import fields
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import RamStorage

from search.store.term_writer import Term, write_terms

SCHEMA = fields.Schema(body=fields.TEXT(), tag=fields.KEYWORD())


class Lengths:
    """Field lengths with some releases of no length (0 and None), which a block's statistics leave out."""

    def doc_field_length_reader(self, fieldname: str):
        return lambda docnum: None if docnum % 7 == 0 else (0 if docnum % 5 == 0 else docnum % 40 + len(fieldname))


def terms() -> list[Term]:
    """A term of 300 postings in three pieces (as a pool's runs give it: blocks of 128 cross the pieces), a term
    of one posting, one of exactly 128, and a second field."""
    found: list[Term] = []
    for first, last in ((0, 90), (90, 200), (200, 300)):
        docs = array("I", range(first * 3, last * 3, 3))
        found.append(("body", b"alpha", docs, array("d", [1.0 + (doc % 9) / 4 for doc in docs]),
                      [bytes([doc % 5]) * (doc % 3) for doc in docs]))
    found.append(("body", b"beta", array("I", [4]), array("d", [2.5]), [b"\x01\x02"]))
    found.append(("body", b"gamma", array("I", range(128)), array("d", repeat(1.0, 128)), [b""] * 128))
    found.append(("tag", b"x", array("I", [1, 8, 900]), array("d", [1.0, 3.0, 2.0]), [b"", b"", b""]))
    return found


def written(write) -> dict[str, bytes]:
    storage = RamStorage()
    codec = W3Codec()
    segment = codec.new_segment(storage, "test")
    fieldwriter = codec.field_writer(storage, segment)
    write(fieldwriter)
    fieldwriter.close()
    # Named by their kind: the segment's name is random.
    return {name.rsplit(".", 1)[1]: storage.open_file(name).read() for name in storage.list()}


def test_terms_written_by_blocks_give_whooshs_bytes():
    def by_posting(fieldwriter):
        postings = [(field, term, doc, weight, value)
                    for field, term, docs, weights, values in terms()
                    for doc, weight, value in zip(docs, weights, values, strict=True)]
        fieldwriter.add_postings(SCHEMA, Lengths(), iter(postings))

    expected = written(by_posting)
    assert sum(len(data) for data in expected.values()) > 1000, "the postings should be written"
    assert written(lambda fieldwriter: write_terms(fieldwriter, SCHEMA, Lengths(), terms())) == expected
