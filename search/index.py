"""``Index``: the one place that opens Whoosh indexes, writers and searchers.

Writers take the index's write lock for a whole ``add_many`` or ``delete``, waiting up
to ``lock_timeout`` seconds (``search.folder``: creating, opening at a sound commit and
locking the folder). Readers survive commits made under them: opening retries when a
commit deleted a file it was about to read, and every segment's stored fields are opened
with the searcher, so a later merge cannot pull them away. Whoosh types never leave here.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
import warnings
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import Index as WhooshIndex
from whoosh.searching import Searcher

from search.errors import (
    IndexDamagedError,
    IndexNotFoundError,
    IndexRecoveredWarning,
    IndexVersionError,
    QueryError,
)
from search.models import Article, Hit, IndexInfo, IndexReport, SearchResults, Skipped, Understood
from search.facets import DEFAULT_FACET_LIMIT, FACETS, newest_first
from search.filters import filter_plan, name_key
from search.plan import Boolean, ParsedQuery, Plan
from search.query import parse_query
from search.ranking import RERANK_DEPTH, Weights, place_bonus, proximity_bonus
from search.scoring import Evaluator, IndexArrays, Scores, top
from search.results import accented_form, article_from_stored, capitals_of, hit_from_stored, parse_stored_date, snippet
from search.schema import FOLDED_TEXT, SCHEMA_VERSION, TEXT, build_schema
from search.writer import DEFAULT_BATCH_SIZE, Progress, write_articles
from search.fastwriter import FastSegmentWriter
from search.check import Problem, verify
from search.folder import (
    LOCK_HOLDER_FILE,  # re-exported: it names the lock's holder (tests, tools)
    META_FILE,
    OPEN_ATTEMPTS,
    OPEN_RETRY_SECONDS,
    create_whoosh_index,
    holding_write_lock,
    holds_index,
    meta,
    open_commit,
    recovered_message,
    refuse_network_fs,
    remove_index_files,
    retrying_vanished_files,
)
from search.analysis import canonical_terms
from search.ledger import Ledger
from search.normalize import canonical_word, search_key
from search.restore import Restoration, Statistics, is_restorable, restore
from search.suggest import Completion, complete
from search.syllable_stats import SyllableStats
from search.topic_stats import SURE_ENOUGH, TOPIC_HITS, RememberedStatistics, TopicStatistics
from search.typos import corrections
from search.synonyms import Synonyms
from search.trust import DIRECTORY_MODE, check_directory, install, refusals_named, write_private_text

SYNONYMS_FILE = "search-synonyms.txt"  # the user's synonyms, kept with the index (``store_synonyms``)
DEFAULT_LOCK_TIMEOUT = 5.0  # seconds a writer waits for another one (the CLI waits 30)
DEFAULT_TIMEOUT = 2.0  # seconds
SORTS = ("relevance", "date")
INFO_FACETS = ("place", "author", "category", "source")

install()  # from here on, every pickle Whoosh reads goes through our allow-list (search.trust)

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

    def __init__(
        self, whoosh: WhooshIndex, path: Path | None, recovered: Iterable[Problem] = (), allow_network_fs: bool = False
    ) -> None:
        """Internal: use ``Index.create``, ``Index.open`` or ``Index.in_memory``."""
        self._whoosh = whoosh
        self._path = path
        self._allow_network_fs = allow_network_fs
        self._synonyms: Synonyms | None = None
        self.recovered: tuple[Problem, ...] = tuple(recovered)
        """What is wrong with the newest commit when it was damaged and the one before it was
        opened instead (``IndexRecoveredWarning``); empty normally."""
        self._searcher: Searcher | None = None
        self._arrays: IndexArrays | None = None
        self._stats: SyllableStats | None = None
        self._weights = Weights()

    # -- opening -------------------------------------------------------------

    @staticmethod
    def exists(path: str | os.PathLike[str]) -> bool:
        return (Path(path) / META_FILE).is_file()

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        allow_network_fs: bool = False,
    ) -> Index:
        """A new, empty index at ``path``; ``overwrite=True`` replaces an existing one, once
        its writer (if any) has finished, waiting up to ``lock_timeout`` like ``add_many``.

        A new directory is made 0700 and its files 0600; an existing one must be trusted
        (``search.trust``), or ``IndexUntrustedError``. A folder on a network file system
        is refused (``IndexOnNetworkError``) unless ``allow_network_fs``.
        """
        path = Path(path)
        if not allow_network_fs:
            refuse_network_fs(path)
        if path.is_dir():
            check_directory(path)
        path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        lock = FileStorage(str(path)).lock("MAIN_WRITELOCK")
        with refusals_named(path), holding_write_lock(lock, path, lock_timeout):
            if holds_index(path) and not overwrite:
                raise FileExistsError(f"{path} already holds an index; open it, or pass overwrite=True")
            remove_index_files(path)  # an index being replaced, or the start of one a kill interrupted
            return cls(create_whoosh_index(path), path, allow_network_fs=allow_network_fs)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, allow_network_fs: bool = False) -> Index:
        """Open the index at ``path``; it must exist and have this library's schema.

        Nothing in it runs: the directory must be trusted and every pickle Whoosh reads
        passes an allow-list (``search.trust``), or ``IndexUntrustedError``. Writing to
        an index on a network file system is refused unless ``allow_network_fs``.
        """
        path = Path(path)
        if path.is_dir():
            check_directory(path)
        with refusals_named(path):
            ix = cls._open_trusted(path)
        ix._allow_network_fs = allow_network_fs
        return ix

    @classmethod
    def _open_trusted(cls, path: Path) -> Index:
        if not cls.exists(path):
            if path.is_dir() and holds_index(path):
                raise IndexVersionError(
                    f"{path} holds an index of an older version; run: search index --rebuild PATH..."
                )
            raise IndexNotFoundError(f"no index at {path}; create one with: search index PATH...")
        try:
            written = json.loads((path / META_FILE).read_text(encoding="utf-8"))
            if not isinstance(written, dict):
                raise ValueError("not an object")
        except (ValueError, OSError) as error:  # UnicodeDecodeError is a ValueError
            raise IndexDamagedError(path, [Problem(META_FILE, f"unreadable ({type(error).__name__})")]) from None
        if written != meta():
            raise IndexVersionError(
                f"{path} is schema v{written.get('schema_version')} ({written.get('analyzer')}), "
                f"this is v{SCHEMA_VERSION}; run: search index --rebuild PATH..."
            )
        whoosh, recovered = open_commit(path)
        ix = cls(whoosh, path, recovered)
        try:
            ix._current_searcher()  # reads every segment's directories and headers: refusals come now
        except BaseException:
            ix.close()
            raise
        if recovered:
            warnings.warn(IndexRecoveredWarning(recovered_message(path, recovered)), stacklevel=3)
        return ix

    @staticmethod
    def check(path: str | os.PathLike[str], *, deep: bool = True) -> list[Problem]:
        """Everything wrong with the index at ``path``: each file against the manifest of the
        last commit (size, SHA-256), then, if all match, every segment, stored document and
        posting array read back. An empty list means the index is intact. ``Problem.fatal`` is
        False for leftovers that harm nothing (files of an interrupted run)."""
        path = Path(path)
        if not Index.exists(path):
            raise IndexNotFoundError(f"no index at {path}; create one with: search index PATH...")
        check_directory(path)
        return verify(path, deep=deep)

    @classmethod
    def open_or_create(
        cls, path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, allow_network_fs: bool = False
    ) -> Index:
        if not cls.exists(path):
            try:
                return cls.create(path, lock_timeout=lock_timeout, allow_network_fs=allow_network_fs)
            except FileExistsError:  # another process created it while we waited for the lock
                pass
        return cls.open(path, allow_network_fs=allow_network_fs)

    @classmethod
    def in_memory(cls) -> Index:
        """An index that lives in RAM only (tests, short-lived tools)."""
        return cls(_PrivateRamStorage().create_index(build_schema()), None)

    # -- writing -------------------------------------------------------------

    def add(self, article: Article, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> IndexReport:
        return self.add_many([article], lock_timeout=lock_timeout)

    @_naming_refusals
    def add_many(
        self,
        articles: Iterable[Article | Skipped],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Progress | None = None,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        ledger: Ledger | None = None,
    ) -> IndexReport:
        """Index ``articles``; an id already in the index is replaced.

        Documents are committed every ``batch_size``; ``progress`` is called after each.
        While another process writes, waits up to ``lock_timeout`` seconds, then raises
        ``IndexLockedError`` naming it. The lock is held until the last commit, and
        released whatever happens. ``ledger`` (from ``file_ledger``) is carried into each
        commit with the ``FileRead`` items met; without it, the commits have no ledger.
        """
        try:
            with self._write_lock(lock_timeout):
                return write_articles(self._whoosh, articles, batch_size, progress, ledger)
        finally:
            self._forget_searcher()

    @property
    def synonyms(self) -> Synonyms:
        """The built-in abbreviation pack merged with the synonyms stored with this index."""
        if self._synonyms is None:
            self._synonyms = Synonyms.builtin()
            if self._path is not None and (self._path / SYNONYMS_FILE).is_file():
                self._synonyms = self._synonyms.merged(Synonyms.from_file(self._path / SYNONYMS_FILE))
        return self._synonyms

    def store_synonyms(self, user: Synonyms, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        """Keep ``user`` synonyms with the index (replacing earlier ones): every later search
        uses them. In memory, for this ``Index`` only."""
        if self._path is not None:
            with self._write_lock(lock_timeout):
                temp = self._path / f"{SYNONYMS_FILE}.tmp"
                write_private_text(temp, user.to_text(), sync=True)
                os.replace(temp, self._path / SYNONYMS_FILE)
        self._synonyms = Synonyms.builtin().merged(user)

    def _reading(self, parsed: ParsedQuery, stats: Statistics, arrays: IndexArrays) -> Restoration | None:
        """The most likely accented reading of a query of plain words typed (partly) without
        marks, its typos put right (``typos``), when it differs from what was typed
        (``restore``); None otherwise, and for a query read as keystrokes (``typed_as``) or an
        index without syllable statistics."""
        words = parsed.plain_words
        if not words or parsed.typed_as:
            return None
        typos = corrections(words, stats, lambda key: arrays.has_term(FOLDED_TEXT, key))
        if (not typos and not any(map(is_restorable, words))) or not stats.total:
            return None
        reading = restore(words, stats, corrections=typos, question=parsed.question)
        return reading if reading.changed else None

    def suggest(self, prefix: str, *, limit: int = 10) -> list[Completion]:
        """Completions of ``prefix`` as a user types it (``hau gi`` → "hậu giang", "hậu giường"…),
        with their marks, commonest first (``search.suggest``). Empty for an index without
        syllable statistics."""
        if limit < 0:
            raise ValueError("limit must not be negative")
        self._current_arrays()  # the newest commit
        return complete(prefix, self._current_stats(), limit)

    def file_ledger(self, context: str) -> Ledger:
        """The input files the current commit holds as they are (``search.ledger``), if it
        was written in ``context``; empty otherwise, and for an index in memory."""
        if self._path is None:
            return Ledger(context)
        return Ledger.load(self._path, self._whoosh.indexname, self._whoosh.latest_generation(), context)

    @_naming_refusals
    def delete(self, id: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> bool:
        """Remove the article ``id``; False if there was none. Waits for the lock like ``add_many``."""
        with self._write_lock(lock_timeout):
            writer = FastSegmentWriter(self._whoosh, _lk=False)  # we hold the lock
            try:
                deleted = writer.delete_by_term("id", id)
                writer.commit()
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
        self._forget_searcher()
        return deleted > 0

    @contextmanager
    def _write_lock(self, timeout: float) -> Iterator[None]:
        """Hold the write lock for the block, naming this process in ``LOCK_HOLDER_FILE``;
        a killed writer's leftovers are removed first."""
        if self._path is not None and not self._allow_network_fs:
            refuse_network_fs(self._path)
        with holding_write_lock(self._whoosh.lock("WRITELOCK"), self._path, timeout):
            yield

    # -- reading -------------------------------------------------------------

    def _current_searcher(self) -> Searcher:
        if self._searcher is not None and not self._searcher.up_to_date():
            self._forget_searcher()
        if self._searcher is None:
            self._searcher = self._open_searcher()
        return self._searcher

    def _open_searcher(self) -> Searcher:
        """A searcher on the newest commit, its stored-fields files open (``_open_stored_fields``)."""
        for _ in range(OPEN_ATTEMPTS):
            searcher = self._whoosh.searcher()  # Whoosh retries a vanished segment file itself
            try:
                if _open_stored_fields(searcher):
                    return searcher
            except FileNotFoundError:
                pass  # it vanished between Whoosh's look and its open: gone all the same
            except BaseException:
                searcher.close()
                raise
            searcher.close()  # a commit merged a segment away under us: take the newest
            time.sleep(OPEN_RETRY_SECONDS)
        raise FileNotFoundError(f"the stored fields of index {self._path} keep vanishing; run: search check")

    def _current_arrays(self) -> IndexArrays:
        self._current_searcher()
        if self._arrays is None:
            self._arrays = retrying_vanished_files(self._open_arrays)
        return self._arrays

    def _open_arrays(self) -> IndexArrays:
        try:
            return IndexArrays.open(self._current_searcher())
        except FileNotFoundError:
            self._forget_searcher()  # a commit merged its segments away: the retry takes the newest
            raise

    def _current_stats(self) -> SyllableStats:
        """The syllable and pair counts (``syllable_stats``) of the searcher the current call
        already uses (``_current_arrays`` first): never refreshed under it, since a refresh
        closes the arrays in use. A commit that removed the files meanwhile leaves none."""
        if self._stats is None:
            assert self._searcher is not None, "call _current_arrays() first"
            try:
                self._stats = SyllableStats.from_reader(self._searcher.reader())
            except FileNotFoundError:
                return SyllableStats()
        return self._stats

    def _forget_searcher(self) -> None:
        if self._stats is not None:
            self._stats.close()
            self._stats = None
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
        exact: bool = False,
        synonyms: Synonyms | None = None,
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
        search stops and says so (``SearchResults.cut_short``). Words also match the
        abbreviations and synonyms they stand for (``synonyms``, default: the index's,
        ``Index.synonyms``; ``Synonyms()`` for none); ``exact`` matches words only as typed, marks and all.

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
        arrays = self._current_arrays()
        synonyms = self.synonyms if synonyms is None else synonyms

        def parse(words: str, exact: bool = False) -> ParsedQuery:
            return parse_query(
                words, self._weights, merged_places=not exact_place, synonyms=synonyms, exact=exact,
                known=lambda syllable: arrays.has_term(TEXT, syllable),
                authors=lambda name: arrays.has_term("author", name),
            )  # fmt: skip

        parsed = typed = parse(text, exact) if text.strip() else None
        question = typed is not None and typed.question  # read as one (``sentence_end``)
        stats = RememberedStatistics(self._current_stats)  # opened if read; read twice, looked up once
        reading = self._reading(parsed, stats, arrays) if parsed else None
        if reading is not None:
            parsed = parse(reading.text)
        if parsed is None and not filters:
            raise QueryError("empty query: give words to search for, or a filter such as --place")
        deadline = time.monotonic() + timeout if timeout else None
        evaluator, scores, ranked = self._run(arrays, parsed, filters, sort, offset + limit, deadline)
        if (
            reading is not None and reading.confidence < SURE_ENOUGH  # a sure reading stays (``topic_stats``)
            and sort == "relevance" and ranked and not evaluator.cut_short
            and (topical := self._reread(reading, arrays, ranked, stats, question)) is not None
        ):  # fmt: skip
            reading, parsed = topical, parse(topical.text)
            evaluator, scores, ranked = self._run(arrays, parsed, filters, sort, offset + limit, deadline)
        page = [(arrays.searcher.stored_fields(docnum), score) for docnum, score in ranked[offset : offset + limit]]
        accented, folded, phrases = frozenset(), frozenset(), frozenset()
        if parsed and typed:  # highlighted: the words as typed (unaccented ones in any form) and as read
            accented, folded = typed.accented | parsed.accented, typed.folded | parsed.folded | evaluator.expanded
            phrases = typed.phrases | parsed.phrases
        hits = tuple(
            hit_from_stored(stored, score, snippet(stored.get("body") or "", accented, folded, phrases))
            for stored, score in page
        )
        suggestion = parsed.typed_as if parsed else None
        best = (page[0][0] if offset == 0 and page else arrays.searcher.stored_fields(ranked[0][0])) if ranked else {}
        if reading is not None:
            suggestion = _as_written(reading.syllables, reading.text, best)
        elif suggestion:  # keystrokes read as Telex or VNI
            suggestion = _as_written(tuple(canonical_terms(suggestion)), suggestion, best)
        elif parsed and parsed.unaccented_words and ranked:
            suggestion = _suggestion(parsed.unaccented_words, best)
        return SearchResults(
            query=text,
            total=int(scores.mask.sum()),
            hits=hits,
            suggestion=suggestion,
            facets={name: arrays.facet(name).counts(scores.mask, facet_limit) for name in facets},
            cut_short=evaluator.cut_short,
            understood=_understood(typed, parsed, reading, suggestion, hits, arrays),
        )

    def _run(
        self, arrays: IndexArrays, parsed: ParsedQuery | None, filters: list[Plan], sort: str, count: int, deadline: float | None
    ) -> tuple[Evaluator, Scores, list[tuple[int, float]]]:
        """(the evaluator, the scores of every document, the first ``count`` in order)."""
        plan = parsed.plan if parsed and not filters else Boolean(must=((parsed.plan,) if parsed else ()) + tuple(filters))
        evaluator = Evaluator(arrays, self._weights, deadline=deadline)
        scores = evaluator.run(plan)
        if sort == "date" or parsed is None:
            return evaluator, scores, self._newest(arrays, scores, count)
        return evaluator, scores, self._best(arrays, scores, parsed, count)

    def _reread(
        self, reading: Restoration, arrays: IndexArrays, ranked: list[tuple[int, float]], stats: Statistics, question: bool
    ) -> Restoration | None:
        """The query read again, leaning towards the topic of its best hits (``topic_stats``);
        None when that changes nothing."""
        texts = []
        for docnum, _ in ranked[:TOPIC_HITS]:
            stored = arrays.searcher.stored_fields(docnum)
            texts += [stored.get("title") or "", stored.get("body") or ""]
        typos = {
            i: [search_key(syllable)]
            for i, (typed, syllable) in enumerate(zip(reading.typed, reading.syllables))
            if search_key(syllable) != search_key(canonical_word(typed))
        }  # the words the first reading put right stay candidates
        again = restore(reading.typed, TopicStatistics(stats, texts), corrections=typos, question=question)
        return again if again.changed and again.syllables != reading.syllables else None

    def _best(self, arrays: IndexArrays, scores: Scores, parsed: ParsedQuery, count: int) -> list[tuple[int, float]]:
        """The best ``count`` by score, the top ``RERANK_DEPTH`` re-ranked by syllable adjacency."""
        best = dict(top(scores, max(RERANK_DEPTH, count)))
        bonuses = proximity_bonus(
            lambda a, b, docnums: _adjacent(arrays, a, b, docnums),
            lambda key: arrays.idf(FOLDED_TEXT, key),
            list(best),
            parsed.runs,
            self._weights,
        )
        places = place_bonus(
            lambda key: arrays.postings("place", key)[0],
            lambda key: arrays.idf("place", key),
            list(best),
            parsed.places,
            self._weights,
        )
        for docnum, bonus in [*bonuses.items(), *places.items()]:
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


