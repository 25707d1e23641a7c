"""Syllable and syllable-pair counts of the indexed text, kept beside each segment.

Accent restoration (``search.restore``) and autocomplete need to know how the index's own
text spells each folded syllable (``do`` → đó, do, độ, đỏ …) and which syllables follow
which (``tự do``, ``do đó``). Nothing is downloaded: the counts are learned at write time
from the accented terms the writer already has (``analysis.index_terms(...).accented``,
canonical lowercase syllables as UTF-8), with the ends of sentences marked
(``Terms.marked``), so no pair spans two sentences, the title and the body, or two documents. Each sentence is
counted between two ``BOUNDARY`` marks, a pseudo-syllable no word is spelled as: restoration
reads a query as a sentence, and learns which syllables start and end one. A sentence that
ends with a question mark has ``QUESTION`` before its end mark, so the last words of questions
are counted apart (``search.sentence_end``). Runs of three
syllables are counted too: one neighbour on each side is too little context (``nằm ở
đâu`` / ``năm ở đầu``).

**Write side** (``SyllableCollector``, one per segment writer). Syllables get small ids
from a per-segment vocabulary; each text's ids go into one ``array('I')`` with a
separator after it. At flush (and whenever the buffer passes ``REDUCE_AT`` ids, so that
memory stays bounded) numpy turns the buffer into unigram counts (``bincount``) and pair
keys ``id_a << 32 | id_b`` (``unique(..., return_counts=True)``). The Python cost per
syllable is one dict look-up done by ``map`` at C speed. Tokens longer than ``WIDTH``
bytes (URLs, hashes) are not syllables: they are left out and break the chain of pairs.
When Whoosh merges segments, the merged segment's counts are the sum of its sources'
(their syllables re-mapped through the strings), read at flush after the writer has
freed its posting pool (and ``fastwriter`` has handed the freed heap back with
``malloc_trim``); documents deleted since stay counted, as they do in a Whoosh lexicon.
With triples, this step, not the postings, set the peak memory of a full build: triples
are therefore summed and sorted only when a segment is written, ``_TRIPLES_AT_A_TIME``
at a time, in passes over ranges of first syllables, and a merged segment's triples are
read straight from its memory-mapped file (``_triples_starting_in``). Pairs seen fewer than ``MIN_PAIR_COUNT`` times in a
segment could be dropped when it is written; measured, they are worth keeping (see the
constant).

**Files**, named after the segment so Whoosh deletes them with it and the manifest lists
them (``manifest.segment_files``)::

    <segment>.vsy  syllables (sorted, fixed-width S16), their counts (u8),
                   the syllable ids ordered by folded key (u4) and those keys (S16)
    <segment>.vsp  pair keys (sorted u8: id_a << 32 | id_b) and their counts (u4)
    <segment>.vst  runs of three grouped by their first two: for each pair of .vsp,
                   where its thirds start (u4, one more at the end); the thirds (u4
                   ids, sorted within a pair) and their counts (u1, ``_encode_counts``)

each a small bundle of little-endian arrays, 16-byte aligned (``_write_bundle``). On
20,000 VietNews articles they take 49 MB of a 223 MB index (the triples 28 MB) and
indexing takes longer (``benchmarks/index_speed.py``). Ids are positions in the
sorted syllable array, so a pair key sorts by its first syllable: the pairs starting with
``a`` are one contiguous range.

**Read side** (``SyllableStats``): per-segment arrays, memory-mapped, nothing merged at
open (opening costs a header read per segment). Every look-up is a few
``np.searchsorted`` calls per segment, vectorised over all the strings asked at once
(``forms_of``, ``counts``, ``pair_counts``, ``continuations``), and the sums are taken over
segments: restoring a ViQuAD question costs 29 ms (p95 51 ms) on the 15 segments of
ViQuAD + VietNews. A segment without the files
(an index built before they existed) contributes nothing: its statistics are empty.
"""

from __future__ import annotations

import mmap
import struct
from array import array
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from search.normalize import QUESTION_MARK, SENTENCE_MARK, search_key

