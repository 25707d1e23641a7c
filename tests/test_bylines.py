"""Bylines, sources and repost notes: docs/vietnamese.md §6.6 (B1–B11) and the LABELING.md forms."""

from __future__ import annotations

import pytest

from search.bylines import Byline, display_name, extract_byline, source_of
from search.datelines import extract_dateline

BODY = "Tiêu đề bài báo\n\nĐoạn mở đầu của bài.\n\nCơ quan chức năng đang làm rõ vụ việc."


def ending(last: str, *, sep: str = "\n") -> Byline:
    """The byline of a short article that ends with ``last``."""
    return extract_byline(BODY + sep + last)


# -- docs/vietnamese.md §6.6 ----------------------------------------------------------------
# (id, last lines, authors, source, reposted_by, photographers)
TABLE_6_6 = [
    ("B1", "Tin, ảnh: NGUYỄN TRIỆU\n\nST Thanh Hương Theo baohaugiang.com.vnCác ý kiến của bạn đọc",
     ("Nguyễn Triệu",), "baohaugiang.com.vn", "Thanh Hương", ()),
    ("B2", "Bài và ảnh: MINH HẢI", ("Minh Hải",), None, None, ()),
    ("B3", "Bài: THU HÀ - Ảnh: QUANG MINH", ("Thu Hà",), None, None, ("Quang Minh",)),
    ("B4", "Tin, ảnh: MINH TÂM - THANH HÀ", ("Minh Tâm", "Thanh Hà"), None, None, ()),
    ("B5", "Theo TTXVN", (), "TTXVN", None, ()),
    ("B6", "Theo VnExpress.net", (), "VnExpress.net", None, ()),
    ("B7", "Theo cơ quan điều tra, thủ đoạn của nhóm này là lập công ty ma", (), None, None, ()),
    ("B8", "Hiện trường vụ cháy. Ảnh: Getty Images", (), None, None, ()),
    ("B9", "PV", ("PV",), None, None, ()),
    ("B9", "Nhóm PV", ("Nhóm PV",), None, None, ()),
    ("B10", "Theo ghi nhận của PV Dân Việt, nhiều người dân đã có mặt từ sớm.", (), None, None, ()),
    ("B11", "Hoàng Anh (tổng hợp)", ("Hoàng Anh",), None, None, ()),
    ("B11", "Minh Anh (theo Reuters)", ("Minh Anh",), "Reuters", None, ()),
]


@pytest.mark.parametrize(("case", "last", "authors", "source", "reposted_by", "photographers"), TABLE_6_6)
def test_table_6_6(case, last, authors, source, reposted_by, photographers):
    found = ending(last)
    assert (found.authors, found.source, found.reposted_by, found.photographers) == (
        authors, source, reposted_by, photographers
    ), case


def test_b1_raw_and_start():
    text = BODY + "\nTin, ảnh: NGUYỄN TRIỆU\n\nST Thanh Hương Theo baohaugiang.com.vnCác ý kiến của bạn đọc"
    found = extract_byline(text)
    assert found.raw == "Tin, ảnh: NGUYỄN TRIỆU"
    assert found.start == text.index("Tin, ảnh:")


def test_b9_raw_is_kept():
    assert ending("Nhóm PV").raw == "Nhóm PV"


