"""Saved HTML news pages → article fields (the optional ``search[html]`` extra)."""

from __future__ import annotations

import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from search.html_pages import HtmlArticle, MissingExtra, decode_page, html_available, parse_html

PAGES = Path(__file__).parent / "data" / "html"
needs_extra = pytest.mark.skipif(not html_available(), reason="needs the optional extra search[html]")

BODY = (
    "<p>Sáng nay, Ủy ban nhân dân huyện tổ chức hội nghị tổng kết công tác phòng chống thiên tai, "
    "với sự tham gia của đại diện các xã, thị trấn và các ban ngành đoàn thể trong huyện.</p>"
    "<p>Theo báo cáo, trong năm qua huyện đã gia cố hơn 20 km đê bao, di dời 150 hộ dân ra khỏi vùng "
    "sạt lở và tổ chức diễn tập ứng phó bão lũ tại tất cả các xã ven sông.</p>"
)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def article_page(head: str = "", before: str = "", title: str = "Huyện tổng kết phòng chống thiên tai") -> str:
    return page(f"{before}<article><h1>{title}</h1>{BODY}</article>", head)


def read(name: str) -> HtmlArticle:
    return parse_html((PAGES / name).read_bytes())


# --- the fixture pages ----------------------------------------------------------------------

FIXTURES = [
    # name, title, date, authors, category, site
    ("national_news.html", "Mở rộng đường ven sông trước mùa mưa",
     date(2021, 7, 3), ("Minh Tâm",), "Thời sự", "Tin Nhanh 24"),  # ISO stamp in UTC: 23:30 is the next day here
    ("provincial_paper.html", "Ra quân làm thủy lợi nội đồng mùa khô",
     date(2021, 7, 2), (), "Chính trị", None),  # only the visible stamp; the byline stays in the text
    ("windows1258_page.html", "Nông dân trúng mùa xoài cát",
     date(2021, 7, 2), ("Lâm Hồng",), "Kinh tế", "dongque.example.vn"),
    ("jsonld_bom_page.html", "Hà Nội - Hải Phòng mở thêm tuyến xe buýt liên tỉnh",
     date(2026, 2, 3), ("Thanh Hà", "Quốc Minh"), "Giao thông", "Báo Sáng Mai"),  # datePublished, not dateModified
]  # fmt: skip

CONTAINS = {
    "national_news.html": ["Tuyến đường được nâng từ hai làn xe lên sáu làn", "chờ con đường này gần mười năm"],
    "provincial_paper.html": ["(MT) - Sáng 1-7, Ủy ban nhân dân huyện Long Phú", "Tin, ảnh: NGUYỄN TRIỆU"],
    "windows1258_page.html": ["nhiều nhà vườn ở huyện Cái Bè", "mưa trái mùa làm trái dễ bị nứt"],
    "jsonld_bom_page.html": ["Sở Xây dựng Hà Nội vừa chấp thuận", "ùn tắc vào dịp cuối tuần và lễ tết"],
}
# navigation, related news, comments, footers: none of it is article text
EXCLUDES = {
    "national_news.html": ["Trang chủ", "Đăng nhập", "Tin liên quan", "Thông xe cầu mới", "Ý kiến bạn đọc",
                           "Mong thành phố làm nhanh", "Bản quyền", "dataLayer"],
    "provincial_paper.html": ["Trang chủ", "Liên kết website", "Thời tiết", "Các tin khác", "Hội nghị sơ kết",
                              "Các ý kiến của bạn đọc", "Điện thoại"],
    "windows1258_page.html": ["Trang chủ", "Tin cùng chuyên mục", "Giá lúa tăng nhẹ", "Từ khóa", "Bản quyền"],
    "jsonld_bom_page.html": ["Đăng nhập", "Đọc thêm", "Cao tốc đông xe", "Bình luận", "Độc giả Lan", "Giấy phép"],
}  # fmt: skip


@needs_extra
@pytest.mark.parametrize(("name", "title", "published", "authors", "category", "site"), FIXTURES)
def test_fixture_page_fields(name, title, published, authors, category, site):
    found = read(name)
    assert (found.title, found.date, found.authors, found.category, found.site) == (
        title, published, authors, category, site,
    )  # fmt: skip


@needs_extra
@pytest.mark.parametrize("name", sorted(CONTAINS))
def test_fixture_page_text_is_the_article_only(name):
    text = read(name).text
    assert all(part in text for part in CONTAINS[name]), text
    assert not [part for part in EXCLUDES[name] if part in text]


@needs_extra
@pytest.mark.parametrize("name", sorted(CONTAINS))
def test_text_is_paragraphs_separated_by_blank_lines_without_the_title(name):
    found = read(name)
    paragraphs = found.text.split("\n\n")
    assert len(paragraphs) >= 4 and all(p.strip() == p and p and "\n" not in p for p in paragraphs)
    assert found.title not in paragraphs