def _adjacent(arrays: IndexArrays, a: str, b: str, docnums: list[int]) -> dict[int, int]:
    """How many times the folded keys ``a b`` stand side by side in each of ``docnums``."""
    docs, times = arrays.phrase_counts(FOLDED_TEXT, (a, b), np.asarray(sorted(docnums), dtype=np.int64))
    return dict(zip(docs.tolist(), times.tolist()))


def _understood(
    typed: ParsedQuery | None,
    parsed: ParsedQuery | None,
    reading: Restoration | None,
    shown: str | None,
    hits: tuple[Hit, ...],
    arrays: IndexArrays,
) -> tuple[Understood, ...]:
    """What the query's words were also searched as: the reading, then what the query as typed
    and as read stood for (an author by the byline's own name: the hits' if they hold it, else
    the author facet's, which is built on first use), each meaning once."""
    found: dict[tuple[str, tuple[str, ...]], Understood] = {}
    if reading is not None:
        found["reading", ()] = Understood(" ".join(reading.typed), (shown or reading.text,), "reading")
    for query in (typed, parsed):
        for words, meanings, how in query.understood if query else ():
            if how == "author":
                bylines = {name_key(a): a for hit in hits for a in hit.authors}
                labels = (bylines[words],) if words in bylines else arrays.facet("author").labels
                meanings = tuple(label for label in labels if name_key(label) == words) or meanings
            found.setdefault((how, meanings), Understood(words, meanings, how))  # "Hau Giang" read names it too
    return tuple(found.values())