# -- byline forms of LABELING.md: (last lines, authors, source, photographers) ------------------
FORMS = [
    ("Bài, ảnh: Lê Nam", ("Lê Nam",), None, ()),
    ("Tin và ảnh: HOÀNG SƠN", ("Hoàng Sơn",), None, ()),
    ("Thực hiện: Khánh Trang – Truyền Phương", ("Khánh Trang", "Truyền Phương"), None, ()),
    ("Lễ ký kết diễn ra tại hội trường Thực hiện: Bảo Ngọc - Thế Vinh", ("Bảo Ngọc", "Thế Vinh"), None, ()),
    ("Tin, ảnh: Đức Phương (TTXVN)", ("Đức Phương",), "TTXVN", ()),
    ("Kim Thanh", ("Kim Thanh",), None, ()),
    ("Xuân Mai - Quốc Huy", ("Xuân Mai", "Quốc Huy"), None, ()),
    ("Xuân Mai – Quốc Huy", ("Xuân Mai", "Quốc Huy"), None, ()),
    ("Thu Phương - PV", ("Thu Phương",), None, ()),
    ("Lan Chi (T/h)", ("Lan Chi",), None, ()),
    ("Lan Chi (TH)", ("Lan Chi",), None, ()),
    ("Mai Đỉnh(TH)", ("Mai Đỉnh",), None, ()),
    ("Hải Yến - (tổng hợp)", ("Hải Yến",), None, ()),
    ("Quang Vinh (từ Doha)", ("Quang Vinh",), None, ()),
    ("Lily (t/h)", ("Lily",), None, ()),
    ("Ngọc Hà (Theo Bloomberg)", ("Ngọc Hà",), "Bloomberg", ()),
    ("Văn Tú (tổng hợp theo báo Zing.vn, Tiền Phong)", ("Văn Tú",), "Zing.vn, Tiền Phong", ()),
    ("Hải Đăng (TTXVN)", ("Hải Đăng",), "TTXVN", ()),
    ("Thanh Tâm (Xzone/Tri Thức Thời Đại)", ("Thanh Tâm",), "Xzone/Tri Thức Thời Đại", ()),
    ("Việt Cường/VOV", ("Việt Cường",), "VOV", ()),
    ("Ngọc Luân/VOV-TP HCM", ("Ngọc Luân",), "VOV", ()),
    ("Nhóm PV/ VOV Online", ("Nhóm PV",), "VOV Online", ()),
    ("Theo Phạm Hải/VietnamNet", ("Phạm Hải",), "VietnamNet", ()),
    ("Nguồn: Mạnh Quân/Otofun News", ("Mạnh Quân",), "Otofun News", ()),
    ("Theo Hà Trang\nDân Việt", ("Hà Trang",), "Dân Việt", ()),
    ("Thảo Lê\nTheo Mirror, Telegraph", ("Thảo Lê",), "Mirror, Telegraph", ()),
    ("M.P\nTheo Sputnik/Sleep Health", ("M.P",), "Sputnik/Sleep Health", ()),
    ("T.ThủyTheo P.A", ("T.Thủy",), "P.A", ()),
    ("TTXVN/Tin Tức", (), "TTXVN/Tin Tức", ()),
    ("Trà My Ảnh: Tony Nguyễn", ("Trà My",), None, ("Tony Nguyễn",)),
    ("Hồng Quân (ảnh: Khả Hòa)", ("Hồng Quân",), None, ("Khả Hòa",)),
    ("(HỒ THẠCH)", ("Hồ Thạch",), None, ()),
    ("Đ. V (Tổng hợp)", ("Đ. V",), None, ()),
    ("QA", ("QA",), None, ()),
    ("H.Long", ("H.Long",), None, ()),
    ("DUYÊN DUYÊN", ("Duyên Duyên",), None, ()),
    ("Hoàng Phúc (thực hiện)", ("Hoàng Phúc",), None, ()),
    ("Minh Khôi – Lan Anh (Thực hiện)", ("Minh Khôi", "Lan Anh"), None, ()),
    # media credits are never sources nor authors
    ("Lan Hương (Video: Reuters)", ("Lan Hương",), None, ()),
    ("Tuấn Khải (video: ViralHog)", ("Tuấn Khải",), None, ()),
    ("Đức Anh - Clip: Quang Huy", ("Đức Anh",), None, ()),
    ("Thu Trang (Đồ hoạ: Lê Nam)", ("Thu Trang",), None, ()),
    ("Hải Minh/VOV Online (Ảnh, clip: Lê Nam)", ("Hải Minh",), "VOV Online", ("Lê Nam",)),
    # a VOV bureau is dropped, VOV.VN is the outlet as written
    ("Bùi Lan/VOV miền Trung", ("Bùi Lan",), "VOV", ()),
    ("Bùi Lan/VOV.VN", ("Bùi Lan",), "VOV.VN", ()),
    ("Theo AFP/BBC", (), "AFP/BBC", ()),  # an agency before the slash is not a person
]


@pytest.mark.parametrize(("last", "authors", "source", "photographers"), FORMS)
def test_forms_on_their_own_line(last, authors, source, photographers):
    found = ending(last)
    assert (found.authors, found.source, found.photographers) == (authors, source, photographers)


