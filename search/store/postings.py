"""Each index segment's postings as flat arrays (release numbers and term frequencies per term) with its field
lengths: what the array scorer reads instead of walking Whoosh's matcher trees.

Whoosh stays the index of record. A segment's files never change once written, so its arrays are derived once,
written beside it as `<segment id>.postings` (atomically), and memory-mapped read-only by every serving process, which
then share one copy in the page cache. A missing or damaged file is derived again from the segment in memory.

File layout: MAGIC, an 8-byte little-endian header length, a JSON header naming each array's dtype, offset and
length, then the arrays, each aligned to 8 bytes.
"""

from __future__ import annotations

import json
import logging
import mmap
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import IndexReader
from whoosh.util.numeric import _length_byte_cache

from .atomic import write_atomically

log = logging.getLogger(__name__)

MAGIC = b"presse-postings-5\n"
# The text fields a query searches; every one is scored by BM25F.
SCORED_FIELDS = ("title", "body", "parts", "exact", "source_text", "place")
# Whoosh stores a field's length per document as one byte; scoring reads it back through this table.
_BYTE_LENGTHS = np.array(_length_byte_cache, dtype=np.float64)
# Terms are found by numpy's binary search over their first KEY_BYTES bytes (fixed width, memory-mapped), then
# compared whole: a binary search in Python over the blob took 47 µs a term.
KEY_BYTES = 24


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
        for index, term in enumerate(terms):  # a key of KEY_BYTES bytes may be shared: those look closer
            if hit[index] and len(term) >= KEY_BYTES:
                positions[index] = self.find(term)
        return positions

    def find(self, term: bytes) -> int:
        """The term's position, or -1."""
        key = np.bytes_(term[:KEY_BYTES])
        first = int(np.searchsorted(self._keys, key, side="left"))
        if len(term) < KEY_BYTES:  # the key is the whole term
            return first if first < len(self._keys) and self._keys[first] == key else -1
        last = int(np.searchsorted(self._keys, key, side="right"))
        for index in range(first, last):  # the terms sharing their first KEY_BYTES bytes
            if self[index] == term:
                return index
        return -1


