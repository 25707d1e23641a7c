"""Leading datelines: the ``(HG) -`` / ``TTO -`` / ``Cần Thơ -`` that opens a news text.

A dateline sits at the start of the sapo or of the first body paragraph, after a
title line, a section line or an update stamp. It is a code, bracketed or followed
by a dash, then the first sentence. The code names either an outlet (``TTO``,
``GD&TĐ``, ``(HG)`` = Báo Hậu Giang) or a place (``Cần Thơ``, ``(TP. HCM, ngày
28/10/2017)``). ``OUTLETS`` knows the common outlet codes; a provincial paper's
code also gives its province.

Look-alikes are rejected by general rules: an unbracketed code must be a known
outlet code, look like an outlet (``….vn``, ``… Online``, ``…News``) or be a place
name; and what follows must look like the start of a sentence (a capitalised word,
a digit or a quote; after a place, a date cue such as ``Ngày`` or ``Sáng``). So
``UNESCO - một tổ chức``, ``ZANU - PF``, ``MC – nhà báo`` are not datelines. An
unknown bracketed code is enough on its own when a dash follows it (``(Sao việt) -
CLB …``: 1–3 words, the first capitalised); without the dash every word must be
capitalised. A bracket that reads as a caption (``(Ảnh: …)``, ``(Nguồn: abc.net.au)``,
``(ảnh minh họa)``) is never a dateline.

Only the head of the text is read, so the cost does not grow with its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from search.normalize import fold

HEAD_CHARS = 1500  # a dateline sits in the first few lines; never read further
MAX_LINES = 5  # non-empty lines looked at after the title


@dataclass(frozen=True)
class Dateline:
    """A leading dateline: its code as written and what the code names."""

    code: str  # as written, without brackets or dash: "HG", "TTO", "TP. HCM"
    start: int  # span of the whole dateline in the text, brackets and dash included
    end: int
    outlet: str | None  # outlet name for a known outlet code, else None
    province: str | None  # a provincial paper's province (provinces.tsv `name`)
    is_outlet: bool  # the code names an outlet (then it can be the source)


# code as written -> (outlet name, province of a provincial paper or None)
OUTLETS: Mapping[str, tuple[str, str | None]] = {
    "TTXVN": ("Thông tấn xã Việt Nam", None),
    "TTO": ("Tuổi Trẻ Online", None),
    "TT": ("Tuổi Trẻ", None),  # the print edition's dateline
    "TNO": ("Thanh Niên Online", None),
    "PLO": ("Pháp Luật TP.HCM Online", None),
    "NLĐO": ("Người Lao Động Online", None),
    "NLĐ": ("Người Lao Động", None),
    # Hà Nội Mới and Sài Gòn Giải Phóng are the two cities' party papers, but they
    # report national news too; vietnamese.md §4.3 counts them as national, so
    # their code gives no province (unsure).
    "HNM": ("Hà Nội Mới", None),
    "SGGP": ("Sài Gòn Giải Phóng", None),
    "SGGPO": ("Sài Gòn Giải Phóng Online", None),
    "ĐCSVN": ("Báo điện tử Đảng Cộng sản Việt Nam", None),
    "CAND": ("Công an Nhân dân", None),
    "CAND.VN": ("Công an Nhân dân", None),
    "QĐND": ("Quân đội Nhân dân", None),
    "QĐND Online": ("Quân đội Nhân dân Online", None),
    "VOV": ("Đài Tiếng nói Việt Nam", None),
    "VOV.VN": ("Đài Tiếng nói Việt Nam", None),
    "VOV Online": ("Đài Tiếng nói Việt Nam", None),
    "Dân trí": ("Dân trí", None),
    "Dân Trí": ("Dân trí", None),
    "VTC News": ("VTC News", None),
    "GD&TĐ": ("Giáo dục & Thời đại", None),
    "NĐT": ("Người Đưa Tin", None),
    "Người Đưa Tin": ("Người Đưa Tin", None),
    "NDĐT": ("Nhân Dân điện tử", None),
    "VnMedia": ("VnMedia", None),
    "ANTT.VN": ("An ninh Thủ đô", None),
    "ANTĐ": ("An ninh Thủ đô", None),
    "ICTnews": ("ICTnews", None),
    "ICTPress": ("ICTPress", None),  # Bộ Thông tin và Truyền thông's site (unsure)
    "GiaidinhNet": ("Gia đình & Xã hội", None),
    "PNO": ("Phụ Nữ Online", None),
    "Chinhphu.vn": ("Cổng Thông tin điện tử Chính phủ", None),
    "Infonet": ("Infonet", None),
    "VietNamNet": ("VietNamNet", None),
    "VietnamNet": ("VietNamNet", None),
    "Zing": ("Zing", None),
    "Zing.vn": ("Zing", None),
    "Kiến Thức": ("Kiến Thức", None),
    "Soha": ("Soha", None),
    "Dân Việt": ("Dân Việt", None),
    "VnExpress": ("VnExpress", None),
    "VietnamPlus": ("VietnamPlus", None),
    "Vietnam+": ("VietnamPlus", None),
    "TBKTSG Online": ("Thời báo Kinh tế Sài Gòn Online", None),
    "TBKTSG": ("Thời báo Kinh tế Sài Gòn", None),
    "KTĐT": ("Kinh tế & Đô thị", None),
    "ĐSPL": ("Đời sống & Pháp luật", None),
    "PLVN": ("Pháp luật Việt Nam", None),
    "BVPL": ("Bảo vệ Pháp luật", None),  # unsure of the full name
    "TITC": ("Trung tâm Thông tin Du lịch", None),  # Tổng cục Du lịch (unsure)
    "TTVH": ("Thể thao & Văn hóa", None),
    "VTV": ("Đài Truyền hình Việt Nam", None),
    "VOH": ("Đài Tiếng nói Nhân dân TP.HCM", None),
    "Tin Tức": ("Tin Tức (TTXVN)", None),
    "TPO": ("Tiền Phong Online", None),
    "Tiền Phong": ("Tiền Phong", None),
    "LĐO": ("Lao Động Online", None),
    "Lao Động": ("Lao Động", None),
    "Thanh Niên": ("Thanh Niên", None),
    "Tuổi Trẻ": ("Tuổi Trẻ", None),
    "Người Lao Động": ("Người Lao Động", None),
    "VTC": ("VTC", None),
    "VietTimes": ("VietTimes", None),
    "Kienthuc.net.vn": ("Kiến Thức", None),
    # provincial papers: the code gives the province
    "HG": ("Báo Hậu Giang", "Hậu Giang"),
    "Baonghean": ("Báo Nghệ An", "Nghệ An"),
    "Baonghean.vn": ("Báo Nghệ An", "Nghệ An"),
    "BNA": ("Báo Nghệ An", "Nghệ An"),
    "Baothanhhoa": ("Báo Thanh Hóa", "Thanh Hóa"),  # unsure of the spelling used
    "BGĐT": ("Báo Bắc Giang điện tử", "Bắc Giang"),  # unsure
    "HBĐT": ("Báo Hòa Bình điện tử", "Hòa Bình"),  # unsure
    "QNO": ("Báo Quảng Nam Online", "Quảng Nam"),  # unsure
    "BDK": ("Báo Đắk Lắk", "Đắk Lắk"),  # unsure
}

# Province and city names (provinces.tsv `name`, before and after 2025) and the
# common city forms. Only used to accept a place dateline; the caller resolves it.
_PLACE_NAMES = (
    "Hà Nội|Huế|Thừa Thiên Huế|Hải Phòng|Đà Nẵng|Hồ Chí Minh|Sài Gòn|HCM|Cần Thơ|"
    "Tuyên Quang|Cao Bằng|Điện Biên|Lai Châu|Sơn La|Lào Cai|Thái Nguyên|Lạng Sơn|"
    "Quảng Ninh|Bắc Ninh|Phú Thọ|Hưng Yên|Ninh Bình|Thanh Hóa|Nghệ An|Hà Tĩnh|"
    "Quảng Trị|Quảng Ngãi|Gia Lai|Khánh Hòa|Đắk Lắk|Lâm Đồng|Đồng Nai|Tây Ninh|"
    "Đồng Tháp|Vĩnh Long|An Giang|Cà Mau|Hà Giang|Yên Bái|Bắc Kạn|Vĩnh Phúc|"
    "Hòa Bình|Bắc Giang|Thái Bình|Hải Dương|Hà Nam|Nam Định|Quảng Bình|Quảng Nam|"
    "Kon Tum|Bình Định|Ninh Thuận|Phú Yên|Đắk Nông|Bình Thuận|Bình Phước|"
    "Bình Dương|Long An|Tiền Giang|Bến Tre|Trà Vinh|Kiên Giang|Hậu Giang|"
    "Sóc Trăng|Bạc Liêu|Vũng Tàu|Bà Rịa Vũng Tàu|TT Huế"
)
_PLACE_KEYS = frozenset(fold(name).lower().replace(" ", "") for name in _PLACE_NAMES.split("|"))
_CITY_PREFIX = re.compile(r"^(?:tp\.?|thanh pho)\s*", re.IGNORECASE)

# Words that open a sentence after a place dateline ("Cần Thơ - Ngày 1/7, …").
_DATE_CUES = frozenset(
    "Ngày Sáng Chiều Tối Trưa Đêm Rạng Khuya Hôm Theo Sau Trong Tại Từ Vào Đầu Cuối Giữa "
    "Tuần Tháng Năm".split()
)
_NOT_CODES = frozenset({"Ảnh", "Nguồn", "Video", "Clip", "Theo", "Tin", "Bài", "Xem"})
# image captions and credits in brackets: "(Ảnh: …)", "(Nguồn: …)", "(ảnh minh họa)"
_CAPTION = re.compile(r"(?i)^(?:ảnh|hình|nguồn|video|clip|(?:đồ|minh) h(?:ọa|oạ))\b|:")
# Site sections that some scrapers keep as "(Đời sống) - …": a section, not an outlet.
_SECTIONS = frozenset(
    fold(name).lower()
    for name in (
        "Thời sự", "Xã hội", "Đời sống", "Kinh tế", "Kinh doanh", "Doanh nghiệp", "Thế giới", "Quốc tế",
        "Thể thao", "Giải trí", "Văn hóa", "Văn hoá", "Giáo dục", "Sức khỏe", "Sức khoẻ", "Pháp luật",
        "Công nghệ", "Khoa học", "Du lịch", "Bất động sản", "Tài chính", "Chứng khoán", "Nhịp sống",
        "Tin tức", "Chính trị", "An ninh", "Hình sự", "Gia đình", "Ô tô", "Xe", "Nhà đất", "Việc làm",
    )
)
_OUTLET_LOOK = re.compile(r"(?:\.vn|\.VN|\.com|\.net|Online|News|news|Net|Press)$")
_ACRONYM = re.compile(r"^[A-ZĐ&]{2,}\b")

_BRACKETED = re.compile(r"\(([^()\n]{1,40})\)[ \t]*(?:([-–—])[ \t]*)?")
_UNBRACKETED = re.compile(r"([^\s()\-–—:,]+(?: [^\s()\-–—:,]+){0,2})[ \t]*[-–—][ \t]*")
_DATED_PLACE = re.compile(r"^([^,]+),\s*(?:ngày\s+)?\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$")


def extract_dateline(text: str) -> Dateline | None:
    """The leading dateline of a news text, or None (see the module docstring)."""
    for offset, line in _head_lines(text[:HEAD_CHARS]):
        dateline = _bracketed(line, offset) or _unbracketed(line, offset)
        if dateline is not None:
            return dateline
    return None


def _head_lines(head: str) -> Iterator[tuple[int, str]]:
    """(offset, line) of the first non-empty lines, leading spaces stripped, title skipped."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in head.split("\n"):
        stripped = raw.lstrip()
        lines.append((offset + len(raw) - len(stripped), stripped.rstrip()))
        offset += len(raw) + 1
    # "title, blank line, body": the title is not where a dateline goes.
    if len(lines) > 1 and lines[0][1] and not lines[1][1]:
        lines = lines[1:]
    return iter([(o, line) for o, line in lines if line][:MAX_LINES])