GLUED = [
    ("… vận hành tự động. Kim Thanh", ("Kim Thanh",), None),
    ("… đã đạt giải. Hiểu Minh - Vinh Phan", ("Hiểu Minh", "Vinh Phan"), None),
    ("… đề phòng sặc. P.Thúy", ("P.Thúy",), None),
    ("… xếp thứ 28 (13,8%)… LAN ANH", ("Lan Anh",), None),
    ("… Tổng số điểm 54% (97/179) Thế Anh", ("Thế Anh",), None),
    ("… (Ảnh: Bút tích của ông A) Thanh Nhã", ("Thanh Nhã",), None),
    ("… sau khi mua lại. Ngụy An (Theo AP)", ("Ngụy An",), "AP"),
    ("… đang xác minh./. Theo Phạm Hải/VietnamNet", ("Phạm Hải",), "VietnamNet"),
    ("… nhiều dự án khác./. Mỹ Bình (TTXVN)", ("Mỹ Bình",), "TTXVN"),
    ("… giữa các nước thành viên. TTXVN/Tin Tức", (), "TTXVN/Tin Tức"),
    ("… trong năm nay. (Theo Dân trí)", (), "Dân trí"),
    ("… hợp tác giữa hai nước. (TTXVN)", (), "TTXVN"),
    ("… người xung quanh Nhóm PV/ VOV Online", ("Nhóm PV",), "VOV Online"),
    ("… lên án hành vi. Minh Châu Báo Gia đình và Xã hội cập nhật tin tức trong ngày liên tục",
     ("Minh Châu",), None),
    ("… làm theo lời Bác”. QUỐC LINH ------------------------------------ * Tin bài liên quan:",
     ("Quốc Linh",), None),
    ("… ở vùng hạ du. (HỒ THẠCH) Tin, bài liên quan:", ("Hồ Thạch",), None),
    ("… tinh thần thể thao“. Hồng Quân (ảnh: Khả Hòa) Xem thêm các bài viết khác tại "
     "http://motthegioi.vn/thethao hay http://motthegioi.vn", ("Hồng Quân",), "motthegioi.vn"),
    # "./." then two names joined by a tight hyphen, then the outlet
    ("… khánh thành vào tháng 10/2017./. Lê Hải-Minh Châu/VOV.VN", ("Lê Hải", "Minh Châu"), "VOV.VN"),
    ("… hai nước./. Hải Yến-Văn Giáp (TTXVN)", ("Hải Yến", "Văn Giáp"), "TTXVN"),
    ("… vừa được công bố. H.Thơ-N.Hà", ("H.Thơ", "N.Hà"), None),
    # lowercase "theo" after a name, as in "X (theo Y)"
    ("… trong năm tới. Minh Khuê theo GSMArena", ("Minh Khuê",), "GSMArena"),
    # the attribution just before the byline
    ("… ở châu Âu. (Theo AFP/BBC) Khánh Linh", ("Khánh Linh",), "AFP/BBC"),
    ("… cùng bạn bè. Tuấn Khải (video: ViralHog)", ("Tuấn Khải",), None),
]


@pytest.mark.parametrize(("last", "authors", "source"), GLUED)
def test_bylines_glued_to_the_last_paragraph(last, authors, source):
    found = ending(last, sep=" ")
    assert (found.authors, found.source) == (authors, source)


def test_glued_byline_start_and_raw():
    text = BODY + " Sau đó, cơ quan chức năng có mặt./. Hoàng Ngọc (TTXVN)"
    found = extract_byline(text)
    assert found.raw == "Hoàng Ngọc (TTXVN)"
    assert text[found.start:] == "Hoàng Ngọc (TTXVN)"


def test_byline_above_a_block_of_image_captions():
    text = (
        "Tiêu đề\n\nĐoạn mở đầu.\n\nCâu đầu của thân bài.\nCâu cuối của thân bài.\nVũ Anh (Theo Bloomberg)"
        "\n\nTổng thống trong một cuộc họp đầu năm nay.\nXe phóng đạn triển khai hồi năm 2017."
        "\n\nMột chú thích ảnh nữa.\nVideo: Twitter."
    )
    found = extract_byline(text)
    assert (found.authors, found.source) == (("Vũ Anh",), "Bloomberg")
    assert text[found.start:].startswith("Vũ Anh")


def test_a_bare_name_in_a_caption_block_is_a_caption():
    text = (
        "Tiêu đề\n\nĐoạn mở đầu.\n\nCâu đầu của thân bài.\nCâu cuối của thân bài."
        "\n\nToàn cảnh cây cầu nhìn từ trên cao.\nCầu Rồng"
    )
    assert extract_byline(text).authors == ()


def test_a_marked_byline_is_found_across_a_repost_block():
    text = "Tiêu đề\n\nMở đầu.\n\nThân bài.\nBài và ảnh: LÊ VY\n\nST Minh Anh Theo baocantho.com.vn"
    found = extract_byline(text)
    assert (found.authors, found.reposted_by, found.source) == (("Lê Vy",), "Minh Anh", "baocantho.com.vn")


