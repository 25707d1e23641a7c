"""The merge policy (``search.merging``): small segments merge in tiers, never into one past the
cap, so a commit's memory is bounded by the cap and not by the index (whoosh.md G8)."""

from __future__ import annotations

import search.merging
from search import Article, Index
from search.merging import MAX_MERGED_DOCS, MERGE_FACTOR, merge_candidates


def test_a_tier_merges_once_it_holds_merge_factor_segments():
    assert merge_candidates([200] * (MERGE_FACTOR - 1), 200) == []
    assert merge_candidates([200] * MERGE_FACTOR, 200) == list(range(MERGE_FACTOR))


def test_the_smallest_of_a_tier_are_taken_while_the_result_stays_under_the_cap():
    counts = [5_000] * 12
    chosen = merge_candidates(counts, 5_000)
    assert len(chosen) == (MAX_MERGED_DOCS - 5_000) // 5_000
    assert sum(counts[i] for i in chosen) + 5_000 <= MAX_MERGED_DOCS


def test_segments_of_half_the_cap_or_more_are_never_merged():
    big = MAX_MERGED_DOCS // 2
    assert merge_candidates([big] * 20 + [10], 10) == []


def test_segments_with_no_live_document_are_always_dropped():
    assert merge_candidates([0, 7_000, 0], 100) == [0, 2]


def test_an_index_grows_by_tiers_and_no_merge_passes_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(search.merging, "MAX_MERGED_DOCS", 120)
    monkeypatch.setattr(search.merging, "MERGE_FACTOR", 4)
    with Index.create(tmp_path / "ix") as ix:
        articles = [Article(f"a{i}", f"Hậu Giang {i}", "mưa lớn") for i in range(400)]
        ix.add_many(articles, batch_size=10)  # 40 commits
        sizes = sorted(segment.doc_count() for segment in ix._whoosh._segments())
        assert ix.count() == 400
    assert max(sizes) <= 120 and sum(sizes) == 400
    assert len(sizes) < 40 // 4  # merged: far fewer segments than commits
    assert sum(1 for size in sizes if size >= 60) >= 2  # tiers reached half the cap, and stopped there


def test_an_explicit_optimize_still_merges_everything(tmp_path):
    from search.fastwriter import FastSegmentWriter

    with Index.create(tmp_path / "ix") as ix:
        ix.add_many([Article(f"a{i}", "Cần Thơ", "nắng") for i in range(30)], batch_size=5)
        FastSegmentWriter(ix._whoosh).commit(optimize=True)
        assert len(ix._whoosh._segments()) == 1
