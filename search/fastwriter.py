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
on both. Every segment it flushes also gets its posting arrays (``columnar``),
so every write to the index, deletions included, must go through it.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import Any

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.columnar import SegmentArrays, write_segment_arrays

Postings = list  # flat: docnum, weight, encoded value, docnum, weight, value, ...


class TermPool:
    """Postings of one batch: field → term → a flat list in docnum order."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Postings]] = defaultdict(dict)

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface, used when segments are merged into this one."""
        fieldname, btext, docnum, weight, value = item
        self.fields[fieldname].setdefault(btext, []).extend((docnum, weight, value or emptybytes))

    def cleanup(self) -> None:
        self.fields.clear()


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with an in-memory ``TermPool`` and a block-at-a-time flush."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        # Separate files, not one compound file per segment: Whoosh copies every
        # file it opens from a compound file into memory, which made opening a
        # 143,821-article index take most of a second.
        super().__init__(ix, compound=False, **kwargs)
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

    def _positional(self) -> frozenset[str]:
        return frozenset(n for n, f in self.schema.items() if getattr(f, "positions", False))

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        """Merging a segment in: positions live only in its posting arrays, so
        positional fields come from there; everything else from Whoosh."""
        positional = self._positional()
        add = self.pool.add
        for item in self._process_posts(reader.iter_postings(), startdoc, docmap):
            if item[0] not in positional:
                add(item)
        segment = reader.segment()
        source = SegmentArrays(reader.storage(), segment.segment_id(), segment.doc_count_all())
        try:
            for fieldname in positional:
                for btext, docnum, weight, value in source.iter_postings(fieldname):
                    if docmap is None:
                        add((fieldname, btext, startdoc + docnum, weight, value))
                    elif docnum in docmap:  # not deleted
                        add((fieldname, btext, docmap[docnum], weight, value))
        finally:
            source.close()

    def add_prepared(self, fields: dict[str, Any]) -> None:
        """Add one document whose field values are ready for ``field.index``.

        The lean version of ``add_document``: no boosts, no columns, no vectors.
        """
        self._check_state()
        schema, docnum, pool_fields = self.schema, self.docnum, self.pool.fields
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for fieldname, value in fields.items():
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                terms = pool_fields[fieldname]
                for btext, freq, weight, vbytes in field.index(value):
                    postings = terms.get(btext)
                    if postings is None:
                        terms[btext] = [docnum, weight, vbytes]
                    else:
                        postings += (docnum, weight, vbytes)
                    length += freq
                if not field.scorable:
                    length = 0
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        write_segment_arrays(
            self.storage,
            self.newsegment.segment_id(),
            self.pool.fields,
            self._lengths,
            self.docnum,
            self._positional(),
        )
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            lengths = self._lengths.get(fieldname, {})
            for btext, postings in sorted(self.pool.fields[fieldname].items()):
                fieldwriter.start_term(btext)
                _fill_blocks(fieldwriter._postwriter, postings, lengths, self.codec._compression)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()


COMPRESS_FROM = 8  # postings


def _fill_blocks(
    writer: W3PostingsWriter, postings: Postings, lengths: dict[int, int], compression: int
) -> None:
    """Give ``writer`` whole blocks: what ``add_posting`` would build one posting at a time."""
    docnums, weights, values = postings[0::3], postings[1::3], postings[2::3]
    limit = writer._blocklimit
    keep_values = bool(values[0])  # Whoosh keeps no values for formats without any
    # zlib only makes a block of a few postings longer (and costs a call each)
    writer._compression = compression if len(docnums) >= COMPRESS_FROM else 0
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        end = start + limit
        ids = docnums[start:end]
        block_weights = weights[start:end]
        writer._ids = array("I", ids)
        writer._weights = array("f", block_weights)
        writer._values = values[start:end] if keep_values else []
        writer._maxweight = max(block_weights)
        found = [lengths[d] for d in ids if d in lengths] if lengths else ()
        writer._minlength = min(found) if found else None
        writer._maxlength = max(found) if found else 0
