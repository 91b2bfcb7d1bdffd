"""A compact posting pool for a build's writer: postings grouped by term in flat arrays, spilled to disk as runs
sorted by term when the pool is full, and handed to Whoosh's segment writer merged term by term.

Whoosh's own pool keeps every posting as a Python tuple (about 200 bytes), pickles each one into its runs and merges
the runs posting by posting through a heap: two thirds of a build's writing time and most of its memory. Here a
posting takes some 16 bytes, a run is written and read in large marshalled batches, and the merge compares terms,
not postings. A build adds releases in order, so a term's postings in an earlier run come before those in a later
run: concatenating each term's postings run by run keeps them sorted by release, as Whoosh requires.
"""

from __future__ import annotations

import heapq
import marshal
from array import array
from collections.abc import Iterator

from whoosh.writing import PostingPool

# What a term costs in memory besides its postings (its key, the dict entry, four array headers), as counted
# against the pool's limit.
TERM_BYTES = 400
# Terms marshalled together when a run is written: large enough that marshal, not Python, does the work.
BATCH_TERMS = 1024

# One term's postings as a run holds them: field name, term, then the releases, weights, value lengths and the
# values one after another, each as bytes.
Group = tuple[str, bytes, bytes, bytes, bytes, bytes]


class _Postings:
    __slots__ = ("docs", "weights", "sizes", "values")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("d")
        self.sizes = array("I")
        self.values = bytearray()


class CompactPostingPool(PostingPool):
    """A drop-in for Whoosh's PostingPool in a SegmentWriter that adds documents in order (never merges others)."""

    def __init__(self, tempstore, segment, limitmb: float = 128, **kwargs) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.count = 0  # postings added: how much writing the segment will take
        self._terms: dict[tuple[str, bytes], _Postings] = {}

    def add(self, item) -> None:
        fieldname, term, docnum, weight, value = item
        key = (fieldname, term)
        postings = self._terms.get(key)
        if postings is None:
            postings = self._terms[key] = _Postings()
            self.fieldnames.add(fieldname)
            self.currentsize += TERM_BYTES + len(term)
        value = value or b""
        postings.docs.append(docnum)
        postings.weights.append(weight)
        postings.sizes.append(len(value))
        postings.values += value
        self.count += 1
        self.currentsize += 16 + len(value)
        if self.currentsize > self.limit:
            self.save()

    def save(self) -> None:
        if not self._terms:
            return
        path, file = self._new_run()
        try:
            batch: list[Group] = []
            for key in sorted(self._terms):
                postings = self._terms[key]
                batch.append((key[0], key[1], postings.docs.tobytes(), postings.weights.tobytes(),
                              postings.sizes.tobytes(), bytes(postings.values)))
                if len(batch) == BATCH_TERMS:
                    marshal.dump(batch, file)
                    batch = []
            if batch:
                marshal.dump(batch, file)
        finally:
            file.close()
        self.runs.append(path)
        self._terms = {}
        self.currentsize = 0

    def _read_groups(self, path: str) -> Iterator[Group]:
        file = self._open_run(path)
        try:
            while True:
                try:
                    batch = marshal.load(file)
                except EOFError:
                    return
                yield from batch
        finally:
            file.close()
            self._remove_run(path)

    def iter_terms(self) -> Iterator[tuple[str, bytes, array, array, array, bytes]]:
        """Each term's postings, sorted by field and term: (field name, term, releases, weights, value sizes,
        values one after another); the releases ascend."""
        if not self.runs:
            groups: Iterator[tuple[Group, int]] = (((key[0], key[1], p.docs.tobytes(), p.weights.tobytes(),
                                                    p.sizes.tobytes(), bytes(p.values)), 0)
                                                  for key, p in sorted(self._terms.items()))
        else:
            self.save()
            runs = [((group, number) for group in self._read_groups(path)) for number, path in enumerate(self.runs)]
            self.runs = []
            # Equal terms come out in run order (the run number breaks the tie), so their releases ascend.
            groups = heapq.merge(*runs, key=lambda pair: (pair[0][0], pair[0][1], pair[1]))
        self._terms = {}
        for (fieldname, term, docs, weights, sizes, values), _ in groups:
            yield fieldname, term, array("I", docs), array("d", weights), array("I", sizes), values

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Every posting, sorted by field, term and release: (field name, term, release, weight, value)."""
        for fieldname, term, docs, weights, sizes, values in self.iter_terms():
            start = 0
            for docnum, weight, size in zip(docs, weights, sizes, strict=True):
                yield fieldname, term, docnum, weight, values[start:start + size]
                start += size

    def items(self, maxfiles: int = 128):
        return self.iter_postings()

    def cleanup(self) -> None:
        self._terms = {}
        super().cleanup()
