"""Shared code of the benchmarks: corpus reading, the plain-Whoosh baseline, small helpers.

The BASELINE is plain Whoosh as a competent user would set it up for Vietnamese:
one analyzer ``RegexTokenizer | LowercaseFilter | CharsetFilter(accent_map)`` on
``title`` and ``body`` (so accented and unaccented text meet on the folded form),
NFC text, a 256 MB writer committing every 5,000 documents (the batching our
engine uses), and ``MultifieldParser(["title", "body"], group=OrGroup)`` with
Whoosh's default BM25F for searching.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import resource
import sys
import time
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.support.charset import accent_map

from search import Article

BATCH_SIZE = 5_000
WRITER_LIMIT_MB = 256


def log(*parts: object) -> None:
    """Progress goes to stderr; stdout is kept for the Markdown table."""
    print(*parts, file=sys.stderr, flush=True)


# -- reading corpora ----------------------------------------------------------


def corpus_files(path: str | os.PathLike[str]) -> list[Path]:
    """A file itself, or the ``*.jsonl.gz`` / ``*.jsonl`` shards of a folder in sorted order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl.gz", ".jsonl")))
        if not files:
            raise SystemExit(f"no *.jsonl(.gz) files in {path}")
        return files
    if not path.is_file():
        raise SystemExit(f"no such file or folder: {path}")
    return [path]


def iter_records(path: str | os.PathLike[str], limit: int | None = None) -> Iterator[dict]:
    """JSON objects, one per line, from ``path``; at most ``limit`` of them."""
    count = 0
    for file in corpus_files(path):
        opener = gzip.open if file.name.endswith(".gz") else open
        with opener(file, "rt", encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                if limit is not None and count >= limit:
                    return
                yield json.loads(line)
                count += 1


def iter_articles(path: str | os.PathLike[str], limit: int | None = None) -> Iterator[Article]:
    """``Article(id, title, body)`` for each record; a null title or body becomes ""."""
    for rec in iter_records(path, limit):
        yield Article(id=str(rec["id"]), title=rec.get("title") or "", body=rec.get("body") or "")


# -- the baseline -------------------------------------------------------------


def baseline_schema() -> Schema:
    analyzer = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=analyzer),
        body=TEXT(stored=True, analyzer=analyzer),
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def baseline_create(path: str | os.PathLike[str] | None):  # -> whoosh Index
    """A new empty baseline index in folder ``path`` (created), or in RAM when None."""
    if path is None:
        return RamStorage().create_index(baseline_schema())
    os.makedirs(path, exist_ok=True)
    return whoosh_index.create_in(str(path), baseline_schema())


def baseline_open(path: str | os.PathLike[str]):
    return whoosh_index.open_dir(str(path))


def baseline_exists(path: str | os.PathLike[str]) -> bool:
    return Path(path).is_dir() and whoosh_index.exists_in(str(path))


def baseline_add_many(ix, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> int:
    """Add every article, committing every ``batch_size``; returns the count."""
    writer, pending, total = None, 0, 0
    for article in articles:
        if writer is None:
            writer = ix.writer(limitmb=WRITER_LIMIT_MB)
        writer.add_document(id=article.id, title=nfc(article.title), body=nfc(article.body))
        pending += 1
        total += 1
        if pending >= batch_size:
            writer.commit()
            writer, pending = None, 0
    if writer is not None:
        writer.commit()
    return total


class BaselineSearcher:
    """A warm searcher and parser over a baseline index."""

    def __init__(self, ix) -> None:
        self.searcher = ix.searcher()  # BM25F, Whoosh's default
        self.parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)

    def search(self, text: str, limit: int = 10) -> list[tuple[str, str]]:
        """(id, title) of the best ``limit`` hits: parse, search, read stored fields."""
        query = self.parser.parse(nfc(text))
        results = self.searcher.search(query, limit=limit)
        return [(hit["id"], hit["title"]) for hit in results]

    def close(self) -> None:
        self.searcher.close()


# -- query text ---------------------------------------------------------------

# Characters that are query syntax in our parser ("():+-) or in Whoosh's default
# parser (those plus ? * ^ ~ [ ] { } ' for wildcards, boosts, ranges). Both
# tokenizers treat them as word separators anyway, so replacing them with spaces
# leaves the plain OR-of-words query and removes only the syntax.
SYNTAX_CHARS = "\"():+-?*^~[]{}'"
_SYNTAX_TABLE = str.maketrans({c: " " for c in SYNTAX_CHARS})
_OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")


def sanitize(text: str) -> str:
    """``text`` as a plain bag of words for either engine (syntax characters → spaces,
    upper-case boolean operators lower-cased)."""
    text = text.translate(_SYNTAX_TABLE)
    return _OPERATOR.sub(lambda m: m.group().lower(), text)


# -- measuring ----------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size_mb(path: str | os.PathLike[str]) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


class Progress:
    """Logs ``label: n docs`` to stderr every ``every`` items."""

    def __init__(self, label: str, every: int = 10_000) -> None:
        self.label, self.every, self.n, self.started = label, every, 0, time.perf_counter()

    def __call__(self, _item: object = None) -> None:
        self.n += 1
        if self.n % self.every == 0:
            log(f"  {self.label}: {self.n:,} docs, {time.perf_counter() - self.started:.0f} s")

    def wrap(self, items: Iterable) -> Iterator:
        for item in items:
            yield item
            self()


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
