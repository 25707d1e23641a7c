"""Bylines and end attributions: who wrote a news text and which outlet it comes from.

The end of a Vietnamese news text carries, in some order: the byline (``Tin, ảnh:
NGUYỄN TRIỆU``, ``Bài: X - Ảnh: Y``, ``Thực hiện: X - Y``, or a lone name, often
glued to the last paragraph: ``… tự động. Kim Thanh``), a note on it (``(tổng
hợp)``, ``(Theo AP)``, ``(TTXVN)``, ``/VOV``), an attribution line (``Theo X``,
``Nguồn: X``, ``ST X Theo Y``) and page boilerplate (``Các ý kiến của bạn đọc``,
web24h's ``Nguồn: [Link nguồn]``). ``extract_byline`` peels these off from the end:
boilerplate first, then attributions, then the byline.

A glued chunk counts as a name only on general evidence: it follows a sentence end,
it is 1–4 capitalised Vietnamese syllables (or ALL CAPS, or initials such as
``T.N``, ``Đ. V``, ``QA``), it is not a function word, a country or an outlet name.
A single word needs a note to vouch for it (``Lily (t/h)``). Two names may be joined
by a hyphen without spaces (``Trần Ngọc-Ngọc Khánh/VOV.VN``) when each side is a name
on its own; ``X theo Y`` reads like ``X (theo Y)``. Photo credits (``Ảnh: X``) give
photographers; other media credits (``(video: X)``, ``Clip: X``, ``Đồ họa: X``) are
dropped. Neither is ever an author or a source.

Only the tail of the text is read, so the cost does not grow with its length.
``source_of`` applies LABELING.md's precedence: the end attribution, else an
outlet dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.datelines import OUTLETS, Dateline
from search.normalize import fold_word

TAIL_CHARS = 1500  # bylines and attributions sit in the last lines; never read further
MAX_CAPTION_BLOCKS = 3  # blank-line blocks looked through above the last one
MAX_NAME_TOKENS = 12  # longest glued byline tried: "Khánh Trang – Truyền Phương (TTXVN)"
MAX_BYLINE_CHARS = 200  # "Thực hiện: …" with four names and a note fits
WINDOW_CHARS = 400  # of the last line: where a byline or attribution can start


@dataclass(frozen=True)
class Byline:
    """What the end of a text says about its authors and its source."""

    authors: tuple[str, ...]  # display form ("Nguyễn Triệu", "T.Thủy", "Nhóm PV")
    raw: str | None  # the byline as written
    source: str | None  # end attribution, as written
    reposted_by: str | None  # "ST Thanh Hương" -> "Thanh Hương"
    photographers: tuple[str, ...]  # "Bài: X - Ảnh: Y" -> ("Y",)
    # Where the closing block starts: from there to the end there is only byline,
    # attribution, image captions (vietnews) or page boilerplate. None if none was found.
    start: int | None


def extract_byline(text: str) -> Byline:
    """Authors, source, repost note and photographers from the end of a news text."""
    base = max(0, len(text) - TAIL_CHARS)
    tail = text[base:]
    found = _Found()
    end = _drop_boilerplate(tail, _trimmed(tail, len(tail)), found)
    body = _body_start(text)
    for _ in range(MAX_CAPTION_BLOCKS + 1):
        block = tail.rfind("\n\n", 0, end)
        # vietnews: "title, sapo, body" blocks, then blocks of image captions; the byline
        # closes the body block, and a bare name in a caption block is a caption.
        trailer = body > 0 and block >= 0 and base + block + 2 > body
        _scan_block(tail, end, found, glued=not found.teaser and not trailer, names=not trailer)
        if found.authors or not trailer:
            break
        end = _trimmed(tail, block)
    return found.to_byline(base)


def source_of(byline: Byline, dateline: Dateline | None) -> str | None:
    """The article's source: the end attribution, else an outlet dateline's code, else None."""
    if byline.source:
        return byline.source
    if dateline is not None and dateline.is_outlet:
        return dateline.code
    return None


def display_name(raw: str) -> str:
    """Title-case a name set in ALL CAPS ("NGUYỄN TRIỆU" → "Nguyễn Triệu"); mixed case stays."""
    raw = " ".join(raw.split())
    if any(ch.islower() for ch in raw) or _SHORT_INITIALS.fullmatch(raw):
        return raw
    return _LETTER_RUN.sub(lambda m: m.group()[0] + m.group()[1:].lower(), raw)


# -- what has been found so far ---------------------------------------------------------


@dataclass
class _Found:
    authors: tuple[str, ...] = ()
    raw: str | None = None
    source: str | None = None
    site_source: str | None = None  # from site boilerplate: used only if nothing better
    reposted_by: str | None = None
    photographers: tuple[str, ...] = ()
    starts: list[int] = field(default_factory=list)
    teaser: bool = False  # web24h: a related-article teaser precedes the boilerplate

    def anything(self) -> bool:
        return bool(self.authors or self.source or self.reposted_by)

    def to_byline(self, base: int) -> Byline:
        start = base + min(self.starts) if self.starts else None
        source = self.source or self.site_source
        return Byline(self.authors, self.raw, source, self.reposted_by, self.photographers, start)


@dataclass(frozen=True)
class _Parsed:
    authors: tuple[str, ...]
    source: str | None = None
    photographers: tuple[str, ...] = ()


def _body_start(text: str) -> int:
    """Where the body block starts: after "title, blank, sapo, blank", else 0."""
    first = text.find("\n\n", 0, TAIL_CHARS)
    second = text.find("\n\n", first + 2, first + TAIL_CHARS) if first >= 0 else -1
    return second + 2 if second >= 0 else 0


def _trimmed(tail: str, end: int) -> int:
    """``end`` moved back over trailing whitespace."""
    return len(tail[:end].rstrip())


def _line_start(tail: str, end: int) -> int:
    return tail.rfind("\n", 0, end) + 1


def _window(line: str) -> int:
    """Where scans of a long line start: a byline block is short, and sits at the end."""
    return max(0, len(line) - WINDOW_CHARS)


# -- boilerplate ------------------------------------------------------------------------

# Each pattern is searched in the last line only and must reach its end.
_TEASER_END = re.compile(r"Nguồn:\s*\[Link nguồn\](?:\s*Nguồn:\s*\[Link nguồn\])*$")
_SITE_END = re.compile(
    r"Xem thêm các bài viết khác tại\s+(?:https?://)?(?:www\.)?([\w-]+(?:\.[\w-]+)+).*$"
)
_BOILERPLATE_ENDS = (
    re.compile(r"Các ý kiến của bạn đọc$"),
    re.compile(r"-{3,}\s*\*?\s*Tin,? bài liên quan:?$"),
    re.compile(r"\*?\s*Tin,? bài liên quan:?$"),
    re.compile(r"Báo [^.\n]{0,60}? cập nhật tin tức.*$"),
)
# a domain glued to page text: "baohaugiang.com.vnCác ý kiến …"
_GLUED_DOMAIN = re.compile(r"\.(?:vn|com|net|org)(?=[A-ZĐÀ-Ỹ][^\n]*$)")


def _drop_boilerplate(tail: str, end: int, found: _Found) -> int:
    """Peel page boilerplate off the end; returns the new end."""
    while True:
        line_start = max(_line_start(tail, end), end - WINDOW_CHARS)
        if match := _TEASER_END.search(tail, line_start, end):
            found.teaser = True
        elif match := _SITE_END.search(tail, line_start, end):
            found.site_source = match.group(1)
        else:
            match = next((m for p in _BOILERPLATE_ENDS if (m := p.search(tail, line_start, end))), None)
        if match is None:
            glued = _GLUED_DOMAIN.search(tail[:end], line_start)
            if glued is None:
                return end
            found.starts.append(glued.end())
            return glued.end()
        found.starts.append(match.start())
        end = _trimmed(tail, match.start())


# -- attributions: ST, Theo, Nguồn ------------------------------------------------------

_ST_LINE = re.compile(r"(?:^|(?<=\s))ST:?\s+(.+?)\s+(?:Theo|Nguồn:?)\s+(.+)$")
_ATTRIBUTION_LINE = re.compile(r"^(?:Theo|Nguồn)\s*:?\s*(.+)$")
# "… ./. Theo X", glued "T.ThủyTheo P.A"
_GLUED_ATTRIBUTION = re.compile(
    r"(?:(?<=[.!?…”\")])\s*|(?<=[a-zà-ỹ])|(?<=\s))(?:Theo|Nguồn\s*:)\s*(?=\S)"
)
_DOMAIN = re.compile(r"\.(?:vn|com|net|org)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+(?:/|$)")  # "Quyết định 123/QĐ-TTg" is not an outlet
# a VOV bureau: "VOV-TP HCM", "VOV - Đông Bắc", "VOV miền Trung" (not "VOV Online", "VOV.VN")
_VOV_BUREAU = re.compile(r"^(VOV)(?:\s*[-–]\s*\S.*|\s+(?:miền|khu vực|thường trú)\s.*)$")


def _scan_block(tail: str, end: int, found: _Found, *, glued: bool, names: bool) -> None:
    """Attributions, then the byline, at the end of ``tail[:end]``.

    ``glued``: also look for them glued to the end of a paragraph; ``names``: also take a
    line that is only a name (else only marked bylines such as ``Tin, ảnh: X``).
    """
    end = _take_attributions(tail, end, found, glued=glued)
    if end > 0:
        _take_byline(tail, end, found, glued=glued, names=names)


def _take_attributions(tail: str, end: int, found: _Found, *, glued: bool) -> int:
    """Peel ``ST X Theo Y``, ``Theo X`` / ``Nguồn: X`` lines (or glued chunks) off the end."""
    for _ in range(3):
        start = _line_start(tail, end)
        line = tail[start:end]
        cut = _st_line(line, found) if found.reposted_by is None else None
        if cut is None:
            cut = _attribution_line(line, found)
        if cut is None:
            cut = _person_above_outlet(tail, start, line, found)
        if cut is None and glued:
            cut = _glued_attribution(line, found)
        if cut is None:
            return end
        found.starts.append(start + cut)
        end = _trimmed(tail, start + cut)
    return end


def _st_line(line: str, found: _Found) -> int | None:
    match = _ST_LINE.search(line, _window(line))
    if match is None or not _is_person(match.group(1), strong=True):
        return None
    found.reposted_by = display_name(match.group(1))
    found.source = found.source or _clean_source(match.group(2))
    return match.start()


def _attribution_line(line: str, found: _Found) -> int | None:
    """A whole ``Theo X`` / ``Nguồn: X`` line."""
    match = _ATTRIBUTION_LINE.match(line)
    parsed = _attribution(match.group(1)) if match is not None else None
    if parsed is None:
        return None
    _record(found, parsed, line)
    return 0


def _person_above_outlet(tail: str, start: int, line: str, found: _Found) -> int | None:
    """``Theo Hà Trang`` then ``Dân Việt``: the writer on one line, the outlet on the next."""
    if start == 0 or "/" in line or _attribution(line) is None:
        return None
    prev_start = _line_start(tail, start - 1)
    prev = _ATTRIBUTION_LINE.match(tail[prev_start:start - 1].strip())
    if prev is None or not _is_person(prev.group(1), strong=False):
        return None
    _record(found, _Parsed((display_name(prev.group(1)),), _clean_source(line)), prev.group(0))
    return prev_start - start


def _glued_attribution(line: str, found: _Found) -> int | None:
    """``Theo X`` closing the last paragraph: after a sentence end or after a glued byline."""
    for match in reversed(list(_GLUED_ATTRIBUTION.finditer(line, _window(line)))):
        before = line[:match.start()]
        mid_sentence = before[-1:].isspace() and not _ends_sentence(before)
        if mid_sentence and _trailing_byline(before) is None:
            continue  # "… Theo Reuters" inside a sentence
        parsed = _attribution(line[match.end():])
        if parsed is not None:
            _record(found, parsed, line[match.start():].strip())
            return match.start()
    return None


def _attribution(text: str) -> _Parsed | None:
    """What follows ``Theo``/``Nguồn:``: an outlet, or ``Person/Outlet``."""
    text = text.strip().rstrip(".;,")
    words = text.split()
    if not text or len(text) > 80 or len(words) > 8 or "[" in text:
        return None
    if any(_NUMBER.match(w) for w in words):
        return None
    for segment in (part.strip() for part in text.split(",")):
        if not segment or not (segment[0].isupper() or segment[0].isdigit()):
            if not _DOMAIN.search(segment):
                return None  # "Theo cơ quan điều tra, …" is not an attribution
    if "/" in text:
        person, outlet = (part.strip() for part in text.split("/", 1))
        if person not in _AGENCIES and _is_person(person, strong=False) and outlet:
            return _Parsed((display_name(person),), _clean_source(outlet))
    return _Parsed((), _clean_source(text))


def _record(found: _Found, parsed: _Parsed, raw: str) -> None:
    """Keep what a parsed byline or attribution says, without overwriting earlier finds."""
    if parsed.authors and not found.authors:
        found.authors, found.raw = parsed.authors, raw
    if parsed.photographers and not found.photographers:
        found.photographers = parsed.photographers
    if parsed.source and not found.source:
        found.source = parsed.source


def _clean_source(text: str) -> str:
    text = text.strip().strip("()[]").strip().rstrip(".;,:").strip()
    text = re.sub(r"^báo\s+", "", text)
    return _VOV_BUREAU.sub(r"\1", text)


# -- the byline itself ------------------------------------------------------------------

_MARKER = re.compile(
    r"(?:^|(?<=\s))(?:(?:Tin|Bài)(?:\s*(?:,|và|-|&)\s*(?:ảnh|Ảnh|video|Video|clip|bài))*"
    r"|Thực hiện|Nhóm thực hiện|Ảnh và bài|Ảnh, bài)\s*:\s*"
)
_TOKEN = re.compile(r"\S+")
_LEADING_THEO = re.compile(r"\([Tt]heo\s+([^()]+)\)\s*$")
_SENTENCE_END = ".!?…\"”’')»"
_STAFF_FIRST = re.compile(r"^Nhóm (?:PV|phóng viên)\b")
# a period that closes an abbreviation, not a sentence: "TP. HCM", "ông Đ. cho"
_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(])(?:TP|Tp|TX|TT|ThS|TS|PGS|GS|BS|KS|St|Mr|Dr|[A-ZĐ])\.$"
)


def _take_byline(tail: str, end: int, found: _Found, *, glued: bool, names: bool) -> None:
    start = _line_start(tail, end)
    line = tail[start:end]
    hit = _marked_byline(line)
    if hit is None and names:
        hit = _whole_line_byline(line)
    if hit is None and glued:
        hit = _trailing_byline(line)
    if hit is None:
        return
    offset, parsed = hit
    _record(found, parsed, line[offset:].strip())
    found.starts.append(start + offset)
    if (before := _LEADING_THEO.search(line, _window(line), offset)) is not None:
        _take_leading_theo(before, found, start)


def _take_leading_theo(match: re.Match[str], found: _Found, start: int) -> None:
    """``(Theo Yonhap/Reuters) Gia Bảo``: the attribution just before the byline."""
    parsed = _attribution(match.group(1))
    if parsed is not None and parsed.source:
        _record(found, _Parsed((), parsed.source), match.group(0).strip())
        found.starts.append(start + match.start())


def _marked_byline(line: str) -> tuple[int, _Parsed] | None:
    """``Tin, ảnh: X``, ``Bài: X - Ảnh: Y``, ``Thực hiện: X - Y`` anywhere in the line."""
    for match in reversed(list(_MARKER.finditer(line, _window(line)))):
        parsed = _parse_byline(line[match.end():], strong=True)
        if parsed is not None and parsed.authors:
            return match.start(), parsed
    return None


def _whole_line_byline(line: str) -> tuple[int, _Parsed] | None:
    parsed = _parse_byline(line, strong=False)
    return (0, parsed) if parsed is not None else None


def _trailing_byline(line: str) -> tuple[int, _Parsed] | None:
    """A byline glued to the end of the last paragraph, after a sentence end."""
    tokens = list(_TOKEN.finditer(line, _window(line)))
    for k in range(min(MAX_NAME_TOKENS, len(tokens)), 0, -1):
        offset = tokens[-k].start()
        candidate = line[offset:]
        if not _ends_sentence(line[:offset]) and not _STAFF_FIRST.match(candidate):
            continue
        parsed = _parse_byline(candidate, strong=False)
        if parsed is not None:
            return offset, parsed
    return None


# -- parsing a byline string ------------------------------------------------------------

# a photo or media credit closing the byline: "Ảnh: Y", "(video: BEATVN)", "Đồ họa: Z"
_MEDIA = r"(?:ảnh|video|clip|đồ h(?:ọa|oạ))"
_MEDIA_LIST = rf"{_MEDIA}(?:\s*(?:,|và|&|/)\s*{_MEDIA})*"  # "Ảnh, clip: X", "Video và ảnh: Y"
_MEDIA_TAIL = re.compile(
    rf"\s*[-–;,]?\s*(\()?(?<!\w)({_MEDIA_LIST})\s*:\s*([^()]+?)\)?\s*$", re.IGNORECASE
)
_NOTE_TAIL = re.compile(r"\s*[-–]?\s*\(([^()]*)\)\s*$")
_COMPILED = re.compile(
    r"(?i)^(?:tổng hợp|t/h|th|lược dịch|dịch|biên dịch|tổng hợp và lược dịch|thực hiện)$"
)
_COMPILED_FROM = re.compile(
    r"(?i)^(?:(?:tổng hợp|t/h|lược dịch|dịch|biên dịch)\s+(?:theo|từ)|theo)\s+(?:báo\s+)?(.+)$"
)
_MEDIA_NOTE = re.compile(rf"(?i)^({_MEDIA_LIST})\s*:?\s*(.+)$")
# "Thu Hà theo Phonearena": a lowercase "theo" between a name and an outlet
_NAME_THEO = re.compile(r"^(.+?)\s+theo\s+(\S.*)$")
# "Trần Ngọc-Ngọc Khánh": two names joined by a hyphen without spaces
_TIGHT_HYPHEN = re.compile(r"(?<=[^\W\d_])[-–](?=[^\W\d_])")
_NAME_SEPARATORS = re.compile(r"\s+[-–]\s+|\s*,\s*|\s+và\s+")
# outlet tags that close an article on their own: "… hợp tác. (TTXVN)"
_AGENCIES = frozenset(OUTLETS) | {
    "Reuters", "AFP", "AP", "Xinhua", "TASS", "Sputnik", "BBC", "CNN"
}
_STAFF = {"PV": "PV", "CTV": "CTV", "Nhóm PV": "Nhóm PV", "Nhóm phóng viên": "Nhóm PV"}


def _ends_sentence(before: str) -> bool:
    """True if a glued byline may start after ``before`` (start of line or a sentence end)."""
    before = before.rstrip()
    if not before:
        return True
    return before[-1] in _SENTENCE_END and not _ABBREVIATION_END.search(before)


def _parse_byline(text: str, *, strong: bool) -> _Parsed | None:
    """Parse ``X``, ``X - Y``, ``X (note)``, ``X/Outlet``, ``X Ảnh: Y``; None if not a byline."""
    text = text.strip().rstrip(" -–").strip()
    if len(text) > MAX_BYLINE_CHARS:
        return None
    photographers: tuple[str, ...] = ()
    if (media := _MEDIA_TAIL.search(text)) and media.start() > 0:
        if _credits_photos(media.group(2)):  # only photographers are kept; other media go
            photographers = _names(media.group(3), strong=True) or ()
        text = text[:media.start()].rstrip(" -–")
    source = None
    note = _NOTE_TAIL.search(text)
    if note is not None and note.start() > 0:
        kind, value = _classify_note(note.group(1).strip())
        if kind is None:
            return None
        source = value if kind == "source" else None
        photographers = _names(value, strong=True) or () if kind == "photo" else photographers
        text, strong = text[:note.start()].rstrip(" -–"), True
    elif text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()  # "(HỒ THẠCH)", "(TTXVN)", "(Theo Dân trí)"
        if attribution := _ATTRIBUTION_LINE.match(text):
            return _attribution(attribution.group(1))
    if text in _AGENCIES:
        return _Parsed((), text, photographers)  # a closing agency tag alone
    if source is None and (theo := _name_then_outlet(text, strong)) is not None:
        return _Parsed(theo.authors, theo.source, photographers)
    if "/" in text:
        return _slashed(text, photographers)
    authors = _names(text, strong=strong)
    return _Parsed(authors, source, photographers) if authors else None


def _credits_photos(media: str) -> bool:
    """True if a media credit's list (``Ảnh``, ``Ảnh, clip``, ``Video``) includes photos."""
    return bool(re.search(r"(?i)(?<!\w)ảnh(?!\w)", media))


