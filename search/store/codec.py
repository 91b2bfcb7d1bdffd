"""presse's Whoosh codec: whoosh3's (3.54.0, pinned), except that every field's postings are written as presse's
arrays (store/postings.py) instead of W3's term table and posting blocks, and read back from them.

The array scorer reads those arrays directly; Whoosh's own readers (word beginnings, ranges, spelling, merges of
segments) read them through the terms reader below. So the postings are on disk once: written beside the arrays,
W3's files had made the index 3.3 times a textbook Whoosh index, and writing them took a third of a build.
Stored fields, columns and field lengths stay W3's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
from whoosh.codec.base import FieldCursor, FieldWriter, TermsReader
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Existence, Format, Frequency, Positions
from whoosh.matching import ListMatcher
from whoosh.reading import TermInfo, TermNotFound
from whoosh.system import pack_uint

from .postings import (
    ArraysFile,
    FieldPostings,
    GrowingField,
    SegmentPostings,
    open_segment_postings,
    postings_path,
    segment_arrays,
)

# A term's postings as a writer takes them at once: field name, term, releases, weights and, for a field with
# positions, the positions of each release one after another (as many as its weight), else None.
TermPostings = tuple[str, bytes, Sequence[int], Sequence[float], Sequence[int] | None]


class PresseCodec(W3Codec):
    """W3Codec with presse's postings arrays as the segments' postings."""

    def field_writer(self, storage, segment) -> ArraysFieldWriter:
        return ArraysFieldWriter(postings_path(Path(storage.folder), segment.segment_id()))

    def terms_reader(self, storage, segment) -> ArraysTermsReader:
        return ArraysTermsReader(open_segment_postings(Path(storage.folder), segment))


class ArraysFieldWriter(FieldWriter):
    """Writes a new segment's postings into its arrays file, field after field (Whoosh hands them over sorted by
    field, term and release), so that only one field's arrays are held at a time. Whoosh calls only add_postings
    and close; the build calls add_terms."""

    def __init__(self, path: Path) -> None:
        self._file = ArraysFile(path)
        self._field: tuple[str, GrowingField] | None = None
        self._term = b""
        self._lengths = None  # the segment's per-document reader, given with the postings
        self._scorable: list[str] = []  # the fields written whose lengths Whoosh keeps
        self.is_closed = False

    def add_postings(self, schema, lengths, items: Iterable[tuple[str, bytes, int, float, bytes]]) -> None:
        """Whoosh's entry point: postings one by one (from a merge, or a writer's pool)."""
        self.add_terms(schema, lengths, _by_term(schema, items))

    def add_terms(self, schema, lengths, terms: Iterable[TermPostings]) -> None:
        """Every posting of the segment, a term at a time, sorted by field and term (a term's postings may come in
        several pieces, one after another); `lengths` is the segment's per-document reader (its field lengths go
        into the file). Should anything fail on the way, `close` writes no file."""
        try:
            for fieldname, term, docs, weights, positions in terms:
                if self._field is None or self._field[0] != fieldname:
                    if self._field is not None:
                        self.finish_term()
                        self.finish_field()
                    self.start_field(fieldname, schema[fieldname])
                elif term != self._term:
                    self.finish_term()
                assert self._field is not None
                self._term = term
                field = self._field[1]
                field.docs.extend(docs)
                field.freqs.extend(weights)
                if field.positions is not None:
                    if positions is None:
                        raise ValueError(f"{fieldname}:{term!r}: postings without the field's positions")
                    field.positions.extend(positions)
            if self._field is not None:
                self.finish_term()
                self.finish_field()
        except BaseException:
            self._lengths = None
            raise
        self._lengths = lengths

    def start_field(self, fieldname: str, fieldobj) -> None:
        fmt = fieldobj.format
        with_positions = fmt.supports("positions")
        # A posting's positions are found from the frequencies before it (postings.FieldPostings): that holds as
        # long as a positional field's weight is its count of positions, so without a boost.
        if with_positions and fmt.field_boost != 1.0:
            raise ValueError(f"field {fieldname!r}: presse's postings keep positions only without a field boost")
        self._field = (fieldname, GrowingField(with_positions, self._file.spill_path))
        if fieldobj.scorable:
            self._scorable.append(fieldname)

    def start_term(self, text: bytes) -> None:
        raise NotImplementedError("presse's field writer takes a term's postings at once (add_postings, add_terms)")

    def add(self, docnum: int, weight: float, vbytes: bytes, length: int) -> None:
        raise NotImplementedError("presse's field writer takes a term's postings at once (add_postings, add_terms)")

    def finish_term(self) -> None:
        assert self._field is not None
        self._field[1].end_term(self._term)

    def finish_field(self) -> None:
        assert self._field is not None
        self._field[1].write(self._field[0], self._file)
        self._field = None

    def close(self) -> None:
        """Write the file; a writer cancelled, closed without postings or failing on the way writes none (Whoosh
        closes a writer again when it cancels one whose close failed: this closes once)."""
        lengths, self._lengths = self._lengths, None
        self.is_closed = True
        try:
            if lengths is not None:
                self._file.finish(segment_arrays(lengths.doc_count_all(), lengths, self._scorable))
        finally:
            if self._field is not None:
                self._field[1].discard()
            self._file.discard()


def _by_term(schema, items: Iterable[tuple[str, bytes, int, float, bytes]]) -> Iterator[TermPostings]:
    """Postings one by one, grouped by term, with the positions their values encode (Whoosh's spelling-only
    postings, release -1, left out)."""
    current: tuple[str, bytes] | None = None
    docs: list[int] = []
    weights: list[float] = []
    positions: list[int] | None = None
    decode: Callable[[bytes], list[int]] | None = None
    for fieldname, term, docnum, weight, value in items:
        if docnum == -1:
            continue
        if (fieldname, term) != current:
            if current is not None:
                yield current[0], current[1], docs, weights, positions
            if current is None or current[0] != fieldname:
                fmt = schema[fieldname].format
                decode = fmt.decode_positions if fmt.supports("positions") else None
            current, docs, weights, positions = (fieldname, term), [], [], [] if decode else None
        docs.append(docnum)
        weights.append(weight)
        if decode is not None and positions is not None:
            positions.extend(decode(value))
    if current is not None:
        yield current[0], current[1], docs, weights, positions


class ArraysTermsReader(TermsReader):
    """Whoosh's view of one segment's postings arrays: its terms in order, their statistics and matchers."""

    def __init__(self, postings: SegmentPostings) -> None:
        self._fields = postings.fields
        self._names = sorted(postings.fields)

    def _find(self, fieldname: str, text: bytes) -> tuple[FieldPostings, int]:
        field = self._fields.get(fieldname)
        index = field.terms.find(text) if field is not None else -1
        if field is None or index < 0:
            raise KeyError((fieldname, text))
        return field, index

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        try:
            self._find(*term)
        except KeyError:
            return False
        return True

    def indexed_field_names(self) -> list[str]:
        return list(self._names)

    def cursor(self, fieldname: str, fieldobj) -> ArraysCursor:
        return ArraysCursor(self._fields.get(fieldname), fieldobj)

    def _from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, FieldPostings, int]]:
        """(field name, field, term index) of every term from `prefix` in `fieldname` on, through the later
        fields, in Whoosh's order."""
        for name in self._names:
            if name < fieldname:
                continue
            field = self._fields[name]
            first = field.terms.lower_bound(prefix) if name == fieldname else 0
            for index in range(first, len(field.terms)):
                yield name, field, index

    def terms(self) -> Iterator[tuple[str, bytes]]:
        return ((name, field.terms[index]) for name, field, index in self._from("", b""))

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        return ((name, field.terms[index]) for name, field, index in self._from(fieldname, prefix))

    def items(self) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        return self.items_from("", b"")

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        return (((name, field.terms[index]), _term_info(field, index))
                for name, field, index in self._from(fieldname, prefix))

    def term_info(self, fieldname: str, text: bytes) -> TermInfo:
        try:
            return _term_info(*self._find(fieldname, text))
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{text!r}") from None

    def frequency(self, fieldname: str, text: bytes) -> float:
        field, index = self._find(fieldname, text)
        start, end = field.span(index)
        return float(field.freqs[start:end].sum())

    def doc_frequency(self, fieldname: str, text: bytes) -> int:
        field, index = self._find(fieldname, text)
        start, end = field.span(index)
        return end - start

    def matcher(self, fieldname: str, text: bytes, format_: Format, scorer=None) -> ListMatcher:
        try:
            field, index = self._find(fieldname, text)
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{text!r}") from None
        start, end = field.span(index)
        return ListMatcher(field.docs[start:end].tolist(), field.freqs[start:end].astype(float).tolist(),
                           _EncodedValues(field, index, format_), format_, scorer=scorer, term=(fieldname, text),
                           terminfo=_term_info(field, index))

    def close(self) -> None:
        pass  # the arrays stay mapped for every reader of the segment in this process (postings.py)


