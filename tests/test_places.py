"""Provinces, aliases, the 2025 merger and the mention scan (vietnamese.md 4.4 and 6.7,
LABELING.md "places_mentioned")."""

from __future__ import annotations

import time

import pytest

from search.normalize import fold
from search.places import Mention, Province, lookup, lookup_written, mentions, merged_into, provinces


def names(text: str) -> list[str]:
    return [m.name for m in mentions(text)]


# -- the table -------------------------------------------------------------------


def test_the_table_has_the_63_units_of_before_2025_and_34_current_ones():
    rows = provinces()
    assert len(rows) == 63
    assert len({p.current for p in rows}) == 34
    assert all(lookup(p.current).current == p.current for p in rows)  # current units are current
    assert rows[0] == Province("Hà Nội", "Ha Noi", "city", "Hà Nội", rows[0].aliases)
    assert {p.kind for p in rows} == {"city", "province"}


@pytest.mark.parametrize(
    "name, current",
    [
        ("Hậu Giang", "Cần Thơ"),
        ("Thừa Thiên Huế", "Huế"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Hòa Bình", "Phú Thọ"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_the_merger_map(name, current):
    province = lookup(name)
    assert province.current == current
    assert province.merged == (province.name != current)


def test_huế_is_a_renamed_city_not_a_merged_unit():
    huế = lookup("Thừa Thiên Huế")
    assert (huế.name, huế.kind, huế.merged) == ("Huế", "city", False)


def test_merged_into_lists_the_unit_and_what_it_absorbed():  # P7
    assert merged_into("Cần Thơ") == ("Cần Thơ", "Hậu Giang", "Sóc Trăng")
    assert merged_into("TP.HCM") == ("Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu")
    assert merged_into("Hà Nội") == ("Hà Nội",)
    assert merged_into("Atlantis") == ()


# -- lookup ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling, name",
    [(s, p.name) for p in provinces() for s in (p.name, p.ascii, *p.aliases)],
)
def test_every_name_ascii_form_and_alias_resolves(spelling, name):
    assert lookup(spelling).name == name
    assert lookup(spelling.upper()).name == name
    assert lookup(fold(spelling).lower()).name == name


@pytest.mark.parametrize(
    "id_, spellings, name",
    [
        ("P6", ["TP.HCM", "tphcm", "tp hcm", "Sài Gòn", "ho chi minh", "HCM", "SG"], "Hồ Chí Minh"),
        ("P11", ["Hoà Bình", "Hòa Bình", "hoà bình", "HOA BINH"], "Hòa Bình"),
        ("P12", ["Thừa Thiên Huế", "TT-Huế", "TTH", "Thừa Thiên – Huế"], "Huế"),
        ("P13", ["Bà Rịa - Vũng Tàu", "BR-VT", "Bà Rịa–Vũng Tàu", "ba ria vung tau"],
         "Bà Rịa - Vũng Tàu"),
        ("P14", ["Đắc Lắc", "Daklak", "Đắk Lắk", "dak lak"], "Đắk Lắk"),
        ("codes", ["HN"], "Hà Nội"),
        ("codes", ["HG"], "Hậu Giang"),
        ("codes", ["HP"], "Hải Phòng"),
        ("unit word", ["tỉnh Hậu Giang", "thành phố Cần Thơ", "TP. Huế"], None),
    ],
)
def test_lookup_ignores_accents_case_tone_placement_spacing_and_dashes(id_, spellings, name):
    for spelling in spellings:
        expected = name or spelling.split()[-1]
        assert lookup(spelling).name.endswith(expected), (id_, spelling)


def test_lookup_of_unknown_names():
    assert lookup("Paris") is None
    assert lookup("") is None
    assert lookup("ĐN") is None  # Đà Nẵng or Đồng Nai: deliberately ambiguous


@pytest.mark.parametrize(
    "written, name",
    [
        ("Hậu Giang", "Hậu Giang"), ("hau giang", "Hậu Giang"), ("Hoà Bình", "Hòa Bình"),
        ("dien bien", "Điện Biên"), ("Sài Gòn", "Hồ Chí Minh"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("tỉnh Cần Thơ", "Cần Thơ"),
    ],
)
def test_lookup_written_takes_a_name_with_its_own_marks_or_none(written, name):
    assert lookup_written(written).name == name


@pytest.mark.parametrize("written", ["diễn biến", "Hầu Giang", "Hà Nôi", "hòa bính", "tình Cần Thơ"])
def test_lookup_written_refuses_other_marks(written):
    assert lookup(written) is not None and lookup_written(written) is None


# -- mentions: the mechanical scan ------------------------------------------------------


def test_a_mention_gives_canonical_name_surface_and_offsets():
    text = "Ngày 1/7, tại TP.HCM và Hoà Bình"
    assert mentions(text) == [
        Mention("Hồ Chí Minh", "TP.HCM", 14, 20),
        Mention("Hòa Bình", "Hoà Bình", 24, 32),
    ]


@pytest.mark.parametrize(
    "id_, text, expected",
    [
        ("P8", "Vùng biển Thái Bình Dương", []),
        ("P8", "THÁI BÌNH DƯƠNG", []),
        ("P9", "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", []),
        ("P9", "Chủ tịch Hồ Chí Minh", []),
        ("4.4", "Đoàn TNCS Hồ Chí Minh", []),
        ("4.4", "đường mòn HCM", []),
        ("P10", "giữ gìn hòa bình, an ninh, hải dương", []),
        ("P10", "bình định, cao bằng", []),
        ("P10", "tỉnh Hòa Bình, Long An và Hải Dương", ["Hòa Bình", "Long An", "Hải Dương"]),
        ("4.4", "Nguyễn Hòa Bình", []),
        ("4.4", "NGUYỄN HÒA BÌNH", []),
        ("4.4", "Trần Thị Huế và Lê Văn Hà Nam", []),
        ("4.4", "chị Huế, bà Long An, Cụ Thái Bình", []),
        ("4.4", "Giá 10 SG$ ở Singapore", []),
        ("4.4", "HN, HP, HG, SG và TTH", []),
        ("4.4", "trận Điện Biên Phủ, đường Điện Biên Phủ", []),
        ("4.4", "tỉnh Điện Biên", ["Điện Biên"]),
        ("4.4", "Trường THPT Thái Bình", ["Thái Bình"]),  # kept: names inside names count here
        ("4.4", "phường Sài Gòn", ["Hồ Chí Minh"]),
        ("prefix", "TP Hồ Chí Minh, thành phố Hồ Chí Minh, Tp.HCM", ["Hồ Chí Minh"] * 3),
        ("prefix", "TP.\nHCM", ["Hồ Chí Minh"]),
        ("caps", "HẬU GIANG, ĐÀ NẴNG", ["Hậu Giang", "Đà Nẵng"]),
        ("ascii", "Ha Noi, Hanoi, Saigon", ["Hà Nội", "Hà Nội", "Hồ Chí Minh"]),
        ("words", "Hà Nộii, XHà Nội, Hà Nội2", []),
        ("spacing", "Bà Rịa – Vũng Tàu, TP.  Hà Nội", ["Bà Rịa - Vũng Tàu", "Hà Nội"]),
        ("list", "Bắc Ninh Thái Nguyên", ["Bắc Ninh", "Thái Nguyên"]),  # Ninh is no person here
    ],
)
def test_mentions(id_, text, expected):
    assert names(text) == expected, id_


def test_a_code_counts_as_a_leading_dateline_only():  # P1
    assert names("(HG) - Chiều ngày 1-7, Ban Tổ chức") == ["Hậu Giang"]
    assert names("Chính trị\nTiêu đề\n\n(HG)- Chiều ngày 1-7") == ["Hậu Giang"]
    assert names("Chiều ngày 1-7 (HG) - Ban Tổ chức") == []
    assert names("(HG) Ban Tổ chức") == []


def test_the_city_prefix_joins_the_surface():
    assert [m.surface for m in mentions("Công an thành phố Hồ Chí Minh")] == [
        "thành phố Hồ Chí Minh"
    ]


def test_mentions_is_fast_on_a_long_text():
    text = ("Sáng nay tại TP.HCM, ông Nguyễn Văn A (quê Hậu Giang) cho biết hòa bình. " * 1400)
    assert len(text) > 100_000
    mentions(text)  # compile once
    started = time.perf_counter()
    found = mentions(text)
    assert len(found) == 2800
    assert time.perf_counter() - started < 0.5
