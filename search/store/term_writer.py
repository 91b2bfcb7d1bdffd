"""A segment's postings handed to Whoosh's field writer a term at a time (whoosh3 3.54.0, pinned): the steps of
FieldWriter.add_postings and W3PostingsWriter.add_posting, with each block of a term's postings filled from slices
of its arrays instead of by one call per posting (those calls were a third of the time a share took to write its
segment). The blocks, their statistics and every byte of the segment's files stay as Whoosh writes them.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Protocol

# One term's postings, sorted by release: field name, term, releases, weights, each release's encoded value.
Term = tuple[str, bytes, array, array, list[bytes]]


class FieldLengths(Protocol):
    """What write_terms needs of a segment's field lengths: each field's length of a release, as a function."""

    def doc_field_length_reader(self, fieldname: str) -> Callable[[int], int | None]: ...


def write_terms(fieldwriter, schema, lengths: FieldLengths, terms: Iterable[Term]) -> None:
    """Write `terms`, sorted by field name and term (as a posting pool gives them: a term may come again, with its
    later releases), through Whoosh's W3FieldWriter; `lengths` gives the releases' field lengths, of which each
    block of postings records the least and the most."""
    current_field, current_term = None, None
    length_of: Callable[[int], int | None] = lambda _docnum: 0  # noqa: E731 (set at the first field)
    for fieldname, term, docs, weights, values in terms:
        if fieldname != current_field or term != current_term:
            if current_term is not None:
                fieldwriter.finish_term()
            if fieldname != current_field:
                if current_field is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                length_of = lengths.doc_field_length_reader(fieldname)
                current_field = fieldname
            fieldwriter.start_term(term)
            current_term = term
        _add_postings(fieldwriter._postwriter, docs, weights, values, length_of)
    if current_term is not None:
        fieldwriter.finish_term()
    if current_field is not None:
        fieldwriter.finish_field()


def _add_postings(postwriter, docs: array, weights: array, values: list[bytes],
                  length_of: Callable[[int], int | None]) -> None:
    """W3PostingsWriter.add_posting for each of the postings: a full block is written when a further posting comes
    (the last one by finish_postings), and each block keeps its heaviest weight and its shortest and longest field
    length (Whoosh counts only lengths that are not 0 or None)."""
    limit = postwriter._blocklimit
    start = 0
    while start < len(docs):
        if len(postwriter._ids) >= limit:
            postwriter._write_block()
        end = start + limit - len(postwriter._ids)
        block_docs = docs[start:end]
        block_weights = weights[start:end]
        postwriter._ids.extend(block_docs)
        postwriter._weights.fromlist(block_weights.tolist())
        postwriter._maxweight = max(postwriter._maxweight, max(block_weights))
        postwriter._values.extend(value for value in values[start:end] if value)
        known = [length for length in map(length_of, block_docs) if length]
        if known:
            shortest = min(known)
            if postwriter._minlength is None or shortest < postwriter._minlength:
                postwriter._minlength = shortest
            postwriter._maxlength = max(postwriter._maxlength, max(known))
        start = end
