"""Which provinces is an article about? The "places" a reader would tag it with.

``places_in`` starts from the mechanical scan (``places.mentions``) and weighs each mention by
where it stands: the dateline's province comes first, a mention in the title or the lead weighs
more, and mentions that say nothing about where the story happens weigh nothing: inside an
organisation's or a club's name, a commune or street named after a province, someone's home or
address, a time zone, both ends of a stretch or a route, long lists of provinces, related-article
teasers. A province is kept when it is in the title, or weighs enough both absolutely and
against the heaviest one. The rules follow LABELING.md ("places") and are measured by
``benchmarks/metadata_eval.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from search.places import Mention, lookup, mentions

_TITLE_WEIGHT = 3.0
_LEAD_WEIGHT = 2.0
_LEAD_CHARS = 500
_TITLE_CHARS = 300  # a title is the text before the first blank line, if that short
_MIN_SCORE = 2.0  # one plain mention deep in the body is not enough
_SHARE_OF_TOP = 0.3  # nor a place far less present than the main one

# Site chrome before the article proper (web24h's "saved" notice).
_CHROME = re.compile(r"Lưu bài viết thành công.{0,80}?Tin bài đã lưu\s*")
# Related-article teasers: web24h's last sentence before its source stub, "Xem thêm" lines,
# bulleted headlines, and everything after a "related news" heading.
_SOURCE_STUB = re.compile(r"(?:Nguồn:\s*\[Link nguồn\]\s*)+\Z")
_SENTENCE_END = re.compile(r"(?:[.!?…](?:\s|$)|\n)")
_TEASER_LINE = re.compile(r"^[^\S\n]*(?:Xem thêm|>>|►|\*)[^\n]*", re.MULTILINE)
_RELATED_HEADING = re.compile(
    r"(?:^|\n)[^\S\n]*(?:Tin|Bài|Tin bài) liên quan[^\S\n]*(?::|$)", re.IGNORECASE | re.MULTILINE
)

# Inside the name of an institution: a university, a school, a paper, a firm, or a football
# club named after its province (Sông Lam Nghệ An, SHB Đà Nẵng). Never where a story happens.
_INSTITUTION = re.compile(
    r"(?<!\w)(?:Đại học|ĐH|Trường|Học viện|Viện|Báo|báo|tờ|Tạp chí|Đài|đài|NXB|Nhà xuất bản|"
    r"Công ty|Cty|Tổng công ty|Tập đoàn|Ngân hàng|Đoàn TNCS|THPT|THCS|Tiểu học|Mầm non|"
    r"Bảo tàng|Nhà hát|Bưu điện|VNPT|Viettel|Khu công nghiệp|KCN|Hợp tác xã|HTX|CLB|"
    r"Câu lạc bộ|đội bóng|FC|HAGL|SHB|XSKT)(?!\w)"
)
# A province name right after a capitalised word continues a proper name: a club (Sông Lam
# Nghệ An, Bình Điền Long An), a hospital (Bạch Mai), a firm. Locative and unit words do not.
_NAME_BEFORE = re.compile(r"(?<![\w.])([^\W\d_][^\W\d_]*)[^\S\n]\Z")
_NOT_NAME_WORDS = frozenset(
    "Ở Tại Về Từ Đến Tới Và Cả Với Của Cho Trong Ngoài Tỉnh Thành Thủ Quận Huyện Xã Phường "
    "Khi Nhưng Còn Theo Sau Trước Giữa Riêng Toàn Tây Đông Nam Bắc Miền".split()
)
# A provincial body: it places a story it leads (Sở GD&ĐT Bến Tre hướng dẫn ...), but deeper
# in the text it is usually a side reference (a speaker's department).
_AGENCY = re.compile(
    r"(?<!\w)(?:Sở|sở|Cục|Chi cục|Hiệp hội|Hội|Liên đoàn|Đoàn luật sư|Quỹ)(?!\w)"
)
_CLAUSE_END = re.compile(r"[.,;:()\[\]\n\"“”!?–]|(?<!\w)(?:tại|ở|của|và|với)(?!\w)")
# Someone's home or address (quê Hà Tĩnh, trú tại ..., đến từ ...) vs. where things happen.
_HOME_OR_PLACE = re.compile(
    r"(?<!\w)(?:(?P<home>quê(?: quán)?|ngụ|(?<!nội )trú|đến từ|sinh sống|hộ khẩu|gốc|"
    r"\d+ tuổi,|SN[^\S\n]*\d{4},?|người(?=[^\S\n]+\Z))(?:[^\S\n]+(?:ở|tại))?|"
    r"ở|tại|vào|đến|về|rời|trên địa bàn)(?!\w)"
)
_PHRASE_END = re.compile(r"[.;()\n]")
_UNIT_DOT = re.compile(r"(?<!\w)(?:TP|Tp|tp|TX|Tx|TT|Q|P|H|X)\.")
_TIME_ZONE = re.compile(r"(?<!\w)giờ[^\S\n]+\Z")
# A commune, ward, district or street that bears a province's name ("xã Trà Vinh" in Quảng Nam,
# "đường Hà Nội" in Huế) says nothing about that province.
_NAMED_AFTER = re.compile(
    r"(?<!\w)(?:[xX]ã|[pP]hường|[tT]hị trấn|[tT]hị xã|[hH]uyện|[qQ]uận|[tT]hôn|[ấẤ]p|[kK]hu phố"
    r"|[đĐ]ường|(?<!thành )(?<!Thành )[pP]hố|[cC]ầu|[cC]hợ)[^\S\n]+\Z"
)
_LIST_GAP = 80
_RANGE_JOIN = re.compile(r"[^\S\n]*(?:[-–—]|đến|tới|qua)[^\S\n]*(?:(?:tỉnh|TP\.?|thành phố)[^\S\n]+)?")
_LIST_SIZE = 4


@dataclass(frozen=True)
class _Layout:
    """Where the title, the lead and the teasers are in a text."""

    title_end: int
    lead_end: int
    teasers: tuple[tuple[int, int], ...]

    def in_teaser(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.teasers)


def _layout(text: str) -> _Layout:
    blank_line = text.find("\n\n")
    title_end = blank_line if 0 < blank_line <= _TITLE_CHARS else 0
    body_start = title_end
    chrome = _CHROME.search(text, title_end, title_end + 400)
    if chrome:
        body_start = chrome.end()
    return _Layout(title_end, body_start + _LEAD_CHARS, tuple(_teasers(text)))


def _teasers(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _TEASER_LINE.finditer(text)]
    related = _RELATED_HEADING.search(text) if "liên quan" in text.lower() else None
    if related:
        spans.append((related.start(), len(text)))
    # the guard keeps the anchored-at-the-end search from scanning every article
    stub = _SOURCE_STUB.search(text) if text.rstrip().endswith("[Link nguồn]") else None
    if stub:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, stub.start() - 1)]
        spans.append((ends[-1] if ends else 0, len(text)))
    return spans


def _words_before(text: str, start: int, width: int, boundary: re.Pattern[str]) -> str:
    """The text before ``start`` back to the last ``boundary`` (at most ``width`` chars).

    Dots of unit abbreviations (``TP.``, ``Q.``, ``H.``) are not sentence ends.
    """
    window = _UNIT_DOT.sub(lambda m: m.group()[:-1] + " ", text[max(0, start - width) : start])
    ends = list(boundary.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _inside_name_of(text: str, start: int, heads: re.Pattern[str]) -> bool:
    """True when a province name continues an organisation's name (``Đại học Kiến trúc Hà
    Nội``): one of ``heads`` opens the clause, and no ``tỉnh`` says it is a location."""
    clause = _words_before(text, start, 45, _CLAUSE_END)
    return bool(heads.search(clause)) and "tỉnh" not in clause.split()


def _is_home(text: str, start: int) -> bool:
    """True when the nearest place cue before the name says someone lives or comes from it."""
    cues = list(_HOME_OR_PLACE.finditer(_words_before(text, start, 60, _PHRASE_END)))
    return bool(cues and cues[-1].group("home"))


def _range_members(text: str, found: list[Mention]) -> set[int]:
    """Indexes of both ends of a stretch or a route: ``từ Thanh Hóa đến Huế``, ``Hà Nội - Hải Phòng``."""
    members: set[int] = set()
    for i in range(1, len(found)):
        if _RANGE_JOIN.fullmatch(text, found[i - 1].end, found[i].start):
            members.update((i - 1, i))
    return members


def _list_members(text: str, found: list[Mention]) -> set[int]:
    """Indexes of mentions in runs of many provinces named close together in one sentence."""
    members: set[int] = set()
    run = [0] if found else []
    for i in range(1, len(found) + 1):
        if i < len(found) and _continues_list(text, found[i - 1], found[i]):
            run.append(i)
            continue
        if len({found[j].name for j in run}) >= _LIST_SIZE:
            members.update(run)
        run = [i]
    return members


def _continues_list(text: str, previous: Mention, mention: Mention) -> bool:
    gap = text[previous.end : mention.start]
    return len(gap) <= _LIST_GAP and not _SENTENCE_END.search(_UNIT_DOT.sub(" ", gap))


def _continues_a_name(text: str, start: int) -> bool:
    word = _NAME_BEFORE.search(text, max(0, start - 20), start)
    if word is None:
        return False
    w = word.group(1)
    return w[0].isupper() and not w.isupper() and w not in _NOT_NAME_WORDS


def _weight(text: str, mention: Mention, layout: _Layout, in_list: bool) -> float:
    """How much one mention says the story happens there."""
    if layout.in_teaser(mention.start) or in_list:
        return 0.0
    if _TIME_ZONE.search(text, max(0, mention.start - 8), mention.start):
        return 0.0
    if _NAMED_AFTER.search(text, max(0, mention.start - 12), mention.start):
        return 0.0
    if _continues_a_name(text, mention.start):
        return 0.0
    if _is_home(text, mention.start) or _inside_name_of(text, mention.start, _INSTITUTION):
        return 0.0
    if mention.start < layout.title_end:
        return _TITLE_WEIGHT
    if mention.start < layout.lead_end:
        return _LEAD_WEIGHT
    return 0.0 if _inside_name_of(text, mention.start, _AGENCY) else 1.0


def _scores(text: str, found: list[Mention]) -> tuple[Counter[str], set[str]]:
    """Total weight per province, and the provinces named in the title."""
    layout = _layout(text)
    listed = _list_members(text, found) | _range_members(text, found)
    scores: Counter[str] = Counter()
    in_title: set[str] = set()
    for i, mention in enumerate(found):
        weight = _weight(text, mention, layout, i in listed)
        scores[mention.name] += weight
        if weight == _TITLE_WEIGHT:
            in_title.add(mention.name)
    return scores, in_title


def places_in(
    text: str, *, dateline_place: str | None = None, published: date | None = None
) -> tuple[str, ...]:
    """The provinces a reader would tag the article with, most salient first.

    The dateline's province comes first, then provinces named in the title, then the others
    by weight: mentions in the lead weigh more, and mentions in teasers, lists of many
    provinces, organisation names, people's addresses and time zones weigh nothing. A
    province must weigh at least ``_MIN_SCORE`` and ``_SHARE_OF_TOP`` of the heaviest one.

    Names are kept as written: an article from before 1 July 2025 keeps the units of its time
    (Hậu Giang stays Hậu Giang), and a later one lists the units it names, former ones
    included. ``published`` is accepted for that contract; no remapping depends on it.
    """
    found = mentions(text)
    dateline = lookup(dateline_place) if dateline_place else None
    if not found:
        return (dateline.name,) if dateline else ()
    scores, in_title = _scores(text, found)
    top = max(scores.values(), default=0.0)
    first_seen = {m.name: m.start for m in reversed(found)}
    kept = [
        name
        for name, score in scores.items()
        if name in in_title or (score >= _MIN_SCORE and score >= top * _SHARE_OF_TOP)
    ]
    kept.sort(key=lambda name: (name not in in_title, -scores[name], first_seen[name]))
    names = ([dateline.name] if dateline else []) + kept
    return tuple(dict.fromkeys(names))