def _bracketed(line: str, offset: int) -> Dateline | None:
    """``(HG) - …``, ``(TNO) …``, ``(TP. HCM, ngày 28/10/2017) – …``."""
    match = _BRACKETED.match(line)
    if match is None or not _starts_sentence(line[match.end():]):
        return None
    code = match.group(1).strip()
    dated = _DATED_PLACE.match(code)
    if dated is not None:
        code = dated.group(1).strip()
        return _make(code, offset, offset + match.end(), place_only=True)
    if "," in code or _CAPTION.search(code):
        return None
    dashed = match.group(2) is not None
    if not (code in OUTLETS or _is_place(code) or _looks_like_code(code, dashed=dashed)):
        return None
    return _make(code, offset, offset + match.end())


def _unbracketed(line: str, offset: int) -> Dateline | None:
    """``TTO - …``, ``GiaidinhNet- …``, ``Cần Thơ - Ngày 1/7, …``."""
    match = _UNBRACKETED.match(line)
    if match is None:
        return None
    code, rest = match.group(1), line[match.end():]
    following = [w.strip(":,.;") for w in rest.split()[:2]]
    if any(_is_place(" ".join([code, *following[:n]])) for n in (1, 2)):
        return None  # "TT - Huế", "Bà Rịa - Vũng Tàu": one name with a dash inside
    if code in OUTLETS or _OUTLET_LOOK.search(code):
        if not _starts_sentence(rest) or (code not in OUTLETS and _ACRONYM.match(rest)):
            return None
        return _make(code, offset, offset + match.end())
    if _is_place(code) and _starts_with_date_cue(rest):
        return _make(code, offset, offset + match.end(), place_only=True)
    return None