@needs_extra
def test_url_description_and_sapo():
    national = read("national_news.html")
    assert national.url == "https://tinnhanh24.example.vn/thoi-su/mo-rong-duong-ven-song-truoc-mua-mua-4301.html"
    assert national.description and national.description.startswith("Thành phố khởi công")
    # the sapo sits outside the body container on this page: it is put back first
    jsonld = read("jsonld_bom_page.html")
    assert jsonld.text.startswith("Từ tháng 3, hành khách có thêm tuyến xe buýt")
    assert jsonld.url == "https://sangmai.example.vn/giao-thong/ha-noi-hai-phong-mo-them-tuyen-xe-buyt-20260203.htm"
    assert read("provincial_paper.html").url is None
    assert parse_html(article_page(), url="https://example.vn/a").url == "https://example.vn/a"


# --- encodings ------------------------------------------------------------------------------


@needs_extra
def test_windows_1258_page_is_decoded_and_nfc():
    data = (PAGES / "windows1258_page.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    found = parse_html(data)
    for field in (found.title, found.text, *found.authors):
        assert field == unicodedata.normalize("NFC", field)
    assert "Ông Phạm Văn Lộc, ngụ xã Hòa Khánh" in found.text


@needs_extra
def test_xml_declaration_names_the_charset():
    text = article_page().replace("<!DOCTYPE html>", "")
    data = b'<?xml version="1.0" encoding="windows-1258"?>\n' + _cp1258(text)
    assert parse_html(data).title == "Huyện tổng kết phòng chống thiên tai"


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters with circumflex, breve or horn are precomposed, tone marks combine."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        out += base.encode("cp1258") + "".join(m for m in marks if m in tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\ufeff<p>Hòa Bình</p>".encode("utf-8"), "<p>Hòa Bình</p>"),
        ("\ufeff<p>Hòa Bình</p>".encode("utf-16-le"), "<p>Hòa Bình</p>"),
        ("\ufeff<p>Hòa Bình</p>".encode("utf-16-be"), "<p>Hòa Bình</p>"),
        # declared ISO-8859-1 but the bytes are UTF-8 (re-saved pages keep the old tag)
        ('<meta charset="iso-8859-1"><p>Hòa Bình</p>'.encode(), '<meta charset="iso-8859-1"><p>Hòa Bình</p>'),
        (_cp1258('<meta charset="windows-1258"><p>Nguyễn Thị Ánh Tuyết</p>'),
         '<meta charset="windows-1258"><p>Nguyễn Thị Ánh Tuyết</p>'),
        (_cp1258('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><p>Đắk Lắk</p>'),
         '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><p>Đắk Lắk</p>'),
    ],
)  # fmt: skip
def test_decode_page(data, expected):
    assert decode_page(data) == expected


def test_undeclared_legacy_page_is_decoded_by_evidence_and_binary_is_refused():
    text = "<p>Nông dân ở huyện Cái Bè trúng mùa xoài, thương lái đến tận vườn thu mua với giá cao.</p>"
    assert decode_page(_cp1258(text)) == text
    with pytest.raises(ValueError):
        decode_page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


# --- dates ----------------------------------------------------------------------------------


@needs_extra
@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]", date(2021, 7, 2)),  # D1
        ("Thứ Sáu, 2/7/2021 - 10:30", date(2021, 7, 2)),  # D3
        ("Thứ sáu, 2/7/2021, 10:30 (GMT+7)", date(2021, 7, 2)),  # D4
        ("Thứ ba, 03/02/2026", date(2026, 2, 3)),  # D5
        ("Chủ nhật, 4/7/2021", date(2021, 7, 4)),  # D6
        ("02/07/2021", date(2021, 7, 2)),  # D11: never month-first
        ("13/07/2021", date(2021, 7, 13)),  # D12
        ("Sáng 1-7", None),  # D2: an event date without a year is not a publication date
    ],
)
def test_visible_header_stamp_is_read_day_first(stamp, expected):
    assert parse_html(article_page(before=f'<div class="news-date">{stamp}</div>')).date == expected


@needs_extra
@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="article:published_time" content="2021-07-02T23:30:00+00:00">', date(2021, 7, 3)),
        ('<meta property="article:published_time" content="2021-07-02T23:30:00Z">', date(2021, 7, 3)),
        ('<meta name="pubdate" content="2021-07-02T10:30:00+07:00">', date(2021, 7, 2)),
        ('<meta itemprop="datePublished" content="2021-07-02T23:30:00">', date(2021, 7, 2)),  # no offset: local
        ('<script type="application/ld+json">{"@type": "NewsArticle", "dateModified": "2021-07-05T08:00:00+07:00",'
         ' "datePublished": "2021-07-02T08:00:00+07:00"}</script>', date(2021, 7, 2)),
        ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
         ' {"@type": "NewsArticle", "datePublished": "2021-07-01T20:00:00-05:00"}]}</script>', date(2021, 7, 2)),
    ],
)  # fmt: skip
def test_machine_readable_stamp_in_vietnam_time_wins_over_the_visible_one(head, expected):
    found = parse_html(article_page(head=head, before='<span class="date">Thứ Hai, 12/07/2021</span>'))
    assert found.date == expected


