"""Accent restoration from the index's own statistics (issue 6, item 1)."""

from __future__ import annotations

from typing import Iterator

import pytest

from conftest import stats_of
from search import Article, Index
from search.restore import Restoration, is_restorable, restore, restore_baseline
from search.syllable_stats import SyllableStats

TEXTS = [
    ("Hậu Giang", "Tỉnh Hậu Giang mưa lớn. Người dân Hậu Giang đo nhiệt độ. Hậu Giang đo nhiệt độ. Họ đo độ ẩm, đo độ ẩm."),
    ("Tự do báo chí", "Tự do báo chí là quyền. Do đó, nhiệt độ và độ ẩm cao."),
    ("Màu đỏ", "Lá cờ màu đỏ. Đó là lá cờ màu đỏ. Do đó, độ ẩm cao."),
    ("Kỹ thuật", "Kỹ thuật số ở Hậu Giang. Kỹ thuật mới. Quyền tự do. Đó là tự do."),
    ("Montréal", "Montréal và Montréal. Ông đo đạc đất, đo đạc lại. USA và USA."),
]


@pytest.fixture(scope="module")
def stats() -> Iterator[SyllableStats]:
    with Index.in_memory() as ix:
        ix.add_many(Article(id=str(i), title=t, body=b) for i, (t, b) in enumerate(TEXTS))
        with stats_of(ix) as found:
            yield found


def restored(query: str, stats: SyllableStats) -> str:
    return restore(query.split(), stats).text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("hau giang", "hậu giang"),  # T5's query: the suggestion for it
        ("Hau Giang", "Hậu Giang"),  # the typed case is kept
        ("HAU GIANG", "HẬU GIANG"),
        ("ky thuat", "kỹ thuật"),
        ("nguoi dan hau giang", "người dân hậu giang"),
    ],
)
def test_restores_the_accents_the_index_uses(query, expected, stats):
    assert restored(query, stats) == expected


@pytest.mark.parametrize(
    "query, expected",
    [  # "do" stands for do, đó, độ, đỏ, đo …: its neighbour decides
        ("tu do", "tự do"),
        ("do la", "đó là"),
        ("nhiet do", "nhiệt độ"),
        ("do am", "độ ẩm"),
        ("mau do", "màu đỏ"),
        ("do dac", "đo đạc"),
        ("do do am", "đo độ ẩm"),
    ],
)
def test_context_disambiguates(query, expected, stats):
    assert restored(query, stats) == expected


def test_the_baseline_ignores_context(stats):
    most_common = stats.forms("do")[0][0]
    assert most_common != "đỏ"
    assert restore_baseline(["mau", "do"], stats).text == f"màu {most_common}"
    assert restore(["mau", "do"], stats).text == "màu đỏ"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Hậu giang", "Hậu giang"),  # typed marks are kept; "giang" has no other form
        ("nhiet đỏ", "nhiệt đỏ"),  # kept even against the context (nhiệt độ)
        ("Hậu giang do nhiet do", "Hậu giang đo nhiệt độ"),
        ("đo am", "đo ẩm"),
    ],
)
def test_typed_marks_are_kept(query, expected, stats):
    assert restored(query, stats) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("USA 2019", "USA 2019"),  # in the index as typed, or not a syllable
        ("iPhone hau giang", "iPhone hậu giang"),  # unknown: kept, and breaks no context
        ("montreal", "montréal"),  # not a syllable, but the index only spells it accented
        ("hau zzyzx giang", "hậu zzyzx giang"),
    ],
)
def test_words_that_are_not_syllables_stay_as_typed(query, expected, stats):
    assert restored(query, stats) == expected


def test_restoration_reports_what_it_did(stats):
    result = restore(["Hau", "Giang", "2019"], stats)
    assert result == Restoration(
        typed=("Hau", "Giang", "2019"),
        syllables=("hậu", "giang", "2019"),
        restored=(True, True, False),
        confidence=pytest.approx(1.0),
    )
    assert result.changed
    assert not restore(["giang"], stats).changed


def test_confidence_is_lower_when_the_index_knows_other_readings(stats):
    sure = restore(["hau", "giang"], stats).confidence
    unsure = restore(["do"], stats).confidence
    assert sure == pytest.approx(1.0)
    assert 0.0 < unsure < 0.5


@pytest.mark.parametrize("query", ["", "hau giang", "do"])
def test_empty_statistics_leave_the_query_as_typed(query):
    with SyllableStats() as empty:
        result = restore(query.split(), empty)
        assert result.text == query
        assert not result.changed
        assert restore_baseline(query.split(), empty).text == query


@pytest.mark.parametrize(
    "word, expected",
    [("hau", True), ("nghieng", True), ("Hau", True), ("hậu", False), ("usa", False), ("2019", False), ("iphone", False)],
)
def test_is_restorable(word, expected):
    assert is_restorable(word) is expected


def test_suggestions_follow_the_index(ram_index):
    ram_index.add_many([Article(id="1", title="Hậu Giang", body="Hậu Giang. Hậu Giang.")])
    with stats_of(ram_index) as stats:
        assert restored("hau giang", stats) == "hậu giang"
    ram_index.add_many([Article(id=str(i), title="Hầu giảng", body="Hầu giảng. Hầu giảng.") for i in range(2, 5)])
    with stats_of(ram_index) as stats:
        assert restored("hau giang", stats) == "hầu giảng"


