"""Posting arrays: each segment's postings again, laid out for scoring with numpy.

Whoosh's posting blocks are pickled tuples; scoring a common syllable means
unpickling and walking ~100,000 postings in Python, about a second per query
on VietNews. So when the writer flushes a segment it also writes, beside
Whoosh's files, two files named after the segment (Whoosh deletes them with
the segment):

``<segment>.vpa``  for every (field, term): doc numbers (uint32), weights
                   (uint16: whole counts) and, for a field with positions, the end offset
                   of each posting's encoded positions (uint32) and those
                   encodings; then each scorable field's per-document length
                   (float32); all little-endian
``<segment>.vpd``  a Whoosh hash table: ``field \\0 term`` → (offset, count)

A query then costs one hash look-up and one zero-copy ``numpy.frombuffer`` per
term and segment, and scoring is vectorized (``search.scoring``). Whoosh still
owns everything else: stored fields, deletions, positions, merging.
"""

from __future__ import annotations

import mmap
import struct
from typing import Any, Iterable, Iterator

import numpy as np
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filetables import HashReader, HashWriter

ARRAYS_EXT, DIRECTORY_EXT = "vpa", "vpd"
_ENTRY = struct.Struct("<QII")  # byte offset, count, bytes of encoded values (positions)
_LENGTHS = b"\x01lengths\x00"
IDS, WEIGHTS, LENGTHS = np.dtype("<u4"), np.dtype("<u2"), np.dtype("<f4")
REMEMBERED_ENTRIES = 100_000  # directory entries a segment keeps (about 10 MB at most)
MAX_WEIGHT = 0xFFFF  # weights are whole counts (title terms count several times)


def _key(fieldname: str, btext: bytes) -> bytes:
    return fieldname.encode("utf-8") + b"\x00" + btext


def write_segment_arrays(
    storage: Any,
    segment_id: str,
    fields: dict[str, dict[bytes, Any]],
    lengths: dict[str, dict[int, int]],
    doc_count: int,
    positional: frozenset[str],
) -> None:
    """Write the posting arrays of one segment; ``fields`` holds the writer's pool
    (term → postings with ``ids``, ``weights`` and, for ``positional`` fields,
    ``values``: their encoded positions)."""
    arrays = storage.create_file(f"{segment_id}.{ARRAYS_EXT}")
    directory = HashWriter(storage.create_file(f"{segment_id}.{DIRECTORY_EXT}"))
    offset = 0
    for fieldname, terms in fields.items():
        with_values = fieldname in positional
        for btext, postings in terms.items():
            count = len(postings.ids)
            arrays.write(np.frombuffer(postings.ids, dtype=np.uint32).astype(IDS).tobytes())
            weights = np.frombuffer(postings.weights, dtype=np.float32)
            arrays.write(np.minimum(weights, MAX_WEIGHT).astype(WEIGHTS).tobytes())
            blob = b""
            if with_values:
                values = postings.values
                ends = np.cumsum([len(v) for v in values], dtype=np.int64).astype(IDS)
                blob = ends.tobytes() + b"".join(values)
                arrays.write(blob)
            directory.add(_key(fieldname, btext), _ENTRY.pack(offset, count, len(blob)))
            offset += count * (IDS.itemsize + WEIGHTS.itemsize) + len(blob)
    for fieldname, by_doc in lengths.items():
        column = np.zeros(doc_count, dtype=LENGTHS)
        if by_doc:
            column[np.fromiter(by_doc.keys(), dtype=np.int64)] = list(by_doc.values())
        arrays.write(column.tobytes())
        directory.add(_LENGTHS + fieldname.encode("utf-8"), _ENTRY.pack(offset, doc_count, 0))
        offset += doc_count * LENGTHS.itemsize
    arrays.close()
    directory.close()


