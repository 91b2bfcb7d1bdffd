"""Each index segment's postings as flat arrays: per field its sorted terms, and per term the release numbers, term
frequencies and (for fields with positions) word positions; with the scored fields' lengths.

These arrays are the segment's postings: presse's Whoosh codec (store/codec.py) writes them instead of Whoosh's
term table and posting blocks, Whoosh's readers read them through it, and the array scorer reads them directly. A
segment's files never change once written, so `<segment id>.postings` is written once (atomically) and
memory-mapped read-only by every process, which then share one copy in the page cache.

File layout: MAGIC, an 8-byte little-endian header length, a JSON header naming each array's dtype, offset and
length, then the arrays, each aligned to 8 bytes.
"""

from __future__ import annotations

import json
import mmap
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import IndexReader
from whoosh.util.numeric import _length_byte_cache

from .atomic import write_atomically

MAGIC = b"presse-postings-6\n"
# Whoosh stores a field's length per document as one byte; scoring reads it back through this table.
_BYTE_LENGTHS = np.array(_length_byte_cache, dtype=np.float64)
# Terms are found by numpy's binary search over their first KEY_BYTES bytes (fixed width, memory-mapped), then
# compared whole: a binary search in Python over the blob took 47 µs a term.
KEY_BYTES = 24
# How many postings (or positions) of a field a segment's writer holds in memory before it moves them to a temporary
# file: 1 MB for release numbers.
SPILL_ITEMS = 1 << 18


class SortedTerms:
    """The terms of one field, sorted as Whoosh sorts them (bytes): one blob, the end of each term in it, and each
    term's first KEY_BYTES bytes to search."""

    def __init__(self, blob: np.ndarray, ends: np.ndarray, keys: np.ndarray) -> None:
        self._blob = blob
        self._ends = ends
        self._keys = keys

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> bytes:
        start = int(self._ends[index - 1]) if index else 0
        return self._blob[start:int(self._ends[index])].tobytes()

    def find_many(self, terms: list[bytes]) -> np.ndarray:
        """The position of each of `terms` (-1 where absent), with one binary search for them all."""
        keys = np.array([term[:KEY_BYTES] for term in terms], dtype=f"S{KEY_BYTES}")
        found = np.searchsorted(self._keys, keys, side="left")
        inside = found < len(self._keys)
        hit = np.zeros(len(terms), dtype=bool)
        hit[inside] = self._keys[found[inside]] == keys[inside]
        positions = np.where(hit, found, -1)
        # A key of KEY_BYTES bytes may be shared, and numpy drops trailing zero bytes: a hit is the term itself, or
        # the term is looked up whole.
        for index in np.flatnonzero(hit).tolist():
            if self[int(found[index])] != terms[index]:
                positions[index] = self.find(terms[index])
        return positions

    def lower_bound(self, term: bytes) -> int:
        """The position of the first term not before `term` (len(self) when every term is)."""
        index = int(np.searchsorted(self._keys, np.bytes_(term[:KEY_BYTES]), side="left"))
        while index < len(self) and self[index] < term:  # terms whose keys equal the term's
            index += 1
        return index

    def find(self, term: bytes) -> int:
        """The term's position, or -1."""
        index = self.lower_bound(term)
        return index if index < len(self) and self[index] == term else -1