@dataclass(frozen=True)
class FieldPostings:
    terms: SortedTerms
    starts: np.ndarray  # int64, one more than terms: term i's postings are docs[starts[i]:starts[i + 1]]
    docs: np.ndarray  # uint32, segment-local release numbers, ascending per term
    freqs: np.ndarray  # the term's frequency in each of those releases (Whoosh's weight): uint16, else float32
    lengths: np.ndarray  # float64 per release: the field's length as Whoosh scores it (decoded from its byte)
    # For fields with positions: posting i's word positions are positions[position_starts[i]:position_starts[i + 1]].
    position_starts: np.ndarray | None = None
    positions: np.ndarray | None = None

    def postings(self, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        index = self.terms.find(term)
        if index < 0:
            return None
        start, end = int(self.starts[index]), int(self.starts[index + 1])
        return self.docs[start:end], self.freqs[start:end]

    def frequencies(self, terms: list[bytes]) -> np.ndarray:
        """How often each of `terms` occurs in the segment (Whoosh's term frequency: the sum of its postings'
        weights; 0 for a term the segment lacks)."""
        positions = self.terms.find_many(terms)
        totals = np.zeros(len(terms))
        for index in np.flatnonzero(positions >= 0).tolist():
            start, end = int(self.starts[positions[index]]), int(self.starts[positions[index] + 1])
            totals[index] = float(self.freqs[start:end].sum())
        return totals

    def term_positions(self, term: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(release number, position) of every occurrence of `term`; None without the term or positions."""
        index = self.terms.find(term)
        if index < 0 or self.positions is None or self.position_starts is None:
            return None
        start, end = int(self.starts[index]), int(self.starts[index + 1])
        bounds = self.position_starts[start:end + 1]
        counts = np.diff(bounds)
        return np.repeat(self.docs[start:end], counts), self.positions[int(bounds[0]):int(bounds[-1])]


@dataclass(frozen=True)
class SegmentPostings:
    doc_count: int
    fields: dict[str, FieldPostings]


def postings_path(generation: Path, segment_id: str) -> Path:
    return generation / f"{segment_id}.postings"


def derive_segment(leaf) -> dict[str, np.ndarray]:
    """The arrays of one Whoosh segment reader, read block by block from its posting lists.

    This reads the posting blocks of whoosh3 3.54.0's codec (pinned exactly in pyproject.toml); the tests compare
    the arrays with Whoosh's own postings.
    """
    collector = ArraysCollector(leaf.schema)
    terms_reader = leaf._terms
    for fieldname in collector.fieldnames:
        fmt = leaf.schema[fieldname].format
        with_positions = fmt.supports("positions")
        for (name, term), info in terms_reader.items_from(fieldname, b""):
            if name != fieldname:
                break
            matcher = leaf._codec.postings_reader(terms_reader._postfile, info, fmt, term=(fieldname, term))
            field = collector.start_term(fieldname, term)
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                field.docs.extend(matcher._ids)
                field.freqs.extend(matcher._weights)
                if with_positions:
                    matcher._read_values()
                    for value in matcher._values:
                        field.add_positions(fmt.decode_positions(value))
                matcher._next_block()
    return collector.arrays(leaf.doc_count_all(), leaf._perdoc)


class _FieldArrays:
    """One field's arrays as they grow, term after term in sorted order."""

    def __init__(self, with_positions: bool) -> None:
        self.blob, self.ends, self.starts = bytearray(), array("q"), array("q", [0])
        self.docs, self.freqs = array("I"), array("f")
        self.with_positions = with_positions
        self.positions, self.position_ends = array("I"), array("I", [0])

    def end_term(self, term: bytes) -> None:
        self.blob += term
        self.ends.append(len(self.blob))
        self.starts.append(len(self.docs))

    def add_positions(self, positions: list[int]) -> None:
        self.positions.extend(positions)
        self.position_ends.append(len(self.positions))


class ArraysCollector:
    """A segment's arrays gathered from its postings in Whoosh's order (field, term, release): read back from a
    segment (derive_segment), or taken from the postings on their way into a new segment (segment_build.py).

    With a `sink`, each field's arrays go to it as soon as the field is complete (Whoosh's order is by field), so
    that only one field's arrays are held at a time."""

    def __init__(self, schema, sink: Callable[[str, np.ndarray], None] | None = None) -> None:
        self.fieldnames = [name for name in SCORED_FIELDS if name in schema]
        self._schema = schema
        self._sink = sink
        self._fields: dict[str, _FieldArrays] = {}
        self._done: set[str] = set()
        self._open: tuple[str, _FieldArrays, bytes] | None = None

    def start_term(self, fieldname: str, term: bytes) -> _FieldArrays:
        """The arrays the postings of `term` go to (after those of every term before it)."""
        if self._open is not None:
            self._open[1].end_term(self._open[2])
            if self._open[0] != fieldname:
                self._finish_field(self._open[0])
        field = self._fields.get(fieldname)
        if field is None:
            field = self._fields[fieldname] = _FieldArrays(self._schema[fieldname].format.supports("positions"))
        self._open = (fieldname, field, term)
        return field

    def add_term(self, fieldname: str, term: bytes, docs: array, weights: array, values: list[bytes]) -> None:
        """Postings of one term of a new segment at once, in Whoosh's order (a term's postings may come in several
        calls, one after another); other fields are passed over."""
        if fieldname not in self.fieldnames:
            return
        if self._open is not None and self._open[0] == fieldname and self._open[2] == term:
            field = self._open[1]
        else:
            field = self.start_term(fieldname, term)
        field.docs.extend(docs)
        field.freqs.fromlist(weights.tolist())
        if field.with_positions:
            decode = self._schema[fieldname].format.decode_positions
            for value in values:
                field.add_positions(decode(value))

    def _finish_field(self, fieldname: str) -> None:
        if self._sink is None:
            return
        for name, values in self._field_arrays(fieldname).items():
            self._sink(name, values)
        self._fields.pop(fieldname, None)
        self._done.add(fieldname)

    def _field_arrays(self, fieldname: str) -> dict[str, np.ndarray]:
        field = self._fields.get(fieldname) or _FieldArrays(self._schema[fieldname].format.supports("positions"))
        ends = np.frombuffer(field.ends, dtype=np.int64)
        arrays: dict[str, np.ndarray] = {
            f"{fieldname}.terms": np.frombuffer(bytes(field.blob), dtype=np.uint8),
            f"{fieldname}.ends": ends,
            f"{fieldname}.keys": _keys(bytes(field.blob), ends),
            f"{fieldname}.starts": np.frombuffer(field.starts, dtype=np.int64),
            f"{fieldname}.docs": np.frombuffer(field.docs, dtype=np.uint32),
            f"{fieldname}.freqs": _compact(np.frombuffer(field.freqs, dtype=np.float32)),
        }
        if field.with_positions:
            arrays[f"{fieldname}.position_starts"] = np.frombuffer(field.position_ends, dtype=np.uint32)
            arrays[f"{fieldname}.positions"] = np.frombuffer(field.positions, dtype=np.uint32)
        return arrays

    def arrays(self, doc_count: int, perdoc) -> dict[str, np.ndarray]:
        """The segment's arrays not yet given to the sink (all of them without one), with its field lengths read
        from its per-document reader `perdoc`."""
        if self._open is not None:
            self._open[1].end_term(self._open[2])
            self._open = None
        arrays: dict[str, np.ndarray] = {}
        for fieldname in self.fieldnames:
            if fieldname not in self._done:
                arrays.update(self._field_arrays(fieldname))
            arrays[f"{fieldname}.lengths"] = _length_bytes(perdoc, fieldname, doc_count)
        arrays["doc_count"] = np.array([doc_count], dtype=np.int64)
        return arrays


class ArraysFile:
    """A postings file written array by array, for a segment being built: each array goes to a data file beside it
    as soon as it is complete; `finish` puts the header in front and moves the whole into place atomically."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._data_path = path.with_name(f".{path.name}.data.tmp")
        self._data = self._data_path.open("wb")
        self._header: dict[str, list] = {}
        self._offset = 0

    def add(self, name: str, values: np.ndarray) -> None:
        self._header[name] = [values.dtype.str, self._offset, int(values.size)]
        for chunk in _array_chunks(values):
            self._data.write(chunk)
        self._offset += -(-values.nbytes // 8) * 8

    def finish(self, arrays: dict[str, np.ndarray]) -> None:
        """Add the last `arrays` and write the file."""
        for name, values in arrays.items():
            self.add(name, values)
        self._data.close()
        try:
            with self._data_path.open("rb") as data:
                write_atomically(self._path, [*_header_chunks(self._header), *iter(lambda: data.read(1 << 20), b"")])
        finally:
            self._data_path.unlink(missing_ok=True)

    def discard(self) -> None:
        self._data.close()
        self._data_path.unlink(missing_ok=True)


def _compact(freqs: np.ndarray) -> np.ndarray:
    """Term frequencies as 16-bit integers when they are counts (always, for presse's fields): half the bytes."""
    if len(freqs) and (freqs.max() > np.iinfo(np.uint16).max or not np.array_equal(freqs, np.floor(freqs))):
        return freqs
    return freqs.astype(np.uint16)


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


def encode(arrays: dict[str, np.ndarray]) -> bytes:
    return b"".join(encoded_chunks(arrays))


def encoded_chunks(arrays: dict[str, np.ndarray]) -> Iterator[bytes | memoryview]:
    """The file's bytes in chunks: the arrays' own memory, not copies (a segment's arrays are tens of megabytes)."""
    header, offset = {}, 0
    for name, values in arrays.items():
        header[name] = [values.dtype.str, offset, int(values.size)]
        offset += -(-values.nbytes // 8) * 8
    yield from _header_chunks(header)
    for values in arrays.values():
        yield from _array_chunks(values)


def _header_chunks(header: dict[str, list]) -> list[bytes]:
    head = json.dumps(header).encode("utf-8")
    return [MAGIC, len(head).to_bytes(8, "little"), head, b"\0" * (-(len(MAGIC) + 8 + len(head)) % 8)]


def _array_chunks(values: np.ndarray) -> list[bytes | memoryview]:
    """An array's bytes (its own memory) and the padding to the next multiple of 8."""
    return [np.ascontiguousarray(values).reshape(-1).view(np.uint8).data, b"\0" * (-values.nbytes % 8)]


def write_segment_postings(generation: Path, segment_id: str, leaf) -> None:
    write_atomically(postings_path(generation, segment_id), encoded_chunks(derive_segment(leaf)))


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
    for fieldname in SCORED_FIELDS:
        if f"{fieldname}.terms" not in arrays:
            continue
        fields[fieldname] = FieldPostings(
            terms=SortedTerms(arrays[f"{fieldname}.terms"], arrays[f"{fieldname}.ends"], arrays[f"{fieldname}.keys"]),
            starts=arrays[f"{fieldname}.starts"],
            docs=arrays[f"{fieldname}.docs"],
            freqs=arrays[f"{fieldname}.freqs"],
            lengths=_BYTE_LENGTHS[arrays[f"{fieldname}.lengths"]],
            position_starts=arrays.get(f"{fieldname}.position_starts"),
            positions=arrays.get(f"{fieldname}.positions"),
        )
    return SegmentPostings(int(arrays["doc_count"][0]), fields)


# Segments never change, so each process reads a segment's arrays once, and keeps those of the segments its
# newest searcher reads (forget_segments): searchers of older commits hold their own references meanwhile.
_LOADED: dict[tuple[str, str], SegmentPostings] = {}


def load_segment_postings(leaf) -> SegmentPostings:
    """The arrays of one segment reader: memory-mapped from the file beside it, else derived from the segment (a
    file that is missing or damaged is logged once, and the search goes on)."""
    key = segment_key(leaf)
    folder, segment_id = Path(key[0]), key[1]
    if key not in _LOADED:
        path = postings_path(folder, segment_id)
        try:
            loaded = segment_postings(read_arrays(path))
            if loaded.doc_count != leaf.doc_count_all():
                raise DamagedPostings(f"{path} holds {loaded.doc_count} releases, the segment {leaf.doc_count_all()}")
        except FileNotFoundError:
            # A reader can open a commit before its writer has written the arrays (a moment); or they were lost.
            log.info("postings of segment %s not written yet: read from the index", segment_id)
            loaded = segment_postings(derive_segment(leaf))
        except (OSError, DamagedPostings, ValueError) as error:
            log.warning("postings of segment %s read from the index instead: %s", segment_id, error)
            loaded = segment_postings(derive_segment(leaf))
        _LOADED[key] = loaded
    return _LOADED[key]


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
    for key in [key for key in _LOADED if key not in keep]:
        del _LOADED[key]


def write_missing_postings(generation: Path, ix) -> None:
    """Write the arrays of every segment of the index `ix` that has none yet (a commit's new segments).

    The arrays of segments merged away are named like their other files, so Whoosh's clean-up removes them too."""
    with ix.reader() as reader:
        for leaf, _ in segment_readers(reader):
            segment_id = segment_key(leaf)[1]
            if not postings_path(generation, segment_id).exists():
                write_segment_postings(generation, segment_id, leaf)
