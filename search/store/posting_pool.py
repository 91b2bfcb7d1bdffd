"""A build's posting pool: each field's postings grouped by term in flat arrays (release numbers, weights, and the
positions of fields that keep them), spilled to disk as runs sorted by term when the pool is full, and handed to the
segment's postings writer merged term by term.

Whoosh's own pool keeps every posting as a Python tuple (about 200 bytes) with its positions pickled, pickles each
one into its runs and merges the runs posting by posting through a heap. Here a field's words of one release are
added at once, as the analysis found them; a posting takes 8 bytes and 4 per position, a run is written and read in
large marshalled batches, and the merge compares terms, not postings. A build adds releases in order, so a term's
postings in an earlier run come before those in a later run: concatenating each term's postings run by run keeps
them sorted by release, as Whoosh requires.
"""

from __future__ import annotations

import heapq
import marshal
from array import array
from collections.abc import Iterator, Mapping, Sequence

from whoosh.writing import PostingPool

# What a term costs in memory besides its postings (its key, the dict entry, the array headers), as counted
# against the pool's limit.
TERM_BYTES = 400
# Terms marshalled together when a run is written: large enough that marshal, not Python, does the work.
BATCH_TERMS = 1024

# A term of a field: text as the analysis gives it (encoded as UTF-8 when written, which keeps the order), or bytes.
Term = str | bytes
# One term's postings as a run holds them: field name, term, then the releases, weights and positions (empty for a
# field without), each as bytes.
Group = tuple[str, Term, bytes, bytes, bytes]
# One term's postings as the pool hands them out: field name, term, releases, weights, positions (or None).
TermPostings = tuple[str, bytes, array, array, array | None]


class _Postings:
    __slots__ = ("docs", "weights", "positions")

    def __init__(self, with_positions: bool) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.positions = array("I") if with_positions else None


class CompactPostingPool(PostingPool):
    """The pool of a SegmentWriter that adds releases in order (never merges others); only BuildWriter adds to it."""

    def __init__(self, tempstore, segment, limitmb: float = 128, **kwargs) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.count = 0  # postings added: how much writing the segment will take
        self._fields: dict[str, dict[Term, _Postings]] = {}

    def add(self, item) -> None:
        raise NotImplementedError("the compact pool takes a field's words at once: add_positions, add_weights")

    def add_positions(self, fieldname: str, docnum: int, found: Mapping[str, Sequence[int]]) -> None:
        """A release's words of one field with their positions (its weight in the release is their count)."""
        terms = self._fields.setdefault(fieldname, {})
        size = 0
        for term, positions in found.items():
            postings = terms.get(term) or self._new_term(terms, term, True)
            postings.docs.append(docnum)
            postings.weights.append(len(positions))
            postings.positions.extend(positions)  # type: ignore[union-attr]
            size += 8 + 4 * len(positions)
        self._added(len(found), size)

    def add_weights(self, fieldname: str, docnum: int, found: Mapping[str, float] | Mapping[bytes, float]) -> None:
        """A release's words of one field with their weights."""
        terms = self._fields.setdefault(fieldname, {})
        term: Term
        for term, weight in found.items():
            postings = terms.get(term) or self._new_term(terms, term, False)
            postings.docs.append(docnum)
            postings.weights.append(weight)
        self._added(len(found), 8 * len(found))

    def _new_term(self, terms: dict[Term, _Postings], term: Term, with_positions: bool) -> _Postings:
        self.currentsize += TERM_BYTES + len(term)
        postings = terms[term] = _Postings(with_positions)
        return postings

    def _added(self, postings: int, size: int) -> None:
        self.count += postings
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    @staticmethod
    def _groups(fields: dict[str, dict[Term, _Postings]]) -> Iterator[Group]:
        """The terms of `fields` in order, as a run holds them."""
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for term in sorted(terms):
                postings = terms[term]
                positions = postings.positions.tobytes() if postings.positions is not None else b""
                yield fieldname, term, postings.docs.tobytes(), postings.weights.tobytes(), positions

    def save(self) -> None:
        if not self._fields:
            return
        path, file = self._new_run()
        try:
            batch: list[Group] = []
            for group in self._groups(self._fields):
                batch.append(group)
                if len(batch) == BATCH_TERMS:
                    marshal.dump(batch, file)
                    batch = []
            if batch:
                marshal.dump(batch, file)
        finally:
            file.close()
        self.runs.append(path)
        self._fields = {}
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

    def iter_terms(self) -> Iterator[TermPostings]:
        """Each term's postings, sorted by field and term (a term spilled in several runs comes once per run, one
        after another); the releases ascend."""
        if not self.runs:
            groups: Iterator[tuple[Group, int]] = ((group, 0) for group in self._groups(self._fields))
        else:
            self.save()
            runs = [((group, number) for group in self._read_groups(path)) for number, path in enumerate(self.runs)]
            self.runs = []
            # Equal terms come out in run order (the run number breaks the tie), so their releases ascend.
            groups = heapq.merge(*runs, key=lambda pair: (pair[0][0], pair[0][1], pair[1]))
        self._fields = {}
        for (fieldname, term, docs, weights, positions), _ in groups:
            yield (fieldname, term.encode("utf-8") if isinstance(term, str) else term, array("I", docs),
                   array("f", weights), array("I", positions) if positions else None)

    def cleanup(self) -> None:
        self._fields = {}
        super().cleanup()