SYLLABLES_EXT, PAIRS_EXT, TRIPLES_EXT = "vsy", "vsp", "vst"
BOUNDARY = SENTENCE_MARK  # a pseudo-syllable at both ends of every sentence: no word is spelled so
QUESTION = QUESTION_MARK  # a pseudo-syllable before the end of a question: pairs (x, QUESTION) count questions' last words
WIDTH = 16  # bytes: the longest Vietnamese syllable ("nghiệng") is 9 in UTF-8
TEXT_DTYPE = np.dtype(f"S{WIDTH}")
SEPARATOR = 0xFFFF_FFFF  # ends a text in the id buffer; also the id of a token too long to count
REDUCE_AT = 1_000_000  # ids buffered before they are counted: ~40 MB of numpy temporaries
# Pairs seen fewer times in a segment are dropped when it is written. Measured: dropping
# the pairs seen once saves half the files (+6 % index size on 20,000 VietNews articles
# instead of +12 %) but costs 4 points of whole-query exact match on the ViQuAD questions,
# whose wording echoes passages seen once; so everything is kept.
MIN_PAIR_COUNT = 1
_LOW = np.uint64(0xFFFF_FFFF)
# While a segment is written, a triple is one uint64 key a << 42 | b << 21 | c: a segment
# of over 2 million distinct syllables keeps no triples of the rest.
TRIPLE_BITS = 21
_TRIPLE_LIMIT = 1 << TRIPLE_BITS
_TRIPLE_MASK = np.uint64(_TRIPLE_LIMIT - 1)
_SHIFT_A, _SHIFT_B = np.uint64(2 * TRIPLE_BITS), np.uint64(TRIPLE_BITS)
# Triple counts are one byte on disk: exact up to _EXACT_COUNT, then _STEPS_PER_DOUBLING
# steps per doubling (4 % apart) up to about 31,000. Two thirds of all triples are seen
# once, so the counts were a third of the file; restoration compares them, it does not
# need them exact.
_EXACT_COUNT, _STEPS_PER_DOUBLING = 128, 16
_TRIPLES_AT_A_TIME = 250_000  # sorted together when a segment is written: about 25 MB of work arrays
_MAGIC = b"VSTATS1\x00"
_HEADER = struct.Struct("<8sI")
_ENTRY = struct.Struct("<8sQQ")  # dtype string, byte offset, item count
_ALIGN = 16


# -- writing -----------------------------------------------------------------


class _Vocabulary(dict[bytes, int]):
    """Syllable → id, an id given on first sight; too long a token maps to ``SEPARATOR``."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[bytes] = []

    def __missing__(self, term: bytes) -> int:
        if len(term) > WIDTH or not term:
            self[term] = SEPARATOR
            return SEPARATOR
        found = self[term] = len(self.terms)
        self.terms.append(term)
        return found


def _merge_counts(
    keys: np.ndarray, counts: np.ndarray, more_keys: np.ndarray, more_counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two (sorted distinct keys, counts) tables summed into one, in linear memory:
    counts of keys already there are added in place, the others inserted."""
    if len(keys) == 0:
        return more_keys, more_counts
    where = np.searchsorted(keys, more_keys)
    hit = where < len(keys)
    hit[hit] = keys[where[hit]] == more_keys[hit]
    counts[where[hit]] += more_counts[hit]
    missing = ~hit
    return np.insert(keys, where[missing], more_keys[missing]), np.insert(counts, where[missing], more_counts[missing])


