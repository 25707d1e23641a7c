"""Posting arrays: each segment's postings again, laid out for scoring with numpy.

Whoosh's posting blocks are pickled tuples; scoring a common syllable means
unpickling and walking ~100,000 postings in Python, about a second per query
on VietNews. So when the writer flushes a segment it also writes, beside
Whoosh's files, two files named after the segment (Whoosh deletes them with
the segment):

``<segment>.vpa``  for every (field, term): doc numbers (uint32) then weights
                   (float32), little-endian; then each scorable field's
                   per-document length (float32)
``<segment>.vpd``  a Whoosh hash table: ``field \\0 term`` → (offset, count)

A query then costs one hash look-up and one zero-copy ``numpy.frombuffer`` per
term and segment, and scoring is vectorized (``search.scoring``). Whoosh still
owns everything else: stored fields, deletions, positions, merging.
"""

from __future__ import annotations

import mmap
import struct
from typing import Any, Iterable

import numpy as np
from whoosh.filedb.filetables import HashReader, HashWriter

ARRAYS_EXT, DIRECTORY_EXT = "vpa", "vpd"
_ENTRY = struct.Struct("<QI")  # byte offset, count
_LENGTHS = b"\x01lengths\x00"
IDS, WEIGHTS = np.dtype("<u4"), np.dtype("<f4")


def _key(fieldname: str, btext: bytes) -> bytes:
    return fieldname.encode("utf-8") + b"\x00" + btext


def write_segment_arrays(
    storage: Any,
    segment_id: str,
    fields: dict[str, dict[bytes, list]],
    lengths: dict[str, dict[int, int]],
    doc_count: int,
) -> None:
    """Write the posting arrays of one segment; ``fields`` holds flat
    (docnum, weight, value, …) lists per term, as the writer's pool does."""
    arrays = storage.create_file(f"{segment_id}.{ARRAYS_EXT}")
    directory = HashWriter(storage.create_file(f"{segment_id}.{DIRECTORY_EXT}"))
    offset = 0
    for fieldname, terms in fields.items():
        for btext, flat in terms.items():
            count = len(flat) // 3
            arrays.write(np.array(flat[0::3], dtype=IDS).tobytes())
            arrays.write(np.array(flat[1::3], dtype=WEIGHTS).tobytes())
            directory.add(_key(fieldname, btext), _ENTRY.pack(offset, count))
            offset += count * (IDS.itemsize + WEIGHTS.itemsize)
    for fieldname, by_doc in lengths.items():
        column = np.zeros(doc_count, dtype=WEIGHTS)
        if by_doc:
            column[np.fromiter(by_doc.keys(), dtype=np.int64)] = list(by_doc.values())
        arrays.write(column.tobytes())
        directory.add(_LENGTHS + fieldname.encode("utf-8"), _ENTRY.pack(offset, doc_count))
        offset += doc_count * WEIGHTS.itemsize
    arrays.close()
    directory.close()


def has_segment_arrays(storage: Any, segment_id: str) -> bool:
    return storage.file_exists(f"{segment_id}.{DIRECTORY_EXT}")


class SegmentArrays:
    """Read side of one segment's posting arrays (memory-mapped when on disk)."""

    def __init__(self, storage: Any, segment_id: str, doc_count: int) -> None:
        self.doc_count = doc_count
        self._directory = HashReader.open(storage, f"{segment_id}.{DIRECTORY_EXT}")
        name = f"{segment_id}.{ARRAYS_EXT}"
        self._file = storage.open_file(name)
        folder = getattr(storage, "folder", None)
        if folder is not None and storage.file_length(name) > 0:
            self._buffer: Any = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        else:
            self._buffer = self._file.read()

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """(doc numbers, weights) of a term in this segment, or None."""
        entry = self._directory.get(_key(fieldname, btext))
        if entry is None:
            return None
        offset, count = _ENTRY.unpack(entry)
        ids = np.frombuffer(self._buffer, IDS, count, offset)
        weights = np.frombuffer(self._buffer, WEIGHTS, count, offset + count * IDS.itemsize)
        return ids, weights

    def lengths(self, fieldname: str) -> np.ndarray:
        entry = self._directory.get(_LENGTHS + fieldname.encode("utf-8"))
        if entry is None:
            return np.zeros(self.doc_count, dtype=WEIGHTS)
        offset, count = _ENTRY.unpack(entry)
        return np.frombuffer(self._buffer, WEIGHTS, count, offset)

    def close(self) -> None:
        self._directory.close()
        if isinstance(self._buffer, mmap.mmap):
            self._buffer.close()
        self._file.close()


def close_all(segments: Iterable[SegmentArrays]) -> None:
    for segment in segments:
        segment.close()
