"""The public surface: names, frozen dataclasses, no Whoosh types."""

from __future__ import annotations

import dataclasses
import inspect
import typing
from datetime import date

import pytest

import search
from search import Article, Hit, Index, SearchResults


def test_all_matches_exports():
    public = {n for n in dir(search) if n[0].isupper()}
    assert set(search.__all__) == public | {"__version__", "parse_article"}
    for name in search.__all__:
        assert hasattr(search, name), name


def test_the_issue_names_exist_with_their_fields():
    assert [f.name for f in dataclasses.fields(Article)] == [
        "id", "title", "body", "date", "authors", "places", "category", "source", "url",
        "dateline", "reposted_by", "original",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Hit)] == [
        "id", "title", "url", "date", "authors", "places", "score", "snippet",
    ]  # fmt: skip
    assert {"total", "hits", "suggestion"} <= {f.name for f in dataclasses.fields(SearchResults)}
    for method in ["create", "open", "in_memory", "add_many", "search", "count", "info", "delete", "close"]:
        assert callable(getattr(Index, method)), method


def test_values_are_frozen():
    a = Article("x", "t", "b", authors=["A"])
    assert a.authors == ("A",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.title = "other"  # type: ignore[misc]


def test_article_rejects_bad_values():
    with pytest.raises(ValueError):
        Article("", "t", "b")
    with pytest.raises(ValueError):
        Article("x", "t", "b", date="2021-07-02")  # type: ignore[arg-type]


def test_no_whoosh_types_cross_the_api():
    with Index.in_memory() as ix:
        ix.add(Article("x", "Hậu Giang", "mưa", date=date(2021, 7, 2)))
        results = ix.search("hau giang")
        values = [results, *results.hits, results.hits[0].snippet, ix.info(), ix.get("x")]
    for value in values:
        assert not type(value).__module__.startswith("whoosh"), value
    # Index() itself is built by create/open/in_memory; every public method is checked
    for name, method in inspect.getmembers(Index, inspect.isfunction):
        if not name.startswith("_"):
            hints = typing.get_type_hints(method)
            assert not any("whoosh" in repr(h) for h in hints.values()), name


def test_py_typed_is_shipped():
    from importlib.resources import files

    assert files("search").joinpath("py.typed").is_file()