# -- not bylines ---------------------------------------------------------------------------
NOT_BYLINES = [
    "… hiện chưa rõ người phụ nữ có bị thương hay không.",
    "… Cô duy trì lối sống búp bê quái đản",
    "… Xem chi tiết nội dung Quy chế TẠI ĐÂY",
    "… một tiết học của học sinh lớp 12, Q. Tân Bình, TP. HCM - Ảnh: NHƯ HÙNG",
    "… vẫn để không - Ảnh: N.KHÁNH",
    "… Video: euronews.",
    "… (Ảnh minh hoạ)",
    "… hợp tác giữa hai nước. Việt Nam",
    "… được bán tại đại lý. Apple Watch",
    "… lực lượng chức năng đã có mặt. Đồ hoạ: Hải Nam",
    "… tiếp tục điều tra. ST Minh Hà",
    "… theo ghi nhận của PV Dân Việt",
    "… cho gia đình ông Đ. Nguyễn",
    "… cùng hô vang! VIỆT NAM MUÔN NĂM",
    "… theo kế hoạch. TIN LIÊN QUAN",
    "… cả nhà. Minh Anh theo dõi sát sao",
    "… đội bóng. Video: Quang Huy",
]


@pytest.mark.parametrize("last", NOT_BYLINES)
def test_look_alikes_give_no_author(last):
    assert ending(last, sep=" ").authors == ()


def test_repost_note_is_not_an_author():
    found = ending("ST Thanh Hương Theo baohaugiang.com.vn")
    assert (found.authors, found.reposted_by, found.source) == ((), "Thanh Hương", "baohaugiang.com.vn")


def test_web24h_boilerplate_and_teaser_give_nothing():
    text = (
        "Tiêu đề\n\nLưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu "
        "Nội dung bài. Khánh Hòa Ôtô buýt bị ném đá. Ngọc Lan Nguồn: [Link nguồn]Nguồn: [Link nguồn]"
    )
    found = extract_byline(text)
    assert (found.authors, found.source) == ((), None)
    assert text[found.start:].startswith("Nguồn: [Link nguồn]")


def test_mid_text_attribution_is_not_a_source():
    text = "Tiêu đề\n\nTheo Reuters, giá dầu tăng mạnh.\n\nCác nhà phân tích dự báo giá sẽ còn tăng."
    assert extract_byline(text) == Byline((), None, None, None, (), None)


def test_only_the_tail_is_read():
    text = "Tin, ảnh: NGUYỄN TRIỆU\n" + "Một câu rất dài của thân bài. " * 200
    assert extract_byline(text).authors == ()


# -- source precedence (LABELING source rules 1 and 2) --------------------------------------------
def test_end_attribution_wins_over_the_dateline():
    text = "Tiêu đề\n\nPNO – Cảnh sát Úc điều tra vụ việc. Thảo Vy (Theo AFP, ABC)"
    assert source_of(extract_byline(text), extract_dateline(text)) == "AFP, ABC"


def test_outlet_dateline_is_the_source_without_an_end_attribution():
    text = "Tiêu đề\n\nGD&TĐ - Sở GD&ĐT công bố lịch thi.\n\nThí sinh cần theo dõi thông báo."
    assert source_of(extract_byline(text), extract_dateline(text)) == "GD&TĐ"


def test_place_dateline_gives_no_source():
    text = "Tiêu đề\n\n(TP. HCM, ngày 28/10/2017) – Tập đoàn khởi công bảy cây cầu."
    assert source_of(extract_byline(text), extract_dateline(text)) is None


# -- display_name -----------------------------------------------------------------------------------
DISPLAY = [
    ("NGUYỄN TRIỆU", "Nguyễn Triệu"),
    ("MINH TÂM", "Minh Tâm"),
    ("ĐẶNG ĐÌNH ĐỨC", "Đặng Đình Đức"),  # Đ
    ("LÊ HÀ", "Lê Hà"),  # ngang, huyền
    ("TRẦN THẢO", "Trần Thảo"),  # hỏi
    ("ĐỖ NGÃ", "Đỗ Ngã"),  # ngã
    ("VŨ LỆ THỦY", "Vũ Lệ Thủy"),  # ngã, nặng, hỏi
    ("PHẠM SÁNG", "Phạm Sáng"),  # nặng, sắc
    ("ƯNG HOÀNG PHÚC", "Ưng Hoàng Phúc"),
    ("N.KHÁNH", "N.Khánh"),
    ("T.Thủy", "T.Thủy"),  # mixed case stays as written
    ("M. Sơn", "M. Sơn"),
    ("Nguyễn Văn A", "Nguyễn Văn A"),
    ("QA", "QA"),  # initials stay
    ("PT", "PT"),
]


@pytest.mark.parametrize(("raw", "shown"), DISPLAY)
def test_display_name(raw, shown):
    assert display_name(raw) == shown
