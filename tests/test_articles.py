"""parse_article: the founding article (§6.8), the head of a text, boilerplate."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FOUNDING
from search import Article, parse_article
from search.articles import remove_boilerplate, split_head
from search.places import lookup

BOILERPLATE = ("[ Cập nhật", "Số lần xem", "701.jpg", "Các ý kiến của bạn đọc")


@pytest.fixture(scope="module")
def founding() -> Article:
    return parse_article(FOUNDING.read_text(encoding="utf-8"))


def test_founding_article_metadata(founding):
    assert founding.category == "Chính trị"
    assert founding.title == "Cần tiếp tục thực hiện tốt các nghị quyết về xây dựng, chỉnh đốn Đảng"
    assert founding.date == date(2021, 7, 2)
    assert founding.authors == ("Nguyễn Triệu",)
    assert founding.places == ("Hậu Giang",)
    assert lookup(founding.places[0]).current == "Cần Thơ"
    assert founding.dateline == "HG"
    assert founding.source == "baohaugiang.com.vn"
    assert founding.reposted_by == "Thanh Hương"


def test_founding_article_body_has_no_boilerplate_but_the_original_is_kept(founding):
    for junk in BOILERPLATE:
        assert junk not in founding.body
        assert junk in founding.original
    assert founding.body.startswith("(HG) - Chiều ngày 1-7, Ban Tổ chức Trung ương")
    assert "Tin, ảnh: NGUYỄN TRIỆU" in founding.body
    assert founding.body.rstrip().endswith("ST Thanh Hương Theo baohaugiang.com.vn")


def test_founding_article_is_found_by_its_fields_and_not_by_its_boilerplate(ram_index, founding):
    ram_index.add(founding)
    for query in ('author:"nguyen trieu"', "date:2021-07-02", 'place:"Hậu Giang"', 'hau giang "chỉnh đốn đảng"'):
        assert [h.id for h in ram_index.search(query).hits] == [founding.id], query
    for query in ('"số lần xem"', '"ý kiến của bạn đọc"', '"701 jpg"'):
        assert ram_index.search(query).total == 0, query
    assert ram_index.get(founding.id) == founding


def test_the_same_text_gets_the_same_id_and_a_record_date_wins():
    text = "Tiêu đề\n\n[ Cập nhật vào ngày (02/07/2021) ]\n\nNội dung."
    assert parse_article(text).id == parse_article(text + "\n").id != parse_article(text + " khác").id
    assert parse_article(text).date == date(2021, 7, 2)
    assert parse_article(text, record_date="2021-07-05T23:30:00+00:00").date == date(2021, 7, 6)
    assert parse_article(text, id="a1", url="https://x.vn/a").id == "a1"


@pytest.mark.parametrize(
    "text, category, title, body",
    [
        ("Chính trị\nTiêu đề bài báo dài\n\nThân bài.", "Chính trị", "Tiêu đề bài báo dài", "Thân bài."),
        ("Tiêu đề\n\nThân bài.", None, "Tiêu đề", "Thân bài."),
        # a title over its sapo (a sentence) is not a section over a title
        ("Giá vàng hôm nay\nGiá vàng tăng mạnh trong phiên sáng.\nThân bài.", None, "Giá vàng hôm nay",
         "Giá vàng tăng mạnh trong phiên sáng.\nThân bài."),
        ("Thể thao\n\nTiêu đề sau dòng trống", None, "Thể thao", "Tiêu đề sau dòng trống"),
        ("Kinh tế\nNgày 2/7 thị trường chứng khoán khởi sắc", "Kinh tế", "Ngày 2/7 thị trường chứng khoán khởi sắc", ""),
        ("", None, "", ""),
    ],
)  # fmt: skip
def test_split_head(text, category, title, body):
    head = split_head(text)
    assert (head.category, head.title, head.body) == (category, title, body)


@pytest.mark.parametrize(
    "body, kept",
    [
        ("701.jpg \n\nẢnh: hội nghị.", "Ảnh: hội nghị."),
        ("[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]\n\nNội dung.", "Nội dung."),
        ("Nội dung.\nTheo baohaugiang.com.vnCác ý kiến của bạn đọc", "Nội dung.\nTheo baohaugiang.com.vn"),
        ("Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu Lễ hội hoa đào.",
         "Lễ hội hoa đào."),
        ("Lễ hội. Nguồn: [Link nguồn]Nguồn: [Link nguồn]", "Lễ hội."),
        ("Ảnh chụp màn hình anh.jpg trong bài.", "Ảnh chụp màn hình anh.jpg trong bài."),
        ("Bình luận của chuyên gia về giá vàng.", "Bình luận của chuyên gia về giá vàng."),
    ],
)  # fmt: skip
def test_remove_boilerplate(body, kept):
    assert remove_boilerplate(body) == kept


def test_bare_title_and_body_have_no_metadata():
    found = parse_article("Một ngày mưa\n\nTrời mưa cả ngày ở ngoại ô.")
    assert (found.title, found.body, found.date, found.authors, found.places, found.source) == (
        "Một ngày mưa", "Trời mưa cả ngày ở ngoại ô.", None, (), (), None,
    )  # fmt: skip
    assert found.original is None
