"""Leading datelines: docs/vietnamese.md §6.7 (P1–P4), the LABELING.md forms and look-alikes."""

from __future__ import annotations

import pytest

from search.datelines import OUTLETS, Dateline, extract_dateline

TITLE = "Một tiêu đề bài báo\n\n"


def dateline(body: str) -> Dateline | None:
    return extract_dateline(TITLE + body)


# -- docs/vietnamese.md §6.7 ----------------------------------------------------------
# (id, text, code, outlet, province, is_outlet)
TABLE_6_7 = [
    ("P1", "(HG) - Chiều ngày 1-7, Ban Tổ chức Trung ương tổ chức hội nghị.",
     "HG", "Báo Hậu Giang", "Hậu Giang", True),
    ("P2", "(Chinhphu.vn) - Sáng 2/7, Thủ tướng chủ trì cuộc họp.",
     "Chinhphu.vn", "Cổng Thông tin điện tử Chính phủ", None, True),
    ("P3", "(PLO)- Ngày 2-7, tòa án mở phiên xét xử.",
     "PLO", "Pháp Luật TP.HCM Online", None, True),
    ("P4", "Cần Thơ - Ngày 1/7, thành phố tổ chức lễ kỷ niệm.",
     "Cần Thơ", None, None, False),
]


@pytest.mark.parametrize(("case", "text", "code", "outlet", "province", "is_outlet"), TABLE_6_7)
def test_table_6_7(case, text, code, outlet, province, is_outlet):
    found = dateline(text)
    assert found is not None, case
    assert (found.code, found.outlet, found.province, found.is_outlet) == (
        code, outlet, province, is_outlet
    ), case


# -- the forms of LABELING.md --------------------------------------------------------
FORMS = [
    ("(HNM) - Sáng nay, Hà Nội khai mạc hội chợ.", "HNM"),
    ("(NĐT) - Việc sửa điểm bài thi sẽ bị phạt.", "NĐT"),
    ("(VnMedia) - Giá vàng tăng mạnh.", "VnMedia"),
    ("(Người Đưa Tin) - Công an đang điều tra.", "Người Đưa Tin"),
    ("(TNO) Vào khoảng 16 giờ ngày 23.10, trời đổ mưa đá.", "TNO"),
    ("TTO - 10 năm trước mở trường chỉ mất 9 tháng.", "TTO"),
    ("NDĐT - Chiều 5/3, Quốc hội thảo luận.", "NDĐT"),
    ("GD&TĐ - Sở GD&ĐT công bố đường dây nóng.", "GD&TĐ"),
    ("VOV.VN - Rất nhiều học sinh phớt lờ quy định.", "VOV.VN"),
    ("ICTnews - Nhạc sĩ sẽ cùng đứng chung sân khấu.", "ICTnews"),
    ("GiaidinhNet- Sau khi xét nghiệm, kết quả đều âm tính.", "GiaidinhNet"),
    ("QĐND Online - Ngày 9-11, hãng hàng không điều chỉnh giờ bay.", "QĐND Online"),
    ("TT - Hơn 31.000 thí sinh đã tham gia cuộc thi.", "TT"),
    ("PNO – Cảnh sát đã bắt giữ nghi phạm.", "PNO"),
    ("ANTT.VN – “Chúng tôi sẽ làm rõ”, ông nói.", "ANTT.VN"),
    ("(Baonghean) - Từ năm 2017, các trường đồng loạt tăng học phí.", "Baonghean"),
    ("(BVPL) - Bộ phim đang thu hút khán giả.", "BVPL"),
    ("(TBKTSG Online) - Ủy ban tiếp tục khẳng định.", "TBKTSG Online"),
    ("(TP. HCM, ngày 28/10/2017) – Tập đoàn vừa khởi công bảy cây cầu.", "TP. HCM"),
    ("TP.HCM - Sáng 5/3, thành phố ra quân.", "TP.HCM"),
    ("Hà Nội - Chiều qua, mưa lớn gây ngập nhiều tuyến phố.", "Hà Nội"),
    # bracket + dash: 1–3 words, the first capitalised, is enough
    ("(Sao việt) - Người dân đổ ra đường đón năm mới.", "Sao việt"),
    ("(Bóng đá 24h) - CLB Hà Nội giành chiến thắng.", "Bóng đá 24h"),
]


@pytest.mark.parametrize(("body", "code"), FORMS)
def test_forms(body, code):
    found = dateline(body)
    assert found is not None and found.code == code


def test_span_covers_brackets_and_dash_so_the_caller_can_strip_it():
    text = TITLE + "(HG) - Chiều ngày 1-7, hội nghị khai mạc."
    found = extract_dateline(text)
    assert found is not None
    assert text[found.start:found.end] == "(HG) - "
    assert text[found.end:].startswith("Chiều")


