"""``Index``: the one place that opens Whoosh indexes, writers and searchers."""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.index import Index as WhooshIndex
from whoosh.searching import Searcher
from whoosh.index import LockError

from search.errors import IndexLockedError, IndexNotFoundError, IndexVersionError, QueryError
from search.models import Article, IndexInfo, IndexReport, SearchResults, Skipped
from search.facets import DEFAULT_FACET_LIMIT, FACETS, newest_first
from search.filters import filter_plan
from search.plan import Boolean, ParsedQuery
from search.query import parse_query
from search.ranking import RERANK_DEPTH, Weights, proximity_bonus
from search.scoring import Evaluator, IndexArrays, Scores, top
from search.results import accented_form, article_from_stored, hit_from_stored, parse_stored_date, snippet
from search.schema import ANALYZER_NAME, FOLDED_TEXT, SCHEMA_VERSION, build_schema
from search.writer import DEFAULT_BATCH_SIZE, LOCK_TIMEOUT_SECONDS, Progress, write_articles
from search.fastwriter import FastSegmentWriter
from search.trust import DIRECTORY_MODE, check_directory, install, refusals_named, write_private_text

META_FILE = "search-index.json"
DEFAULT_TIMEOUT = 2.0  # seconds
SORTS = ("relevance", "date")
INFO_FACETS = ("place", "author", "category", "source")

install()  # from here on, every pickle Whoosh reads goes through our allow-list (search.trust)


def _meta() -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "analyzer": ANALYZER_NAME}


def _naming_refusals(method: Callable[..., Any]) -> Callable[..., Any]:
    """A pickle refused while reading (a posting block, stored fields) names the index folder."""

    @functools.wraps(method)
    def named(self: "Index", *args: Any, **kwargs: Any) -> Any:
        if self._path is None:
            return method(self, *args, **kwargs)
        with refusals_named(self._path):
            return method(self, *args, **kwargs)

    return named


