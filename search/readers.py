"""Input files → ``Article``: JSON Lines, JSON, plain-text articles, saved HTML pages.

``read_sources`` walks files and folders (recursively, in name order; ``-`` is
standard input) and yields, for every record, where it came from and either
an ``Article`` or a ``Skipped`` with a one-line reason, so one bad file or line
never stops a run. Bytes are decoded by ``encodings`` (legacy Vietnamese
encodings are converted, mojibake is refused); text is read by
``articles.parse_article``; JSON records by ``records``. No Whoosh here.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

from search.articles import parse_article
from search.encodings import UndecodableText, decode
from search.html_pages import MissingExtra, parse_html
from search.models import Article, FileRead, Skipped
from search.records import article_from_record

STDIN = "-"
SUFFIXES = {
    "jsonl": (".jsonl", ".ndjson"),
    "json": (".json",),
    "text": (".txt", ".text"),
    "html": (".html", ".htm", ".xhtml"),
}
MAX_ARTICLE_BYTES = 10 << 20  # one text or HTML article; a bigger file is not an article
MAX_JSON_BYTES = 512 << 20  # a JSON document is parsed whole; JSON Lines are streamed
MAX_LINE_BYTES = 10 << 20

Read = tuple[str, Article | Skipped]
AlreadyIndexed = Callable[[Path], bool]


@dataclass
class ReadStats:
    """What the readers saw besides articles: for the end-of-run summary."""

    files: int = 0
    ignored_files: int = 0
    extra_keys: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)  # files converted from legacy encodings
    warnings: list[str] = field(default_factory=list)
    bytes_read: int = 0
    unchanged_files: int = 0  # not read: the index holds them as they are (``search.ledger``)


@dataclass(frozen=True)
class ReadOptions:
    fields: Mapping[str, str] = field(default_factory=dict)  # our field → record key (``--field``)


def file_kind(name: str) -> str | None:
    lower = name.lower().removesuffix(".gz")
    return next((kind for kind, suffixes in SUFFIXES.items() if lower.endswith(suffixes)), None)


def input_files(paths: Iterable[str | os.PathLike[str]], stats: ReadStats | None = None) -> Iterator[Path | Skipped]:
    """Every readable file under ``paths`` (folders walked in name order); ``-`` passes through.

    Inside a folder, a symbolic link is followed only to a file under that folder: a link
    out of it, a broken one or a loop is named and skipped.
    """
    for raw in paths:
        path = Path(raw)
        if str(raw) == STDIN:
            yield path
        elif path.is_dir():
            yield from _walk(path, stats)
        elif path.is_file():
            yield path if file_kind(path.name) else Skipped(
                shown(path), "not a .jsonl, .json, .txt or .html file (optionally .gz); rename it or convert it"
            )
        else:
            yield Skipped(shown(path), "no such file or folder")


def _walk(folder: Path, stats: ReadStats | None) -> Iterator[Path | Skipped]:
    top = folder.resolve()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if file_kind(name) is None:
                if stats is not None and not name.startswith("."):
                    stats.ignored_files += 1
            elif path.is_symlink():
                yield _followed(path, top)
            else:
                yield path


def _followed(link: Path, top: Path) -> Path | Skipped:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return Skipped(shown(link), "a broken or looping symbolic link; fix or remove it")
    if not target.is_relative_to(top):
        return Skipped(shown(link), f"a symbolic link out of {top} (to {shown(target)}); not followed")
    return link


def shown(path: Path) -> str:
    """A path as text that can always be printed (undecodable bytes in names become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reading it will say why


def total_size(paths: Iterable[str | os.PathLike[str]]) -> int:
    return sum(_size(p) for p in input_files(paths) if isinstance(p, Path) and str(p) != STDIN)


def read_paths(
    paths: Iterable[str | os.PathLike[str]], stats: ReadStats | None = None, options: ReadOptions | None = None
) -> Iterator[Article | Skipped]:
    for _, item in read_sources(paths, stats, options):
        yield item


def read_sources(
    paths: Iterable[str | os.PathLike[str]], stats: ReadStats | None = None, options: ReadOptions | None = None
) -> Iterator[Read]:
    """(where, article or skip) for every record under ``paths``."""
    for where, item in read_files(paths, stats, options):
        if not isinstance(item, FileRead):
            yield where, item


def read_files(
    paths: Iterable[str | os.PathLike[str]],
    stats: ReadStats | None = None,
    options: ReadOptions | None = None,
    already_indexed: AlreadyIndexed | None = None,
) -> Iterator[tuple[str, Article | Skipped | FileRead]]:
    """``read_sources``, plus a ``FileRead`` after each file read whole with nothing skipped;
    files ``already_indexed`` says are unchanged are not read (``stats.unchanged_files``)."""
    stats = stats if stats is not None else ReadStats()
    reader = _Reader(stats, options or ReadOptions())
    for path in input_files(paths, stats):
        if isinstance(path, Skipped):
            yield path.where, path
            continue
        if already_indexed is not None and str(path) != STDIN and already_indexed(path):
            stats.unchanged_files += 1
            continue
        stats.files += 1
        where = "<stdin>" if str(path) == STDIN else shown(path)
        stamp = _stamp(path)
        clean = True
        try:
            for where_read, item in reader.read(path, where):
                clean = clean and not isinstance(item, Skipped)
                yield where_read, item
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
            yield where, Skipped(where, f"cannot read: {getattr(error, 'strerror', None) or error}")
            continue
        if clean and stamp is not None:
            yield where, stamp


def _stamp(path: Path) -> FileRead | None:
    """The file as it is before reading (a change while it is read shows at the next run)."""
    if str(path) == STDIN:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return FileRead(os.fsdecode(os.path.abspath(path)), found.st_size, found.st_mtime_ns)


class _Reader:
    def __init__(self, stats: ReadStats, options: ReadOptions) -> None:
        self.stats, self.options = stats, options

    def read(self, path: Path, where: str) -> Iterator[Read]:
        if where == "<stdin>":
            yield from self._stdin(sys.stdin.buffer, where)
            return
        kind = file_kind(path.name)
        if kind == "jsonl":
            with _open_binary(path, self.stats) as handle:
                yield from self._json_lines(handle, where)
            return
        limit = MAX_JSON_BYTES if kind == "json" else MAX_ARTICLE_BYTES
        with _open_binary(path, self.stats) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            what = "a JSON file is read whole" if kind == "json" else "a single article"
            yield where, Skipped(where, f"larger than {limit >> 20} MB, too big for {what}; split it or convert it to JSON Lines")
            return
        yield from self._from_bytes(data, where, kind)

    def _stdin(self, stream: IO[bytes], where: str) -> Iterator[Read]:
        """JSON Lines on standard input are streamed; anything else is read whole (size-capped)."""
        head = stream.peek(1 << 16) if hasattr(stream, "peek") else b""
        if _sniff(head.decode("utf-8", "ignore")) == "jsonl":
            yield from self._json_lines(stream, where)
            return
        data = stream.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            yield where, Skipped(where, f"larger than {MAX_JSON_BYTES >> 20} MB; send JSON Lines, which are streamed")
            return
        yield from self._from_bytes(data, where, None)

    def _from_bytes(self, data: bytes, where: str, kind: str | None) -> Iterator[Read]:
        if not data.strip():
            yield where, Skipped(where, "empty file")
            return
        if kind is None and _sniff(data[:4096].decode("utf-8", "ignore")) == "html":
            kind = "html"
        if kind == "html":
            yield where, self._html(data, where)
            return
        try:
            decoded = decode(data)
        except UndecodableText as error:
            yield where, Skipped(where, str(error))
            return
        if decoded.encoding not in ("utf-8", "utf-8-sig"):
            self.stats.encodings[decoded.encoding] += 1
        text = decoded.text
        if kind is None:
            kind = _sniff(text)  # standard input
        if kind == "jsonl":
            yield from self._json_lines(io.BytesIO(text.encode("utf-8")), where)
        elif kind == "json":
            yield from self._json_document(text, where)
        else:
            yield where, _text_article(text, where)

    def _json_lines(self, handle: IO[bytes], where: str) -> Iterator[Read]:
        for lineno, line in enumerate(_lines(handle), 1):
            at = f"{where}:{lineno}"
            if lineno == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue  # blank lines between records are harmless
            if len(line) > MAX_LINE_BYTES:
                yield at, Skipped(at, f"line longer than {MAX_LINE_BYTES >> 20} MB; one record per line, please")
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield at, Skipped(at, f"not UTF-8 (byte {error.start}); JSON Lines must be UTF-8, convert the file")
                continue
            except json.JSONDecodeError as error:
                yield at, Skipped(at, _json_error(error, line))
                continue
            yield at, self._record(record, at)

    def _json_document(self, text: str, where: str) -> Iterator[Read]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield where, Skipped(f"{where}:{error.lineno}", f"invalid JSON ({error.msg}, column {error.colno}); nothing in this file was read")
            return
        records = _records_in(data)
        for number, record in enumerate(records, 1):
            at = f"{where}[{number}]" if isinstance(data, list) or len(records) > 1 else where
            yield at, self._record(record, at)

    def _record(self, record: Any, where: str) -> Article | Skipped:
        return article_from_record(record, where, self.options.fields, self.stats)

    def _html(self, data: bytes, where: str) -> Article | Skipped:
        try:
            page = parse_html(data)
        except MissingExtra as error:
            return Skipped(where, str(error))
        except ValueError as error:
            return Skipped(where, str(error))
        text = f"{page.title}\n\n{page.text}" if page.title else page.text
        article = parse_article(text, record_date=page.date, url=page.url)
        return _with_given(
            article,
            id=page.url or article.id,
            authors=page.authors,
            category=page.category,
            source=article.source or page.site,
        )


def _with_given(article: Article, **given: Any) -> Article:
    return replace(article, **{k: v for k, v in given.items() if v})


def _text_article(text: str, where: str) -> Article | Skipped:
    if not text.strip():
        return Skipped(where, "empty file")
    if "\x00" in text:
        return Skipped(where, "contains NUL characters: binary data, not an article")
    return parse_article(text)


def _open_binary(path: Path, stats: ReadStats) -> IO[bytes]:
    raw: IO[bytes] = io.BufferedReader(_Counting(open(path, "rb"), stats), 1 << 16)
    if path.name.lower().endswith(".gz"):
        return gzip.open(raw)  # type: ignore[return-value]
    return raw


def _lines(handle: IO[bytes]) -> Iterator[bytes]:
    """Lines of a JSON Lines file; UTF-16 files (with a BOM) are re-encoded as UTF-8."""
    head = handle.peek(2)[:2] if hasattr(handle, "peek") else b""
    if head in (b"\xff\xfe", b"\xfe\xff"):
        for line in io.TextIOWrapper(handle, encoding="utf-16"):
            yield line.encode("utf-8")
        return
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of an overlong line without holding it
        yield line


def _records_in(data: Any) -> list[Any]:
    """A JSON array, one object, or an object wrapping an array (``{"articles": […]}``)."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "records", "documents", "docs"):
            if isinstance(data.get(key), list) and "title" not in data and "body" not in data:
                return data[key]
    return [data]


def _json_error(error: json.JSONDecodeError, line: bytes) -> str:
    if error.pos >= len(line.decode("utf-8", "replace").rstrip()):
        return f"invalid JSON: the record ends early at column {error.colno} (a truncated line?)"
    return f"invalid JSON ({error.msg}, column {error.colno})"


def _sniff(text: str) -> str:
    """The format of standard input, from its first characters."""
    start = text.lstrip()[:1]
    if start == "[":
        return "json"
    if start == "{":
        first_line = text.lstrip().split("\n", 1)[0]
        try:
            json.loads(first_line)
            return "jsonl"
        except json.JSONDecodeError:
            return "json"
    if start == "<":
        return "html"
    return "text"


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

    def close(self) -> None:
        self._raw.close()
        super().close()