def _term_info(field: FieldPostings, index: int) -> TermInfo:
    start, end = field.span(index)
    docs, freqs = field.docs[start:end], field.freqs[start:end]
    minlength, maxlength = (None if end == start else 0), 0  # 0: as whoosh3 has it for a field without lengths
    if field.lengths is not None and end > start:
        lengths = field.lengths[docs]
        minlength, maxlength = int(lengths.min()), int(lengths.max())
    return TermInfo(weight=float(freqs.sum()), df=end - start, minlength=minlength, maxlength=maxlength,
                    maxweight=float(freqs.max()) if end > start else 0.0,
                    minid=int(docs[0]) if end > start else None, maxid=int(docs[-1]) if end > start else 0)


class _EncodedValues:
    """A term's posting values as Whoosh's format encodes them, made only when asked for (a merge of segments, a
    phrase Whoosh matches itself): the arrays hold positions and frequencies, not encoded values."""

    def __init__(self, field: FieldPostings, index: int, fmt: Format) -> None:
        self._start, self._end = field.span(index)
        self._freqs = field.freqs[self._start:self._end]
        self._positions = field.positions_of(index)
        self._offsets: list[int] | None = None
        self._format = fmt

    def __len__(self) -> int:
        return self._end - self._start

    def __getitem__(self, posting: int) -> bytes | None:
        if isinstance(self._format, Positions) and self._positions is not None:
            if self._offsets is None:
                self._offsets = [0, *accumulate(self._freqs.astype(np.int64).tolist())]
            return self._format.encode(self._positions[self._offsets[posting]:self._offsets[posting + 1]].tolist())
        if isinstance(self._format, Frequency):
            return pack_uint(int(self._freqs[posting]))
        if isinstance(self._format, Existence):
            return None  # as whoosh3 gives it
        raise ValueError(f"presse's postings cannot give values of the format {type(self._format).__name__}")


class ArraysCursor(FieldCursor):
    """A cursor over one field's terms (for Whoosh's spelling automata): `text` is the term it stands on."""

    def __init__(self, field: FieldPostings | None, fieldobj) -> None:
        self._terms = field.terms if field is not None else None
        self._fieldobj = fieldobj
        self._index = 0

    def first(self):
        self._index = 0
        return self.text()

    def find(self, term):
        if self._terms is None:
            return None
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        self._index = self._terms.lower_bound(term)
        return self.text()

    def next(self):
        self._index += 1
        return self.text()

    def term(self) -> bytes | None:
        if self._terms is None or self._index >= len(self._terms):
            return None
        return self._terms[self._index]

    def text(self):
        term = self.term()
        return None if term is None else self._fieldobj.from_bytes(term)
