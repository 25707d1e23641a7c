"""A date typed among the words finds the articles that write that day another way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import article
from search import Index
from search.date_mentions import NEAR_DAYS, mentions, written_date
from search.errors import QueryError

ARTICLES = [
    article("slashes", "Bão đổ bộ", "Ngày 2/7/2021, bão số 3 đổ bộ vào Quảng Ninh."),
    article("padded", "Bão số 3", "Hôm 02/07/2021 bão vào bờ."),
    article("dashes", "Lũ lớn", "Từ 2-7-2021 nước lên nhanh."),
    article("words", "Mưa lớn", "Ngày 2 tháng 7 năm 2021 trời mưa to."),
    article("that_summer", "Bão tan", "Sáng 2/7, bão suy yếu.", date=date(2021, 7, 3)),
    article("years_before", "Bão cũ", "Sáng 2/7, bão đổ bộ.", date=date(2019, 7, 3)),
    article("undated", "Bão không ngày", "Sáng 2/7, bão đổ bộ."),
    article("numbers", "Tin vắn", "Lúc 02 giờ có 07 người bị thương trong năm 2021."),
    article("other_day", "Tin khác", "Ngày 7/2/2021 trời nắng."),
    article("month", "Giá cả", "Trong tháng 7/2021, giá tăng."),
]


@pytest.fixture
def ix(any_index: Index) -> Index:
    any_index.add_many(ARTICLES)
    return any_index


def ids(ix: Index, query: str, **kwargs) -> set[str]:
    return {hit.id for hit in ix.search(query, limit=50, **kwargs).hits}


def ranked(ix: Index, query: str) -> list[str]:
    return [hit.id for hit in ix.search(query, limit=50).hits]


THAT_DAY = {"slashes", "padded", "dashes", "words", "that_summer"}  # the articles that mention 2 July 2021


@pytest.mark.parametrize("typed", ["02/07/2021", "2/7/2021", "2-7-2021", "2.7.2021", "2021-07-02", "02/07/2021,"])
def test_a_typed_day_finds_every_way_it_is_written_first(ix, typed):
    found = ranked(ix, typed)
    assert set(found[: len(THAT_DAY)]) == THAT_DAY
    assert found.index("that_summer") == len(THAT_DAY) - 1  # "2/7" alone: the weakest evidence
    assert set(found[len(THAT_DAY) :]) <= {"other_day", "numbers", "month"}  # 2021 alone is a word: after them
    assert "numbers" not in ids(ix, "02/07")  # "02" and "07" apart are not the day


@pytest.mark.parametrize("typed", ["2 tháng 7 năm 2021", "2 thang 7 nam 2021", "02 tháng 07 năm 2021"])
def test_a_day_spelled_out_finds_it_written_in_numbers_first(ix, typed):
    assert set(ranked(ix, typed)[: len(THAT_DAY)]) == THAT_DAY


def test_a_month_spelled_out_finds_it_written_in_numbers(ix):
    found = ranked(ix, "giá tháng 7 năm 2021")
    assert found[0] == "month"
    assert found.index("slashes") < found.index("other_day")  # 2/7/2021 is in July 2021, 7/2/2021 not


def test_a_day_without_its_year_counts_only_in_a_story_published_near_it(ix):
    found = ids(ix, "02/07/2021")
    assert "that_summer" in found
    assert "years_before" not in found  # its "2/7" is 2 July 2019
    assert "undated" not in found  # which year it means is unknown


def test_a_date_is_highlighted_whole_and_its_numbers_not_alone(ix):
    hits = {hit.id: hit for hit in ix.search("bão 02/07/2021", limit=50).hits}
    snippet = hits["slashes"].snippet
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["2/7/2021", "bão"]  # not the "3"
    snippet = hits["words"].snippet
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["2 tháng 7 năm 2021"]


def test_the_date_is_one_clause_among_the_words(ix):
    found = ranked(ix, "bão 02/07/2021")
    assert set(found[:3]) == {"slashes", "padded", "that_summer"}  # both the word and the date
    assert found.index("numbers") > found.index("dashes")  # its 02, 07 and 2021 are not the day


def test_a_quoted_phrase_with_a_date_matches_it_written_another_way(ix):
    assert ids(ix, '"bão 2/7/2021"') == set()  # no article writes that phrase
    assert ids(ix, '"hôm 2/7/2021"') == {"padded"}
    assert ids(ix, '"ngày 02/07/2021"') == {"slashes", "words"}
    assert ids(ix, '"ngày 2 tháng 7 năm 2021"') == {"slashes", "words"}


def test_a_required_or_excluded_date_is_the_day_however_written(ix):
    assert ids(ix, "bão -2/7/2021") == {"years_before", "undated"}  # the other storms
    assert {"words", "that_summer"} <= ids(ix, "mưa +02/07/2021") <= {"slashes", "padded", "dashes", "words", "that_summer"}


def test_exact_matches_the_numbers_as_typed(ix):
    results = ix.search("02/07/2021", exact=True, limit=50)
    assert results.hits[0].id == "padded"
    assert "numbers" in {hit.id for hit in results.hits}  # any of the words as typed, as before


def test_the_publication_date_filter_still_applies(ix):
    assert ids(ix, "2/7/2021", since="01/07/2021") == {"that_summer"}


def test_a_day_and_month_alone_and_a_month_of_a_year(ix):
    assert {"slashes", "padded", "dashes", "words", "that_summer", "years_before", "undated"} <= ids(ix, "2/7")
    assert "other_day" not in ids(ix, "2/7")


@pytest.mark.parametrize(
    "word, phrases",
    [
        ("02/07/2021", {("02", "07", "2021"), ("2", "7", "2021"), ("2", "07", "2021"), ("02", "7", "2021"), ("2", "thang", "7", "nam", "2021")}),
        ("12/12/2020", {("12", "12", "2020"), ("12", "thang", "12", "nam", "2020")}),
        ("7/2021", {("7", "2021"), ("07", "2021"), ("7", "nam", "2021")}),
        ("2021-07", {("2021", "07"), ("7", "2021"), ("07", "2021"), ("7", "nam", "2021")}),
        ("2/7", {("2", "7"), ("2", "07"), ("02", "7"), ("02", "07"), ("2", "thang", "7")}),
        ("29/2", {("29", "2"), ("29", "02"), ("29", "thang", "2")}),
    ],
)
def test_the_ways_of_writing_a_date(word, phrases):
    written = written_date(word)
    assert written is not None and set(written.phrases) == phrases
    assert written.phrases[0] == tuple(word.replace("/", " ").replace("-", " ").split())  # the typed one first


def test_a_day_typed_with_its_year_is_also_its_day_and_month_near_it():
    written = written_date("02/07/2021")
    assert written is not None and written.near is not None
    assert written.near == (date(2021, 7, 2) - timedelta(days=NEAR_DAYS), date(2021, 7, 2) + timedelta(days=NEAR_DAYS))
    assert set(written.yearless) == {("2", "7"), ("2", "07"), ("02", "7"), ("02", "07")}


def test_the_first_and_last_days_of_the_calendar_are_days(ix):
    for typed in ("1/1/0001", "31/12/9999", "bão 0001-01-01"):
        ix.search(typed)  # no OverflowError: half a year before 1/1/0001 is 1/1/0001
    assert written_date("31/12/9999").near == (date(9999, 12, 31) - timedelta(days=NEAR_DAYS), date.max)


@pytest.mark.parametrize("word", ["31/2", "29/2/2021", "13/13/2021", "0/7/2021", "2/7/21", "1/13", "2021", "7/2021/5", "hậu", "1,5"])
def test_what_is_not_a_date(word):
    assert written_date(word) is None


def test_mentions_are_placed_by_word_and_syllable():
    found = mentions(["bão", "02/07/2021", "tháng", "7/2021", "ngày", "2", "tháng", "7", "năm", "2021", "và", "2", "tháng", "8"])
    assert [(m.first, m.last, m.start, m.end) for m in found] == [(1, 2, 1, 4), (3, 4, 5, 7), (5, 10, 8, 13), (11, 14, 14, 17)]
    assert ("02", "07", "2021") not in found[0].others  # the form typed is not an alternative to itself
    assert ("2", "7", "2021") in found[2].others and found[2].date.near is not None
    assert mentions(["tháng", "7", "năm", "2021"])[0].date.typed == ("7", "nam", "2021")  # "tháng" stays a word
    assert mentions(["3", "tháng", "13"]) == [] and mentions(["2", "tháng"]) == [] and mentions(["7", "năm", "2021"]) == []


def test_a_bad_date_filter_is_still_an_error(ix):
    with pytest.raises(QueryError):
        ix.search("bão date:31/02/2021")


def test_every_way_of_writing_the_day_weighs_about_the_same(ix):
    scores = {hit.id: hit.score for hit in ix.search("2/7/2021").hits}
    written = [scores[id] for id in ("slashes", "padded", "dashes", "words")]
    assert max(written) < 1.5 * min(written)  # "02" is rarer than "2", "tháng 7 năm" longer than "7/"
