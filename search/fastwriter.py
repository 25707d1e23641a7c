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
on both. Every segment it flushes also gets its posting arrays (``columnar``) and its
syllable statistics (``syllable_stats``), so every write to the index, deletions
included, must go through it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from array import array
from collections import defaultdict
from pathlib import Path
from time import time
from typing import Any, Iterable, Sequence

from whoosh import formats
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import TOC
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.columnar import SegmentArrays, write_segment_arrays
from search.commits import remove_leftovers
from search.manifest import META_FILE, segment_files, write_manifest
from search.merging import capped_merge
from search.schema import encode_frequency as _encode_frequency
from search.ledger import ledger_name
from search.syllable_stats import SyllableCollector
from search.trust import FILE_MODE, write_private_text

class TermPostings:
    """One term's postings in a batch, in document order: compact arrays, not Python objects.

    Only positional fields keep a value per posting (the encoded positions); the values
    Whoosh stores for frequency fields are rebuilt from the weights when the blocks are
    written, so a large merge does not hold a bytes object per posting.
    """

    __slots__ = ("ids", "weights", "values")

    def __init__(self, positional: bool) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] | None = [] if positional else None

    def add(self, docnum: int, weight: float, value: bytes) -> None:
        self.ids.append(docnum)
        self.weights.append(weight)
        if self.values is not None:
            self.values.append(value)