@pytest.fixture(scope="module")
def sentence_stats() -> Iterator[SyllableStats]:
    """``ở đầu`` three times as common as ``ở đâu``, which only ends questions."""
    body = "Cây ở đầu làng. Cây ở đầu làng. Họ đi đầu trong phong trào. Đi đầu trong phong trào. Anh đi đâu? Mèo ở đâu?"
    with Index.in_memory() as ix:
        ix.add_many([Article(id="1", title="Làng", body=body)])
        with stats_of(ix) as found:
            yield found


@pytest.mark.parametrize(
    "query, expected",
    [
        ("o dau", "ở đâu"),  # a question ends here: ``đâu`` ends sentences, ``đầu`` does not
        ("o dau lang", "ở đầu làng"),
        ("di dau trong", "đi đầu trong"),
    ],
)
def test_the_ends_of_the_query_are_the_ends_of_a_sentence(query, expected, sentence_stats):
    assert restored(query, sentence_stats) == expected


def test_two_words_of_context_beat_one(sentence_stats):
    # "2024" is unknown to the index, so nothing follows "dau": only what precedes decides.
    # After "đi" alone, "đầu" is twice as common; after "anh đi", only "đâu" was seen.
    assert restore("anh di dau 2024".split(), sentence_stats, order=2).text == "anh đi đầu 2024"
    assert restore("anh di dau 2024".split(), sentence_stats).text == "anh đi đâu 2024"


def test_a_foreign_word_is_read_by_its_context():
    texts = [
        ("Québec", "Thành phố Montréal của Québec. Montréal ở Québec. Người Québec nói tiếng Pháp."),
        ("Hockey", "Đội Montreal Canadiens thắng. Đội Montreal Canadiens thắng. Đội Montreal Canadiens thua."),
    ]
    with Index.in_memory() as ix:
        ix.add_many(Article(id=str(i), title=t, body=b) for i, (t, b) in enumerate(texts))
        with stats_of(ix) as found:
            assert restored("thanh pho montreal cua quebec", found) == "thành phố montréal của québec"
            assert restored("doi Montreal Canadiens", found) == "đội Montreal Canadiens"


def test_the_suggestion_is_spelled_as_the_top_hit_spells_it():
    from search.index import _as_written

    reading = Restoration(("thoi", "ky", "moi"), ("thời", "kỳ", "mới"), (True, True, True), 0.9)

    def written(title: str, body: str = "") -> str:
        return _as_written(reading.syllables, reading.text, {"title": title, "body": body})

    assert written("Tin", "Đây là thời kỳ Mới.") == "thời kỳ Mới"  # its capitals
    assert written("Tin", "Đây là thời kì Mới.") == "thời kỳ mới"  # not its i/y: "ky" was typed
    assert written("Thời Kỳ", "thời kỳ mới") == "thời kỳ mới"
    assert written("Thợi ky mơi", "Đây là thợi ky mơi.") == "thời kỳ mới"  # another reading: as read
    assert written("Thời kỳ mới", "Thời kỳ mới. Hết.") == "thời kỳ mới"  # capitals opening a sentence are not its own
    assert written("Thời kỳ mới", "Đây là thời kỳ mới.") == "thời kỳ mới"


@pytest.fixture(scope="module")
def question_stats() -> Iterator[SyllableStats]:
    """``ở đầu`` ends three statements, ``ở đâu`` one question."""
    with Index.in_memory() as ix:
        ix.add_many([Article(id="1", title="Làng", body="Cây ở đầu. Nhà ở đầu. Xe ở đầu. Mèo ở đâu?")])
        with stats_of(ix) as found:
            yield found


def test_a_question_mark_reads_the_query_as_a_question(question_stats):
    assert restore(["o", "dau"], question_stats).text == "ở đầu"  # as any sentence ends
    assert restore(["o", "dau"], question_stats, question=True).text == "ở đâu"


def test_an_index_without_questions_reads_a_question_as_any_sentence():
    with Index.in_memory() as ix:
        ix.add_many([Article(id="1", title="Làng", body="Cây ở đầu. Nhà ở đầu. Mèo ở đâu.")])
        with stats_of(ix) as found:
            assert restore(["o", "dau"], found, question=True).text == "ở đầu"


def test_a_question_typed_to_search_is_read_as_one():
    with Index.in_memory() as ix:
        ix.add_many([Article(id="1", title="Làng", body="Cây ở đầu. Nhà ở đầu. Xe ở đầu. Mèo ở đâu?")])
        assert ix.search("o dau").suggestion == "ở đầu"
        assert ix.search("o dau?").suggestion == "ở đâu"  # the CLI says "did you mean: ở đâu?"
        assert ix.search("o dau ?").suggestion == "ở đâu"
        assert ix.search("Xe, o dau").suggestion == "Xe ở đầu"  # a comma no longer keeps a word as typed


def test_a_reading_keeps_the_i_or_y_typed():
    texts = ["Thời kỳ mới. Thời kỳ mới. Thời kỳ mới. Thời kì đó. Lý do."]
    with Index.in_memory() as ix:
        ix.add_many(Article(id=str(i), title="Tin", body=b) for i, b in enumerate(texts))
        with stats_of(ix) as found:
            assert restored("thoi ky moi", found) == "thời kỳ mới"
            assert restored("thoi ki moi", found) == "thời kì mới"  # read as "kỳ", spelled as typed
            assert restored("li do", found) == "lý do"  # no "lí" in the index: its spelling stands
        assert ix.search("thoi ki moi").suggestion == "thời kì mới"
