"""Input files → ``Article``: JSON Lines, JSON arrays and plain-text articles.

``read_paths`` walks files and folders (recursively, in name order) and yields
an ``Article`` for every record it can read and a ``Skipped`` for every one it
cannot, so one bad line never stops a run. No Whoosh here.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from search.models import Article, Skipped

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
JSON_SUFFIXES = (".json", ".json.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")
MAX_SECTION_WORDS = 5
KNOWN_KEYS = frozenset(
    "id title body date author authors place places category source url".split()
)


@dataclass
class ReadStats:
    """What the readers saw besides articles: for the end-of-run summary."""

    files: int = 0
    ignored_files: int = 0
    extra_keys: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    bytes_read: int = 0


def input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Skipped]:
    """Every readable file under ``paths``; folders are walked in name order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if _kind(name) is not None:
                        yield Path(root) / name
        elif path.is_file():
            yield path if _kind(path.name) else Skipped(
                str(path), "not a .jsonl, .json or .txt file; rename it or convert it"
            )
        else:
            yield Skipped(str(path), "no such file or folder")


def _kind(name: str) -> str | None:
    lower = name.lower()
    for kind, suffixes in (("jsonl", JSONL_SUFFIXES), ("json", JSON_SUFFIXES), ("text", TEXT_SUFFIXES)):
        if lower.endswith(suffixes):
            return kind
    return None


def total_size(paths: Iterable[str | os.PathLike[str]]) -> int:
    return sum(p.stat().st_size for p in input_files(paths) if isinstance(p, Path))


class _Counting(io.RawIOBase):
    """Counts the bytes read from a file, for a progress bar over compressed input."""

    def __init__(self, raw: IO[bytes], stats: ReadStats) -> None:
        self._raw, self._stats = raw, stats

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._stats.bytes_read += n or 0
        return n or 0


def _open_text(path: Path, stats: ReadStats) -> IO[str]:
    raw: IO[bytes] = io.BufferedReader(_Counting(open(path, "rb"), stats), 1 << 16)
    if path.name.lower().endswith(".gz"):
        raw = gzip.open(raw)  # type: ignore[assignment]
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")


def read_paths(paths: Iterable[str | os.PathLike[str]], stats: ReadStats | None = None) -> Iterator[Article | Skipped]:
    stats = stats if stats is not None else ReadStats()
    for path in input_files(paths):
        if isinstance(path, Skipped):
            yield path
            continue
        stats.files += 1
        try:
            yield from _read_file(path, stats)
        except UnicodeDecodeError as error:
            yield Skipped(str(path), f"not UTF-8 text (byte {error.start}); convert it to UTF-8")
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            yield Skipped(str(path), f"cannot read: {error}")


def _read_file(path: Path, stats: ReadStats) -> Iterator[Article | Skipped]:
    kind = _kind(path.name)
    with _open_text(path, stats) as handle:
        if kind == "jsonl":
            for lineno, line in enumerate(handle, 1):
                if line.strip():
                    yield _from_json_line(line, f"{path}:{lineno}", stats)
        elif kind == "json":
            yield from _from_json_document(handle.read(), str(path), stats)
        else:
            yield _from_text(handle.read(), str(path))


def _from_json_line(line: str, where: str, stats: ReadStats) -> Article | Skipped:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Skipped(where, f"invalid JSON ({error.msg}, column {error.colno})")
    return article_from_record(record, where, stats)


def _from_json_document(text: str, where: str, stats: ReadStats) -> Iterator[Article | Skipped]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield Skipped(f"{where}:{error.lineno}", f"invalid JSON ({error.msg})")
        return
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, 1):
        yield article_from_record(record, f"{where}[{number}]", stats)


def _from_text(text: str, where: str) -> Article | Skipped:
    """Title line, blank line, body; a short line above the title is its section."""
    head, _, body = text.strip().partition("\n\n")
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not lines:
        return Skipped(where, "empty file")
    category = None
    if len(lines) == 2 and len(lines[0].split()) <= MAX_SECTION_WORDS:
        category, lines = lines[0], lines[1:]
    title = lines[0]
    body = "\n".join(lines[1:] + [body.strip()]).strip()
    return Article(id=where, title=title, body=body, category=category)


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(n.strip() for n in re.split(r"[;|]", value) if n.strip())
    if isinstance(value, list):
        return tuple(str(n).strip() for n in value if n and str(n).strip())
    return (str(value),)


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_date(value: Any) -> date | None:
    """ISO dates and datetimes, or Vietnamese day-first dates (``02/07/2021`` is 2 July)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if m := _DAY_FIRST.fullmatch(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if "T" in text or " " in text:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    return date.fromisoformat(text)


def article_from_record(record: Any, where: str, stats: ReadStats) -> Article | Skipped:
    """One JSON object → ``Article``; unknown keys are counted in ``stats``."""
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    stats.extra_keys.update(k for k in record if k not in KNOWN_KEYS)
    title = _text_or_none(record.get("title")) or ""
    body = _text_or_none(record.get("body")) or ""
    if not title and not body:
        return Skipped(where, "no title and no body")
    try:
        published = parse_date(record.get("date"))
    except (ValueError, TypeError):
        stats.warnings.append(f"{where}: unreadable date {record.get('date')!r}; indexed without a date")
        published = None
    return Article(
        id=_text_or_none(record.get("id")) or where,
        title=title,
        body=body,
        date=published,
        authors=_names(record.get("authors", record.get("author"))),
        places=_names(record.get("places", record.get("place"))),
        category=_text_or_none(record.get("category")),
        source=_text_or_none(record.get("source")),
        url=_text_or_none(record.get("url")),
    )