class SyllableCollector:
    """The counts of one segment being written: texts added, segments merged in."""

    def __init__(self) -> None:
        self._ids = _Vocabulary()
        self._pending = array("I")
        self._unigrams = np.zeros(0, dtype=np.int64)
        self._keys = np.zeros(0, dtype=np.uint64)
        self._counts = np.zeros(0, dtype=np.int64)
        # Triples as tables of (key, count), neither summed nor sorted until the segment is
        # written: a sorted table merged into at every step took 1.4 GB to merge 8 segments.
        self._triple_tables: list[tuple[np.ndarray, np.ndarray]] = []  # counts empty: each key once
        self._merged: list[tuple[SegmentStats, np.ndarray]] = []  # sources of a merge, open until written
        self._sources: list[tuple[Any, str]] = []  # segments merged in, read when written

    def add_text(self, syllables: Sequence[bytes]) -> None:
        """One text's canonical syllables in order (a title, a body), with ``BOUNDARY``
        after each sentence but the last: every sentence is counted between two marks."""
        if not syllables:
            return
        pending = self._pending
        boundary = self._ids[BOUNDARY]
        pending.append(boundary)
        pending.extend(map(self._ids.__getitem__, syllables))
        if pending[-1] != boundary:
            pending.append(boundary)
        pending.append(SEPARATOR)
        if len(pending) >= REDUCE_AT:
            self._reduce()

    def add_counts(self, syllables: Sequence[bytes], unigrams: np.ndarray, keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Counts of another vocabulary (a segment merged in): ``keys`` pair its indexes.
        Returns the id here of each of its syllables."""
        self._reduce()
        mapping = np.fromiter(map(self._ids.__getitem__, syllables), dtype=np.int64, count=len(syllables))
        self._grow(len(self._ids.terms))
        known = mapping != SEPARATOR
        np.add.at(self._unigrams, mapping[known], np.asarray(unigrams, dtype=np.int64)[known])
        left, right = mapping[(keys >> np.uint64(32)).astype(np.int64)], mapping[(keys & _LOW).astype(np.int64)]
        kept = (left != SEPARATOR) & (right != SEPARATOR)
        remapped = (left[kept].astype(np.uint64) << np.uint64(32)) | right[kept].astype(np.uint64)
        self._add_pairs(remapped, np.asarray(counts, dtype=np.int64)[kept])
        return mapping

    def add_segment(self, storage: Any, segment_id: str) -> None:
        """Add the counts of a segment on ``storage`` (nothing if it has none).

        They are read only by ``write``: during a merge the writer's posting pool is at
        its largest, and the flush writes the statistics after the pool is freed.
        """
        self._sources.append((storage, segment_id))

    def _add_source(self, storage: Any, segment_id: str) -> None:
        """Add a merged segment's counts; its triples are read from its files when written."""
        source = SegmentStats.open(storage, segment_id)
        if source is None:
            return
        syllables = [bytes(s) for s in source.syllables.tolist()]
        mapping = self.add_counts(syllables, source.counts, source.pair_keys, source.pair_counts)
        source.release_pages()
        if len(source.thirds):
            self._merged.append((source, mapping))
        else:
            source.close()

    def _grow(self, size: int) -> None:
        if len(self._unigrams) < size:
            self._unigrams = np.concatenate([self._unigrams, np.zeros(size - len(self._unigrams), dtype=np.int64)])

    def _reduce(self) -> None:
        """Count the buffered ids into the unigram and pair tables, and empty the buffer."""
        if not self._pending:
            return
        ids = np.frombuffer(self._pending, dtype=np.uint32)
        self._grow(len(self._ids.terms))
        self._unigrams += np.bincount(ids[ids != SEPARATOR], minlength=len(self._unigrams))
        boundary = self._ids[BOUNDARY]
        left, right = ids[:-1], ids[1:]
        kept = (left != SEPARATOR) & (right != SEPARATOR) & ((left != boundary) | (right != boundary))
        keys = (left[kept].astype(np.uint64) << np.uint64(32)) | right[kept].astype(np.uint64)
        unique, counts = np.unique(keys, return_counts=True)
        self._add_pairs(unique, counts)
        keys = _triple_keys(ids.astype(np.uint64), boundary)  # summed only when written: sorted once
        self._triple_tables.append((keys, np.ones(0, dtype=np.uint32)))
        self._pending = array("I")

    def _add_pairs(self, keys: np.ndarray, counts: np.ndarray) -> None:
        """Add a table of pair counts; ``keys`` need not be sorted or distinct."""
        keys, counts = _summed(keys, counts)
        self._keys, self._counts = _merge_counts(self._keys, self._counts, keys, counts.astype(np.int64))

    def write(self, storage: Any, segment_id: str) -> None:
        """Write ``<segment_id>.vsy``, ``.vsp`` and ``.vst`` (``SegmentStats`` reads them)."""
        self._reduce()
        for storage_of_source, source_id in self._sources:
            self._add_source(storage_of_source, source_id)
        self._grow(len(self._ids.terms))
        terms = np.array(self._ids.terms, dtype=TEXT_DTYPE)
        first_seen = np.argsort(terms, kind="stable")  # of each syllable in sorted order
        rank = np.empty(len(first_seen), dtype=np.uint64)
        rank[first_seen] = np.arange(len(first_seen), dtype=np.uint64)
        syllables = terms[first_seen]
        folded = _folded_keys(syllables)
        by_folded = np.argsort(folded, kind="stable").astype("<u4")
        _write_bundle(storage, f"{segment_id}.{SYLLABLES_EXT}", [
            syllables, self._unigrams[first_seen].astype("<u8"), by_folded, folded[by_folded],
        ])
        # Each table is dropped as soon as it is re-mapped: the statistics of a merge, not
        # its postings, are what decide the peak memory of an indexing run.
        keys, counts = self._keys, self._counts
        self._keys, self._counts = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        if MIN_PAIR_COUNT > 1:
            kept = counts >= MIN_PAIR_COUNT
            keys, counts = keys[kept], counts[kept]
        keys = (rank[(keys >> np.uint64(32)).astype(np.int64)] << np.uint64(32)) | rank[(keys & _LOW).astype(np.int64)]
        order = np.argsort(keys)
        keys, counts = keys[order], np.minimum(counts[order], 0xFFFF_FFFF).astype("<u4")
        del order
        _write_bundle(storage, f"{segment_id}.{PAIRS_EXT}", [keys, counts])
        del counts
        try:
            _write_bundle(storage, f"{segment_id}.{TRIPLES_EXT}", self._triple_table(keys, rank))
        finally:
            for source, _ in self._merged:
                source.close()
            self._merged = []

    def _triple_table(self, pair_keys: np.ndarray, rank: np.ndarray) -> list[np.ndarray]:
        """The ``.vst`` arrays: the triples re-mapped to sorted ids, summed and grouped under
        the written pairs (``pair_keys``); a triple whose pair was not written is dropped.

        In passes over ranges of first syllables of about ``_TRIPLES_AT_A_TIME`` triples
        each, so that only one range is ever sorted at once."""
        tables, self._triple_tables = self._triple_tables, []
        merged = [(source, rank[mapping].astype(np.int64)) for source, mapping in self._merged]
        if len(rank) > _TRIPLE_LIMIT:  # too many syllables to key by sorted ids (never seen in news)
            tables, merged = [], []
        tables = [(keys, counts, rank[(keys >> _SHIFT_A).astype(np.int64)]) for keys, counts in tables]
        firsts = np.zeros(len(rank) + 1, dtype=np.int64)
        for _, _, first in tables:
            firsts[1:] += np.bincount(first.astype(np.int64), minlength=len(rank))
        for source, ranks in merged:
            per_pair = np.diff(source.triple_starts.astype(np.int64))
            firsts[1:] += np.bincount(ranks[(source.pair_keys >> np.uint64(32)).astype(np.int64)], per_pair, len(rank)).astype(np.int64)
        ends = np.cumsum(firsts)
        edges = np.unique([0, *np.searchsorted(ends, np.arange(0, ends[-1], _TRIPLES_AT_A_TIME), side="right"), len(rank)])
        per_pair = np.zeros(len(pair_keys), dtype=np.int64)
        thirds, counts = np.empty(int(ends[-1]), dtype="<u4"), np.empty(int(ends[-1]), dtype=np.uint8)
        written = 0
        for lo, hi in zip(edges.tolist(), edges[1:].tolist()):
            keys, summed = _summed(*_triples_starting_in(tables, merged, rank, lo, hi))
            pair_of = ((keys >> _SHIFT_A) << np.uint64(32)) | ((keys >> _SHIFT_B) & _TRIPLE_MASK)
            where, found = _positions(pair_keys, pair_of)
            size = int(found.sum())
            thirds[written : written + size] = keys[found] & _TRIPLE_MASK
            counts[written : written + size] = _encode_counts(summed[found])
            written += size
            per_pair += np.bincount(where[found], minlength=len(pair_keys))
            for source, _ in merged:
                source.release_pages()
        starts = np.concatenate([[0], np.cumsum(per_pair)]).astype("<u4")
        return [starts, thirds[:written], counts[:written]]

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]


