"""The places an article is about (LABELING.md "places"; vietnamese.md 6.7 P1–P5, P8–P10, P15)."""

from __future__ import annotations

from datetime import date

import pytest

from search.place_tags import places_in
from search.places import lookup, mentions


def names(text: str) -> list[str]:
    return [m.name for m in mentions(text)]


# -- places_in: what a reader would tag ---------------------------------------------------

FOUNDING = (
    "Chính trị\nCần tiếp tục thực hiện tốt các nghị quyết về xây dựng, chỉnh đốn Đảng\n\n"
    "[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]\n\n"
    "(HG) - Chiều ngày 1-7, Ban Tổ chức Trung ương tổ chức Hội nghị trực tuyến sơ kết công tác "
    "tổ chức xây dựng Đảng 6 tháng đầu năm khu vực phía Nam.\n"
    "Dự điểm cầu Hậu Giang có ông Trần Văn Huyến, Phó Bí thư Thường trực Tỉnh ủy.\n"
    "Tin, ảnh: NGUYỄN TRIỆU"
)


def body(*sentences: str, filler: int = 0) -> str:
    """A short title, then sentences, optionally pushed past the lead by neutral filler."""
    return "Tin trong ngày\n\n" + " ".join(sentences[:1]) + " Trời nắng." * filler + " " + (
        " ".join(sentences[1:])
    )


def test_p1_the_dateline_code_gives_the_province_of_its_time():
    assert places_in(FOUNDING, dateline_place="HG", published=date(2021, 7, 2)) == ("Hậu Giang",)
    assert lookup(places_in(FOUNDING, dateline_place="HG")[0]).current == "Cần Thơ"


def test_p2_p3_an_outlet_dateline_gives_no_place():
    text = "(Chinhphu.vn) - Sáng 2/7, Thủ tướng chủ trì cuộc họp trực tuyến."
    assert places_in(text, dateline_place="Chinhphu.vn") == ()
    assert places_in("(PLO)- Ngày 2-7, tòa tuyên án.", dateline_place="PLO") == ()


def test_p4_p5_a_place_dateline_comes_first():
    assert places_in("Cần Thơ - Ngày 1/7, mưa lớn.", dateline_place="Cần Thơ") == ("Cần Thơ",)
    text = "Hà Nội, ngày 02 tháng 7 năm 2021\n\nSáng nay tại Đà Nẵng, tại Đà Nẵng khai mạc hội chợ."
    assert places_in(text, dateline_place="Hà Nội") == ("Hà Nội", "Đà Nẵng")


def test_p15_a_region_is_not_a_province():
    assert places_in("Hội nghị 22 tỉnh, thành phố khu vực phía Nam, miền Tây, ĐBSCL") == ()


def test_the_title_and_the_lead_outweigh_a_passing_mention():
    text = body(
        "Sáng 3/5, mưa lớn gây ngập nhiều tuyến phố ở Đà Nẵng.",
        "Năm ngoái, Quảng Ngãi cũng bị ngập.",
        filler=60,
    )
    assert places_in(text) == ("Đà Nẵng",)
    titled = "Ngập ở Đà Nẵng và Quảng Nam\n\n" + "Trời mưa." * 80 + " Tại Đà Nẵng nước lên."
    assert places_in(titled) == ("Đà Nẵng", "Quảng Nam")


def test_places_are_ordered_by_weight_after_the_title():
    text = body("Cháy lớn ở Bình Dương và ở Đồng Nai.", "Tại Đồng Nai, tại Đồng Nai cháy tiếp.")
    assert places_in(text) == ("Đồng Nai", "Bình Dương")


@pytest.mark.parametrize(
    "context",
    [
        "một cháu học Đại học Kiến trúc {}",  # a university
        "các đội bóng Sông Lam {}",  # a club
        "theo Sở Y tế {}",  # a department, deep in the body
        "Công ty cấp nước {} cho biết",  # a firm
        "chị Lan (35 tuổi, trú tại xã Quốc Oai, {})",  # someone's address
        "anh Tuấn, quê {}, cho biết",  # someone's home
        "lúc 7 giờ {}",  # a time zone
        "lũ quét ở xã {} làm sạt lở",  # a commune that bears a province's name
        "kẹt xe trên đường {} kéo dài",  # a street
    ],
)
def test_side_references_do_not_make_a_place(context):
    main = "Sáng 3/5, tại Nghệ An, tại Nghệ An diễn ra lễ hội."
    text = body(main, *[context.format("Hà Nội")] * 3, filler=60)
    assert places_in(text) == ("Nghệ An",)


