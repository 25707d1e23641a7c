"""Reading a query again in the light of its top hits (``search.topic_stats``, issue 6)."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pytest

from conftest import stats_of
from search import Article, Index
from search.restore import restore
from search.syllable_stats import BOUNDARY
from search.topic_stats import RememberedStatistics, TopicStatistics

MARK = BOUNDARY.decode()
NEWS = (
    [Article(id=f"street-{i}", title="Tin phố", body="Người dân đi làm muộn vì tắc đường. Hôm nay trời mưa lớn ở thành phố.") for i in range(300)]
    + [Article(id=f"market-{i}", title="Tin chợ", body="Chợ bán các loại rau. Các loại khác thì đắt.") for i in range(3)]
    + [Article(id=f"wolves-{i}", title="Sói xám", body="Sói xám ăn thịt. Các loài khác sợ sói.") for i in range(2)]
)


@pytest.fixture(scope="module")
def news() -> Iterator[Index]:
    with Index.in_memory() as ix:
        ix.add_many(NEWS)
        yield ix


def test_the_texts_are_counted_by_sentence_and_weighted_to_their_share(news):
    with stats_of(news) as stats:
        topic = TopicStatistics(stats, ["Sói xám ăn thịt. Sói xám", "sợ sói"], share=0.01)
        assert topic.weight == pytest.approx(0.01 * stats.total / 8)  # eight syllables in the texts
        assert TopicStatistics(stats, []).weight == 0.0

        def added(found, index_only):
            return (np.asarray(found) - np.asarray(index_only)) / topic.weight

        left, right = ["sói", "thịt", MARK, "xám", MARK], ["xám", MARK, "sói", "sói", "sợ"]
        # no pair across a sentence end, or from one text to the next
        assert added(topic.pair_counts(left, right), stats.pair_counts(left, right)) == pytest.approx([2, 1, 2, 0, 1])
        first, second, third = [MARK, "thịt", "sợ"], ["sói", MARK, "sói"], ["xám", "sói", MARK]
        assert added(topic.triple_counts(first, second, third), stats.triple_counts(first, second, third)) == pytest.approx([2, 0, 1])


def test_the_forms_their_counts_and_the_back_off_weights_stay_the_indexs(news):
    with stats_of(news) as stats:
        topic = TopicStatistics(stats, ["Các loài khác. Các loài khác."], share=0.5)
        assert topic.forms_of(["loai"]) == stats.forms_of(["loai"])
        assert list(topic.counts(["loài", "khác"])) == list(stats.counts(["loài", "khác"]))
        assert list(topic.continuations(["các"])) == list(stats.continuations(["các"]))
        assert list(topic.pair_continuations(["các"], ["loài"])) == list(stats.pair_continuations(["các"], ["loài"]))


def test_the_top_hits_pull_the_reading_towards_their_topic(news):
    query = "soi xam cac loai khac"
    with stats_of(news) as stats:
        assert restore(query.split(), stats).text == "sói xám các loại khác"  # the index mostly writes "các loại"
    results = news.search(query)
    assert {hit.id for hit in results.hits[:2]} == {"wolves-0", "wolves-1"}
    assert results.suggestion == "sói xám các loài khác"  # the hits on wolves write "các loài"


def test_a_query_sorted_by_date_is_not_read_again(news):
    assert news.search("soi xam cac loai khac", sort="date").suggestion == "sói xám các loại khác"


def test_remembered_statistics_ask_the_index_once_per_question(news):
    with stats_of(news) as stats:
        asked: list[str] = []

        class Counting:
            total = stats.total

            def __getattr__(self, name):
                asked.append(name)
                return getattr(stats, name)

        remembered = RememberedStatistics(Counting)
        first = restore(["cac", "loai", "khac"], remembered)
        questions = len(asked)
        again = restore(["cac", "loai", "khac"], remembered)
        assert again == first == restore(["cac", "loai", "khac"], stats)
        assert questions >= 5 and len(asked) == questions  # the second reading asked nothing new
        assert remembered.forms_of(["loai"], 1) == stats.forms_of(["loai"], 1) != stats.forms_of(["loai"])
        assert remembered.forms_of(["loai"]) == stats.forms_of(["loai"])  # the limit is part of the question
