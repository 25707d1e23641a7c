from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from search import Article, Index
from search.syllable_stats import SyllableStats

DATA = Path(__file__).parent / "data"
FOUNDING = DATA / "founding-article.txt"
NEWS = DATA / "news.jsonl"


@pytest.fixture
def ram_index():
    with Index.in_memory() as ix:
        yield ix


@pytest.fixture(params=["memory", "disk"])
def any_index(request, tmp_path):
    """The same assertions on an in-memory and an on-disk index."""
    ix = Index.in_memory() if request.param == "memory" else Index.create(tmp_path / "ix")
    with ix:
        yield ix


def article(id: str, title: str, body: str = "", **fields) -> Article:
    return Article(id=id, title=title, body=body, **fields)


@pytest.fixture
def founding() -> Article:
    from search.readers import read_paths

    (found,) = list(read_paths([FOUNDING]))
    return Article(
        id="founding",
        title=found.title,
        body=found.body,
        date=date(2021, 7, 2),
        authors=("Nguyễn Triệu",),
        places=("Hậu Giang",),
        category=found.category,
    )


@contextmanager
def stats_of(ix: Index) -> Iterator[SyllableStats]:
    """The syllable statistics of ``ix``'s current segments (``search.syllable_stats``)."""
    reader = ix._whoosh.reader()
    try:
        with SyllableStats.from_reader(reader) as stats:
            yield stats
    finally:
        reader.close()