def _make(code: str, start: int, end: int, *, place_only: bool = False) -> Dateline:
    if code in OUTLETS:
        outlet, province = OUTLETS[code]
        return Dateline(code, start, end, outlet, province, True)
    is_outlet = not place_only and not _is_place(code)
    return Dateline(code, start, end, None, None, is_outlet)


def _is_place(code: str) -> bool:
    """True if the code is a province or city name, with or without a TP prefix."""
    key = _CITY_PREFIX.sub("", fold(code).lower().replace(".", " ").strip())
    return key.replace(" ", "") in _PLACE_KEYS


def _looks_like_code(code: str, *, dashed: bool) -> bool:
    """A bracketed unknown code (``BVPL``, ``TBKTSG Online``, ``Sao việt``).

    1–4 words, each capitalised; with a dash after the bracket, which is itself the
    signal, 1–3 words whose first is capitalised.
    """
    words = code.split()
    if not 1 <= len(words) <= 4 or words[0] in _NOT_CODES or not any(ch.isalpha() for ch in code):
        return False
    if dashed and len(words) <= 3 and words[0][0].isupper():
        return fold(code).lower() not in _SECTIONS
    return all(w[0].isupper() or w[0].isdigit() for w in words)


def _starts_sentence(rest: str) -> bool:
    """What follows a dateline opens a sentence: a capital, a digit or a quote."""
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'«")


def _starts_with_date_cue(rest: str) -> bool:
    words = rest.split()
    if not words:
        return False
    return words[0][0].isdigit() or words[0].rstrip(",") in _DATE_CUES