def _name_then_outlet(text: str, strong: bool) -> _Parsed | None:
    """``Thu Hà theo Phonearena``: author and source, like ``Thu Hà (theo Phonearena)``."""
    match = _NAME_THEO.match(text)
    if match is None or "/" in match.group(1):
        return None
    outlet = _attribution(match.group(2))
    authors = _names(match.group(1), strong=strong)
    if outlet is None or outlet.authors or not authors:
        return None
    return _Parsed(authors, outlet.source)


def _classify_note(note: str) -> tuple[str | None, str | None]:
    """What a bracketed note after a name says: ("none"|"source"|"photo"|None, value)."""
    if _COMPILED.match(note) or note.lower().startswith("từ "):
        return "none", None
    if match := _COMPILED_FROM.match(note):
        return "source", _clean_source(match.group(1))
    if match := _MEDIA_NOTE.match(note):
        return ("photo", match.group(2)) if _credits_photos(match.group(1)) else ("none", None)
    words = note.split()
    if note and note[0].isupper() and len(words) <= 6 and _attribution(note) is not None:
        return "source", _clean_source(note)
    return None, None


def _slashed(text: str, photographers: tuple[str, ...]) -> _Parsed | None:
    """``Việt Cường/VOV``, ``Nhóm PV/ VOV Online`` → author + outlet; ``TTXVN/Tin Tức`` → outlet."""
    left, right = (part.strip() for part in text.split("/", 1))
    if not left or not right or _attribution(right) is None:
        return None
    authors = _names(left, strong=False)
    if authors:
        return _Parsed(authors, _clean_source(right), photographers)
    if left in _AGENCIES or (left.isupper() and len(left) >= 3):
        return _Parsed((), _clean_source(text), photographers)
    return None