@dataclass(frozen=True)
class FieldPostings:
    terms: SortedTerms
    starts: np.ndarray  # one more than terms: term i's postings are docs[starts[i]:starts[i + 1]]
    docs: np.ndarray  # segment-local release numbers, ascending per term: uint16 in a segment of up to 65,536
    freqs: np.ndarray  # the term's frequency in each of those releases (Whoosh's weight): uint8/16, else float32
    # float64 per release: the field's length as Whoosh scores it (decoded from its byte); for scorable fields only.
    lengths: np.ndarray | None = None
    # For fields with positions: term i's positions are positions[position_offsets[i]:position_offsets[i + 1]],
    # release by release, as many for each release as its frequency (a positional field's weight is its count).
    position_offsets: np.ndarray | None = None
    positions: np.ndarray | None = None

    def span(self, index: int) -> tuple[int, int]:
        """Where the postings of the term at `index` are in docs and freqs."""
        return int(self.starts[index]), int(self.starts[index + 1])

    def postings(self, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        index = self.terms.find(term)
        if index < 0:
            return None
        start, end = self.span(index)
        return self.docs[start:end], self.freqs[start:end]

    def frequencies(self, terms: list[bytes]) -> np.ndarray:
        """How often each of `terms` occurs in the segment (Whoosh's term frequency: the sum of its postings'
        weights; 0 for a term the segment lacks)."""
        positions = self.terms.find_many(terms)
        totals = np.zeros(len(terms))
        for index in np.flatnonzero(positions >= 0).tolist():
            start, end = self.span(int(positions[index]))
            totals[index] = float(self.freqs[start:end].sum())
        return totals

    def positions_of(self, index: int) -> np.ndarray | None:
        """The positions of the term at `index`, release after release (None without positions)."""
        if self.positions is None or self.position_offsets is None:
            return None
        return self.positions[int(self.position_offsets[index]):int(self.position_offsets[index + 1])]

    def term_positions(self, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(release number, position) of every occurrence of `term`; None without the term or positions."""
        index = self.terms.find(term)
        positions = self.positions_of(index) if index >= 0 else None
        if positions is None:
            return None
        start, end = self.span(index)
        return np.repeat(self.docs[start:end], self.freqs[start:end].astype(np.int64)), positions


@dataclass(frozen=True)
class SegmentPostings:
    doc_count: int
    fields: dict[str, FieldPostings]


def postings_path(generation: Path, segment_id: str) -> Path:
    return generation / f"{segment_id}.postings"


class SpillingArray:
    """A growing array of numbers that holds at most SPILL_ITEMS of them in memory and the rest in a temporary file,
    noting the largest value (and for weights, whether all are whole numbers) so that it is written in the
    narrowest type they fit: a segment's memory then does not grow with its postings."""

    def __init__(self, typecode: str, spill_path: Path) -> None:
        self.memory = array(typecode)
        self._path = spill_path
        self._file: BinaryIO | None = None
        self._spilled = 0
        self._top = 0.0
        self._whole = True

    def __len__(self) -> int:
        return self._spilled + len(self.memory)

    def extend(self, values) -> None:
        if isinstance(values, array) and values.typecode != self.memory.typecode:
            values = values.tolist()
        self.memory.extend(values)
        if len(self.memory) >= SPILL_ITEMS:
            self._spill()

    def append(self, value) -> None:
        self.memory.append(value)
        if len(self.memory) >= SPILL_ITEMS:
            self._spill()

    def _note(self, values: np.ndarray) -> None:
        if len(values):
            self._top = max(self._top, float(values.max()))
            if values.dtype.kind == "f" and self._whole:
                self._whole = bool(np.array_equal(values, np.floor(values)))

    def _spill(self) -> None:
        self._note(np.frombuffer(self.memory, dtype=self.memory.typecode))
        if self._file is None:
            self._file = self._path.open("w+b")
        self._file.write(self.memory.tobytes())
        self._spilled += len(self.memory)
        del self.memory[:]

    def narrowest(self) -> np.dtype:
        """Whole numbers up to 65,535 as uint16 (weights up to 255 as uint8), up to 2**32 - 1 as uint32; weights that
        are not whole numbers as float32."""
        self._note(np.frombuffer(self.memory, dtype=self.memory.typecode))
        if self.memory.typecode == "f":
            if not self._whole or self._top > np.iinfo(np.uint16).max:
                return np.dtype(np.float32)
            return np.dtype(np.uint8 if self._top <= np.iinfo(np.uint8).max else np.uint16)
        for dtype in (np.uint16, np.uint32):
            if self._top <= np.iinfo(dtype).max:
                return np.dtype(dtype)
        return np.dtype(np.int64)

    def chunks(self, dtype: np.dtype) -> Iterator[np.ndarray]:
        """The values in order, a part at a time, as `dtype`."""
        if self._file is not None:
            self._file.seek(0)
            size = SPILL_ITEMS * self.memory.itemsize
            while block := self._file.read(size):
                yield np.frombuffer(block, dtype=self.memory.typecode).astype(dtype)
        yield np.frombuffer(self.memory, dtype=self.memory.typecode).astype(dtype)

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._path.unlink(missing_ok=True)
        del self.memory[:]


class GrowingField:
    """One field's arrays as a segment is written, term after term in sorted order; its postings spill to temporary
    files named by `spill_path(array name)`."""

    def __init__(self, with_positions: bool, spill_path: Callable[[str], Path]) -> None:
        self.blob, self.ends, self.starts = bytearray(), array("q"), array("q", [0])
        self.docs = SpillingArray("I", spill_path("docs"))
        self.freqs = SpillingArray("f", spill_path("freqs"))
        self.positions = SpillingArray("I", spill_path("positions")) if with_positions else None
        self.position_offsets = array("q", [0])

    def end_term(self, term: bytes) -> None:
        self.blob += term
        self.ends.append(len(self.blob))
        self.starts.append(len(self.docs))
        if self.positions is not None:
            self.position_offsets.append(len(self.positions))

    def write(self, fieldname: str, file: ArraysFile) -> None:
        """Add the field's arrays to `file`, each in the narrowest type its values fit."""
        ends = np.frombuffer(self.ends, dtype=np.int64)
        file.add(f"{fieldname}.terms", np.frombuffer(bytes(self.blob), dtype=np.uint8))
        file.add(f"{fieldname}.ends", _narrow(ends))
        file.add(f"{fieldname}.keys", _keys(bytes(self.blob), ends))
        file.add(f"{fieldname}.starts", _narrow(np.frombuffer(self.starts, dtype=np.int64)))
        spilling = {"docs": self.docs, "freqs": self.freqs}
        if self.positions is not None:
            file.add(f"{fieldname}.position_offsets", _narrow(np.frombuffer(self.position_offsets, dtype=np.int64)))
            spilling["positions"] = self.positions
        for name, values in spilling.items():
            dtype = values.narrowest()
            file.add_chunks(f"{fieldname}.{name}", dtype, len(values), values.chunks(dtype))
        self.discard()

    def discard(self) -> None:
        for values in (self.docs, self.freqs, self.positions):
            if values is not None:
                values.discard()


def segment_arrays(doc_count: int, perdoc, scorable: list[str]) -> dict[str, np.ndarray]:
    """The arrays of a segment besides its fields' postings: its release count and the length bytes of its
    `scorable` fields, read from its per-document reader `perdoc`."""
    arrays = {f"{fieldname}.lengths": _length_bytes(perdoc, fieldname, doc_count) for fieldname in scorable}
    arrays["doc_count"] = np.array([doc_count], dtype=np.int64)
    return arrays


class ArraysFile:
    """A postings file written array by array, for a segment being built: each array goes to a data file beside it
    as soon as it is complete (the file is opened with the first); `finish` puts the header in front and moves the
    whole into place atomically."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._data_path = path.with_name(f".{path.name}.data.tmp")
        self._data: BinaryIO | None = None
        self._header: dict[str, list] = {}
        self._offset = 0

    def spill_path(self, name: str) -> Path:
        """A temporary file beside this one, for an array on its way in."""
        return self._path.with_name(f".{self._path.name}.{name}.tmp")

    def add(self, name: str, values: np.ndarray) -> None:
        self.add_chunks(name, values.dtype, int(values.size), [values])

    def add_chunks(self, name: str, dtype: np.dtype, count: int, chunks: Iterable[np.ndarray]) -> None:
        """An array of `count` values of `dtype` given in parts."""
        if self._data is None:
            self._data = self._data_path.open("wb")
        self._header[name] = [dtype.str, self._offset, count]
        written = 0
        for chunk in chunks:
            assert chunk.dtype == dtype
            self._data.write(np.ascontiguousarray(chunk).reshape(-1).view(np.uint8).data)
            written += chunk.size
        if written != count:
            raise ValueError(f"{name}: {written} values written, {count} announced")
        nbytes = count * dtype.itemsize
        self._data.write(b"\0" * (-nbytes % 8))
        self._offset += -(-nbytes // 8) * 8

    def finish(self, arrays: dict[str, np.ndarray]) -> None:
        """Add the last `arrays` and write the file."""
        for name, values in arrays.items():
            self.add(name, values)
        assert self._data is not None
        self._data.close()
        try:
            with self._data_path.open("rb") as data:
                # Chained, not listed: the arrays go over a megabyte at a time, never all in memory at once.
                write_atomically(self._path, chain(_header_chunks(self._header), iter(lambda: data.read(1 << 20), b"")))
        finally:
            self._data_path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove what was written so far (nothing after `finish`)."""
        if self._data is not None:
            self._data.close()
            self._data_path.unlink(missing_ok=True)


def _narrow(values: np.ndarray) -> np.ndarray:
    """Release numbers, offsets or positions (never negative) as uint16 or uint32 when they fit: a segment's usually
    do. (Readers widen them before adding to them: scorer.py, codec.py.)"""
    top = int(values.max()) if len(values) else 0
    for dtype in (np.uint16, np.uint32):
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype)
    return values.astype(np.int64)


def _keys(blob: bytes, ends: np.ndarray) -> np.ndarray:
    starts = [0, *ends[:-1].tolist()] if len(ends) else []
    return np.array([blob[start:min(end, start + KEY_BYTES)] for start, end in zip(starts, ends.tolist(), strict=True)],
                    dtype=f"S{KEY_BYTES}")


def _length_bytes(perdoc, fieldname: str, doc_count: int) -> np.ndarray:
    """The field's length byte of every release of the segment (0 where the field is empty)."""
    lengths = np.zeros(doc_count, dtype=np.uint8)
    if perdoc.has_column(_lenfield(fieldname)):
        stored = perdoc.column_reader(_lenfield(fieldname), LENGTHS_COLUMN).load()
        lengths[:len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return lengths


def _header_chunks(header: dict[str, list]) -> list[bytes]:
    head = json.dumps(header).encode("utf-8")
    return [MAGIC, len(head).to_bytes(8, "little"), head, b"\0" * (-(len(MAGIC) + 8 + len(head)) % 8)]


class DamagedPostings(Exception):
    """A postings file that cannot be read as written."""


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a postings file, memory-mapped read-only; raises OSError or DamagedPostings."""
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if mapped[:len(MAGIC)] != MAGIC:
        raise DamagedPostings(f"{path} is not a postings file")
    head_length = int.from_bytes(mapped[len(MAGIC):len(MAGIC) + 8], "little")
    base = len(MAGIC) + 8 + head_length
    try:
        header = json.loads(mapped[len(MAGIC) + 8:base])
    except ValueError as error:
        raise DamagedPostings(f"{path}: unreadable header") from error
    base += -base % 8
    arrays = {}
    for name, (dtype, offset, count) in header.items():
        if base + offset + np.dtype(dtype).itemsize * count > len(mapped):
            raise DamagedPostings(f"{path} is truncated")
        arrays[name] = np.frombuffer(mapped, dtype=dtype, count=count, offset=base + offset)
    return arrays


def segment_postings(arrays: dict[str, np.ndarray]) -> SegmentPostings:
    fields = {}
    for name in arrays:
        if not name.endswith(".terms"):
            continue
        fieldname = name.removesuffix(".terms")
        lengths = arrays.get(f"{fieldname}.lengths")
        fields[fieldname] = FieldPostings(
            terms=SortedTerms(arrays[f"{fieldname}.terms"], arrays[f"{fieldname}.ends"], arrays[f"{fieldname}.keys"]),
            starts=arrays[f"{fieldname}.starts"],
            docs=arrays[f"{fieldname}.docs"],
            freqs=arrays[f"{fieldname}.freqs"],
            lengths=_BYTE_LENGTHS[lengths] if lengths is not None else None,
            position_offsets=arrays.get(f"{fieldname}.position_offsets"),
            positions=arrays.get(f"{fieldname}.positions"),
        )
    return SegmentPostings(int(arrays["doc_count"][0]), fields)


# Segments never change, so each process reads a segment's arrays once, and keeps those of the segments its
# newest searcher reads (forget_segments): searchers of older commits hold their own references meanwhile.
_LOADED: dict[tuple[str, str], SegmentPostings] = {}
_LOADING = threading.Lock()


def open_segment_postings(folder: Path, segment) -> SegmentPostings:
    """The postings of a Whoosh segment in `folder`, memory-mapped once per process.

    Raises FileNotFoundError or DamagedPostings (the file is the segment's only postings: its loss is damage)."""
    key = (str(folder), segment.segment_id())
    loaded = _LOADED.get(key)
    if loaded is None:
        path = postings_path(folder, key[1])
        loaded = segment_postings(read_arrays(path))
        if loaded.doc_count != segment.doc_count_all():
            raise DamagedPostings(f"{path} holds {loaded.doc_count} releases, the segment {segment.doc_count_all()}")
        with _LOADING:
            loaded = _LOADED.setdefault(key, loaded)
    return loaded


def load_segment_postings(leaf) -> SegmentPostings:
    """The postings of one segment reader."""
    return open_segment_postings(segment_folder(leaf), leaf.segment())


def segment_folder(leaf) -> Path:
    """The generation folder a segment reader reads from (segments are separate files: schema.WRITER_OPTIONS)."""
    return Path(leaf.storage().folder)


def segment_readers(reader: IndexReader) -> list[tuple[IndexReader, int]]:
    """The segment readers of `reader` with their offsets; none for an index without releases (Whoosh hands out a
    reader of no segment then)."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def segment_key(leaf) -> tuple[str, str]:
    """What names a segment reader's segment in this process: its generation folder and its id."""
    return str(segment_folder(leaf)), leaf.segment().segment_id()


def forget_segments(keep: set[tuple[str, str]]) -> None:
    """Drop the arrays of segments not in `keep` (merged away, or of an older generation)."""
    with _LOADING:
        for key in [key for key in _LOADED if key not in keep]:
            del _LOADED[key]