def _suggestion(keys: tuple[str, ...], best: dict[str, Any]) -> str | None:
    """How the top hit spells the words of ``keys`` (``hau giang`` → "Hậu Giang")."""
    return accented_form((best.get("title") or "", best.get("body") or ""), keys)


def _as_written(syllables: tuple[str, ...], read: str, best: dict[str, Any]) -> str:
    """A reading of the query (canonical ``syllables``, ``read`` as shown) as the top hit
    writes it in the middle of a sentence, if it does with the same syllables, i/y spelling
    included (capitals: "Hậu Giang"), or as its byline does when the
    query is an author's name (a byline is often in capitals: "NGUYỄN TRIỆU"), else as read
    with the capitals the hit gives runs of its words (``results.capitals_of``)."""
    texts = (best.get("title") or "", best.get("body") or "")
    if whole := accented_form(texts, tuple(map(search_key, syllables)), syllables, mid_sentence=True):
        return whole
    if bylines := [a for a in best.get("authors") or () if tuple(canonical_terms(a)) == syllables]:
        return bylines[0]
    words = tuple(read.split())
    return " ".join(capitals_of(texts, syllables, words)) if len(words) == len(syllables) else read


class _PrivateRamStorage(RamStorage):
    """Whoosh's in-memory storage, whose writers' temporary files go to a folder of their own.

    Whoosh puts them in ``<system temp>/MAIN.tmp``, one folder for every in-memory index of
    every process, and a writer that finishes deletes the whole folder: two processes (or two
    indexes) writing at once destroyed each other's files ("seek of closed file")."""

    def temp_storage(self, name: str | None = None) -> FileStorage:
        return FileStorage(tempfile.mkdtemp(prefix="search-")).create()


def _open_stored_fields(searcher: Searcher) -> bool:
    """Open every segment's stored-fields file now (Whoosh opens it on the first read);
    False when one is already gone.

    On POSIX an open file outlives its deletion, so a commit that merges a segment away
    in the middle of a search cannot take its stored fields with it. (Whoosh checks that
    the file exists first, and a vanished one reads as "no stored fields": a
    ``TypeError`` deep in ``stored_fields``.)
    """
    for leaf, _ in searcher.reader().leaf_readers():
        per_document = getattr(leaf, "_perdoc", None)  # whoosh.codec.whoosh3.W3PerDocReader
        if per_document is None or not leaf.doc_count_all():
            continue
        if per_document._cached_reader("_stored", STORED_COLUMN) is None:
            return False
    return True