class Index:
    """A Vietnamese full-text index on disk or in memory. Use as a context manager."""

    def __init__(self, whoosh: WhooshIndex, path: Path | None) -> None:
        """Internal: use ``Index.create``, ``Index.open`` or ``Index.in_memory``."""
        self._whoosh = whoosh
        self._path = path
        self._searcher: Searcher | None = None
        self._arrays: IndexArrays | None = None
        self._weights = Weights()

    # -- opening -------------------------------------------------------------

    @staticmethod
    def exists(path: str | os.PathLike[str]) -> bool:
        return (Path(path) / META_FILE).is_file()

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, overwrite: bool = False) -> Index:
        """A new, empty index at ``path``; ``overwrite=True`` replaces an existing one.

        A new directory is made 0700 and its files 0600; an existing one must be trusted
        (``search.trust``), or ``IndexUntrustedError``.
        """
        path = Path(path)
        if path.is_dir():
            check_directory(path)
            with refusals_named(path):
                if cls.exists(path) or whoosh_index.exists_in(str(path)):
                    if not overwrite:
                        raise FileExistsError(f"{path} already holds an index; open it, or pass overwrite=True")
                    _remove_index_files(path)
        path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        whoosh = whoosh_index.create_in(str(path), build_schema())
        write_private_text(path / META_FILE, json.dumps(_meta()) + "\n")
        return cls(whoosh, path)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Index:
        """Open the index at ``path``; it must exist and have this library's schema.

        Nothing in it runs: the directory must be trusted and every pickle Whoosh reads
        passes an allow-list (``search.trust``), or ``IndexUntrustedError``.
        """
        path = Path(path)
        if path.is_dir():
            check_directory(path)
        with refusals_named(path):
            return cls._open_trusted(path)

    @classmethod
    def _open_trusted(cls, path: Path) -> Index:
        if not cls.exists(path):
            if path.is_dir() and whoosh_index.exists_in(str(path)):
                raise IndexVersionError(
                    f"{path} holds an index of an older version; run: search index --rebuild PATH..."
                )
            raise IndexNotFoundError(f"no index at {path}; create one with: search index PATH...")
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        if meta != _meta():
            raise IndexVersionError(
                f"{path} is schema v{meta.get('schema_version')} ({meta.get('analyzer')}), "
                f"this is v{SCHEMA_VERSION}; run: search index --rebuild PATH..."
            )
        ix = cls(whoosh_index.open_dir(str(path)), path)
        try:
            ix._current_searcher()  # reads every segment's directories and headers: refusals come now
        except BaseException:
            ix.close()
            raise
        return ix

    @classmethod
    def open_or_create(cls, path: str | os.PathLike[str]) -> Index:
        return cls.open(path) if cls.exists(path) else cls.create(path)

    @classmethod
    def in_memory(cls) -> Index:
        """An index that lives in RAM only (tests, short-lived tools)."""
        return cls(RamStorage().create_index(build_schema()), None)

    # -- writing -------------------------------------------------------------

    def add(self, article: Article) -> IndexReport:
        return self.add_many([article])

    @_naming_refusals
    def add_many(
        self,
        articles: Iterable[Article | Skipped],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Progress | None = None,
    ) -> IndexReport:
        """Index ``articles``; an id already in the index is replaced.

        Documents are committed every ``batch_size``; ``progress`` is called after each.
        """
        try:
            return write_articles(self._whoosh, articles, batch_size, progress)
        except LockError:
            raise IndexLockedError(
                f"{self._path} is being written by another process; wait for it, then retry"
            ) from None
        finally:
            self._forget_searcher()

    @_naming_refusals
    def delete(self, id: str) -> bool:
        """Remove the article ``id``; False if there was none."""
        try:
            writer = FastSegmentWriter(self._whoosh, timeout=LOCK_TIMEOUT_SECONDS)
        except LockError:
            raise IndexLockedError(f"{self._path} is being written by another process") from None
        deleted = writer.delete_by_term("id", id)
        writer.commit()
        self._forget_searcher()
        return deleted > 0

    # -- reading -------------------------------------------------------------

    def _current_searcher(self) -> Searcher:
        if self._searcher is not None and not self._searcher.up_to_date():
            self._forget_searcher()
        if self._searcher is None:
            self._searcher = self._whoosh.searcher()
        return self._searcher

    def _current_arrays(self) -> IndexArrays:
        searcher = self._current_searcher()
        if self._arrays is None:
            self._arrays = IndexArrays.open(searcher)
        return self._arrays

    def _forget_searcher(self) -> None:
        if self._arrays is not None:
            self._arrays.close()
            self._arrays = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    @_naming_refusals
    def search(
        self,
        text: str = "",
        *,
        author: str | None = None,
        place: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        category: str | None = None,
        source: str | None = None,
        exact_place: bool = False,
        sort: str = "relevance",
        facets: Iterable[str] = (),
        facet_limit: int = DEFAULT_FACET_LIMIT,
        limit: int = 10,
        offset: int = 0,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> SearchResults:
        """The best ``limit`` matches for ``text`` after skipping ``offset``.

        The keyword filters narrow the matches like ``author:`` … in the text; dates
        are inclusive, day-first strings or ``date`` objects. A place matches the
        units merged into it in 2025 unless ``exact_place``. ``sort="date"`` puts the
        newest first (it is the order when ``text`` is empty). ``facets`` names
        counts to return over all matches (``place``, ``author``, ``province``,
        ``category``, ``source``, ``month``, ``year``). After ``timeout`` seconds the
        search stops and says so (``SearchResults.cut_short``).

        Raises ``QueryError`` when the text or a filter cannot be parsed.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r}: use {' or '.join(SORTS)}")
        facets = tuple(dict.fromkeys(facets))
        if unknown := [f for f in facets if f not in FACETS]:
            raise QueryError(f"unknown facet {unknown[0]!r}: use {', '.join(FACETS)}")
        filters = filter_plan(
            author=author, place=place, since=since, until=until, category=category, source=source,
            merged_places=not exact_place,
        )  # fmt: skip
        parsed = parse_query(text, self._weights, merged_places=not exact_place) if text.strip() else None
        if parsed is None and not filters:
            raise QueryError("empty query: give words to search for, or a filter such as --place")
        plan = parsed.plan if parsed and not filters else Boolean(must=((parsed.plan,) if parsed else ()) + tuple(filters))
        arrays = self._current_arrays()
        evaluator = Evaluator(arrays, self._weights, deadline=time.monotonic() + timeout if timeout else None)
        scores = evaluator.run(plan)
        if sort == "date" or parsed is None:
            ranked = self._newest(arrays, scores, offset + limit)
        else:
            ranked = self._best(arrays, scores, parsed, offset + limit)
        page = [(arrays.searcher.stored_fields(docnum), score) for docnum, score in ranked[offset : offset + limit]]
        accented, folded = (parsed.accented, parsed.folded | evaluator.expanded) if parsed else (frozenset(), frozenset())
        hits = tuple(
            hit_from_stored(stored, score, snippet(stored.get("body") or "", accented, folded))
            for stored, score in page
        )
        suggestion = None
        if parsed and parsed.unaccented_words and ranked:
            best = page[0][0] if offset == 0 and page else arrays.searcher.stored_fields(ranked[0][0])
            suggestion = _suggestion(parsed, best)
        return SearchResults(
            query=text,
            total=int(scores.mask.sum()),
            hits=hits,
            suggestion=suggestion,
            facets={name: arrays.facet(name).counts(scores.mask, facet_limit) for name in facets},
            cut_short=evaluator.cut_short,
        )

    def _best(self, arrays: IndexArrays, scores: Scores, parsed: ParsedQuery, count: int) -> list[tuple[int, float]]:
        """The best ``count`` by score, the top ``RERANK_DEPTH`` re-ranked by syllable adjacency."""
        best = dict(top(scores, max(RERANK_DEPTH, count)))
        bonuses = proximity_bonus(
            lambda key, docnums: arrays.positions(FOLDED_TEXT, key, docnums),
            lambda key: arrays.idf(FOLDED_TEXT, key),
            list(best),
            parsed.runs,
            self._weights,
        )
        for docnum, bonus in bonuses.items():
            best[docnum] += bonus
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))

    @staticmethod
    def _newest(arrays: IndexArrays, scores: Scores, count: int) -> list[tuple[int, float]]:
        ordered = newest_first(np.flatnonzero(scores.mask), arrays.days(), scores.score)[:count]
        return [(int(d), float(scores.score[d])) for d in ordered]

    @_naming_refusals
    def facets(self, names: Iterable[str] = FACETS, *, limit: int = DEFAULT_FACET_LIMIT) -> dict[str, dict[str, int]]:
        """Facet counts over the whole index (``search info``)."""
        arrays = self._current_arrays()
        return {name: arrays.facet(name).counts(arrays.live, limit) for name in names}

    @_naming_refusals
    def get(self, id: str) -> Article | None:
        stored = self._current_searcher().document(id=id)
        return article_from_stored(stored) if stored else None

    def count(self) -> int:
        return self._current_searcher().doc_count()

    @_naming_refusals
    def info(self) -> IndexInfo:
        searcher = self._current_searcher()
        dates = [d.decode("utf-8") for d in searcher.reader().lexicon("published")]
        size = sum(f.stat().st_size for f in self._path.iterdir() if f.is_file()) if self._path else 0
        return IndexInfo(
            path=str(self._path) if self._path else None,
            documents=searcher.doc_count(),
            size_bytes=size,
            first_date=parse_stored_date(dates[0]) if dates else None,
            last_date=parse_stored_date(dates[-1]) if dates else None,
            schema_version=SCHEMA_VERSION,
            top=self.facets(INFO_FACETS),
            per_year=dict(sorted(self.facets(["year"], limit=10_000)["year"].items())),
        )

    # -- closing -------------------------------------------------------------

    def close(self) -> None:
        self._forget_searcher()
        self._whoosh.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _suggestion(parsed: ParsedQuery, best: dict[str, Any]) -> str | None:
    """How the top hit spells a query typed without marks (``hau giang`` → "Hậu Giang")."""
    for text in (best.get("title") or "", best.get("body") or ""):
        if form := accented_form(text, parsed.unaccented_words):
            return form
    return None


def _remove_index_files(path: Path) -> None:
    """Delete an index's own files, never anything else in the folder."""
    for entry in path.iterdir():
        name = entry.name
        if name == META_FILE or name.endswith((".toc", ".seg", ".pst", ".trm", ".lock")) or name.startswith(("_MAIN_", "MAIN_")):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