def _summed(keys: np.ndarray, counts: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct keys, their summed counts) of a table whose keys may repeat;
    ``counts`` None: each key counts once (then a plain sort will do)."""
    if counts is not None and (len(keys) < 2 or np.all(keys[1:] > keys[:-1])):
        return keys, counts
    if counts is None:
        keys = np.sort(keys)
    else:
        order = np.argsort(keys)
        keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, np.int64)
    if counts is None:
        return keys[starts], np.diff(np.append(starts, len(keys))).astype(np.uint32)
    return keys[starts], np.add.reduceat(counts, starts) if len(starts) else counts


def _triples_starting_in(
    tables: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    merged: list[tuple[SegmentStats, np.ndarray]],
    rank: np.ndarray,
    lo: int,
    hi: int,
) -> tuple[np.ndarray, np.ndarray | None]:
    """(keys of sorted ids, counts or None if each counts once) of the triples whose
    first syllable's sorted id is in [lo, hi), from every table and every segment merged
    in (``merged``: each with the sorted id here of its syllables; ``tables``: keys, counts
    and the sorted id of each key's first syllable), not summed: a triple may be in several."""
    found_keys, found_counts = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.uint32)]
    counted = bool(merged) or any(len(counts) for _, counts, _ in tables)
    for source, ranks in merged:
        # Both vocabularies are sorted the same way, so ``ranks`` rises: the source's
        # triples that start in [lo, hi) are one run of its pairs.
        first_lo, first_hi = np.searchsorted(ranks, [lo, hi]).astype(np.uint64) << np.uint64(32)
        pair_lo, pair_hi = np.searchsorted(source.pair_keys, [first_lo, first_hi]).tolist()
        starts = source.triple_starts[pair_lo : pair_hi + 1].astype(np.int64)
        pair_of = np.repeat(source.pair_keys[pair_lo:pair_hi], np.diff(starts))
        a = ranks[(pair_of >> np.uint64(32)).astype(np.int64)].astype(np.uint64)
        b = ranks[(pair_of & _LOW).astype(np.int64)].astype(np.uint64)
        c = ranks[source.thirds[starts[0] : starts[-1]].astype(np.int64)].astype(np.uint64)
        found_keys.append((a << _SHIFT_A) | (b << _SHIFT_B) | c)
        found_counts.append(_decode_counts(source.triple_counts[starts[0] : starts[-1]]).astype(np.uint32))
    for keys, counts, first in tables:
        inside = (first >= lo) & (first < hi)
        kept = keys[inside]
        second = rank[((kept >> _SHIFT_B) & _TRIPLE_MASK).astype(np.int64)]
        third = rank[(kept & _TRIPLE_MASK).astype(np.int64)]
        found_keys.append((first[inside] << _SHIFT_A) | (second << _SHIFT_B) | third)
        if counted:
            found_counts.append(counts[inside] if len(counts) else np.ones(len(kept), dtype=np.uint32))
    return np.concatenate(found_keys), np.concatenate(found_counts) if counted else None


