"""The segment writer of a build's share: Whoosh's SegmentWriter, but each field's words of a release go into the
compact pool at once, as the per-word cached analyses found them (schema.IndexedText), instead of as one posting
tuple after another through Whoosh's generic loop with positions pickled on the way: that plumbing was half of a
build's time.

Releases are added in order and never merged from other segments; the segment is written by segment_build.py.
"""

from __future__ import annotations

from typing import Any, cast

from whoosh.analysis import IDTokenizer
from whoosh.fields import ID
from whoosh.writing import SegmentWriter

from .posting_pool import CompactPostingPool
from .schema import WRITER_OPTIONS, IndexedText


class BuildWriter(SegmentWriter):
    """A SegmentWriter (whoosh3 3.54.0, pinned) for presse's schema whose pool is a CompactPostingPool of its own:
    a share's writer takes a temporary folder of its own, as every writer of an index names its folder alike
    (MAIN.tmp) and removes it when done (the columns' temporary files stay in the shared one, by names of their own;
    the build's commit removes it)."""

    def __init__(self, ix, limitmb: float) -> None:
        # The building process holds the index's lock; a share writes only its own new segment's files.
        super().__init__(ix, _lk=False, limitmb=limitmb, **WRITER_OPTIONS)
        for name, field in self.schema.items():
            # The analyses give counts and positions; a boost would make a weight differ from its count.
            if isinstance(field, IndexedText) and field.format is not None and field.format.field_boost != 1.0:
                raise ValueError(f"field {name!r}: a build writes IndexedText fields without a field boost only")
        self._tempstorage = ix.storage.temp_storage(f"{self.newsegment.segment_id()}.tmp")
        self.pool = CompactPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    @property
    def compact_pool(self) -> CompactPostingPool:
        return cast(CompactPostingPool, self.pool)

    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document for presse's schema (no boosts, spelling fields or term vectors), with each field's
        postings added to the pool at once."""
        self._check_state()
        schema, perdoc, pool, docnum = self.schema, self.perdocwriter, self.compact_pool, self.docnum
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdoc.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if isinstance(field, IndexedText) and field.with_positions:
                    positions = field.positions_of(value)
                    pool.add_positions(fieldname, docnum, positions)
                    length = sum(len(found) for found in positions.values())
                elif isinstance(field, IndexedText):
                    counts = field.counts_of(value)
                    pool.add_weights(fieldname, docnum, counts)
                    length = sum(counts.values())
                elif type(field) is ID and type(field.analyzer) is IDTokenizer and isinstance(value, str):
                    # What Whoosh's ID field indexes, without its token machinery: the value as one term.
                    pool.add_weights(fieldname, docnum, {value.encode("utf-8"): field.format.field_boost})
                elif field.indexed:
                    if field.format.supports("positions"):
                        raise ValueError(f"field {fieldname!r}: a build keeps positions of IndexedText fields only")
                    weights = {}
                    for term, frequency, weight, _ in field.index(value):
                        weights[term] = weight
                        length += frequency
                    pool.add_weights(fieldname, docnum, weights)
                if not field.scorable:
                    length = 0
                stored = fields.get(f"_stored_{fieldname}", value)
                perdoc.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1
