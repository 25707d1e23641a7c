"""A Whoosh segment writer that keeps a batch's postings in memory, grouped by term.

Whoosh's ``SegmentWriter`` sends every posting through a generic pool (a tuple,
a size estimate, an external sort) and then, posting by posting, looks up the
document's field length on disk and appends to a block with type asserts.
Profiling showed that this, not analysis, was most of the indexing time. This
writer produces the same segment files (any Whoosh reader opens them) but:

- collects postings per ``(field, term)`` in arrays, already in document order;
- keeps each document's field lengths in memory as it writes them;
- fills posting blocks a whole block at a time.

It relies on ``SegmentWriter`` and ``W3PostingsWriter`` internals, which are
frozen in whoosh-reloaded 2.7.5 and unchanged in whoosh3; the test suite runs
on both. Only ``writer`` uses this module.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import Any, Iterator

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

Postings = tuple[array, array, list]  # docnums, weights, encoded values


class TermPool:
    """Postings of one batch: (field, term) → arrays in docnum order."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], Postings] = {}
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface, used when segments are merged into this one."""
        fieldname, btext, docnum, weight, value = item
        self.fieldnames.add(fieldname)
        postings = self.terms.get((fieldname, btext))
        if postings is None:
            postings = self.terms[(fieldname, btext)] = (array("I"), array("f"), [])
        postings[0].append(docnum)
        postings[1].append(weight)
        if value:
            postings[2].append(value)

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        for (fieldname, btext), (docnums, weights, values) in sorted(self.terms.items()):
            for i, docnum in enumerate(docnums):
                yield fieldname, btext, docnum, weights[i], values[i] if values else emptybytes

    def cleanup(self) -> None:
        self.terms.clear()


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with an in-memory ``TermPool`` and a block-at-a-time flush."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = TermPool()
        # field → {docnum: length as stored, i.e. after Whoosh's one-byte rounding}
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)
        self._record_lengths()

    def _record_lengths(self) -> None:
        perdoc = self.perdocwriter
        store = perdoc.add_field
        lengths = self._lengths

        def add_field(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
            if length:
                lengths[fieldname][perdoc._docnum] = byte_to_length(length_to_byte(length))
            store(fieldname, fieldobj, value, length)

        perdoc.add_field = add_field

    def add_prepared(self, fields: dict[str, Any]) -> None:
        """Add one document whose field values are ready for ``field.index``.

        The lean version of ``add_document``: no boosts, no columns, no vectors.
        """
        self._check_state()
        schema, docnum, pool = self.schema, self.docnum, self.pool
        terms, perdoc = pool.terms, self.perdocwriter
        perdoc.start_doc(docnum)
        for fieldname, value in fields.items():
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                pool.fieldnames.add(fieldname)
                for btext, freq, weight, vbytes in field.index(value):
                    postings = terms.get((fieldname, btext))
                    if postings is None:
                        postings = terms[(fieldname, btext)] = (array("I"), array("f"), [])
                    postings[0].append(docnum)
                    postings[1].append(weight)
                    postings[2].append(vbytes)
                    length += freq
                if not field.scorable:
                    length = 0
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        current = None
        for (fieldname, btext), postings in sorted(self.pool.terms.items()):
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                lengths = self._lengths.get(fieldname, {})
            fieldwriter.start_term(btext)
            _fill_blocks(fieldwriter._postwriter, postings, lengths)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()


def _fill_blocks(writer: W3PostingsWriter, postings: Postings, lengths: dict[int, int]) -> None:
    """Give ``writer`` whole blocks: what ``add_posting`` would build one posting at a time."""
    docnums, weights, values = postings
    limit = writer._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        end = start + limit
        ids = docnums[start:end]
        block_weights = weights[start:end]
        writer._ids = ids
        writer._weights = block_weights
        writer._values = values[start:end] if values and values[0] else []
        writer._maxweight = max(block_weights)
        found = [lengths[d] for d in ids if d in lengths]
        writer._minlength = min(found) if found else None
        writer._maxlength = max(found) if found else 0
