"""JSON records → ``Article``: field names mapped, given fields win over extraction.

A record's keys are matched to our fields by common spellings (``headline``,
``content``, ``published_at``, ``tác_giả`` …) or by an explicit mapping from
the user (``--field title=headline``). Title and body are then read like any
article text (``articles.parse_article``) for what the record does not give:
a record's own ``author`` beats the byline found in its body.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from functools import lru_cache
from typing import Any, Mapping, Protocol

from search.articles import parse_article
from search.dates import local_date
from search.encodings import repair
from search.models import Article, Skipped
from search.normalize import fold
from search.places import lookup

FIELDS = ("id", "title", "body", "date", "authors", "places", "category", "source", "url")

# folded, underscore-separated key → field
_ALIASES = {
    "id": "id _id uuid guid article_id doc_id docid ma",
    "title": "title headline heading name tieu_de tieude ten",
    "body": "body content text article article_body articlebody fulltext full_text noi_dung noidung main_text",
    "date": "date published published_at publish_date publication_date pubdate pub_date datetime time "
    "created created_at date_published datepublished ngay ngay_dang thoi_gian",
    "authors": "author authors byline creator creators writer writers tac_gia tacgia but_danh",
    "places": "place places location locations province provinces dia_diem diadiem noi tinh",
    "category": "category categories section topic chuyen_muc chuyenmuc danh_muc the_loai",
    "source": "source publisher site site_name sitename outlet nguon",
    "url": "url link href canonical canonical_url permalink duong_dan",
}
FIELD_OF_KEY = {key: field for field, keys in _ALIASES.items() for key in keys.split()}


class FieldMappingError(ValueError):
    """A ``--field`` option that cannot be used."""


@lru_cache(maxsize=1024)
def key_name(key: str) -> str:
    """``Tác giả`` / ``tac-gia`` / ``TacGia``-ish keys → ``tac_gia``."""
    return re.sub(r"[\s\-.]+", "_", fold(key.strip()).lower()).strip("_")


def parse_field_options(options: list[str]) -> dict[str, str]:
    """``["title=headline", "body=content.text"]`` → field → record key."""
    mapping: dict[str, str] = {}
    for option in options:
        field, sep, key = option.partition("=")
        field = FIELD_OF_KEY.get(key_name(field), key_name(field)) if sep else ""
        if not sep or not key.strip():
            raise FieldMappingError(f"--field {option!r}: write FIELD=KEY, e.g. --field title=headline")
        if field not in FIELDS:
            raise FieldMappingError(f"--field {option!r}: unknown field; use one of {', '.join(FIELDS)}")
        mapping[field] = key.strip()
    return mapping


def map_fields(record: Mapping[str, Any], explicit: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Our field → value, and the record keys nothing was mapped to."""
    chosen = {field: key for field, key in explicit.items() if key in record}
    for key in record:
        field = FIELD_OF_KEY.get(key_name(key))
        if field and field not in chosen and key not in chosen.values():
            chosen[field] = key
    used = set(chosen.values())
    return {field: record[key] for field, key in chosen.items()}, [k for k in record if k not in used]


class RecordStats(Protocol):
    """Where records report what they saw (``readers.ReadStats`` is one)."""

    extra_keys: Counter[str]
    encodings: Counter[str]
    warnings: list[str]


def article_from_record(record: Any, where: str, explicit: Mapping[str, str], stats: RecordStats) -> Article | Skipped:
    """One JSON object → ``Article`` (or ``Skipped`` with the reason).

    An unreadable date is a warning, not a skip: the article is indexed without it.
    Mojibake in the title or body (double-encoded UTF-8, TCVN3 or VNI text saved as
    Unicode) is repaired and counted in ``stats.encodings``.
    """
    if not isinstance(record, dict):
        return Skipped(where, f"a JSON {_json_type(record)}, not an object; each record must be {{\"title\": …, \"body\": …}}")
    values, unused = map_fields(record, explicit)
    title, body = _repaired(_text(values.get("title")), stats), _repaired(_paragraphs(values.get("body")), stats)
    if not title and not body:
        return Skipped(where, f"no title and no body (keys: {', '.join(map(str, record)) or 'none'}); map them with --field title=KEY")
    stats.extra_keys.update(unused)
    given_date = None
    if values.get("date") not in (None, ""):
        try:
            given_date = local_date(values["date"])
        except (ValueError, TypeError):
            stats.warnings.append(f"{where}: unreadable date {values['date']!r}; indexed without a date")
    text = f"{title}\n\n{body}" if title else body
    try:
        article = parse_article(text, record_date=given_date, id=_text(values.get("id")), url=_text(values.get("url")))
    except ValueError as error:
        return Skipped(where, str(error))
    given = {
        "authors": _names(values.get("authors")),
        "places": canonical_places(_names(values.get("places"))),
        "category": _text(values.get("category")),
        "source": _text(values.get("source")),
    }
    article = dataclasses.replace(article, **{k: v for k, v in given.items() if v})
    if not _text(values.get("id")):
        article = dataclasses.replace(article, id=article.url or article.id)
    return article


def _repaired(text: str | None, stats: RecordStats) -> str | None:
    if not text:
        return text
    fixed, how = repair(text)
    if how:
        stats.encodings[how] += 1
    return fixed


def canonical_places(names: tuple[str, ...]) -> tuple[str, ...]:
    """Province names and aliases as their canonical names (``TP.HCM`` → ``Hồ Chí Minh``);
    other places are kept as given."""
    found = (lookup(name) for name in names)
    return tuple(dict.fromkeys(p.name if p else n for p, n in zip(found, names)))


def _json_type(value: Any) -> str:
    names = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _paragraphs(value: Any) -> str | None:
    """A body, possibly given as a list of paragraphs."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value)
    return _text(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(n.strip() for n in re.split(r"[;|]", value) if n.strip())
    if isinstance(value, list):
        return tuple(str(n).strip() for n in value if isinstance(n, (str, int)) and str(n).strip())
    return (str(value),) if isinstance(value, (int, float)) else ()
