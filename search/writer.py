"""Articles into the index: one analysis pass per article, update by id, batched commits.

Every ``batch_size`` documents are committed, so an interrupted or failed run
keeps everything before its last commit.

The caller holds the index's write lock for the whole run (``Index`` does): Whoosh's
writers here never take it themselves, so a failed batch cannot keep it, and nobody
else's batches slip in between ours. ``LockHolder`` is what a lock holder records
about itself, so that a writer who waited in vain can say whom it waited for.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Protocol, Sequence

from whoosh.index import Index as WhooshIndex
from whoosh.reading import IndexReader

from search.analysis import Terms, canonical_terms, index_terms
from search.errors import IndexingInterrupted
from search.fastwriter import FastSegmentWriter
from search.ledger import Ledger
from search.models import Article, FileRead, IndexReport, Skipped
from search.normalize import search_key
from search.places import lookup as lookup_place
from search.schema import FOLDED_TEXT, TEXT, TITLE_WEIGHT

MAX_DISTINCT_TERMS = 20_000  # per article body; a long real article has a few thousand
DEFAULT_BATCH_SIZE = 5_000
LOCK_POLL_SECONDS = 0.1

Item = Article | Skipped | FileRead
Progress = Callable[[Item], None]


class Lock(Protocol):
    """Whoosh's write lock: ``FileLock`` (an ``fcntl.flock``) on disk, a thread lock in RAM."""

    def acquire(self, blocking: bool = False) -> bool: ...

    def release(self) -> None: ...


def acquire_lock(lock: Lock, timeout: float) -> bool:
    """Try ``lock`` until it is taken (True) or ``timeout`` seconds have passed (False)."""
    deadline = time.monotonic() + max(0.0, timeout)
    while not lock.acquire(False):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(LOCK_POLL_SECONDS, left))
    return True


@dataclass(frozen=True)
class LockHolder:
    """The process holding an index's write lock, as it recorded itself on taking it.

    Only a name for messages: the lock itself (a flock, gone with its process) is the truth.
    """

    pid: int
    host: str
    since: datetime

    @classmethod
    def this_process(cls) -> LockHolder:
        return cls(os.getpid(), socket.gethostname(), datetime.now().astimezone())

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "since": self.since.isoformat()}) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LockHolder | None:
        """The holder a side file names; None when it is garbled."""
        try:
            record = json.loads(text)
            return cls(int(record["pid"]), str(record["host"]), datetime.fromisoformat(record["since"]))
        except (ValueError, TypeError, KeyError):
            return None

    def is_gone(self) -> bool:
        """True when the process is known to have ended (only knowable on this host)."""
        if self.host != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, but someone else's
            return False
        return False

    def describe(self) -> str:
        """``pid 4242 (since 14:03:07)``; the host and the day only when they are not ours and today."""
        since = self.since.astimezone()
        when = since.strftime("%H:%M:%S" if since.date() == datetime.now().date() else "%Y-%m-%d %H:%M:%S")
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where} (since {when})"


def locked_message(directory: object, holder: LockHolder | None) -> str:
    """The one line a writer says when it waited for the lock in vain."""
    who = "another process" if holder is None or holder.is_gone() else holder.describe()
    return f"index {directory} is being written by {who}; wait for it or stop it, then retry"


def _weighted(body: Sequence[bytes], title: Sequence[bytes]) -> Counter[bytes]:
    counts = Counter(body)
    for term in title:
        counts[term] += TITLE_WEIGHT
    return counts


def _positional(title: Sequence[bytes], body: Sequence[bytes]) -> dict[bytes, tuple[int, list[int]]]:
    """term → (weight, positions); the body starts one position after the title
    so that no phrase spans the two."""
    positions: dict[bytes, list[int]] = {}
    start = positions.setdefault
    for position, term in enumerate(title):
        start(term, []).append(position)
    for position, term in enumerate(body, len(title) + 1):
        start(term, []).append(position)
    weighted = {term: (len(where), where) for term, where in positions.items()}
    for term, count in Counter(title).items():
        weighted[term] = (len(positions[term]) + (TITLE_WEIGHT - 1) * count, positions[term])
    return weighted