def _triple_keys(ids: np.ndarray, boundary: int) -> np.ndarray:
    """``a << 42 | b << 21 | c`` of every three neighbouring ids (uint64) of a buffer, where
    none is ``SEPARATOR`` (or an id too large for ``TRIPLE_BITS``) and b is not ``boundary``
    (the end of one sentence and the start of the next)."""
    a, b, c = ids[:-2], ids[1:-1], ids[2:]
    kept = (a < _TRIPLE_LIMIT) & (b < _TRIPLE_LIMIT) & (c < _TRIPLE_LIMIT) & (b != boundary)
    return (a[kept] << _SHIFT_A) | (b[kept] << _SHIFT_B) | c[kept]


def _encode_counts(counts: np.ndarray) -> np.ndarray:
    """One byte per count: exact up to ``_EXACT_COUNT``, then logarithmic."""
    counts = np.maximum(np.asarray(counts, dtype=np.float64), 1.0)
    scaled = _EXACT_COUNT + np.round(_STEPS_PER_DOUBLING * np.log2(counts / _EXACT_COUNT))
    return np.minimum(np.where(counts <= _EXACT_COUNT, counts, scaled), 255).astype(np.uint8)


def _decode_counts(codes: np.ndarray) -> np.ndarray:
    codes = np.asarray(codes, dtype=np.float64)
    scaled = np.round(_EXACT_COUNT * 2.0 ** ((codes - _EXACT_COUNT) / _STEPS_PER_DOUBLING))
    return np.where(codes <= _EXACT_COUNT, codes, scaled).astype(np.int64)