def test_dated_place_dateline_is_a_place_not_an_outlet():
    found = dateline("(TP. HCM, ngày 28/10/2017) – Tập đoàn vừa khởi công.")
    assert found == Dateline("TP. HCM", len(TITLE), len(TITLE) + 29, None, None, False)


def test_unknown_bracketed_code_is_taken_as_an_outlet():
    found = dateline("(XYZ Online) – Ngày 12/7/2017, Văn phòng Chủ tịch nước họp báo.")
    assert found is not None and found.code == "XYZ Online"
    assert found.is_outlet and found.outlet is None and found.province is None


# -- where a dateline may stand ---------------------------------------------------------
def test_after_section_line_title_and_update_stamp():
    text = (
        "Chính trị\nCần tiếp tục thực hiện tốt các nghị quyết\n\n"
        "[ Cập nhật vào ngày (02/07/2021) ] - [ Số lần xem: 688 ]\n\n"
        "(HG) - Chiều ngày 1-7, Ban Tổ chức Trung ương tổ chức hội nghị."
    )
    found = extract_dateline(text)
    assert found is not None and found.code == "HG"


def test_at_the_start_of_the_body_after_the_sapo():
    found = dateline("Bộ đưa ra phương án cắt giảm điều kiện kinh doanh.\n\nTTO - 10 năm trước mở trường.")
    assert found is not None and found.code == "TTO"


def test_after_a_related_headline_line():
    found = dateline("* Bộ Y tế triển khai công tác đối phó siêu bão\n\nQĐND - Ngày 9-11, hãng bay hủy chuyến.")
    assert found is not None and found.code == "QĐND"


def test_text_without_a_title():
    found = extract_dateline("(Dân trí) - Sáng 5/3, trường tổ chức lễ khai giảng.\nĐoạn thứ hai.")
    assert found is not None and found.code == "Dân trí"


def test_title_is_not_a_dateline():
    assert extract_dateline("Hà Nội - Sáng nay trời mưa\n\nNội dung bài báo.") is None


def test_only_the_head_is_read():
    assert dateline("Câu mở đầu.\n" * 400 + "TTO - Một câu.") is None


# -- look-alikes of LABELING.md ------------------------------------------------------------
LOOK_ALIKES = [
    "ZANU - PF dự kiến sẽ đề cử ông làm ứng viên.",
    "MC – nhà báo Phan Đăng dẫn chương trình.",
    "BTV - MC Nguyễn Minh Tiệp chia sẻ.",
    "ABC News - CNN đưa tin về vụ việc.",  # looks like an outlet, but an acronym follows
    "UNESCO - một tổ chức của Liên Hiệp Quốc - đã thu hút sự quan tâm.",
    "VIFA - EXPO 2017 thu hút nhiều doanh nghiệp.",
    "LH - EST là đội đứng đầu bảng.",
    "PSG - TS Bùi Hiền nói về đề xuất của mình.",
    "MicroDragon - vệ tinh quan sát Trái đất đã được chế tạo.",
    "Hà Nội - Hải Phòng là tuyến cao tốc quan trọng.",  # a route, not a place dateline
    "TT - Huế: Lễ hội diễn ra trong ba ngày.",  # Thừa Thiên - Huế
    "(Ảnh minh họa) Người dân xếp hàng.",
    "(1) Nộp hồ sơ trước ngày 15/3.",
    "Theo ông Phan Công Chánh - Tổng giám đốc công ty, giá sẽ tăng.",
    # captions and credits in brackets, with or without a dash
    "(Nguồn: abc.net.au) - Ông A phát biểu tại hội nghị.",
    "(Nguồn: Reuters) Thủ tướng phát biểu tại hội nghị.",
    "(Ảnh: Reuters) - Tổng thống tới thăm.",
    "(ảnh minh họa) - Người dân xếp hàng.",
    "(Minh hoạ) - Người dân xếp hàng.",
    # bracket without a dash: every word must be capitalised
    "(Xã hội) Người dân đổ ra đường.",
    # bracket + dash, but lowercase first word or more than three words
    "(tin nhanh) - Ông A cho biết.",
    "(Tin tức thời sự hôm nay) - Ông A cho biết.",
    # a site section kept by a scraper, not an outlet
    "(Đời sống) - Người dân đổ ra đường.",
    "(Kinh doanh) – Giá vàng tăng mạnh.",
]


@pytest.mark.parametrize("body", LOOK_ALIKES)
def test_look_alikes_are_not_datelines(body):
    assert dateline(body) is None


def test_outlet_table_shapes():
    for code, (name, province) in OUTLETS.items():
        assert code == code.strip() and name
    assert OUTLETS["HG"] == ("Báo Hậu Giang", "Hậu Giang")
    assert OUTLETS["Baonghean"][1] == "Nghệ An"
    assert OUTLETS["TTXVN"][1] is None