def name_keys(names: Iterable[str]) -> list[bytes]:
    """Index terms of names: each whole name folded (``nguyen trieu``) and its syllables."""
    keys: list[bytes] = []
    for name in names:
        syllables = [search_key(t) for t in canonical_terms(name)]
        if syllables:
            whole = " ".join(syllables)
            keys.append(whole.encode("utf-8"))
            keys.extend(s.encode("utf-8") for s in syllables if s != whole)
    return keys


def fingerprint(article: Article) -> str:
    """A hash of everything stored about an article: equal means unchanged."""
    content = json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()


def current_provinces(places: Iterable[str]) -> tuple[str, ...]:
    """The units the places belong to since 1 July 2025 (Hậu Giang → Cần Thơ)."""
    found = (lookup_place(name) for name in places)
    return tuple(dict.fromkeys(p.current for p in found if p is not None))


def capped(terms: Terms) -> Terms:
    """``terms`` up to the ``MAX_DISTINCT_TERMS``-th distinct one: past that a text is not
    prose (a dump of ids or hashes), and each new term costs Whoosh a term-table entry
    (300,000 distinct tokens took 30 s). The stored text stays whole."""
    if len(terms.accented) <= MAX_DISTINCT_TERMS:
        return terms
    seen: set[bytes] = set()
    for end, term in enumerate(terms.accented):
        seen.add(term)
        if len(seen) > MAX_DISTINCT_TERMS:
            return terms.truncated(end)
    return terms


Syllables = tuple[tuple[bytes, ...], ...]


def document(article: Article, content: str | None = None) -> dict[str, Any]:
    """The Whoosh document for one article (indexed terms and stored originals);
    ``content`` is its ``fingerprint`` when the caller has it already."""
    return prepared(article, content)[0]


def prepared(article: Article, content: str | None = None) -> tuple[dict[str, Any], Syllables]:
    """``document``, and the accented syllables of its title and body with the ends of
    their sentences marked, for the segment's syllable statistics (``search.syllable_stats``)."""
    title, body = index_terms(article.title), capped(index_terms(article.body))
    return _document(article, content, title, body), (title.marked, body.marked)


def _document(article: Article, content: str | None, title: Terms, body: Terms) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": article.id,
        TEXT: _weighted(body.accented, title.accented),
        FOLDED_TEXT: _positional(title.folded, body.folded),
        "title": article.title,
        "body": article.body,
        "url": article.url,
        "date": article.date.isoformat() if article.date else None,
        "authors": list(article.authors),
        "places": list(article.places),
        "category_name": article.category,
        "source_name": article.source,
        "dateline": article.dateline,
        "reposted_by": article.reposted_by,
        "original": article.original,
        "fingerprint": content or fingerprint(article),
    }
    if article.date:
        doc["published"] = article.date.isoformat()[:10]
    for key, names in (
        ("author", article.authors),
        ("place", article.places),
        ("province", current_provinces(article.places)),
        ("category", (article.category,) if article.category else ()),
        ("source", (article.source,) if article.source else ()),
    ):
        if names:
            doc[key] = name_keys(names)
            doc[f"{key}_label"] = [name.strip().encode("utf-8") for name in names if name.strip()]
    return doc