@needs_extra
def test_time_element_and_no_date_at_all():
    stamped = article_page(before='<time itemprop="datePublished" datetime="2021-07-02T18:00:00+00:00">2/7</time>')
    assert parse_html(stamped).date == date(2021, 7, 3)
    assert parse_html(article_page()).date is None


@needs_extra
def test_the_stamp_under_the_title_wins_over_the_date_in_the_site_header():
    today = '<div class="header-date">Thứ Tư, 07/07/2021</div>'
    html = page(f'{today}<article><h1>Tiêu đề</h1><div class="meta">Thứ Sáu, 02/07/2021 - 10:30</div>{BODY}</article>')
    assert parse_html(html).date == date(2021, 7, 2)


def test_dates_in_related_news_are_not_the_article_date():
    related = '<div class="box-tinlienquan"><a href="/b">Tin cũ</a> <span class="time">Thứ Hai, 12/07/2021</span></div>'
    found = parse_html(page(f"<article><h1>Tiêu đề</h1>{BODY}</article>{related}"))
    assert found.date is None


# --- titles, authors, categories --------------------------------------------------------------


@needs_extra
@pytest.mark.parametrize(
    ("page_title", "expected"),
    [
        ("Báo Miền Tây Online - Huyện tổng kết phòng chống thiên tai", "Huyện tổng kết phòng chống thiên tai"),
        ("Hà Nội - Hải Phòng mở thêm tuyến xe buýt | Báo Sáng Mai", "Hà Nội - Hải Phòng mở thêm tuyến xe buýt"),
        ("Huyện tổng kết phòng chống thiên tai - VnExpress News", "Huyện tổng kết phòng chống thiên tai"),
        ("Hà Nội - Hải Phòng mở thêm tuyến xe buýt", "Hà Nội - Hải Phòng mở thêm tuyến xe buýt"),
        ("Báo động tình trạng sạt lở - Cà Mau", "Báo động tình trạng sạt lở - Cà Mau"),
    ],
)
def test_page_title_without_the_site_name(page_title, expected):
    html = page(f'<div class="detail">{BODY}</div>', head=f"<title>{page_title}</title>")
    assert parse_html(html).title == expected


@needs_extra
@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta name="author" content="MINH TÂM - THANH HÀ">', ("Minh Tâm", "Thanh Hà")),
        ('<meta name="author" content="Báo Sáng Mai"><meta property="og:site_name" content="Báo Sáng Mai">', ()),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Bài và ảnh: LÊ VĂN AN"}}'
         "</script>", ("Lê Văn An",)),
        ('<meta name="author" content="Bài: Minh Tâm - Ảnh: Thanh Hà">', ("Minh Tâm",)),
    ],
)  # fmt: skip
def test_authors(head, expected):
    assert parse_html(article_page(head=head)).authors == expected


@needs_extra
@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ('<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/kt">Kinh tế</a></li>'
         '<li><a href="/kt/nn">Nông nghiệp</a></li></ul>', "Kinh tế"),
        ('<div class="cat-title"><a href="/xh">Xã hội</a></div>', "Xã hội"),
        ('<nav class="breadcrumbs"><a href="/">Trang chủ</a> › <a href="/gd">Giáo dục</a></nav>', "Giáo dục"),
        ("", None),
    ],
)  # fmt: skip
def test_category_from_breadcrumb_or_section_label(before, expected):
    assert parse_html(article_page(before=before)).category == expected


# --- structure: what is and is not article text -----------------------------------------------


@needs_extra
def test_container_named_with_comments_is_not_pruned():
    found = parse_html(page(f'<div class="detail has-comments"><h1>Tiêu đề</h1>{BODY}</div>'))
    assert "di dời 150 hộ dân" in found.text


@needs_extra
def test_layout_table_is_read_as_text_and_data_table_is_kept():
    data_table = "<table><tr><td>Xã</td><td>Số hộ</td></tr><tr><td>Long Phú</td><td>150</td></tr></table>"
    layout = f"<table><tr><td>Liên kết</td><td><h1>Tiêu đề</h1>{BODY}{data_table}</td></tr></table>"
    text = parse_html(page(layout)).text
    assert "gia cố hơn 20 km đê bao" in text and "Long Phú" in text


@needs_extra
def test_str_and_bytes_give_the_same_article():
    data = (PAGES / "national_news.html").read_bytes()
    assert parse_html(data.decode("utf-8")) == parse_html(data)


@needs_extra
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  \n ",
        page("<nav><a href='/'>Trang chủ</a> <a href='/ts'>Thời sự</a></nav><footer>© Báo Sáng Mai</footer>").encode(),
        page("<div class='list'><a href='/a'>Giá lúa tăng nhẹ</a><br><a href='/b'>Chợ nổi vào mùa</a></div>").encode(),
    ],
)
def test_page_without_article_text(data):
    with pytest.raises(ValueError, match="^no article text found in the page$"):
        parse_html(data)


def test_missing_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura → ImportError
    assert html_available() is False
    with pytest.raises(MissingExtra) as raised:
        parse_html(article_page())
    assert str(raised.value) == "reading HTML needs the optional extra: pip install 'search[html]'"
    assert isinstance(raised.value, RuntimeError)