class TermPool:
    """Postings of one batch: field → term → ``TermPostings``."""

    def __init__(self, positional: frozenset[str]) -> None:
        self.positional = positional
        self.fields: dict[str, dict[bytes, TermPostings]] = defaultdict(dict)

    def postings(self, fieldname: str, btext: bytes) -> TermPostings:
        terms = self.fields[fieldname]
        found = terms.get(btext)
        if found is None:
            found = terms[btext] = TermPostings(fieldname in self.positional)
        return found

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """Whoosh's pool interface, used when segments are merged into this one."""
        fieldname, btext, docnum, weight, value = item
        self.postings(fieldname, btext).add(docnum, weight, value or emptybytes)

    def cleanup(self) -> None:
        self.fields.clear()


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with an in-memory ``TermPool`` and a block-at-a-time flush."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        # Separate files, not one compound file per segment: Whoosh copies every
        # file it opens from a compound file into memory, which made opening a
        # 143,821-article index take most of a second.
        super().__init__(ix, compound=False, **kwargs)
        self.pool = TermPool(self._positional())
        self.ledger_json: str | None = None  # written with the commit (``search.ledger``) when set
        # field → {docnum: length as stored, i.e. after Whoosh's one-byte rounding}
        self._lengths: dict[str, dict[int, int]] = defaultdict(dict)
        self._record_lengths()
        self.syllables = SyllableCollector()  # the segment's syllable statistics (``syllable_stats``)

    def _record_lengths(self) -> None:
        perdoc = self.perdocwriter
        store = perdoc.add_field
        lengths = self._lengths

        def add_field(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
            if length:
                lengths[fieldname][perdoc._docnum] = byte_to_length(length_to_byte(length))
            store(fieldname, fieldobj, value, length)

        perdoc.add_field = add_field

    def commit(self, mergetype: Any = None, optimize: bool = False, merge: bool = True) -> None:
        """Whoosh's ``commit``, merging by ``merging.capped_merge`` unless told otherwise."""
        if mergetype is None and not optimize and merge:
            mergetype = capped_merge
        super().commit(mergetype=mergetype, optimize=optimize, merge=merge)

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
        self.syllables.add_segment(reader.storage(), segment.segment_id())

    def add_prepared(self, fields: dict[str, Any], syllables: Sequence[Sequence[bytes]] = ()) -> None:
        """Add one document whose field values are ready for ``field.index``.

        The lean version of ``add_document``: no boosts, no columns, no vectors.
        ``syllables``: the document's texts (title, body) as accented terms, for the
        segment's syllable statistics.
        """
        self._check_state()
        schema, docnum, postings_of = self.schema, self.docnum, self.pool.postings
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for fieldname, value in fields.items():
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                for btext, freq, weight, vbytes in field.index(value):
                    postings_of(fieldname, btext).add(docnum, weight, vbytes)
                    length += freq
                if not field.scorable:
                    length = 0
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
        perdoc.finish_doc()
        for text in syllables:
            self.syllables.add_text(text)
        self._added = True
        self.docnum += 1

    def _commit_toc(self, segments: list[Any]) -> None:
        """Whoosh's ``_commit_toc``, with the manifest (``search.manifest``) written
        before the TOC is renamed into place, and the commit before this one kept
        (``search.commits``): only older commits and leftovers are removed."""
        if not isinstance(self.storage, FileStorage):  # in memory: nothing to verify or sync
            super()._commit_toc(segments)
            return
        folder = self.storage.folder
        toc_bytes = _toc_bytes(TOC(self.schema, segments, self.generation), self.indexname)
        segment_ids = [s.segment_id() for s in segments]
        # Durable before the commit point: every file the new TOC names, then the manifest
        # (and its rename), then the TOC itself; the folder once more after its rename.
        named = segment_files(Path(folder), segment_ids)
        sync_files(Path(folder), named + [META_FILE] if (Path(folder) / META_FILE).is_file() else named)
        extra = []
        if self.ledger_json is not None:
            extra.append(ledger_name(self.indexname, self.generation))
            write_private_text(Path(folder) / extra[0], self.ledger_json, sync=True)
        write_manifest(
            Path(folder),
            self.indexname,
            self.generation,
            toc_bytes,
            segment_ids,
            documents=sum(s.doc_count() for s in segments),
            extra=extra,
        )
        sync_directory(Path(folder))
        _write_toc(Path(folder), self.indexname, self.generation, toc_bytes)
        sync_directory(Path(folder))
        remove_leftovers(Path(folder), (self.generation, self.generation - 1), self.indexname)

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
            field = self.schema[fieldname]
            fieldwriter.start_field(fieldname, field)
            lengths = self._lengths.get(fieldname, {})
            with_values = not isinstance(field.format, formats.Existence)
            for btext, postings in sorted(self.pool.fields[fieldname].items()):
                fieldwriter.start_term(btext)
                _fill_blocks(fieldwriter._postwriter, postings, with_values, lengths, self.codec._compression)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()
        # the statistics last, after the pool (largest in a merge) is freed
        self.pool.cleanup()
        self._lengths.clear()
        _return_freed_memory()
        self.syllables.write(self.storage, self.newsegment.segment_id())
        self.syllables.clear()


def _return_freed_memory() -> None:
    """Give the memory the pool freed back to the system (glibc's ``malloc_trim``; nothing
    elsewhere). glibc keeps freed heap for reuse, and the statistics' large arrays are
    mapped afresh: it lowered the peak of a full VietNews build from 567 to 533 MB."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


def _toc_bytes(toc: TOC, indexname: str) -> bytes:
    """The bytes ``TOC.write`` would write, without touching the index folder."""
    ram = RamStorage()
    toc.write(ram, indexname)
    return ram.files[TOC._filename(indexname, toc.generation)]


def _write_toc(folder: Path, indexname: str, generation: int, toc_bytes: bytes) -> None:
    """What ``TOC.write`` does with these bytes: a temp file renamed to the TOC's name (the
    commit point), here flushed to disk first and private (0600) like every file we write."""
    name = TOC._filename(indexname, generation)
    temp = folder / f"{name}.{time()}"
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.write(descriptor, toc_bytes)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temp, folder / name)


def sync_files(folder: Path, names: Iterable[str]) -> None:
    """Flush files to disk (a file already flushed costs next to nothing)."""
    for name in names:
        descriptor = os.open(folder / name, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def sync_directory(folder: Path) -> None:
    """Make the folder's entries (new files, renames) durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


COMPRESS_FROM = 8  # postings


def _fill_blocks(
    writer: W3PostingsWriter, postings: TermPostings, with_values: bool, lengths: dict[int, int], compression: int
) -> None:
    """Give ``writer`` whole blocks: what ``add_posting`` would build one posting at a time.

    ``with_values``: the field's format stores a value per posting, its frequency, which
    is the posting's weight (no boosts here).
    """
    docnums, weights = postings.ids, postings.weights
    limit = writer._blocklimit
    # zlib only makes a block of a few postings longer (and costs a call each)
    writer._compression = compression if len(docnums) >= COMPRESS_FROM else 0
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        end = start + limit
        ids = docnums[start:end]
        block_weights = weights[start:end]
        writer._ids = ids
        writer._weights = block_weights
        writer._values = [_encode_frequency(int(w)) for w in block_weights] if with_values else []
        writer._maxweight = max(block_weights)
        found = [lengths[d] for d in ids if d in lengths] if lengths else ()
        writer._minlength = min(found) if found else None
        writer._maxlength = max(found) if found else 0
