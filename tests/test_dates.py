"""Dates: table 6.5 of docs/vietnamese.md (D1-D18), record dates, typed dates, the publication date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.dates import (
    VIETNAM,
    date_mentions,
    local_date,
    month_days,
    parse_day_first,
    parse_month,
    parse_period,
    publication_date,
)

D = date


def only(text: str, published: date | None = None):
    """The single date mention in ``text``."""
    found = date_mentions(text, published)
    assert len(found) == 1, found
    return found[0]


# -- table 6.5 -----------------------------------------------------------------
# (id, text, publication date, expected day, until, part of day, time, kind)
TABLE_6_5 = [
    ("D1", "[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]", None, D(2021, 7, 2), None, None, None, "stamp"),
    ("D2", "Chiều ngày 1-7, Ban Tổ chức Trung ương …", D(2021, 7, 2), D(2021, 7, 1), None, "chiều", None, "event"),
    ("D3", "Thứ Sáu, 2/7/2021 - 10:30", None, D(2021, 7, 2), None, None, "10:30", "stamp"),
    ("D4", "Thứ sáu, 2/7/2021, 10:30 (GMT+7)", None, D(2021, 7, 2), None, None, "10:30", "stamp"),
    ("D5", "Thứ ba, 03/02/2026", None, D(2026, 2, 3), None, None, None, "stamp"),
    ("D6", "Chủ nhật, 4/7/2021", None, D(2021, 7, 4), None, None, None, "stamp"),
    ("D7", "Thứ Hai, 2/7/2021", None, D(2021, 7, 2), None, None, None, "stamp"),
    ("D8", "sáng 1/7, đoàn công tác …", D(2021, 7, 2), D(2021, 7, 1), None, "sáng", None, "event"),
    ("D9", "Ngày 28-12, UBND tỉnh …", D(2026, 1, 3), D(2025, 12, 28), None, None, None, "event"),
    ("D10", "Hà Nội, ngày 02 tháng 7 năm 2021", None, D(2021, 7, 2), None, None, None, "document"),
    ("D11", "02/07/2021", None, D(2021, 7, 2), None, None, None, "stamp"),
    ("D12", "13/07/2021", None, D(2021, 7, 13), None, None, None, "stamp"),
    ("D13", "trong hai ngày 18 và 19-10", D(2025, 10, 17), D(2025, 10, 18), D(2025, 10, 19), None, None, "event"),
    ("D14", "từ ngày 11-13/2", D(2026, 2, 8), D(2026, 2, 11), D(2026, 2, 13), None, None, "event"),
]


@pytest.mark.parametrize("case", TABLE_6_5, ids=[c[0] for c in TABLE_6_5])
def test_table_6_5_dates(case):
    _, text, published, day, until, part, time, kind = case
    mention = only(text, published)
    assert (mention.day, mention.until, mention.part_of_day, mention.time, mention.kind) == (
        day, until, part, time, kind,
    )
    assert text[mention.start:mention.end] == mention.text


def test_d15_month_only():
    mention = only("tháng 1/2026")
    assert (mention.kind, mention.month, mention.day) == ("month", (2026, 1), None)
    assert only("cuối tháng 8-2025").month == (2025, 8)
    assert only("tháng 7 năm 2021").month == (2021, 7)


@pytest.mark.parametrize(
    "text",
    [
        "nhiệm kỳ 2021-2026",  # D16
        "nhiệm kỳ 2021 - 2026",
        "năm học 2017-2018",
        "Nghị định 168/2024/NĐ-CP",  # D17
        "Thông tư 28/2009/TT-BGDĐT",
        "Quyết định 01/2021/QĐ-UBND",
        "tỷ lệ 1/7 số hộ",  # D18
        "22 tỉnh, thành phố",
        "Số lần xem: 688",
        "tỷ lệ 1/3",
        "thắng 2-1 trước Fulham",  # score
        "lúc 10:30",  # a time alone
        "gọi 0912.345.678 hoặc 028.3823.4567",  # phone numbers
        "phiên bản 2.5, Bluetooth 5.4",  # version numbers
        "ngày 31/2",  # no such day
        "từ 7-9 m, giá từ 1-2 triệu, ưu tiên từ 1-3.",  # ranges of numbers after "từ"
        "thông qua 2/3 số phiếu, hiện nay 1/3 dân số",
        "Từ mùng 1-6 Tết, ngày 15/8 âm lịch",  # lunar dates are out of scope
        "khoảng 8-10 giờ sáng",
    ],
)
def test_d16_d18_not_dates(text):
    assert date_mentions(text, D(2021, 7, 2)) == []


def test_d11_day_first_regression():
    assert parse_day_first("02/07/2021") == D(2021, 7, 2)  # dateutil without dayfirst says 7 February


# -- weekdays (D3-D7) ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, mismatch",
    [
        ("Thứ Sáu, 2/7/2021 - 10:30", False),
        ("Thứ ba, 03/02/2026", False),
        ("Chủ nhật, 4/7/2021", False),
        ("thứ 6, 2/7/2021", False),
        ("T6, 2/7/2021", False),
        ("CN, 4/7/2021", False),
        ("Thứ Hai, 2/7/2021", True),  # D7: 2 July 2021 was a Friday
        ("Thứ bảy, 4/7/2021", True),
    ],
)
def test_weekday_check(text, mismatch):
    assert only(text).weekday_mismatch is mismatch


def test_weekday_is_a_cue_for_a_day_without_year():
    mention = only("khoảng chiều thứ Bảy (7/2), không khí lạnh", D(2026, 2, 5))
    assert (mention.day, mention.part_of_day, mention.weekday_mismatch) == (D(2026, 2, 7), "chiều", False)


# -- year inference -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("Ngày 28-12, UBND tỉnh", D(2026, 1, 3), D(2025, 12, 28)),  # D9: rolls back
        ("ngày 2-1, Sở Y tế", D(2025, 12, 30), D(2026, 1, 2)),  # rolls forward
        ("sáng 1/7, đoàn công tác", D(2021, 7, 2), D(2021, 7, 1)),
        ("hôm 6/2 tại Florida", D(2017, 2, 8), D(2017, 2, 6)),
        ("Ngày 19.5, tôi cho phép", D(2017, 5, 21), D(2017, 5, 19)),
    ],
)
def test_year_from_publication_date(text, published, expected):
    mention = only(text, published)
    assert (mention.day, mention.year_inferred) == (expected, True)


def test_no_year_and_no_publication_date_is_no_date():
    assert date_mentions("Chiều ngày 1-7, Ban Tổ chức") == []
    assert only("ngày 1-7-2021").year_inferred is False


def test_leap_day_takes_a_leap_year():
    assert only("ngày 29/2", D(2025, 3, 10)).day == D(2024, 2, 29)


# -- cues, ranges, lists, times ------------------------------------------------------

PUB = D(2026, 2, 8)


@pytest.mark.parametrize(
    "text, day, until",
    [
        ("từ ngày 17/6 đến 2/7 tại 4 thành phố", D(2026, 6, 17), D(2026, 7, 2)),
        ("từ ngày 10 đến ngày 12-2", D(2026, 2, 10), D(2026, 2, 12)),
        ("từ ngày 15/6 - 26/6.", D(2026, 6, 15), D(2026, 6, 26)),
        ("Lượt trận 2: 30/9–1/10/2025.", D(2025, 9, 30), D(2025, 10, 1)),
        ("Từ ngày 3-2 đến 12-2, có 3 đám cưới", D(2026, 2, 3), D(2026, 2, 12)),
        ("trong hai ngày 30 và 31/8/2019", D(2019, 8, 30), D(2019, 8, 31)),
        ("vào ngày 29, 30/12/2025", D(2025, 12, 29), D(2025, 12, 30)),
        ("từ ngày 25 đến 3/2", D(2026, 1, 25), D(2026, 2, 3)),
    ],
)
def test_ranges(text, day, until):
    mention = only(text, PUB)
    assert (mention.day, mention.until) == (day, until)


def test_a_list_of_days_apart_gives_one_mention_each():
    found = date_mentions("vào các ngày 7 và 14/12, trên địa bàn huyện", D(2025, 12, 20))
    assert [(m.text, m.day) for m in found] == [("ngày 7", D(2025, 12, 7)), ("14/12", D(2025, 12, 14))]


@pytest.mark.parametrize(
    "text, day, part, time",
    [
        ("Vào khoảng 22h45 ngày 13/5, tại ngã tư", D(2026, 5, 13), None, "22:45"),
        ("khoảng 8h15 sáng ngày 29/5 tại khu chung cư", D(2026, 5, 29), "sáng", "08:15"),
        ("rạng sáng 7/2, lực lượng", D(2026, 2, 7), "rạng sáng", None),
        ("Sáng nay, 12-6 diễn ra cuộc họp", D(2026, 6, 12), "sáng", None),
        ("ngày mai (21-5), nhà trường", D(2026, 5, 21), None, None),
        ("Từ 1-7, phí bảo hiểm y tế", D(2026, 7, 1), None, None),
        ("Futsal châu Á - bán kết 05/02 15:00 Iraq Iran", D(2026, 2, 5), None, "15:00"),
    ],
)
def test_cues(text, day, part, time):
    mention = only(text, PUB)
    assert (mention.day, mention.part_of_day, mention.time) == (day, part, time)


def test_today_phrase_is_an_event():
    mention = only("Từ hôm nay (15/6), giá điện tăng", D(2021, 6, 15))
    assert (mention.text, mention.kind, mention.day) == ("hôm nay (15/6)", "event", D(2021, 6, 15))


def test_dated_dateline():
    mention = only("(TP. HCM, ngày 28/10/2017) – Tập đoàn Novaland vừa phối hợp")
    assert (mention.kind, mention.day) == ("dated_dateline", D(2017, 10, 28))


def test_mentions_come_in_text_order_with_offsets():
    text = "Sáng 13/5, UBND thành phố họp. Ngày 12/5/2017, đoàn kiểm tra; tháng 1/2026."
    found = date_mentions(text, D(2017, 5, 14))
    assert [m.text for m in found] == ["Sáng 13/5", "Ngày 12/5/2017", "tháng 1/2026"]
    assert all(text[m.start:m.end] == m.text for m in found)


# -- local_date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-02-06T23:22:00+00:00", D(2026, 2, 7)),  # UTC evening is the next day in Việt Nam
        ("2026-02-05T19:02:00+00:00", D(2026, 2, 6)),
        ("2026-02-06T09:00:00+00:00", D(2026, 2, 6)),
        ("2026-02-06T23:22:00Z", D(2026, 2, 7)),
        ("2021-07-02T20:30:00-0500", D(2021, 7, 3)),
        ("2013-11-09T23:24", D(2013, 11, 9)),  # no offset: already local
        ("2021-04-27", D(2021, 4, 27)),
        ("02/07/2021", D(2021, 7, 2)),
        ("2/7/2021", D(2021, 7, 2)),
        ("02-07-2021", D(2021, 7, 2)),
        ("02.07.2021", D(2021, 7, 2)),
        ("02/07/2021 10:30", D(2021, 7, 2)),
        ("Fri, 02 Jul 2021 20:30:00 +0000", D(2021, 7, 3)),
        (datetime(2026, 2, 6, 23, 22, tzinfo=timezone.utc), D(2026, 2, 7)),
        (datetime(2026, 2, 6, 23, 22), D(2026, 2, 6)),  # naive: local
        (datetime(2026, 2, 6, 23, 22, tzinfo=VIETNAM), D(2026, 2, 6)),
        (D(2021, 7, 2), D(2021, 7, 2)),
        (None, None),
        ("", None),
    ],
)
def test_local_date(value, expected):
    assert local_date(value) == expected


def test_vietnam_is_utc_plus_7():
    assert VIETNAM.utcoffset(None) == timedelta(hours=7)


@pytest.mark.parametrize(
    "value, message",
    [
        ("31/02/2021", "31/02/2021: February has no day 31"),
        ("2021-02-30T10:00:00+00:00", "February has no day 30"),
        ("next tuesday", "is not a date"),
    ],
)
def test_local_date_errors(value, message):
    with pytest.raises(ValueError, match=message):
        local_date(value)


# -- parse_day_first -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("02/07/2021", D(2021, 7, 2)),
        ("2/7/2021", D(2021, 7, 2)),
        ("02-07-2021", D(2021, 7, 2)),
        ("02.07.2021", D(2021, 7, 2)),
        ("2021-07-02", D(2021, 7, 2)),
        ("ngày 2 tháng 7 năm 2021", D(2021, 7, 2)),
        ("Ngày 02 tháng 07 năm 2021", D(2021, 7, 2)),
        ("29/02/2024", D(2024, 2, 29)),
    ],
)
def test_parse_day_first(text, expected):
    assert parse_day_first(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("13/13/2021", "13/13/2021: month 13 does not exist"),
        ("31/02/2021", "31/02/2021: February has no day 31"),
        ("29/02/2021", "29/02/2021: February 2021 has no day 29"),
        ("31/04/2021", "31/04/2021: April has no day 31"),
        ("00/07/2021", "00/07/2021: day 0 does not exist"),
        ("2021-13-01", "month 13 does not exist"),
        ("02/07-2021", "is not a date: write it day first"),
        ("2/7/21", "is not a date"),
        ("hôm qua", "is not a date"),
    ],
)
def test_parse_day_first_errors(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_day_first(text)
    assert "\n" not in str(error.value)


# -- parse_month, parse_period: months and years a user types -------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7/2021", (2021, 7)),
        ("07/2021", (2021, 7)),
        ("7-2021", (2021, 7)),
        ("2021-07", (2021, 7)),
        ("tháng 7/2021", (2021, 7)),
        ("Tháng 12-2021", (2021, 12)),
        ("tháng 7 năm 2021", (2021, 7)),
        ("tháng  7, năm 2021", (2021, 7)),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("13/2021", "13/2021: month 13 does not exist"),
        ("2021-13", "2021-13: month 13 does not exist"),
        ("0/2021", "month 0 does not exist"),
        ("7/21", "is not a month"),
        ("tháng bảy", "is not a month"),
    ],
)
def test_parse_month_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_month(text)


def test_month_days():
    assert month_days(2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert month_days(2021, 2) == (D(2021, 2, 1), D(2021, 2, 28))
    assert month_days(9999, 12) == (D(9999, 12, 1), D(9999, 12, 31))


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("02/07/2021", D(2021, 7, 2), D(2021, 7, 2)),
        ("2021-07-02", D(2021, 7, 2), D(2021, 7, 2)),
        ("ngày 2 tháng 7 năm 2021", D(2021, 7, 2), D(2021, 7, 2)),
        ("7/2021", D(2021, 7, 1), D(2021, 7, 31)),
        ("2021-06", D(2021, 6, 1), D(2021, 6, 30)),
        ("tháng 2 năm 2024", D(2024, 2, 1), D(2024, 2, 29)),
        ("2021", D(2021, 1, 1), D(2021, 12, 31)),
        ("năm 2021", D(2021, 1, 1), D(2021, 12, 31)),
    ],
)
def test_parse_period(text, first, last):
    assert parse_period(text) == (first, last)


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2021", "31/02/2021: February has no day 31"),
        ("2021-13", "2021-13: month 13 does not exist"),
        ("0000", "0000: year 0 is out of range"),
        ("hôm qua", "is not a date"),
    ],
)
def test_parse_period_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_period(text)


# -- publication_date (LABELING.md "date") ------------------------------------------------

FOUNDING_HEAD = (
    "Chính trị\nCần tiếp tục thực hiện tốt các nghị quyết về xây dựng, chỉnh đốn Đảng\n\n"
    "[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]\n\n"
    "(HG) - Chiều ngày 1-7, Ban Tổ chức Trung ương tổ chức Hội nghị trực tuyến sơ kết công tác "
    "6 tháng cuối năm 2021 khu vực phía Nam.\n"
)


@pytest.mark.parametrize(
    "text, record_date, expected",
    [
        (FOUNDING_HEAD, None, D(2021, 7, 2)),  # rule 2: update stamp
        (FOUNDING_HEAD, "2021-07-05", D(2021, 7, 5)),  # rule 1: the record's date wins
        (FOUNDING_HEAD, "not a date", D(2021, 7, 2)),  # unreadable record date: the text decides
        ("Tin\n\nbody", "2026-02-05T23:00:00+00:00", D(2026, 2, 6)),
        ("Tiêu đề\nThứ Sáu, 2/7/2021 - 10:30\nNội dung", None, D(2021, 7, 2)),
        ("Tiêu đề\nThứ sáu, 02/07/2021, 10:30 (GMT+7)\nNội dung", None, D(2021, 7, 2)),
        ("Tiêu đề\n\nCập nhật: 10:30 02/07/2021\n\nNội dung", None, D(2021, 7, 2)),
        ("Tiêu đề\n\nNgày đăng: 02/07/2021\n\nNội dung", None, D(2021, 7, 2)),
        ("Thêm 07 cầu dân sinh\n\n(TP. HCM, ngày 28/10/2017) – Tập đoàn Novaland", None, D(2017, 10, 28)),
        # rule 3: event dates, "today" phrases, title dates, dates deep in the body
        ("Tiêu đề\n\nChiều ngày 1-7, Ban Tổ chức Trung ương", None, None),
        ("Tiêu đề\n\nNgày 12/5/2017, đoàn kiểm tra liên ngành", None, None),
        ("Giá vàng hôm nay (15/6)\n\nTừ hôm nay (15/6), giá vàng tăng", None, None),
        ("Kết quả xổ số điện toán Vietlott ngày 6/2/2017\n\nKết quả ngày 6/2/2017: 2 26 733", None, None),
        ("Tiêu đề\n\n" + "Một câu.\n" * 8 + "[ Cập nhật vào ngày (02/07/2021) ]", None, None),
        ("Tiêu đề\n\nNội dung không có ngày.", None, None),
    ],
)
def test_publication_date(text, record_date, expected):
    assert publication_date(text, record_date) == expected


# -- properties ---------------------------------------------------------------------------

dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31))


@given(dates)
def test_written_dates_read_back(day):
    assert only(f"ngày {day.day}/{day.month}/{day.year}").day == day
    assert only(f"ngày {day.day} tháng {day.month} năm {day.year}").day == day
    assert parse_day_first(f"{day.day:02d}/{day.month:02d}/{day.year}") == day


@given(dates, st.integers(min_value=-150, max_value=150))
def test_year_inference_is_within_half_a_year(day, shift):
    published = day + timedelta(days=shift)
    mention = only(f"ngày {day.day}/{day.month}", published)
    assert mention.day == day


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("0123456789/-.:, ()ngàyNgày thángnăm sángchiềuhômnaytừđến Thứ Sáu\n"), max_size=80))
def test_date_mentions_never_raises(text):
    for mention in date_mentions(text, D(2021, 7, 2)):
        assert text[mention.start:mention.end] == mention.text


@given(st.text(max_size=200))
def test_date_mentions_never_raises_on_any_text(text):
    date_mentions(text, D(2021, 7, 2))
    publication_date(text)


def test_the_last_day_of_the_calendar_is_a_day():
    assert parse_day_first("31/12/9999") == date(9999, 12, 31)  # its month's length once needed 1/1/10000
