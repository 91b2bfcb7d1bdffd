"""A query that matches given releases with a constant score: a bonus or a restriction for releases already
known, without expanding a range query into its terms."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import ListMatcher
from whoosh.reading import IndexReader

from . import Searcher


class DocScore(wq.Query):
    """Matches the given documents (top-level numbers of `searcher`), each with the constant score `weight`: a bonus
    for documents already known, without expanding a range query into its terms."""

    def __init__(self, searcher: Searcher, docnums: set[int], weight: float) -> None:
        self.top = searcher
        self.docnums = sorted(docnums)
        self.boost = weight

    def __repr__(self) -> str:
        return f"DocScore({len(self.docnums)} documents, {self.boost:g})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocScore) and (other.docnums, other.boost) == (self.docnums, self.boost)

    def __hash__(self) -> int:
        return hash((tuple(self.docnums), self.boost))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: IndexReader) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Searcher, context: object = None) -> ListMatcher:
        offset = 0 if searcher is self.top else self.top._offset_for_subsearcher(searcher)
        end = offset + searcher.doc_count_all()
        local = [docnum - offset for docnum in self.docnums if offset <= docnum < end]
        # Weights per document, not all_weights: ListMatcher reads an all_weights of 0.0 as "none given", i.e. 1.0.
        return ListMatcher(local, weights=[self.boost] * len(local))
