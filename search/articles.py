"""Raw article text → ``Article``: title, section, date, authors, places, source.

``parse_article`` is the one entry point. It splits the head of the text
(section line, title), removes page boilerplate from the body that gets
indexed, and asks the extractors for the rest:

- ``dates``      the publication date (a record's date wins over the text)
- ``datelines``  the leading ``(HG) -`` / ``TTO -`` code and its outlet
- ``bylines``    authors, the attributed source, who reposted it
- ``places``     the provinces the article is about

Each extractor reads the whole original text, so offsets and the rules of
``LABELING.md`` refer to what the user gave; the body only loses boilerplate.
No Whoosh here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from search.bylines import extract_byline, source_of
from search.datelines import Dateline, extract_dateline
from search.dates import publication_date
from search.models import Article
from search.place_tags import places_in
from search.places import lookup

MAX_SECTION_WORDS = 4
MAX_TITLE_CHARS = 300
MAX_BOILERPLATE_LINE = 200  # longer lines are text, whatever they contain

_IMAGE_FILE = r"[^\s/\\]{1,80}\.(?:jpe?g|png|gif|webp|bmp)"
# whole lines that are page furniture, not article text
_BOILERPLATE_LINE = re.compile(
    r"\s*(?:"
    rf"{_IMAGE_FILE}(?:\s+{_IMAGE_FILE})*"
    r"|\[[^\]\n]*(?:Cập nhật|Số lần xem|Lượt xem)[^\]\n]*\](?:\s*-\s*\[[^\]\n]*\])*"
    r"|(?:Các ý kiến của bạn đọc|Ý kiến bạn đọc|Gửi ý kiến|Bình luận|Chia sẻ|In bài(?: viết)?|Bản in"
    r"|Gửi bài viết|Quay lại|Về đầu trang|Tin liên quan|Tin cùng chuyên mục|Xem thêm)\s*:?"
    r"|(?:Nguồn:\s*\[Link nguồn\]\s*)+"
    r")\s*",
    re.IGNORECASE,
)
# phrases glued to real text by scrapers ("…com.vnCác ý kiến của bạn đọc")
_BOILERPLATE_GLUED = re.compile(
    r"(?:Các ý kiến của bạn đọc|Nguồn:\s*\[Link nguồn\]"
    r"|Lưu bài viết thành công\s*Bạn có thể xem lại bài viết đã lưu ở trang\s*Tin bài đã lưu)"
)
_GLUED_CUES = ("ý kiến của bạn đọc", "[Link nguồn]", "Lưu bài viết thành công")
_SENTENCE_END = re.compile(r"[.!?:;…]$")


@dataclass(frozen=True)
class Head:
    category: str | None
    title: str
    body: str


def parse_article(
    text: str,
    *,
    record_date: str | date | datetime | None = None,
    id: str | None = None,
    url: str | None = None,
) -> Article:
    """Read one article's text (section line, title, body) and extract its metadata.

    ``record_date`` is a date the record came with (it wins over the text);
    ``id`` defaults to a hash of the text, so the same text always gets the
    same id.
    """
    original = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip("\ufeff")
    head = split_head(original)
    dateline = extract_dateline(original)
    byline = extract_byline(original)
    published = publication_date(original, record_date)
    places = places_in(original, dateline_place=dateline_place(dateline), published=published)
    body = remove_boilerplate(head.body)
    return Article(
        id=id or content_id(original),
        title=head.title,
        body=body,
        date=published,
        authors=byline.authors,
        places=places,
        category=head.category,
        source=source_of(byline, dateline),
        url=url,
        dateline=dateline.code if dateline else None,
        reposted_by=byline.reposted_by,
        original=original if body != head.body else None,
    )


def content_id(text: str) -> str:
    """A stable id for a text without one: 16 hex digits of its hash."""
    return hashlib.blake2b(text.strip().encode("utf-8"), digest_size=8).hexdigest()


def split_head(text: str) -> Head:
    """Section line (when there is one), title line, and the rest.

    A section line is a short label without final punctuation right above a
    title that is not a sentence either: ``Chính trị`` over the headline.
    """
    lines = text.strip().split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return Head(None, "", "")
    first = nonblank[0]
    category = None
    if len(nonblank) > 1 and _is_section_line(lines[first], lines[nonblank[1]], nonblank[1] == first + 1):
        category, first = lines[first].strip(), nonblank[1]
    title = lines[first].strip()
    return Head(category, title, "\n".join(lines[first + 1 :]).strip())


def _is_section_line(line: str, next_line: str, adjacent: bool) -> bool:
    words = line.split()
    return (
        adjacent
        and 0 < len(words) <= MAX_SECTION_WORDS
        and words[0][:1].isupper()
        and not any(ch.isdigit() for ch in line)
        and not _SENTENCE_END.search(line.strip())
        and len(next_line.strip()) <= MAX_TITLE_CHARS
        and not _SENTENCE_END.search(next_line.strip())
        and len(next_line.split()) > len(words)
    )


def remove_boilerplate(body: str) -> str:
    """The body without page furniture: image file names, update stamps and
    view counters, comment-box and share-button lines, glued UI phrases."""
    if any(cue in body for cue in _GLUED_CUES):
        body = _BOILERPLATE_GLUED.sub("\n", body)
    lines = body.split("\n")
    kept = [line for line in lines if len(line) > MAX_BOILERPLATE_LINE or not _BOILERPLATE_LINE.fullmatch(line)]
    if len(kept) == len(lines):
        return body.strip()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def dateline_place(dateline: Dateline | None) -> str | None:
    """The province a dateline names: a provincial paper's, or a place dateline's."""
    if dateline is None:
        return None
    if dateline.province:
        return dateline.province
    if dateline.is_outlet:
        return None
    province = lookup(dateline.code)
    return province.name if province else None
