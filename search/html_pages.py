"""Saved HTML news pages → the fields of one article (title, text, date, authors …).

The main text and most metadata come from trafilatura, an optional extra
(``pip install 'search[html]'``): it is imported only when a page is parsed, so
``import search`` never needs it, and :class:`MissingExtra` says how to get it.

What we do ourselves, because the library does not know Vietnamese pages:

* **Decoding.** trafilatura ignores ``<meta charset>`` and guesses. We read a
  page's bytes with ``encodings.decode`` (BOMs, UTF-8, legacy Vietnamese
  encodings by evidence, refusal rather than mojibake), except that a declared
  non-Western charset (``windows-1258`` on old provincial sites) is trusted for
  bytes that are not UTF-8. NFC always.
* **Dates.** htmldate (inside trafilatura) returns the *UTC* calendar date of an
  ISO stamp, may prefer ``dateModified``, and falls back to month-first when
  day-first is impossible. So its date is not used: we read the machine-readable
  stamps (meta tags, JSON-LD, ``<time>``) and convert them to Vietnam time with
  ``dates.local_date``, else read the visible header stamp day-first with
  ``dates.publication_date``.
* **Boilerplate.** Related-news boxes and comment threads inside the article
  container are pruned before extraction; layout tables (old sites put the whole
  page in one) are turned into plain blocks so their cells are read as text.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from search.dates import local_date, publication_date
from search.encodings import decode

NO_TEXT = "no article text found in the page"

# Related-news, "read more" and comment boxes, by class or id token (VnExpress,
# Tuổi Trẻ, provincial CMSs all name them in English or in unaccented Vietnamese).
_BOILERPLATE_TOKEN = re.compile(
    r"(?:^|[-_])(?:relate|related|lien-?quan|tinlienquan|tin-?khac|tinkhac|other-?news|tin-?cung|"
    r"xem-?them|doc-?them|docthem|comments?|binh-?luan|binhluan|y-?kien|ykien)(?:[-_]|$)",
    re.IGNORECASE,
)
_DATE_HINT = re.compile(r"date|time|publish|posted|ngay|thoi-?gian|cap-?nhat|update", re.IGNORECASE)
_SECTION_HINT = re.compile(
    r"(?:^|[-_])(?:cat|cate|category|chuyen-?muc|chuyenmuc|section|zone)(?:[-_]|$)", re.IGNORECASE
)
_HOME = {"trang chủ", "trang nhất", "home", "trang chu"}
_PUBLISHED_META = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "og:published_time", "dc.date.issued", "dcterms.issued", "dc.date", "parsely-pub-date", "date",
)  # fmt: skip
_BYLINE_LABEL = re.compile(
    r"^(?:(?:tin|bài)\s*(?:,|và|-)?\s*ảnh|bài|tin|thực hiện|nhóm thực hiện|tác giả)\s*:?\s+",
    re.IGNORECASE,
)
_SITE_WORDS = re.compile(r"online|news|điện tử|\.vn\b|\.com\b|\.net\b|\bTV\b", re.IGNORECASE)
_SITE_START = re.compile(r"^(?:Báo|Tạp chí|Cổng thông tin|Trang thông tin|Đài)\s+(\w)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# Declared Western charsets are often legacy Vietnamese fonts (VNI, TCVN3) in disguise.
_WESTERN = {"iso8859-1", "cp1252", "ascii", "latin-1"}


class MissingExtra(RuntimeError):
    """Reading HTML needs trafilatura, which is an optional extra."""

    def __init__(self) -> None:
        super().__init__("reading HTML needs the optional extra: pip install 'search[html]'")


@dataclass(frozen=True)
class HtmlArticle:
    """What one page says about its article. ``text`` has paragraphs separated by blank lines."""

    title: str
    text: str
    date: date | None
    authors: tuple[str, ...]
    url: str | None
    site: str | None
    category: str | None
    description: str | None


def html_available() -> bool:
    """True when the optional extra (trafilatura) can be imported."""
    try:
        _trafilatura()
    except MissingExtra:
        return False
    return True


def parse_html(data: bytes | str, *, url: str | None = None) -> HtmlArticle:
    """Read one saved news page. ``url`` is where it came from, if known (used when the page names none).

    Raises :class:`MissingExtra` without trafilatura, ``ValueError`` when the page cannot
    be decoded or holds no article text.
    """
    trafilatura = _trafilatura()
    page = decode_page(data) if isinstance(data, bytes) else unicodedata.normalize("NFC", data)
    page = _XML_DECLARATION.sub("", page)  # lxml refuses a str that declares an encoding
    tree = trafilatura.load_html(page) if page.strip() else None
    if tree is None:
        raise ValueError(NO_TEXT)
    _drop(tree, "//script[not(@type='application/ld+json')]|//style|//noscript|//template")
    _drop(tree, "//nav[not(contains(@class, 'breadcrumb'))]|//footer[not(ancestor::article)]")
    _prune_boilerplate(tree)
    _unwrap_layout_tables(tree)
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )  # fmt: skip
    if document is None:
        raise ValueError(NO_TEXT)
    linked_data = _json_ld(tree)
    title = _title(tree, linked_data, document.title, document.sitename)
    text = _main_text(document.text or "", title, document.description, tree)
    if not text:
        raise ValueError(NO_TEXT)
    return HtmlArticle(
        title=title,
        text=text,
        date=_published(tree, linked_data, title),
        authors=_authors(_bylines(tree, linked_data) or [document.author or ""], document.sitename),
        url=document.url or _linked_url(linked_data) or url,
        site=document.sitename or None,
        category=_category(tree, linked_data) or next(iter(document.categories or ()), None),
        description=document.description or None,
    )


def _trafilatura() -> Any:
    try:
        import trafilatura
    except ImportError as error:  # also a broken install (e.g. lxml without lxml_html_clean)
        raise MissingExtra() from error
    return trafilatura


# --- bytes → text -------------------------------------------------------------------------


def decode_page(data: bytes) -> str:
    """A page's text, NFC. A charset the page declares is trusted only for bytes that are not
    UTF-8 (re-saved pages keep their old tag) and only if it is not a Western one (old
    Vietnamese sites declare ISO-8859-1 over TCVN3 or VNI font text): ``encodings.decode``
    reads everything else, and raises ``UndecodableText`` (a ValueError) rather than guess.
    """
    if not data.startswith(_BOMS) and not _is_utf8(data):
        declared = declared_charset(data)
        if declared and declared not in _WESTERN:
            try:
                return unicodedata.normalize("NFC", data.decode(declared))
            except UnicodeDecodeError:
                pass
    return decode(data).text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_charset(data: bytes) -> str | None:
    """The codec named by ``<meta charset>``, ``http-equiv`` or an XML declaration, if Python knows it."""
    found = _CHARSET.search(data[:4096])
    if not found:
        return None
    try:
        return codecs.lookup((found.group(1) or found.group(2)).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


# --- the tree before extraction -----------------------------------------------------------


def _drop(tree: Any, xpath: str) -> None:
    for element in tree.xpath(xpath):
        element.drop_tree()


def _tokens(element: Any) -> list[str]:
    return f"{element.get('class', '')} {element.get('id', '')}".split()


def _prune_boilerplate(tree: Any) -> None:
    """Remove related-news and comment boxes, but never a box that holds most of the paragraphs."""
    paragraphs = len(tree.xpath("//p"))
    doomed = [
        element
        for element in tree.iter("div", "section", "aside", "ul", "ol", "table", "p", "span")
        if any(_BOILERPLATE_TOKEN.search(token) for token in _tokens(element))
        and 2 * len(element.xpath(".//p")) <= paragraphs
        and not element.xpath(".//h1")
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _unwrap_layout_tables(tree: Any) -> None:
    """Turn layout tables (nested tables, or cells of running text) into blocks; keep data tables."""
    for table in tree.xpath("//table"):
        if table.xpath(".//table|.//td[string-length(normalize-space()) > 300]|.//h1|.//h2"):
            parts = table.iter("thead", "tbody", "tfoot", "tr", "td", "th")
            own = [table, *(part for part in parts if _table_of(part) is table)]
            for element in own:  # a data table nested in the layout stays a table
                element.tag = "div"


def _table_of(element: Any) -> Any:
    return next(element.iterancestors("table"), None)


def _text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


# --- fields -------------------------------------------------------------------------------


def _meta(tree: Any, *names: str) -> str | None:
    """The first non-empty ``content`` of a meta tag named (property, name or itemprop) any of ``names``."""
    wanted = {name.casefold() for name in names}
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        for key in (meta.get("property"), meta.get("name"), meta.get("itemprop")):
            if content and key and key.casefold() in wanted:
                found.setdefault(key.casefold(), content)
    return next((found[name.casefold()] for name in names if name.casefold() in found), None)


def _json_ld(tree: Any) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page (``@graph`` flattened); unreadable blocks are ignored."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            value = json.loads(script.text_content())
        except ValueError:
            continue
        stack = value if isinstance(value, list) else [value]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(item.get("@graph") or [])
    return objects


def _linked(objects: list[dict[str, Any]], key: str) -> Any:
    return next((item[key] for item in objects if item.get(key)), None)


def _linked_url(objects: list[dict[str, Any]]) -> str | None:
    page = _linked(objects, "mainEntityOfPage") or _linked(objects, "url")
    page = page.get("@id") if isinstance(page, dict) else page
    return page if isinstance(page, str) and page.startswith("http") else None


def _title(tree: Any, linked_data: list[dict[str, Any]], found: str | None, site: str | None) -> str:
    """og:title, JSON-LD headline, the one <h1>, <title> without the site's name, trafilatura's guess."""
    given = _meta(tree, "og:title", "twitter:title") or _linked(linked_data, "headline")
    if isinstance(given, str) and given.strip():
        return _without_site_name(" ".join(given.split()), site)
    headings = [text for text in map(_text_of, tree.xpath("//h1")) if text]
    if len(headings) == 1:
        return headings[0]
    page_title = " ".join(tree.findtext(".//title", "").split())
    return _without_site_name(page_title, site) or (found or "").strip()


def _without_site_name(title: str, site: str | None) -> str:
    """``Báo X - Title`` / ``Title | X Online`` → ``Title``: drop an end segment that names a site."""
    for separator in (" | ", " - ", " – ", " — "):
        parts = title.split(separator)
        if len(parts) < 2:
            continue
        if _looks_like_site(parts[-1], site):
            return separator.join(parts[:-1])
        if _looks_like_site(parts[0], site):
            return separator.join(parts[1:])
    return title


def _looks_like_site(segment: str, site: str | None) -> bool:
    segment = segment.strip()
    if site and segment.casefold() == site.casefold():
        return True
    start = _SITE_START.match(segment)  # "Báo Sáng Mai" names a paper, "Báo động …" does not
    return len(segment.split()) <= 6 and bool((start and start[1].isupper()) or _SITE_WORDS.search(segment))


def _main_text(extracted: str, title: str, description: str | None, tree: Any) -> str:
    """Paragraphs separated by blank lines, without a repeated title; the sapo first if it was left out."""
    paragraphs = [" ".join(line.split()) for line in extracted.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    # trafilatura keeps the headline when it sits inside the article container
    paragraphs = [p for at, p in enumerate(paragraphs) if at >= 3 or p.casefold() != title.casefold()]
    sapo = " ".join((description or "").split())
    if sapo and paragraphs and sapo not in " ".join(paragraphs) and sapo in _text_of(tree):
        paragraphs.insert(0, sapo)  # the sapo is shown on the page (not a site-wide blurb)
    return "\n\n".join(paragraphs) if _has_prose(paragraphs, tree) else ""


def _has_prose(paragraphs: list[str], tree: Any) -> bool:
    """Not just link labels: a menu or a list of headlines is not an article."""
    if any(len(paragraph) > 200 for paragraph in paragraphs):
        return True
    labels = sorted({_text_of(link) for link in tree.iter("a")} - {""}, key=len, reverse=True)
    for paragraph in paragraphs:
        for label in labels:
            paragraph = paragraph.replace(label, " ")
        if any(ch.isalpha() for ch in paragraph):
            return True
    return False


def _published(tree: Any, linked_data: list[dict[str, Any]], title: str) -> date | None:
    """Machine-readable stamps in Vietnam time first, then the visible header stamp, day-first.

    The blocks next to the title come before other dated blocks: many sites show today's date in the header.
    """
    for stamp in _machine_dates(tree, linked_data):
        try:
            return local_date(stamp)
        except (ValueError, TypeError):
            continue
    for line in [*_lines_near_title(tree, title), *_stamp_lines(tree)]:
        if found := publication_date(line):
            return found
    return None


def _machine_dates(tree: Any, linked_data: list[dict[str, Any]]) -> Iterator[str]:
    if stamp := _meta(tree, *_PUBLISHED_META):
        yield stamp
    if isinstance(stamp := _linked(linked_data, "datePublished"), str):
        yield stamp
    for element in tree.xpath("//*[@itemprop='datePublished'] | //time[@pubdate]"):
        if stamp := element.get("datetime") or element.get("content"):
            yield stamp


def _stamp_lines(tree: Any) -> list[str]:
    """Short texts of elements that a page marks as a date or time (``class="date"``, ``<time>``)."""
    lines = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head", "meta", "script"):
            continue
        if element.tag == "time" or any(_DATE_HINT.search(token) for token in _tokens(element)):
            text = _text_of(element)
            if text and len(text) <= 120 and text not in lines:
                lines.append(text)
    return lines


def _lines_near_title(tree: Any, title: str) -> list[str]:
    """The short blocks just before and after the element that shows the title."""
    for element in tree.iter("h1", "h2", "div", "p", "span", "td"):
        if _text_of(element) == title and element.getparent() is not None:
            siblings = list(element.getparent())
            at = siblings.index(element)
            near = siblings[max(0, at - 2) : at] + siblings[at + 1 : at + 4]
            return [text for text in map(_text_of, near) if text and len(text) <= 200]
    return []


def _category(tree: Any, linked_data: list[dict[str, Any]]) -> str | None:
    """article:section, JSON-LD articleSection, the breadcrumb's first section, a section label."""
    section = _meta(tree, "article:section") or _linked(linked_data, "articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), None)
    if isinstance(section, str) and section.strip():
        return section.strip()
    for element in tree.iter("div", "ul", "ol", "nav", "p", "span"):
        tokens = _tokens(element)
        if any("breadcrumb" in token.casefold() for token in tokens):
            names = [_text_of(link) for link in element.iter("a")] or [_text_of(element)]
            return next((n for n in names if n and n.casefold() not in _HOME), None)
        if any(_SECTION_HINT.search(token) for token in tokens):
            label = _text_of(element)
            if label and len(label) <= 40 and label.casefold() not in _HOME:
                return label
    return None


def _bylines(tree: Any, linked_data: list[dict[str, Any]]) -> list[str]:
    """Author names as the page's metadata gives them: JSON-LD ``author``, else ``<meta name="author">``.

    Read here because trafilatura keeps only the first of ``A - B`` and skips JSON-LD without @context.
    """
    given = _linked(linked_data, "author")
    names = [a.get("name") if isinstance(a, dict) else a for a in (given if isinstance(given, list) else [given])]
    names = [name for name in names if isinstance(name, str) and name.strip()]
    meta = _meta(tree, "author", "article:author", "dc.creator")
    return names or ([meta] if meta and not meta.startswith("http") else [])


def _authors(bylines: list[str], site: str | None) -> tuple[str, ...]:
    """Bylines (trafilatura joins with ``;``) → names without labels, ALL CAPS title-cased.

    Photo credits (``Ảnh: X``) and the outlet's own name (a common ``<meta name="author">``) are dropped.
    """
    names: list[str] = []
    for byline in (part for line in bylines for part in line.split(";")):
        for part in re.split(r"\s[-–]\s|,\s", _BYLINE_LABEL.sub("", " ".join(byline.split()))):
            name = part.strip(" :.-")
            if not name or name.casefold().startswith("ảnh") or _looks_like_site(name, site):
                continue
            name = name.title() if name.isupper() else name
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return tuple(names)