def _names(text: str, *, strong: bool) -> tuple[str, ...] | None:
    """Split ``X - Y``/``X, Y`` into display names; None unless every part is a name."""
    parts = [part.strip() for part in _NAME_SEPARATORS.split(text.strip()) if part.strip()]
    parts = [piece for part in parts for piece in _split_tight_hyphen(part)]
    if not parts or len(parts) > 4:
        return None
    staff = [_STAFF[p] for p in parts if p in _STAFF]
    people = [p for p in parts if p not in _STAFF]
    if not all(_is_person(p, strong=strong) for p in people):
        return None
    if people:
        return tuple(display_name(p) for p in people)  # "Thu Phương - PV" -> the person
    return (staff[0],) if staff else None


def _split_tight_hyphen(part: str) -> list[str]:
    """``Trần Ngọc-Ngọc Khánh`` → two names, when every side is a full name on its own."""
    pieces = [piece.strip() for piece in _TIGHT_HYPHEN.split(part)]
    if len(pieces) > 1 and all(_is_person(piece, strong=False) for piece in pieces):
        return pieces
    return [part]


# -- is this a person's name? -----------------------------------------------------------

_SYLLABLE = re.compile(
    r"^(?:ngh|ng|gh|gi|qu|ch|kh|nh|ph|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)
_INITIALS = re.compile(r"^(?:[A-ZĐ]\.\s?){1,2}[A-ZĐ][^\W\d_]*\.?$")  # P.Thúy, T.N, Đ. V, M. Sơn
_SHORT_INITIALS = re.compile(r"^[A-ZĐ]{2,3}$")  # QA, PT
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_NOT_FIRST = frozenset(
    "Theo Nguồn Ảnh Video Clip Xem Tin Bài Các Những Một Ông Bà Chị Đồ Thực Link Tại Trong "
    "Với Và Khi Nhưng Hiện Được Của Cho Nhóm Sở Bộ Báo Đài Tỉnh Huyện Xã Người Đọc Chia "
    "Quảng Mời Hết Còn Kỳ Phần".split()
)
_COUNTRIES = frozenset({"Việt Nam", "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Triều Tiên"})
_NOT_NAMES = frozenset(
    {"HCM", "TPHCM", "HN", "SG", "TP", "UBND", "HĐND"}
    | _COUNTRIES
    | {name for name, _ in OUTLETS.values()}
    | {code for code in OUTLETS}
    | {"Tuổi Trẻ", "Thanh Niên", "Tiền Phong", "Lao Động", "Nhân Dân", "Pháp Luật", "Tin Tức"}
    | {"Bình Luận", "Liên Hệ", "Tin Liên Quan", "Tin Mới", "Tin Khác"}  # ALL CAPS page headings
)


def _is_person(text: str, *, strong: bool) -> bool:
    """A personal name: 1–4 capitalised syllables, ALL CAPS, or initials (see module doc)."""
    text = " ".join(text.split())
    shown = display_name(text)
    if not text or shown in _NOT_NAMES or text in _NOT_NAMES or text in _STAFF:
        return False
    if any(country in shown for country in _COUNTRIES):
        return False  # "VIỆT NAM MUÔN NĂM"
    if _INITIALS.match(text) or (_SHORT_INITIALS.match(text) and not _is_syllable(text)):
        return True
    words = text.split()
    if not 1 <= len(words) <= 4 or shown.split()[0] in _NOT_FIRST:
        return False
    if len(words) == 1 and not strong:
        return False  # a lone word needs a note to vouch for it: "Lily (t/h)"
    all_caps = all(w.isupper() for w in words)
    cased = all_caps or all(w[0].isupper() and w[1:].islower() for w in words)
    return cased and all(w.isalpha() for w in words) and (strong or all(map(_is_syllable, words)))


def _is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.match(fold_word(word.lower())))
