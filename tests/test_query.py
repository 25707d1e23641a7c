"""The query language of issue 4, parser side: every syntax form → plan nodes, every error → its
message (where the problem is and how to fix it), the caps at and just over each limit, and the
filters the CLI flags and ``Index.search`` keywords become (``filter_plan``)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest

from search.errors import QueryError
from search.plan import Tagged
from search.ranking import Weights
from search.query import (
    MAX_CLAUSES,
    MAX_DEPTH,
    MAX_EXPANSIONS,
    MAX_FUZZY_EDITS,
    MAX_QUERY_CHARS,
    MAX_SYLLABLES,
    Boolean,
    DateRange,
    Fuzzy,
    KeyFilter,
    Prefix,
    TextMatch,
    expansion_error,
    filter_plan,
    parse_query,
    place_filter,
)

D = date


def plan(query: str, **options):
    return parse_query(query, **options).plan


def only_filter(query: str, **options):
    """The one filter of a query made of a single ``field:value``."""
    built = plan(query, **options)
    assert isinstance(built, Boolean) and not built.should and not built.must_not, built
    (found,) = built.must
    return found


def keys(built) -> tuple[str, ...]:
    assert isinstance(built, TextMatch), built
    return built.keys


def error(query: str, **options) -> str:
    with pytest.raises(QueryError) as raised:
        parse_query(query, **options)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# -- dates inside the query ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query, low, high",
    [
        ("date:2021-07-02", D(2021, 7, 2), D(2021, 7, 2)),
        ("ngày:02/07/2021", D(2021, 7, 2), D(2021, 7, 2)),
        ("date:2/7/2021", D(2021, 7, 2), D(2021, 7, 2)),
        ('date:"ngày 2 tháng 7 năm 2021"', D(2021, 7, 2), D(2021, 7, 2)),
        ("date:7/2021", D(2021, 7, 1), D(2021, 7, 31)),
        ("date:07/2021", D(2021, 7, 1), D(2021, 7, 31)),
        ("date:2021-07", D(2021, 7, 1), D(2021, 7, 31)),
        ('date:"tháng 7/2021"', D(2021, 7, 1), D(2021, 7, 31)),
        ('date:"tháng 7 năm 2021"', D(2021, 7, 1), D(2021, 7, 31)),
        ("date:02/2024", D(2024, 2, 1), D(2024, 2, 29)),  # a leap February
        ("date:2021", D(2021, 1, 1), D(2021, 12, 31)),
        ("date:[01/06/2021 TO 31/07/2021]", D(2021, 6, 1), D(2021, 7, 31)),
        ("date:[01/06/2021 to 31/07/2021]", D(2021, 6, 1), D(2021, 7, 31)),
        ("date:[2021-06 TO 2021-07]", D(2021, 6, 1), D(2021, 7, 31)),  # months cover their days
        ("date:[2020 TO 2021]", D(2020, 1, 1), D(2021, 12, 31)),
        ("date:[01/06/2021 TO *]", D(2021, 6, 1), None),
        ("date:[* TO 2021]", None, D(2021, 12, 31)),
        ("date:[02/07/2021 TO 02/07/2021]", D(2021, 7, 2), D(2021, 7, 2)),
        ("date:2021-07-01..2021-07-31", D(2021, 7, 1), D(2021, 7, 31)),
        ("date:2021-06..2021-07", D(2021, 6, 1), D(2021, 7, 31)),
        ("date:2021-07..", D(2021, 7, 1), None),
        ("date:..2021", None, D(2021, 12, 31)),
        ("date:>=2021-06", D(2021, 6, 1), None),
        ("date:>2021-06-30", D(2021, 7, 1), None),
        ("date:>2021-06", D(2021, 7, 1), None),  # after the whole month
        ("date:<2022", None, D(2021, 12, 31)),
        ("date:<=31/07/2021", None, D(2021, 7, 31)),
        ("date:<=2021-07", None, D(2021, 7, 31)),
        ("date:<01/03/2024", None, D(2024, 2, 29)),
        ("DATE:2021", D(2021, 1, 1), D(2021, 12, 31)),  # field names in any case
        ("Ngày:2021", D(2021, 1, 1), D(2021, 12, 31)),
        (unicodedata.normalize("NFD", "ngày:2021"), D(2021, 1, 1), D(2021, 12, 31)),
        ("ngay:2021", D(2021, 1, 1), D(2021, 12, 31)),
    ],
)
def test_date_forms(query, low, high):
    assert only_filter(query) == DateRange(low, high)


def test_a_date_filter_narrows_words_without_scoring():
    built = plan("bão date:7/2021")
    assert built.must == (DateRange(D(2021, 7, 1), D(2021, 7, 31)),)
    assert keys(built.should[0]) == ("bao",)


@pytest.mark.parametrize(
    "query, must_say",
    [
        ("date:31/02/2021", ["'31/02/2021'", "column 6", "February has no day 31", "day first"]),
        ("date:13/13/2021", ["'13/13/2021'", "month 13 does not exist", "02/07/2021"]),
        ("date:29/02/2021", ["February 2021 has no day 29"]),
        ("date:2021-13", ["'2021-13'", "month 13 does not exist", "7/2021"]),
        ("date:13/2021", ["month 13 does not exist"]),
        ("date:07/31/2021", ["month 31 does not exist", "did you mean 31/07/2021?"]),  # month first
        ("date:hôm_qua", ["'hôm_qua'", "02/07/2021", "[01/06/2021 TO 31/07/2021]"]),
        ("date:2/7/21", ["'2/7/21'", "day first"]),
        ("date:[2021-08 TO 2021-07]", ["ends before it starts", "earlier date first"]),
        ("date:2021-08..2021-07", ["ends before it starts"]),
        ("date:[2021]", ["needs two bounds", "date:[01/06/2021 TO 31/07/2021]"]),
        ("date:[2020 TO 2021 TO 2022]", ["needs two bounds"]),
        ("date:[]", ["needs two bounds"]),
        ("date:[01/06/2021", ["'[' at column 6 is never closed", "add ']'"]),
        ("date:[", ["'[' at column 6 is never closed"]),
        ("date:[a TO", ["never closed"]),
        ("date:>", ["needs a date after it", "date:>01/06/2021"]),
        ("date:>=abc", ["'abc'"]),
        ("date:>9999", ["no day in the calendar"]),
        ("date:<0001-01-01", ["no day in the calendar"]),
        ("date:[31/02/2021 TO *]", ["February has no day 31"]),
    ],
)
def test_bad_dates_name_the_value_the_problem_and_the_fix(query, must_say):
    message = error(query)
    for part in must_say:
        assert part in message, message


# -- prefixes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Hậu*", Prefix("hau", "hậu")),
        ("hậu*", Prefix("hau", "hậu")),
        ("HAU*", Prefix("hau", None)),
        ("hau*", Prefix("hau", None)),
        ("gia*", Prefix("gia", None)),
        ("Đà*", Prefix("da", "đà")),
        (unicodedata.normalize("NFD", "Hậu*"), Prefix("hau", "hậu")),
        ("hoà*", Prefix("hoa", "hòa")),  # canonical tone placement, as indexed
        ("nguy*", Prefix("nguy", None)),
    ],
)
def test_prefix(query, expected):
    assert plan(query) == expected


@pytest.mark.parametrize(
    "query, prefix, whole",
    [
        ("kỹ*", Prefix("ky", "kỹ"), ("ki",)),  # kỹ, kĩ are indexed "ki"; kỹ… words start "ky"
        ("ky*", Prefix("ky", None), ("ki",)),
        ("xy*", Prefix("xy", None), ("xi",)),  # and "xy0001" is indexed as it is
        ("quí*", Prefix("qui", "quí"), ("quy",)),  # quí = quý; quịt starts "qui"
    ],
)
def test_a_prefix_that_is_a_whole_i_y_syllable_also_finds_its_variants(query, prefix, whole):
    built = plan(query)
    assert isinstance(built, Boolean) and not built.must and not built.must_not
    assert built.should[0] == prefix and keys(built.should[1]) == whole


def test_a_prefix_after_whole_words():
    built = plan("hậu gi*")
    assert isinstance(built, Boolean) and not built.must
    assert keys(built.should[0]) == ("hau",) and built.should[1] == Prefix("gi")


def test_a_quoted_prefix_requires_the_words_before_it():
    built = plan('"hậu gi*"')
    assert isinstance(built, Boolean)
    assert keys(built.must[0]) == ("hau",) and built.must[1] == Prefix("gi")
    built = plan('"chỉnh đốn đả*"')
    assert keys(built.must[0]) == ("chinh", "don") and built.must[0].phrase
    assert built.must[1] == Prefix("da", "đả")


def test_prefix_signs_and_exclusions():
    assert plan("bão -hậu*").must_not == (Prefix("hau", "hậu"),)
    assert plan("+gia* bão").must == (Prefix("gia"),)


@pytest.mark.parametrize(
    "query, must_say",
    [
        ("*ang", ["leading wildcard '*ang' at column 1", "gia*"]),
        ("bão *", ["leading wildcard '*' at column 5"]),
        ("-*ang bão", ["leading wildcard"]),
        ("h*", ["prefix 'h*' at column 1 is too short", "at least 2 letters"]),
        ("bão đ*", ["'đ*'", "too short"]),
        ("h*u", ["'h*u' at column 1", "only at the end of a word"]),
        ("gia**", ["only at the end"]),
        ('"hậu* giang"', ["at the end of the last word of a phrase"]),
        ('"*giang"', ["leading wildcard"]),
    ],
)
def test_prefix_errors(query, must_say):
    message = error(query)
    for part in must_say:
        assert part in message, message


def test_expansion_errors_for_the_engine():
    assert str(expansion_error(Prefix("hau", "hậu"))) == (
        f"prefix 'hậu*' matches more than {MAX_EXPANSIONS} words; type more letters"
    )
    assert "'ng*'" in str(expansion_error(Prefix("ng")))
    assert "use ~1" in str(expansion_error(Fuzzy("nguyen", 2)))


# -- fuzzy words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bão~", Fuzzy("bao", 1)),
        ("bão~1", Fuzzy("bao", 1)),
        ("nguyen~2", Fuzzy("nguyen", 2)),
        ("Nguyễn~2", Fuzzy("nguyen", 2)),
        (unicodedata.normalize("NFD", "bão~"), Fuzzy("bao", 1)),
        ("quí~", Fuzzy("quy", 1)),  # i/y variants share a key
    ],
)
def test_fuzzy(query, expected):
    assert plan(query) == expected


@pytest.mark.parametrize(
    "query, must_say",
    [
        ("bão~3", ["'bão~3' at column 1", f"1 or {MAX_FUZZY_EDITS} edits", "bão~2"]),
        ("bão~0", ["1 or 2 edits"]),
        ("bão~99999999999999", ["1 or 2 edits"]),
        ("ba~", ["'ba~'", "too short for 1 edit", "3 letters"]),
        ("nguy~2", ["too short for 2 edits", "5 letters", "~1"]),
    ],
)
def test_fuzzy_errors(query, must_say):
    message = error(query)
    for part in must_say:
        assert part in message, message


def test_tildes_that_are_not_after_a_word_are_punctuation():
    assert keys(plan("khoảng ~50")) == ("khoang", "50")


# -- places and the other fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, merged, exact",
    [
        ("TP.HCM", KeyFilter("province", "ho chi minh"), KeyFilter("place", "ho chi minh")),
        ("Sài Gòn", KeyFilter("province", "ho chi minh"), KeyFilter("place", "ho chi minh")),
        ("ho chi minh", KeyFilter("province", "ho chi minh"), KeyFilter("place", "ho chi minh")),
        ("thành phố Hồ Chí Minh", KeyFilter("province", "ho chi minh"), KeyFilter("place", "ho chi minh")),
        ("Cần Thơ", KeyFilter("province", "can tho"), KeyFilter("place", "can tho")),
        ("can tho", KeyFilter("province", "can tho"), KeyFilter("place", "can tho")),
        ("Hà Nội", KeyFilter("province", "ha noi"), KeyFilter("place", "ha noi")),
        # a former province (merged into Cần Thơ, Phú Thọ … in 2025) is matched as itself either way
        ("hoà bình", KeyFilter("place", "hoa binh"), KeyFilter("place", "hoa binh")),
        ("Hậu Giang", KeyFilter("place", "hau giang"), KeyFilter("place", "hau giang")),
        ("hau giang", KeyFilter("place", "hau giang"), KeyFilter("place", "hau giang")),
        # unknown places: the folded text
        ("Phú Quốc", KeyFilter("place", "phu quoc"), KeyFilter("place", "phu quoc")),
    ],
)
def test_place_resolution_and_the_merger_switch(typed, merged, exact):
    assert place_filter(typed) == merged
    assert place_filter(typed, merged_places=False) == exact
    assert filter_plan(place=typed) == [merged]
    assert filter_plan(place=typed, merged_places=False) == [exact]
    assert only_filter(f'place:"{typed}"') == merged
    assert only_filter(f'nơi:"{typed}"', merged_places=False) == exact


@pytest.mark.parametrize(
    "query, expected",
    [
        ('author:"Nguyễn Triệu"', KeyFilter("author", "nguyen trieu")),
        ('author:"NGUYỄN  TRIỆU"', KeyFilter("author", "nguyen trieu")),
        ('tác_giả:"nguyen trieu"', KeyFilter("author", "nguyen trieu")),
        ("TAC_GIA:trieu", KeyFilter("author", "trieu")),
        ("địa_điểm:HG", KeyFilter("place", "hau giang")),
        ('category:"Chính trị"', KeyFilter("category", "chinh tri")),
        ('chuyên_mục:"chinh tri"', KeyFilter("category", "chinh tri")),
        ("nguồn:TTXVN", KeyFilter("source", "ttxvn")),
        ("source:“Tuổi Trẻ”", KeyFilter("source", "tuoi tre")),  # typographic quotes
        ("id:abc-123", KeyFilter("id", "abc-123")),
    ],
)
def test_field_filters(query, expected):
    assert only_filter(query) == expected


def test_fields_combine_with_signs_and_words():
    built = plan('bão -author:"Nguyễn Triệu" +place:"Cần Thơ"')
    assert built.must == (KeyFilter("province", "can tho"),)
    assert built.must_not == (KeyFilter("author", "nguyen trieu"),)
    assert keys(built.should[0]) == ("bao",)


# -- booleans, signs, groups ------------------------------------------------------------------------


def test_boolean_forms():
    built = plan("lúa AND bão")
    assert [keys(p) for p in built.must] == [("lua",), ("bao",)]
    built = plan("mưa NOT bão")
    assert keys(built.should[0]) == ("mua",) and keys(built.must_not[0]) == ("bao",)
    built = plan('mưa -(bão lũ) -"sạt lở"')
    assert keys(built.must_not[0]) == ("bao", "lu") and built.must_not[1].phrase
    built = plan("mưa +(bão OR lũ)")
    assert keys(built.must[0]) == ("bao", "lu")
    built = plan("mưa AND NOT bão")
    assert keys(built.must[0]) == ("mua",) and keys(built.must_not[0]) == ("bao",)


@pytest.mark.parametrize(
    "query, expected_keys",
    [
        ("Hà Nội: kẹt xe", ("ha", "noi", "ket", "xe")),  # a colon after a word is punctuation
        ("10:30 sáng", ("10", "30", "sang")),
        ('"AND" bão', None),  # a quoted operator is a word
        ("bão - lũ", ("bao", "lu")),  # a dash between spaces is punctuation
        ("COVID-19", ("covid", "19")),
    ],
)
def test_text_that_looks_like_syntax(query, expected_keys):
    built = plan(query)
    if expected_keys is not None:
        assert keys(built) == expected_keys


@pytest.mark.parametrize(
    "query, must_say",
    [
        ('say "hello', ['unbalanced quote: the phrase opened at column 5 is never closed; add a closing "']),
        ("bão (lũ", ["unbalanced parenthesis: '(' at column 5 is never closed; add ')'"]),
        ("bão lũ) mưa", ["')' at column 7 has no '('"]),
        ("tac_gia_x:abc", ["unknown field 'tac_gia_x' at column 1: use one of author (tác_giả), place (nơi"]),
        ("bão foo:bar", ["unknown field 'foo' at column 5", "or quote the text"]),
        ("AND bão", ["AND at column 1 has no term before it", "mưa AND bão"]),
        ("mưa OR", ["OR at column 5 has no term after it"]),
        ("mưa OR )", ["OR at column 5 has no term after it"]),
        ("mưa AND OR bão", ["AND at column 5 has no term after it"]),
        ("(OR bão)", ["OR at column 2 has no term before it"]),
        ("NOT", ["NOT at column 1 has no term after it"]),
        ("mưa NOT", ["NOT at column 5 has no term after it"]),
        ("NOT -bão", ["NOT at column 1 has no term after it"]),
        ("author:", ["field 'author' at column 1 has no value", 'author:"Nguyễn Triệu"']),
        ("bão nơi:", ["field 'nơi' at column 5 has no value"]),
        ('author:""', ["has no value"]),
        ("author:!!!", ["author '!!!' at column 8 has no letters or digits"]),
        ("place:...", ["place '...' at column 7 has no letters or digits"]),
        ("author:nguy*", ["* and ~ work on words of the text", 'author:"Nguyễn Triệu"']),
        ("place:[a TO b]", ["ranges work only with date:"]),
        ("-bão", ["not only exclusions", "mưa -bão"]),
        ("NOT bão -lũ", ["not only exclusions"]),
        ("", ["empty query"]),
        ("   \t", ["empty query"]),
        ("!!! ...", ["no words to search for"]),
        ("()", ["empty parentheses at column 1"]),
        ("bão ( )", ["empty parentheses at column 5"]),
    ],
)
def test_syntax_errors_point_at_the_problem(query, must_say):
    message = error(query)
    for part in must_say:
        assert part in message, message


# -- caps ------------------------------------------------------------------------------------------


def test_query_length_cap():
    at_limit = ("bão " * MAX_QUERY_CHARS)[: MAX_QUERY_CHARS - 3] + "lũ "
    assert len(at_limit) == MAX_QUERY_CHARS
    parse_query('"' + "a" * (MAX_QUERY_CHARS - 2) + '"')
    message = error("a" * (MAX_QUERY_CHARS + 1))
    assert f"{MAX_QUERY_CHARS + 1} characters, at most {MAX_QUERY_CHARS}" in message
    assert "shorten" in message


def test_clause_cap():
    words = [f"w{i}" for i in range(MAX_CLAUSES)]
    parse_query(" ".join(words))
    message = error(" ".join(words) + " one_more")
    assert f"more than {MAX_CLAUSES} words, phrases and filters" in message and "column" in message
    filters = " ".join(["author:x"] * (MAX_CLAUSES // 2) + ["bão"] * (MAX_CLAUSES // 2))
    parse_query(filters)
    assert "more than" in error(filters + " date:2021")


def test_depth_cap():
    parse_query("(" * MAX_DEPTH + "bão" + ")" * MAX_DEPTH)
    message = error("(" * (MAX_DEPTH + 1) + "bão" + ")" * (MAX_DEPTH + 1))
    assert f"nested more than {MAX_DEPTH} deep at column {MAX_DEPTH + 1}" in message


def test_syllable_cap():
    parse_query('"' + " ".join(["bão"] * MAX_SYLLABLES) + '"')
    assert f"more than {MAX_SYLLABLES} syllables" in error('"' + " ".join(["bão"] * (MAX_SYLLABLES + 1)) + '"')


def test_very_long_and_very_deep_inputs_are_refused_cleanly():
    assert "query too long" in error("(" * 10_000)
    assert "query too long" in error("bão " * 2_500)


# -- filter_plan: CLI flags and Python keywords ------------------------------------------------------


@pytest.mark.parametrize(
    "since, until, expected",
    [
        ("01/06/2021", "2021-07-31", DateRange(D(2021, 6, 1), D(2021, 7, 31))),
        ("2021-06", "7/2021", DateRange(D(2021, 6, 1), D(2021, 7, 31))),  # months: first / last day
        ("2021", "2021", DateRange(D(2021, 1, 1), D(2021, 12, 31))),
        ("tháng 6 năm 2021", None, DateRange(D(2021, 6, 1), None)),
        (None, "tháng 7/2021", DateRange(None, D(2021, 7, 31))),
        (D(2021, 6, 1), D(2021, 6, 1), DateRange(D(2021, 6, 1), D(2021, 6, 1))),
        # a datetime is read as its day in Vietnam time (UTC+7)
        (datetime(2021, 6, 30, 20, 0, tzinfo=timezone.utc), None, DateRange(D(2021, 7, 1), None)),
        (datetime(2021, 6, 30, 20, 0), None, DateRange(D(2021, 6, 30), None)),
    ],
)
def test_filter_plan_dates(since, until, expected):
    assert filter_plan(since=since, until=until) == [expected]


def test_filter_plan_fields():
    assert filter_plan() == []
    assert filter_plan(
        author="nguyen trieu", place="TP.HCM", since="01/06/2021", category="Chính trị", source="TTXVN"
    ) == [
        KeyFilter("author", "nguyen trieu"),
        KeyFilter("province", "ho chi minh"),
        DateRange(D(2021, 6, 1), None),
        KeyFilter("category", "chinh tri"),
        KeyFilter("source", "ttxvn"),
    ]


@pytest.mark.parametrize(
    "options, must_say",
    [
        ({"since": "31/02/2021"}, ["since '31/02/2021'", "February has no day 31"]),
        ({"until": "2021-13"}, ["until '2021-13'", "month 13"]),
        ({"since": "hôm qua"}, ["since 'hôm qua'", "day first"]),
        ({"since": "08/2021", "until": "07/2021"}, ["ends before it starts"]),
        ({"since": D(2021, 8, 1), "until": D(2021, 7, 31)}, ["ends before it starts"]),
        ({"author": ""}, ["author '' has no letters or digits"]),
        ({"place": "!!"}, ["place '!!'"]),
    ],
)
def test_filter_plan_errors(options, must_say):
    with pytest.raises(QueryError) as raised:
        filter_plan(**options)
    for part in must_say:
        assert part in str(raised.value), str(raised.value)


def test_since_and_until_strings_mean_what_the_query_means():
    for text in ["02/07/2021", "2021-07", "7/2021", "2021", "tháng 7 năm 2021"]:
        (query_range,) = plan(f'date:"{text}"').must
        assert filter_plan(since=text, until=text) == [query_range]


# -- highlighting and accents ----------------------------------------------------------------------


def test_accents_in_a_prefix_make_the_query_accented():
    parsed = parse_query("Hậu* giang")
    assert any(term.field == "text" for term in parsed.plan.should[1].scored)
    parsed = parse_query("hau* giang")
    assert all(term.field == "folded" for term in parsed.plan.should[1].scored)


def test_dates_are_never_text():
    parsed = parse_query("bao date:2021-07-02")
    assert parsed.folded == {"bao"} and parsed.accented == {"bao"}


def test_a_month_covers_all_its_days():
    (month,) = plan("date:2021-02").must
    assert month.high - month.low == timedelta(days=27)


@pytest.mark.parametrize(
    "text, places",
    [
        ("mưa lớn ở Hậu Giang", ("hau giang",)),
        ('"tp hồ chí minh" và Hà Nội', ("ho chi minh", "ha noi")),
        ("sai gon -hue", ("ho chi minh",)),
        ('mưa -"Hà Nội" NOT (Cần Thơ)', ()),  # excluded
        ("diễn biến mới", ()),
        ("Huế TPHCM saigon", ("hue", "ho chi minh")),
        ("HG hue", ()),  # a short code, or a syllable without marks, may be anything
    ],
)
def test_the_provinces_a_query_names(text, places):
    assert parse_query(text).places == places


def test_words_that_spell_a_known_author_also_find_their_articles():
    authors = {"nguyen trieu", "tran van huyen"}.__contains__
    plan = parse_query("bầu cử Nguyễn Triệu", authors=authors).plan
    assert isinstance(plan, Boolean) and Tagged("author", "nguyen trieu", 2 * Weights().author) in plan.should
    assert isinstance(parse_query("Nguyễn Triệu", authors=authors, exact=True).plan, TextMatch)  # exact: no branch
    assert isinstance(parse_query("nguyễn văn", authors=authors).plan, TextMatch)  # no author: the plain plan


@pytest.mark.parametrize(
    "query, words, question",
    [
        ("song chay qua dau?", ("song", "chay", "qua", "dau"), True),
        ("song chay qua dau ?", ("song", "chay", "qua", "dau"), True),
        ("ha noi, hai phong!", ("ha", "noi", "hai", "phong"), False),
        ("o ha noi.", ("o", "ha", "noi"), False),
        ("TP.HCM. U.S.", ("TP.HCM.", "U.S."), False),  # a dot that is part of the word stays
        ("bao 02/07/2021?", ("bao", "02/07/2021"), True),
        ('"ha noi" o dau?', (), False),  # not plain words: nothing to read again
    ],
)
def test_plain_words_leave_the_punctuation_after_them(query, words, question):
    parsed = parse_query(query, Weights())
    assert parsed.plain_words == words
    assert parsed.question is question