class SegmentArrays:
    """Read side of one segment's posting arrays (memory-mapped when on disk)."""

    def __init__(self, storage: Any, segment_id: str, doc_count: int) -> None:
        self.doc_count = doc_count
        self._directory = HashReader.open(storage, f"{segment_id}.{DIRECTORY_EXT}")
        self._entries: dict[bytes, bytes | None] = {}
        self._file, self._buffer = _open_buffer(storage, f"{segment_id}.{ARRAYS_EXT}")

    def _entry(self, key: bytes) -> bytes | None:
        """The directory's entry for ``key``, remembered (a segment never changes): a Whoosh
        hash look-up costs about 75 µs, and one query asks each segment for the same keys
        several times (scoring, phrases, the adjacency bonus)."""
        if key not in self._entries:
            if len(self._entries) >= REMEMBERED_ENTRIES:
                self._entries.clear()
            self._entries[key] = self._directory.get(key)
        return self._entries[key]

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(doc numbers, weights) of a term in this segment, or None."""
        entry = self._entry(_key(fieldname, btext))
        if entry is None:
            return None
        offset, count, _ = _ENTRY.unpack(entry)
        ids = np.frombuffer(self._buffer, IDS, count, offset)
        weights = np.frombuffer(self._buffer, WEIGHTS, count, offset + count * IDS.itemsize)
        return ids, weights

    def encoded_values(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, Any] | None:
        """(doc numbers, end offsets, encoded values) of a term in a positional field."""
        entry = self._entry(_key(fieldname, btext))
        if entry is None:
            return None
        offset, count, size = _ENTRY.unpack(entry)
        ids = np.frombuffer(self._buffer, IDS, count, offset)
        start = offset + count * (IDS.itemsize + WEIGHTS.itemsize)
        ends = np.frombuffer(self._buffer, IDS, count, start)
        values_start = start + count * IDS.itemsize
        return ids, ends, self._buffer[values_start : start + size]

    def positions_in(self, fieldname: str, btext: bytes, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(doc, position) of every occurrence of a term in ``docs`` (sorted doc numbers of this
        segment), as two flat int64 arrays, decoded with numpy: one phrase check over forty
        thousand documents is then a few array operations, not forty thousand decodings."""
        entry = self._entry(_key(fieldname, btext))
        if entry is None or not len(docs):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        offset, count, size = _ENTRY.unpack(entry)
        ids = np.frombuffer(self._buffer, IDS, count, offset)
        start = offset + count * (IDS.itemsize + WEIGHTS.itemsize)
        ends = np.frombuffer(self._buffer, IDS, count, start)  # only the documents asked for are read
        values_start = start + count * IDS.itemsize
        values = np.frombuffer(self._buffer, np.uint8, size - count * IDS.itemsize, values_start)
        where = np.searchsorted(ids, docs)
        held = where < count
        held[held] = ids[where[held]] == docs[held]
        where, docs = where[held], docs[held].astype(np.int64)
        lasts = ends[where].astype(np.int64)
        firsts = np.where(where > 0, ends[np.maximum(where - 1, 0)].astype(np.int64), 0)
        widths = values[firsts].astype(np.int64)  # a width byte opens each document's positions
        out_docs, out_positions = [], []
        for width in (2, 4):
            chosen = widths == width
            if not chosen.any():
                continue
            first = firsts[chosen] + 1
            counts = (lasts[chosen] - first) // width
            total = int(counts.sum())
            within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
            at = np.repeat(first, counts) + width * within
            position = np.zeros(total, dtype=np.int64)
            for byte in range(width):  # little-endian
                position |= values[at + byte].astype(np.int64) << (8 * byte)
            out_docs.append(np.repeat(docs[chosen], counts))
            out_positions.append(position)
        if not out_docs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(out_docs), np.concatenate(out_positions)

    def iter_postings(self, fieldname: str) -> Iterator[tuple[bytes, int, int, bytes]]:
        """(term, docnum, weight, encoded positions) of a positional field, for merging."""
        prefix = fieldname.encode("utf-8") + b"\x00"
        for key in self._directory.keys():
            if not key.startswith(prefix):
                continue
            btext = key[len(prefix) :]
            ids, ends, values = self.encoded_values(fieldname, btext)  # type: ignore[misc]
            weights = self.postings(fieldname, btext)[1]  # type: ignore[index]
            start = 0
            for docnum, weight, end in zip(ids.tolist(), weights.tolist(), ends.tolist()):
                yield btext, docnum, weight, bytes(values[start:end])
                start = end

    def lengths(self, fieldname: str) -> np.ndarray:
        entry = self._entry(_LENGTHS + fieldname.encode("utf-8"))
        if entry is None:
            return np.zeros(self.doc_count, dtype=LENGTHS)
        offset, count, _ = _ENTRY.unpack(entry)
        return np.frombuffer(self._buffer, LENGTHS, count, offset)

    def close(self) -> None:
        self._directory.close()
        if isinstance(self._buffer, mmap.mmap):
            try:
                self._buffer.close()
            except BufferError:  # arrays handed out still point into it
                pass
        if self._file is not None:
            self._file.close()


def _open_buffer(storage: Any, name: str) -> tuple[Any, Any]:
    """(file to close or None, zero-copy buffer) of a file in any Whoosh storage.

    Segments are usually packed into one compound file that Whoosh memory-maps:
    take a view of that map rather than Whoosh's ``open_file``, which copies.
    """
    if isinstance(storage, CompoundStorage) and storage._source is not None:
        offset, length = storage.range(name)
        return None, memoryview(storage._source)[offset : offset + length]
    handle = storage.open_file(name)
    if handle.is_real and storage.file_length(name) > 0:  # a file on disk
        return handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return handle, handle.read()


def close_all(segments: Iterable[SegmentArrays]) -> None:
    for segment in segments:
        segment.close()
