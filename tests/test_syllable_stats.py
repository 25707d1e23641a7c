"""Syllable and syllable-pair statistics: written with each segment, summed over segments,
carried through merges, and empty (not an error) for an index written before them."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.filedb.filestore import RamStorage

from conftest import stats_of
from search import Article, Index
from search.analysis import canonical_terms
from search.check import verify
from search.fastwriter import FastSegmentWriter
from search.restore import is_restorable
from search.syllable_stats import (
    BOUNDARY,
    QUESTION,
    _decode_counts,
    _encode_counts,
    PAIRS_EXT,
    SYLLABLES_EXT,
    TRIPLES_EXT,
    WIDTH,
    SyllableCollector,
    SyllableStats,
)

NEWS = [
    Article(id="1", title="Hậu Giang", body="Tỉnh Hậu Giang có nhiệt độ cao. Do đó, độ ẩm cao."),
    Article(id="2", title="Tự do", body="Tự do báo chí. Hậu Giang đo nhiệt độ."),
    Article(id="3", title="Màu đỏ", body="Cờ màu đỏ ở Hậu Giang. Do đó tự do."),
]


def collected(*texts: str, storage: RamStorage | None = None) -> SyllableStats:
    """Statistics of one segment written by a collector fed ``texts`` (split on spaces)."""
    storage = storage or RamStorage()
    collector = SyllableCollector()
    for text in texts:
        collector.add_text([s.encode("utf-8") for s in text.split()])
    collector.write(storage, "seg")
    return SyllableStats.open(storage, ["seg"])


def test_counts_and_forms_most_common_first(ram_index):
    ram_index.add_many(NEWS)
    with stats_of(ram_index) as stats:
        assert stats.forms("hau") == [("hậu", 4)]
        assert stats.forms("do") == [("do", 5), ("độ", 3), ("đó", 2), ("đỏ", 2), ("đo", 1)]
        assert stats.forms("do", limit=2) == [("do", 5), ("độ", 3)]
        assert stats.count("giang") == 4
        assert stats.pair("hậu", "giang") == 4
        assert stats.pair("giang", "hậu") == 0
        assert stats.total == sum(len(canonical_terms(a.title)) + len(canonical_terms(a.body)) for a in NEWS)


def test_a_title_and_its_body_are_separate_texts(ram_index):
    ram_index.add_many([Article(id="1", title="đỏ đỏ", body="đen đen"), Article(id="2", title="đỏ đỏ", body="đen đen")])
    with stats_of(ram_index) as stats:
        assert stats.pair("đỏ", "đỏ") == 2
        assert stats.pair("đỏ", "đen") == 0  # the title's last and the body's first


@pytest.mark.parametrize(
    "texts, pair, expected",
    [
        (["a b", "a b"], ("a", "b"), 2),
        (["a b", "b a"], ("a", "b"), 1),
        (["a b c"], ("a", "c"), 0),  # not adjacent
        (["a b", "c"], ("b", "c"), 0),  # two texts
        ([f"a {'x' * (WIDTH + 1)} b"], ("a", "b"), 0),  # too long a token breaks the chain
    ],
)
def test_pairs(texts, pair, expected):
    assert collected(*texts).pair(*pair) == expected


def test_rare_pairs_can_be_dropped(monkeypatch):
    monkeypatch.setattr("search.syllable_stats.MIN_PAIR_COUNT", 2)
    stats = collected("a b", "a b", "b a")
    assert (stats.pair("a", "b"), stats.pair("b", "a")) == (2, 0)
    assert stats.count("a") == 3


def test_a_token_too_long_is_not_counted():
    stats = collected("a " + "x" * (WIDTH + 1))
    assert stats.count("x" * (WIDTH + 1)) == 0
    assert stats.total == 1


def test_pair_counts_is_vectorised():
    stats = collected("tự do báo chí", "tự do báo chí", "đó là")
    assert stats.pair_counts(["tự", "do", "báo", "đó", "nothing"], ["do", "báo", "chí", "là", "do"]).tolist() == [2, 2, 2, 1, 0]


def test_following_filters_by_folded_prefix():
    stats = collected("hậu giang", "hậu giang", "hậu gia", "hậu gia", "hậu gia", "hậu quả", "hậu quả")
    assert stats.following("hậu", "gi") == [("gia", 3), ("giang", 2)]
    assert stats.following("hậu") == [("gia", 3), ("giang", 2), ("quả", 2)]
    assert stats.following("hậu", "qua", limit=1) == [("quả", 2)]
    assert stats.following("tiền") == []


def test_counts_add_up_over_segments(ram_index):
    ram_index.add_many(NEWS, batch_size=1)  # one segment per article
    with stats_of(ram_index) as stats:
        assert len(stats.segments) == 3
        assert stats.count("hậu") == 4


def test_statistics_survive_a_merge(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add_many([*NEWS, Article(id="1", title="Hậu Giang", body="Tin mới")], batch_size=1)  # replaced: still counted
        with stats_of(ix) as stats:
            before = {key: stats.forms(key) for key in ("hau", "do", "giang", "tu", "nhiet")}
            pairs = stats.pair_counts(["hậu", "tự", "nhiệt"], ["giang", "do", "độ"]).tolist()
            triples = stats.triple_counts(["hậu", "đo", "do"], ["giang", "nhiệt", "đó"], ["có", "độ", "tự"]).tolist()
            total = stats.total
        assert triples == [1, 1, 1]
        FastSegmentWriter(ix._whoosh).commit(optimize=True)
        with stats_of(ix) as stats:
            assert len(stats.segments) == 1
            assert {key: stats.forms(key) for key in before} == before
            assert stats.pair_counts(["hậu", "tự", "nhiệt"], ["giang", "do", "độ"]).tolist() == pairs
            assert stats.triple_counts(["hậu", "đo", "do"], ["giang", "nhiệt", "đó"], ["có", "độ", "tự"]).tolist() == triples
            assert stats.total == total
    assert verify(tmp_path / "ix") == []


def test_statistics_are_updated_by_each_commit(ram_index):
    ram_index.add_many(NEWS[:1])
    with stats_of(ram_index) as stats:
        assert stats.forms("tu") == []
    ram_index.add_many(NEWS[1:])
    with stats_of(ram_index) as stats:
        assert stats.forms("tu") == [("tự", 3)]


def test_the_files_are_part_of_the_segment(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add_many(NEWS)
    names = {p.suffix for p in (tmp_path / "ix").iterdir()}
    assert {f".{SYLLABLES_EXT}", f".{PAIRS_EXT}", f".{TRIPLES_EXT}"} <= names
    assert verify(tmp_path / "ix") == []
    with Index.open(tmp_path / "ix") as ix, stats_of(ix) as stats:
        (segment,) = stats.segments
        columns = (segment.counts, segment.by_folded, segment.pair_keys, segment.pair_counts, segment.triple_starts, segment.thirds)
        assert all(column.flags.aligned for column in columns)  # else numpy copies them per search


def test_an_index_written_before_statistics_has_empty_ones(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add_many(NEWS)
        for path in (tmp_path / "ix").iterdir():
            if path.suffix in (f".{SYLLABLES_EXT}", f".{PAIRS_EXT}", f".{TRIPLES_EXT}"):
                path.unlink()
        with stats_of(ix) as stats:
            assert stats.segments == []
            assert (stats.total, stats.forms("hau"), stats.count("hậu"), stats.pair("hậu", "giang")) == (0, [], 0, 0)
            assert stats.following("hậu") == []


def test_an_empty_index_has_empty_statistics(ram_index):
    with stats_of(ram_index) as stats:
        assert (stats.total, stats.forms("hau")) == (0, [])


def test_counting_in_several_reductions_gives_the_same_counts(monkeypatch):
    texts = ["tự do báo chí", "tự do", "do đó tự do", "báo chí tự do"]
    whole = collected(*texts)
    monkeypatch.setattr("search.syllable_stats.REDUCE_AT", 3)
    pieces = collected(*texts)
    for key in ("tu", "do", "bao", "chi"):
        assert pieces.forms(key) == whole.forms(key)
    pairs = (["tự", "do", "báo", "do"], ["do", "báo", "chí", "đó"])
    assert pieces.pair_counts(*pairs).tolist() == whole.pair_counts(*pairs).tolist() == [4, 1, 2, 1]
    triples = (["tự", "do", "đó", "."], ["do", "đó", "tự", "tự"], ["báo", "tự", "do", "do"])
    assert pieces.triple_counts(*triples).tolist() == whole.triple_counts(*triples).tolist() == [1, 1, 1, 2]


def test_forms_of_many_keys_and_continuations():
    stats = collected("tự do báo chí", "tự do", "tự động", "do đó")
    assert stats.forms_of(["tu", "do", "x" * (WIDTH + 1), "zz"]) == [[("tự", 3)], [("do", 3), ("đó", 1)], [], []]
    # do → báo, đó and the end of a sentence; chí → the end
    assert stats.continuations(["tự", "do", "chí", "nothing"]).tolist() == [2, 3, 1, 0]


def test_sentences_are_marked_at_both_ends():
    stats = collected("tự do báo chí", "đó là tự do")
    mark = BOUNDARY.decode()
    assert stats.pair_counts([mark, mark, "chí", "do"], ["tự", "đó", mark, mark]).tolist() == [1, 1, 1, 1]
    assert stats.count(mark) == 4
    assert stats.total == 8  # the marks are not syllables
    assert not is_restorable(mark)  # so restoration never asks for its forms
    assert stats.following("chí") == []  # nor offered as a completion


def test_the_writer_splits_texts_into_sentences(ram_index):
    ram_index.add_many([Article(id="1", title="Hậu Giang", body="Trời mưa. Ở đâu? Ở đầu làng!\nDòng mới")])
    with stats_of(ram_index) as stats:
        mark = BOUNDARY.decode()
        assert stats.pair_counts(["mưa", "làng", mark, "giang"], [mark, mark, "dòng", mark]).tolist() == [1, 1, 1, 1]
        assert stats.pair("mưa", "ở") == 0  # not across sentences
        assert stats.pair("giang", "trời") == 0  # nor from the title into the body
        assert stats.triple_counts([mark], ["ở"], ["đầu"]).tolist() == [1]


def test_a_question_ends_with_its_own_mark(ram_index):
    ram_index.add_many([Article(id="1", title="Vì sao?", body="Ở đâu? Ở đầu làng. Ai đi đâu?")])
    with stats_of(ram_index) as stats:
        mark, question = BOUNDARY.decode(), QUESTION.decode()
        assert stats.pair_counts(["đâu", "sao", "làng"], [question] * 3).tolist() == [2, 1, 0]
        assert stats.pair("đâu", mark) == 0  # a question's end is counted apart
        assert stats.pair("làng", mark) == 1
        assert stats.triple_counts(["ở", "đi"], ["đâu", "đâu"], [question, question]).tolist() == [1, 1]
        assert stats.pair(question, "ở") == 0  # the next sentence starts after the mark, as any other
        assert stats.pair(mark, "ở") == 2
        assert stats.total == 10  # neither mark is a syllable
        assert question not in [s for s, _ in stats.following("đâu")]


@pytest.mark.parametrize(
    "texts, triple, expected",
    [
        (["a b c", "a b c"], ("a", "b", "c"), 2),
        (["a b c d"], ("b", "c", "d"), 1),
        (["a b c d"], ("a", "b", "d"), 0),  # not in a row
        (["a b", "c"], ("a", "b", "c"), 0),  # two sentences
        ([f"a b {'x' * (WIDTH + 1)} c"], ("a", "b", "c"), 0),  # too long a token breaks the chain
    ],
)
def test_triples(texts, triple, expected):
    stats = collected(*texts)
    assert stats.triple_counts(*([part] for part in triple)).tolist() == [expected]


def test_pair_continuations_count_distinct_followers():
    stats = collected("tự do báo", "tự do báo", "tự do là", "tự do")
    assert stats.pair_continuations(["tự", "do", "x"], ["do", "báo", "y"]).tolist() == [3, 1, 0]  # báo, là, the end


def test_an_index_written_before_triples_still_has_pairs(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add_many(NEWS)
        for path in (tmp_path / "ix").iterdir():
            if path.suffix == f".{TRIPLES_EXT}":
                path.unlink()
        with stats_of(ix) as stats:
            assert stats.pair("hậu", "giang") == 4
            assert stats.triple_counts(["tỉnh"], ["hậu"], ["giang"]).tolist() == [0]
            assert stats.pair_continuations(["tỉnh"], ["hậu"]).tolist() == [0]


def test_triple_counts_take_one_byte_exact_where_it_matters():
    small = np.arange(1, 129)
    assert _decode_counts(_encode_counts(small)).tolist() == small.tolist()
    large = np.array([129, 200, 1_000, 5_000, 30_000])
    decoded = _decode_counts(_encode_counts(large))
    assert np.all(np.abs(decoded - large) <= 0.025 * large)  # half a step of 2^(1/16)
    assert np.all(np.diff(_decode_counts(np.arange(256))) > 0)  # order is kept
    assert _encode_counts(np.array([10**9])).tolist() == [255]


def test_many_triples_under_one_pair(ram_index):
    texts = [f"tự do {third}" for third in ("báo", "là", "chí", "đi", "về", "nào")] * 2 + ["tự do đi"]
    stats = collected(*texts)
    thirds = ["báo", "là", "chí", "đi", "về", "nào", "ở", "tự"]
    assert stats.triple_counts(["tự"] * 8, ["do"] * 8, thirds).tolist() == [2, 2, 2, 3, 2, 2, 0, 0]
    assert stats.pair_continuations(["tự", "do"], ["do", "đi"]).tolist() == [6, 1]  # đi → the end


def test_a_merge_reads_the_triples_of_a_segment_a_part_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr("search.syllable_stats._TRIPLES_AT_A_TIME", 2)
    with Index.create(tmp_path / "ix") as ix:
        ix.add_many(NEWS, batch_size=1)
        with stats_of(ix) as stats:
            asked = (["tỉnh", "hậu", "do", "màu", "."], ["hậu", "giang", "đó", "đỏ", "cờ"], ["giang", "có", "tự", "ở", "màu"])
            before = stats.triple_counts(*asked).tolist()
        FastSegmentWriter(ix._whoosh).commit(optimize=True)
        with stats_of(ix) as stats:
            assert len(stats.segments) == 1
            assert stats.triple_counts(*asked).tolist() == before == [1, 1, 1, 1, 1]


def test_the_thirds_after_a_pair_are_listed_commonest_first():
    stats = collected("hà nội mưa to", "hà nội mưa", "hà nội đẹp", "nội dung")
    assert stats.following_pair("hà", "nội") == [("mưa", 2), ("đẹp", 1)]
    assert stats.following_pair("hà", "nội", "de") == [("đẹp", 1)]  # by folded prefix
    assert stats.following_pair("hà", "nội", limit=1) == [("mưa", 2)]
    assert stats.following_pair("nội", "dung") == []  # nothing after, but the end of the sentence
