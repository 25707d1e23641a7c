"""Which segments a commit merges: small ones, in tiers, never into a segment past a cap.

A merge adds every document of the merged segments to the segment being written, whose
postings are held in memory until it is flushed (``fastwriter``). Whoosh's default
policy (``MERGE_SMALL``) merges all its segments once there are many of equal size:
with 5,000-article batches it merged 110,000 VietNews articles in one commit, which
took 2.1 GB of memory. Here a commit merges only when one size tier holds
``MERGE_FACTOR`` segments, takes the smallest of that tier while the merged segment
(its new documents included) stays under ``MAX_MERGED_DOCS``, and never touches a
segment of half that size or more. So peak memory is bounded by the cap, not by the
index, and each document is rewritten about log₈(cap / batch) times. The price is
more segments on a large index (about one per ``MAX_MERGED_DOCS`` / 2 articles), which
scoring reads one after another.
"""

from __future__ import annotations

import math
from typing import Any

from whoosh.reading import SegmentReader

MAX_MERGED_DOCS = 16_000  # VietNews (144k) peaked at 685 MB with 30,000, 499 MB with 20,000 (514 with syllable stats)
MERGE_FACTOR = 8


def tier(doc_count: int) -> int:
    return int(math.log(max(doc_count, 1), MERGE_FACTOR))


def merge_candidates(live_counts: list[int], new_docs: int) -> list[int]:
    """Positions in ``live_counts`` (each segment's live documents) of the segments to merge
    into a segment that also gets ``new_docs`` documents; empty when nothing should be merged.
    A segment whose documents were all deleted or replaced is always dropped (it costs nothing)."""
    empty = [i for i, count in enumerate(live_counts) if count == 0]
    mergeable = sorted((count, i) for i, count in enumerate(live_counts) if 0 < count < MAX_MERGED_DOCS // 2)
    tiers: dict[int, list[tuple[int, int]]] = {}
    for count, i in mergeable:
        tiers.setdefault(tier(count), []).append((count, i))
    for level in sorted(tiers):
        group = tiers[level]
        if len(group) < MERGE_FACTOR:
            continue
        chosen, total = [], new_docs
        for count, i in group:  # smallest first
            if total + count > MAX_MERGED_DOCS:
                break
            chosen.append(i)
            total += count
        if len(chosen) >= 2:
            return sorted(empty + chosen)
    return empty


def capped_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy (``commit(mergetype=…)``): adds the chosen segments to
    ``writer`` and returns the ones left as they are."""
    chosen = set(merge_candidates([s.doc_count() for s in segments], writer.docnum))
    for i in sorted(chosen):
        reader = SegmentReader(writer.storage, writer.schema, segments[i])
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [s for i, s in enumerate(segments) if i not in chosen]