def test_a_long_list_of_provinces_is_not_the_story():
    text = body(
        "Ngày hội tư vấn tuyển sinh tổ chức tại Hà Nội.",
        "Trường tuyển thí sinh các tỉnh Hà Giang, Cao Bằng, Bắc Kạn, Tuyên Quang, Lạng Sơn, "
        "Lào Cai, Yên Bái, Điện Biên, Lai Châu, Sơn La.",
    )
    assert places_in(text) == ("Hà Nội",)
    assert len(names(text)) == 11


def test_organisation_names_inside_the_lead_still_count():
    text = "Tuyển sinh đầu cấp\n\nGD&TĐ - Sở GD&ĐT Bến Tre hướng dẫn công tác kiểm định."
    assert places_in(text, dateline_place="GD&TĐ") == ("Bến Tre",)


def test_a_teaser_is_another_story():
    web24h = (
        "Con ném đá vào tàu khách ở Đồng Nai\n\nLưu bài viết thành công Bạn có thể xem lại "
        "bài viết đã lưu ở trangTin bài đã lưu Ngày 4/2, Công an tỉnh Đồng Nai cho biết. "
        + "Trời mưa. " * 60
        + "Khánh Hòa Ôtô buýt bị ném đá ở Khánh Hòa, chiều 2/3 Nguồn: [Link nguồn]Nguồn: [Link nguồn]"
    )
    assert places_in(web24h) == ("Đồng Nai",)
    assert "Khánh Hòa" in names(web24h)  # the scan still sees it
    related = body("Sáng nay tại Huế, tại Huế.", "\nXem thêm: Bão đổ bộ vào Quảng Ngãi, Quảng Ngãi")
    assert places_in(related) == ("Huế",)


def test_a_related_news_heading_is_a_line_of_its_own():
    text = body("Sáng 2/7, tại Quảng Trị, công an tỉnh Quảng Trị làm rõ thông tin liên quan đến vụ việc.")
    assert places_in(text) == ("Quảng Trị",)
    teaser = body("Sáng 2/7, tại Huế, tại Huế có mưa.", "\nTin liên quan:\nBão vào Quảng Ngãi, Quảng Ngãi")
    assert places_in(teaser) == ("Huế",)


def test_both_ends_of_a_stretch_or_a_route_are_not_the_story():
    text = body(
        "Sáng 2/7, tại Nghệ An, tại Nghệ An mưa lớn.",
        "Các tỉnh từ Thanh Hóa đến Thừa Thiên Huế có mưa, vùng biển từ Bình Định đến Cà Mau động.",
        "Quốc lộ Hà Nội - Hải Phòng ùn tắc.",
    )
    assert places_in(text) == ("Nghệ An",)


@pytest.mark.parametrize("name", ["Sông Lam", "Bình Điền", "Becamex", "Bệnh viện Bạch Mai"])
def test_a_province_after_a_capitalised_word_continues_a_proper_name(name):
    text = body("Sáng 2/7, tại Huế, tại Huế diễn ra lễ hội.", f"Đội {name} Long An tham dự. {name} Long An về nhì.")
    assert places_in(text) == ("Huế",)
    assert set(places_in(body("Sáng 2/7, UBND TP.HCM họp. Ở Long An, tại Long An trời mưa."))) == {"Hồ Chí Minh", "Long An"}


def test_organisation_and_person_traps_of_4_4_are_not_places():
    school = body("Sáng 6/2, tại Trường THCS - THPT Thái Bình, Q. Tân Bình.", filler=60)
    assert "Thái Bình" not in places_in(school + " Trường THPT Thái Bình nghỉ học.")
    assert places_in(body("Đoàn TNCS Hồ Chí Minh phát động, Hồ Chí Minh vĩ đại.")) == ()
    assert places_in(body("Ông Nguyễn Hòa Bình và chị Huế phát biểu.")) == ()


def test_names_are_never_remapped_across_the_2025_reform():
    before = body("Sáng 3/5, tại Hậu Giang, tại Hậu Giang mưa lớn.")
    assert places_in(before, published=date(2021, 5, 3)) == ("Hậu Giang",)
    after = body("Tại xã Hoàng Su Phì, Tuyên Quang (tỉnh Hà Giang cũ), tại Tuyên Quang.")
    assert places_in(after, published=date(2026, 2, 3)) == ("Tuyên Quang", "Hà Giang")


def test_no_text_no_places():
    assert places_in("") == ()
    assert mentions("") == []
