"""The index folder: created whole, opened at a sound commit, written under one lock.

``Index`` (``search.index``) calls these; none of them keeps state. What each guards
against is in its docstring: a creation a kill interrupted (``create_whoosh_index``,
``holds_index``), a damaged newest commit (``open_commit`` falls back to the one before,
``search.commits``), a file a concurrent commit deleted (``retrying_vanished_files``), a
second writer (``holding_write_lock``: Whoosh's flock, which dies with its process, and
``LOCK_HOLDER_FILE`` naming the holder for a writer that waited in vain), and a folder on
a network file system (``refuse_network_fs``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from whoosh import index as whoosh_index
from whoosh.index import Index as WhooshIndex

from search.check import Problem
from search.commits import FallbackIndex, openable, remove_leftovers_of_killed_runs
from search.errors import IndexDamagedError, IndexLockedError, IndexOnNetworkError
from search.fastwriter import sync_directory, sync_files
from search.filesystems import network_filesystem
from search.manifest import INDEX_NAME, latest_generation, toc_name, write_current_manifest
from search.schema import ANALYZER_NAME, SCHEMA_VERSION, build_schema
from search.trust import write_private_text
from search.writer import LockHolder, acquire_lock, locked_message

META_FILE = "search-index.json"  # the mark of a whole index: schema version and analyzer
LOCK_HOLDER_FILE = "search-writer.json"  # pid, host and start of the process holding the write lock
OPEN_ATTEMPTS, OPEN_RETRY_SECONDS = 10, 0.05  # a concurrent commit deleted a file we were opening

T = TypeVar("T")


def meta() -> dict[str, object]:
    return {"schema_version": SCHEMA_VERSION, "analyzer": ANALYZER_NAME}


def retrying_vanished_files(open_once: Callable[[], T]) -> T:
    """``open_once()``, tried again shortly when a file it opens is not found.

    A commit deletes the files of the segments it merged and the previous table of
    contents; a reader that picked them a moment before finds them gone (``whoosh.md``
    §3.3: 2.8 % of opens). The next attempt reads the newest table of contents.
    """
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            return open_once()
        except FileNotFoundError:
            if attempt == OPEN_ATTEMPTS:
                raise
            time.sleep(OPEN_RETRY_SECONDS)
    raise AssertionError("unreachable")


def open_commit(path: Path) -> tuple[WhooshIndex, list[Problem]]:
    """Whoosh's index at the newest commit that passes ``commit_problems`` (before Whoosh reads
    a byte of it), and the problems of a newer, damaged one. A commit replacing the newest
    meanwhile is not damage, so a failure is looked at again before it counts."""
    for attempt in range(OPEN_ATTEMPTS):
        newest = latest_generation(path)
        try:
            generation, problems = openable(path)
        except LookupError as failed:
            generation, problems = None, list(failed.args[0])
        except FileNotFoundError as gone:  # a file it was checking was just removed by a commit
            generation, problems = None, [Problem(Path(gone.filename or path).name, "vanished while being checked")]
        if not problems:
            return retrying_vanished_files(lambda: whoosh_index.open_dir(str(path))), []
        if attempt and newest == latest_generation(path):  # the same commit failed twice: damage
            break
        time.sleep(OPEN_RETRY_SECONDS)
    if generation is None or newest is None:
        raise IndexDamagedError(path, problems)
    return FallbackIndex(path, generation, damaged=newest), problems


def recovered_message(path: Path, problems: Iterable[Problem]) -> str:
    first = next(iter(problems))
    return (
        f"index {path}: the newest commit is damaged ({first}); opened the commit before it. "
        f"Run `search check {path}`; the next `search index` replaces the damaged commit"
    )


def refuse_network_fs(path: Path) -> None:
    """``IndexOnNetworkError`` when ``path`` is on a network file system (``search.filesystems``)."""
    found = network_filesystem(path)
    if found:
        raise IndexOnNetworkError(
            f"index {path} is on a network file system ({found}), where the write lock and fsync cannot be "
            "trusted; put the index on a local disk, or allow it if only one machine ever writes to it "
            "(--allow-network-fs)"
        )


def lock_holder(path: Path | None) -> LockHolder | None:
    """Who holds the write lock, as its side file says (None: unknown)."""
    if path is None:
        return None
    try:
        return LockHolder.from_json((path / LOCK_HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def create_whoosh_index(path: Path) -> WhooshIndex:
    """Whoosh's empty index, its manifest, then ``META_FILE``: the mark of a whole index,
    written last and atomically, each step on the disk before the next, so that a creation
    a kill or a power loss interrupted is never taken for an index (``holds_index``)."""
    whoosh = whoosh_index.create_in(str(path), build_schema())
    sync_files(path, [toc_name(INDEX_NAME, 0)])  # Whoosh wrote the first TOC itself, unsynced
    write_current_manifest(path)
    sync_directory(path)
    temp = path / f"{META_FILE}.tmp"
    write_private_text(temp, json.dumps(meta()) + "\n", sync=True)
    os.replace(temp, path / META_FILE)
    sync_directory(path)
    sync_directory(path.parent)  # the folder's own entry, when it is new
    return whoosh


def holds_index(path: Path) -> bool:
    """An index of ours, or of an older version (no ``META_FILE`` but commits made); not
    the first TOC of a creation a kill interrupted."""
    if (path / META_FILE).is_file():
        return True
    newest = latest_generation(path)
    return newest is not None and newest > 0


@contextmanager
def holding_write_lock(lock: Any, path: Path | None, timeout: float) -> Iterator[None]:
    """Hold ``lock`` for the block, naming this process in ``LOCK_HOLDER_FILE``, once a killed
    writer's leftovers are removed; ``IndexLockedError`` after ``timeout`` seconds."""
    if not acquire_lock(lock, timeout):
        raise IndexLockedError(locked_message(path or "in memory", lock_holder(path)))
    holder_file = path / LOCK_HOLDER_FILE if path else None
    try:
        if path is not None and holder_file is not None:  # a stale one, left by a killed holder, is overwritten
            write_private_text(holder_file, LockHolder.this_process().to_json())
            remove_leftovers_of_killed_runs(path)
        yield
    finally:
        try:
            if holder_file is not None:  # removed before the release: the next holder's file is not ours
                holder_file.unlink(missing_ok=True)
        finally:
            lock.release()


def remove_index_files(path: Path) -> None:
    """Delete an index's own files, never anything else in the folder."""
    for entry in path.iterdir():
        name = entry.name
        if name.endswith("LOCK"):  # Whoosh's lock, held by the caller: deleting it would break it
            continue
        if (
            name.startswith(META_FILE)
            or name.endswith((".toc", ".seg", ".pst", ".trm", ".lock"))
            or name.startswith(("_MAIN_", "MAIN_", "MANIFEST-", "LEDGER-"))
        ):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