class BatchWriter:
    """Adds articles with replace-by-id semantics, committing every ``batch_size``.

    ``added`` and ``replaced`` count committed documents only. The caller holds the
    write lock. With a ``ledger``, each commit carries it forward with the files read
    whole so far (``search.ledger``); without one, commits have none.
    """

    def __init__(self, index: WhooshIndex, batch_size: int = DEFAULT_BATCH_SIZE, ledger: Ledger | None = None) -> None:
        self._index = index
        self._batch_size = max(1, batch_size)
        self.ledger = ledger
        self._files_read: list[FileRead] = []
        self._writer: FastSegmentWriter | None = None
        self._existing: IndexReader | None = None  # what was committed before this batch
        self._pending: set[str] = set()
        self._pending_replaced = 0
        self.added = self.replaced = self.unchanged = 0
        self.skipped: list[Skipped] = []

    def _open(self) -> FastSegmentWriter:
        if self._writer is None:
            self._writer = FastSegmentWriter(self._index, _lk=False)  # the caller holds the lock
            self._existing = self._writer.reader()
        return self._writer

    def add(self, article: Article) -> None:
        if article.id in self._pending:
            self.commit()  # the same id twice in one batch: make the first visible
        writer = self._open()
        try:
            content = fingerprint(article)
            if self._is_unchanged(content):  # before the analysis: re-runs are cheap
                self.unchanged += 1
                return
            doc, syllables = prepared(article, content)
        except (ValueError, TypeError) as error:
            self.skipped.append(Skipped(article.id, str(error)))
            return
        if ("id", article.id) in self._existing:
            self._pending_replaced += writer.delete_by_term("id", article.id)
        writer.add_prepared(doc, syllables)
        self._pending.add(article.id)
        if len(self._pending) >= self._batch_size:
            self.commit()

    def _is_unchanged(self, fingerprint: str) -> bool:
        """True when a committed, live document has exactly this content."""
        assert self._existing is not None
        if ("fingerprint", fingerprint) not in self._existing:
            return False
        return any(True for _ in self._existing.postings("fingerprint", fingerprint).all_ids())

    def file_read(self, read: FileRead) -> None:
        """Every article of ``read`` has been added: the next commit records the file."""
        if self.ledger is not None:
            self._open()  # so that a commit records it even when no article comes after
            self._files_read.append(read)

    def commit(self) -> None:
        if self._writer is not None:
            ledger = self.ledger.with_files(self._files_read) if self.ledger is not None else None
            self._writer.ledger_json = ledger.to_json() if ledger is not None else None
            try:
                self._writer.commit()
            except KeyboardInterrupt:
                # Ctrl-C after the TOC was renamed into place: the batch is committed,
                # and the report must say so.
                if (self._index.latest_generation() or 0) >= self._writer.generation:
                    self._count_committed(ledger)
                raise
            self._count_committed(ledger)

    def _count_committed(self, ledger: Ledger | None) -> None:
        self.ledger = ledger
        self._files_read.clear()
        self.replaced += self._pending_replaced
        self.added += len(self._pending) - self._pending_replaced
        self._forget_batch()

    def cancel(self) -> None:
        """Drop the uncommitted batch (earlier commits stay)."""
        if self._writer is not None:
            try:
                if not self._writer.is_closed:  # a commit that failed half-way may have closed it
                    self._writer.cancel()
            finally:
                self._forget_batch()

    def _forget_batch(self) -> None:
        if self._existing is not None:
            self._existing.close()
        self._writer = self._existing = None
        self._pending.clear()
        self._pending_replaced = 0
        self._files_read.clear()

    def report(self, started: float) -> IndexReport:
        return IndexReport(
            added=self.added,
            replaced=self.replaced,
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            seconds=time.perf_counter() - started,
        )


def write_articles(
    index: WhooshIndex,
    articles: Iterable[Item],
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    ledger: Ledger | None = None,
) -> IndexReport:
    """Index ``articles``; ``Skipped`` items from a reader go straight to the report, and
    ``FileRead`` ones into the ``ledger`` each commit writes (none without a ledger).

    The caller holds the index's write lock. On Ctrl-C the open batch is dropped and ``IndexingInterrupted`` carries the
    report of what earlier commits kept.
    """
    started = time.perf_counter()
    batch = BatchWriter(index, batch_size, ledger)
    try:
        for item in articles:
            if isinstance(item, Skipped):
                batch.skipped.append(item)
            elif isinstance(item, FileRead):
                batch.file_read(item)
            else:
                batch.add(item)
            if progress is not None:
                progress(item)
        batch.commit()
    except KeyboardInterrupt as interrupt:
        batch.cancel()
        raise IndexingInterrupted(batch.report(started)) from interrupt
    except BaseException:
        batch.cancel()
        raise
    return batch.report(started)