def _searched_in_ranges(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each i, the first index in ``values[lo[i]:hi[i]]`` (sorted) not below ``wanted[i]``:
    ``np.searchsorted`` in a different slice per look-up, as one vectorised bisection."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = lo < hi
        if not active.any():
            return lo
        middle = (lo + hi) // 2
        below = active & (values[np.minimum(middle, len(values) - 1)] < wanted)
        lo = np.where(below, middle + 1, lo)
        hi = np.where(active & ~below, middle, hi)


def _folded_keys(syllables: np.ndarray) -> np.ndarray:
    """``search_key`` of each syllable; a key longer than ``WIDTH`` becomes b"" (never asked)."""
    keys = (search_key(s.decode("utf-8")).encode("utf-8") for s in syllables.tolist())
    return np.array([k if len(k) <= WIDTH else b"" for k in keys], dtype=TEXT_DTYPE)


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN


def _write_bundle(storage: Any, name: str, arrays: list[np.ndarray]) -> None:
    """A header (magic, count, then dtype/offset/length of each array), then the arrays,
    each at a multiple of ``_ALIGN`` bytes: numpy copies a misaligned array before every
    search, which made look-ups twice as slow."""
    offset = _HEADER.size + _ENTRY.size * len(arrays)
    entries, starts = [], []
    for column in arrays:
        offset = _aligned(offset)
        starts.append(offset)
        entries.append(_ENTRY.pack(column.dtype.str.encode("ascii"), offset, len(column)))
        offset += column.nbytes
    handle = storage.create_file(name)
    try:
        handle.write(_HEADER.pack(_MAGIC, len(arrays)) + b"".join(entries))
        position = _HEADER.size + _ENTRY.size * len(arrays)
        for start, column in zip(starts, arrays):
            handle.write(b"\x00" * (start - position))
            handle.write(np.ascontiguousarray(column).reshape(-1).view(np.uint8).data)  # no copy
            position = start + column.nbytes
    finally:
        handle.close()


# -- reading -----------------------------------------------------------------


def _read_bundle(buffer: Any) -> list[np.ndarray]:
    magic, count = _HEADER.unpack_from(buffer, 0)
    if magic != _MAGIC:
        raise ValueError(f"not a syllable statistics file (magic {magic!r})")
    arrays = []
    for i in range(count):
        dtype, offset, length = _ENTRY.unpack_from(buffer, _HEADER.size + i * _ENTRY.size)
        arrays.append(np.frombuffer(buffer, np.dtype(dtype.rstrip(b"\x00").decode("ascii")), length, offset))
    return arrays


def _open_buffer(storage: Any, name: str) -> tuple[Any, Any]:
    """(file to close, zero-copy buffer): memory-mapped on disk, bytes in memory."""
    handle = storage.open_file(name)
    if getattr(handle, "is_real", False) and storage.file_length(name) > 0:
        return handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return handle, handle.read()


def as_texts(strings: Sequence[str]) -> np.ndarray:
    """UTF-8 fixed-width array of ``strings``; one too long to be counted becomes b""."""
    encoded = (s.encode("utf-8") for s in strings)
    return np.array([e if len(e) <= WIDTH else b"" for e in encoded], dtype=TEXT_DTYPE)


def _positions(sorted_array: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index, found) of each wanted value in a sorted array."""
    if len(sorted_array) == 0:
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    where = np.minimum(np.searchsorted(sorted_array, wanted), len(sorted_array) - 1)
    return where, sorted_array[where] == wanted


@dataclass
class SegmentStats:
    """One segment's statistics, as written by ``SyllableCollector.write``."""

    syllables: np.ndarray  # S16, sorted; a syllable's id is its index
    counts: np.ndarray  # u8
    by_folded: np.ndarray  # u4: ids ordered by folded key
    folded: np.ndarray  # S16: the folded keys in that order
    pair_keys: np.ndarray  # u8, sorted
    pair_counts: np.ndarray  # u4
    triple_starts: np.ndarray  # u4: where the thirds of each pair start in ``thirds``
    thirds: np.ndarray  # u4: syllable ids, sorted within each pair
    triple_counts: np.ndarray  # u1, ``_encode_counts``
    _handles: tuple[Any, ...] = ()

    @classmethod
    def open(cls, storage: Any, segment_id: str) -> SegmentStats | None:
        """The segment's statistics, or None when it has no files (written before them)."""
        names = (f"{segment_id}.{SYLLABLES_EXT}", f"{segment_id}.{PAIRS_EXT}")
        if not all(storage.file_exists(name) for name in names):
            return None
        (file_a, buffer_a), (file_b, buffer_b) = _open_buffer(storage, names[0]), _open_buffer(storage, names[1])
        syllables, counts, by_folded, folded = _read_bundle(buffer_a)
        pair_keys, pair_counts = _read_bundle(buffer_b)
        handles: tuple[Any, ...] = (file_a, buffer_a, file_b, buffer_b)
        triples = f"{segment_id}.{TRIPLES_EXT}"
        if storage.file_exists(triples):  # not in an index written before triples were counted
            file_c, buffer_c = _open_buffer(storage, triples)
            triple_starts, thirds, triple_counts = _read_bundle(buffer_c)
            handles += (file_c, buffer_c)
        else:
            triple_starts = np.zeros(len(pair_keys) + 1, dtype=np.uint32)
            thirds, triple_counts = np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint8)
        return cls(
            syllables, counts, by_folded, folded, pair_keys, pair_counts, triple_starts, thirds, triple_counts, handles
        )

    def ids(self, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(id, found) of each UTF-8 syllable of ``texts`` (an S16 array)."""
        return _positions(self.syllables, texts)

    def unigram_counts(self, texts: np.ndarray) -> np.ndarray:
        where, found = self.ids(texts)
        return np.where(found, self.counts[where] if len(self.counts) else 0, 0).astype(np.int64)

    def pairs(self, texts: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Count of each pair (texts[left[i]], texts[right[i]]) in this segment; ``texts``
        sorted and distinct, so that each is looked up once and the searches run in order."""
        where, found = self._pair_positions(texts, left, right)
        return np.where(found, self.pair_counts[where] if len(self.pair_counts) else 0, 0).astype(np.int64)

    def _pair_positions(self, texts: np.ndarray, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index in ``pair_keys``, found) of each pair (texts[left[i]], texts[right[i]])."""
        ids, known = self.ids(texts)
        keys = (ids[left].astype(np.uint64) << np.uint64(32)) | ids[right].astype(np.uint64)
        order = np.argsort(keys)
        where, found = np.empty_like(order), np.empty(len(keys), dtype=bool)
        where[order], found[order] = _positions(self.pair_keys, keys[order])
        return where, found & known[left] & known[right]

    def triples(self, texts: np.ndarray, first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
        """Count of each run of three (texts[first[i]], texts[second[i]], texts[third[i]])."""
        lo, hi = self._thirds_range(texts, first, second)
        ids, known = self.ids(texts)
        wanted = ids[third].astype(np.uint32)
        where = _searched_in_ranges(self.thirds, lo, hi, wanted)
        inside = np.minimum(where, max(len(self.thirds) - 1, 0))
        hit = (where < hi) & known[third]
        if len(self.thirds):
            hit &= self.thirds[inside] == wanted
            return np.where(hit, _decode_counts(self.triple_counts[inside]), 0)
        return np.zeros(len(first), dtype=np.int64)

    def triple_continuations(self, texts: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """How many distinct syllables follow each pair (texts[first[i]], texts[second[i]])."""
        lo, hi = self._thirds_range(texts, first, second)
        return (hi - lo).astype(np.int64)

    def _thirds_range(self, texts: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) in ``thirds`` of what follows each pair; (0, 0) for a pair not seen."""
        where, found = self._pair_positions(texts, first, second)
        starts = self.triple_starts  # u4, memory-mapped: only the entries wanted are converted
        lo = starts[where].astype(np.int64)
        hi = starts[np.minimum(where + 1, len(starts) - 1)].astype(np.int64)
        return np.where(found, lo, 0), np.where(found, hi, 0)

    def continuations(self, texts: np.ndarray) -> np.ndarray:
        """How many distinct syllables follow each syllable of ``texts`` in this segment."""
        a, found = self.ids(texts)
        start = a.astype(np.uint64) << np.uint64(32)
        ends = np.searchsorted(self.pair_keys, start + np.uint64(1 << 32)) - np.searchsorted(self.pair_keys, start)
        return np.where(found, ends, 0).astype(np.int64)

    def forms(self, keys: np.ndarray) -> Iterator[tuple[list[bytes], list[int]]]:
        """(syllables, counts) whose folded key is each of ``keys`` (an S16 array)."""
        starts = np.searchsorted(self.folded, keys, side="left").tolist()
        ends = np.searchsorted(self.folded, keys, side="right").tolist()
        for lo, hi in zip(starts, ends):
            ids = self.by_folded[lo:hi]
            yield self.syllables[ids].tolist(), self.counts[ids].tolist()

    def following(self, first: bytes, prefix: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(syllables, pair counts) that follow ``first`` and whose folded key starts with ``prefix``."""
        a, found = self.ids(np.array([first], dtype=TEXT_DTYPE))
        if not found[0]:
            return self.syllables[:0], self.pair_counts[:0]
        start = np.uint64(int(a[0]) << 32)
        lo, hi = np.searchsorted(self.pair_keys, [start, start + np.uint64(1 << 32)])
        seconds = (self.pair_keys[lo:hi] & _LOW).astype(np.int64)
        counts = self.pair_counts[lo:hi]
        if prefix:
            allowed = self.by_folded[slice(*self._prefix_range(prefix))]
            kept = np.isin(seconds, allowed)
            seconds, counts = seconds[kept], counts[kept]
        return self.syllables[seconds], counts

    def following_pair(self, first: bytes, second: bytes, prefix: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(syllables, triple counts) that follow ``first second`` and whose folded key starts
        with ``prefix``: the pair's thirds, one range of ``thirds``."""
        texts = np.array(sorted({first, second}), dtype=TEXT_DTYPE)
        at = np.searchsorted(texts, np.array([first, second], dtype=TEXT_DTYPE))
        lo, hi = (int(n[0]) for n in self._thirds_range(texts, at[:1], at[1:]))
        thirds, counts = self.thirds[lo:hi].astype(np.int64), self.triple_counts[lo:hi]
        if prefix:
            kept = np.isin(thirds, self.by_folded[slice(*self._prefix_range(prefix))])
            thirds, counts = thirds[kept], counts[kept]
        return self.syllables[thirds], _decode_counts(counts)

    def prefixed(self, prefix: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(syllables, counts) whose folded key starts with ``prefix``."""
        ids = self.by_folded[slice(*self._prefix_range(prefix))]
        return self.syllables[ids], self.counts[ids]

    def _prefix_range(self, prefix: bytes) -> tuple[int, int]:
        lo = int(np.searchsorted(self.folded, np.array(prefix, dtype=TEXT_DTYPE), side="left"))
        if len(prefix) >= WIDTH:
            return lo, int(np.searchsorted(self.folded, np.array(prefix, dtype=TEXT_DTYPE), side="right"))
        return lo, int(np.searchsorted(self.folded, np.array(prefix + b"\xff", dtype=TEXT_DTYPE), side="left"))

    def release_pages(self) -> None:
        """Let the kernel drop the pages of the files read so far (a merge reads each
        source's triples once: kept, they would count in the process's memory)."""
        for part in self._handles:
            if isinstance(part, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
                part.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        for part in self._handles:
            if isinstance(part, mmap.mmap):
                try:
                    part.close()
                except BufferError:  # arrays handed out still point into it
                    pass
            elif hasattr(part, "close"):
                part.close()


def _offered(found: Iterable[tuple[np.ndarray, np.ndarray]], limit: int | None) -> list[tuple[str, int]]:
    """The (syllables, counts) each segment found, summed, most common first; the sentence
    marks are no syllables to offer."""
    summed: dict[bytes, int] = defaultdict(int)
    for syllables, counts in found:
        for syllable, count in zip(syllables.tolist(), counts.tolist()):
            summed[syllable] += count
    for mark in (BOUNDARY, QUESTION):
        summed.pop(mark, None)
    return _ranked(summed, limit)


def _ranked(counts: dict[bytes, int], limit: int | None) -> list[tuple[str, int]]:
    """Most common first, then by the syllable (a stable order for ties)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(s.decode("utf-8"), c) for s, c in ordered[:limit]]


class SyllableStats:
    """The statistics of a set of segments, summed: what ``search.restore`` reads."""

    def __init__(self, segments: Sequence[SegmentStats] = ()) -> None:
        self.segments = list(segments)
        marks = sum(self.counts([BOUNDARY.decode(), QUESTION.decode()]))
        self.total = int(sum(int(s.counts.sum()) for s in self.segments)) - int(marks)  # syllables counted

    @classmethod
    def open(cls, storage: Any, segment_ids: Iterable[str]) -> SyllableStats:
        """The segments' statistics on a Whoosh storage; segments without files count nothing."""
        found = (SegmentStats.open(storage, segment_id) for segment_id in segment_ids)
        return cls([s for s in found if s is not None])

    @classmethod
    def from_reader(cls, reader: Any) -> SyllableStats:
        """The statistics of every segment a Whoosh reader reads (as ``scoring.IndexArrays.open``)."""
        segments = []
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is not None:
                found = SegmentStats.open(leaf.storage(), segment.segment_id())
                if found is not None:
                    segments.append(found)
        return cls(segments)

    def forms(self, key: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Accented syllables whose ``search_key`` is ``key``, most common first."""
        return self.forms_of([key], limit)[0]

    def forms_of(self, keys: Sequence[str], limit: int | None = None) -> list[list[tuple[str, int]]]:
        """``forms`` of each key, looked up together (one search per segment)."""
        texts = as_texts(keys)  # b"" (too long) matches nothing
        summed: list[dict[bytes, int]] = [defaultdict(int) for _ in keys]
        for segment in self.segments:
            for found, (syllables, counts) in zip(summed, segment.forms(texts)):
                for syllable, count in zip(syllables, counts):
                    found[syllable] += count
        return [_ranked(found, limit) for found in summed]

    def counts(self, syllables: Sequence[str]) -> np.ndarray:
        """How often each canonical syllable occurs (int64 array)."""
        texts = as_texts(syllables)
        total = np.zeros(len(texts), dtype=np.int64)
        for segment in self.segments:
            total += segment.unigram_counts(texts)
        return total

    def count(self, syllable: str) -> int:
        return int(self.counts([syllable])[0])

    def pair_counts(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        """How often ``right[i]`` directly follows ``left[i]``, for every i at once."""
        texts, inverse = np.unique(as_texts([*left, *right]), return_inverse=True)
        inverse = inverse.reshape(-1)
        first, second = inverse[: len(left)], inverse[len(left) :]
        total = np.zeros(len(left), dtype=np.int64)
        for segment in self.segments:
            total += segment.pairs(texts, first, second)
        return total

    def triple_counts(self, first: Sequence[str], second: Sequence[str], third: Sequence[str]) -> np.ndarray:
        """How often ``first[i] second[i] third[i]`` occur in a row, for every i at once."""
        texts, inverse = np.unique(as_texts([*first, *second, *third]), return_inverse=True)
        a, b, c = np.split(inverse.reshape(-1), 3)
        total = np.zeros(len(first), dtype=np.int64)
        for segment in self.segments:
            total += segment.triples(texts, a, b, c)
        return total

    def pair_continuations(self, first: Sequence[str], second: Sequence[str]) -> np.ndarray:
        """How many distinct syllables follow each pair ``first[i] second[i]`` (summed over
        segments, as ``continuations``)."""
        texts, inverse = np.unique(as_texts([*first, *second]), return_inverse=True)
        a, b = np.split(inverse.reshape(-1), 2)
        total = np.zeros(len(first), dtype=np.int64)
        for segment in self.segments:
            total += segment.triple_continuations(texts, a, b)
        return total

    def continuations(self, syllables: Sequence[str]) -> np.ndarray:
        """How many distinct syllables follow each one (summed over segments: a pair seen in
        two segments counts twice, an over-estimate that only matters for smoothing)."""
        texts, inverse = np.unique(as_texts(syllables), return_inverse=True)  # sorted: ordered searches
        total = np.zeros(len(texts), dtype=np.int64)
        for segment in self.segments:
            total += segment.continuations(texts)
        return total[inverse.reshape(-1)]

    def pair(self, first: str, second: str) -> int:
        return int(self.pair_counts([first], [second])[0])

    def following(self, first: str, folded_prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        """Syllables seen right after ``first`` whose folded key starts with ``folded_prefix``,
        most common first (autocomplete)."""
        first_bytes, prefix = first.encode("utf-8"), folded_prefix.encode("utf-8")
        if len(first_bytes) > WIDTH:
            return []
        return _offered((segment.following(first_bytes, prefix) for segment in self.segments), limit)

    def following_pair(self, first: str, second: str, folded_prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        """Syllables seen right after ``first second`` whose folded key starts with
        ``folded_prefix``, with the counts of the three, most common first (autocomplete)."""
        words, prefix = (first.encode("utf-8"), second.encode("utf-8")), folded_prefix.encode("utf-8")
        if max(map(len, words)) > WIDTH:
            return []
        return _offered((segment.following_pair(*words, prefix) for segment in self.segments), limit)

    def prefixed(self, folded_prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Syllables whose folded key starts with ``folded_prefix``, most common first (autocomplete
        of a first word)."""
        prefix = folded_prefix.encode("utf-8")
        if not prefix:
            return []
        return _offered((segment.prefixed(prefix) for segment in self.segments), limit)

    def close(self) -> None:
        for segment in self.segments:
            segment.close()
        self.segments = []

    def __enter__(self) -> SyllableStats:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
