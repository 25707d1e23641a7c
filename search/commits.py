"""Which commits an index keeps, which one it opens, and which files are leftovers.

Whoosh keeps one commit: as soon as generation N is written it deletes N-1, so a
newest commit damaged on disk leaves nothing to open. We keep two: the newest
commit N and the one before it, N-1, with every file they name. N-1 goes only
when N+1 has been made durable. Segment files never change once written (deletions
live in the table of contents), so keeping N-1 costs only the segments that
merges replaced since.

Opening picks the newest commit that passes a cheap check (``commit_problems``:
its manifest, its TOC's checksum, the size of every file it names). When N fails
and N-1 passes, ``FallbackIndex`` reads N-1 and says so; the next commit writes
generation N again, over the damaged one.

Every file of the index folder that no kept commit names is a leftover (a killed
run's segments, temp TOCs, old manifests, Whoosh's temp folder), removed by the next
writer as soon as it holds the write lock, and after each of its commits.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterable

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex

from search.check import Problem, commit_problems, load_manifest
from search.manifest import (
    INDEX_NAME,
    KEPT_COMMITS,
    META_FILE,
    ManifestError,
    generations,
    manifest_name,
    read_manifest,
    toc_name,
)

_LOCK = re.compile(r".+_[A-Z]*LOCK")  # Whoosh's flock files: deleting one would break the lock
_INDEX_FILE = re.compile(r"_?MAIN_|MAIN\.|MANIFEST-|LEDGER-")  # what Whoosh, the manifests and ledgers name their files


def openable(folder: Path, indexname: str = INDEX_NAME) -> tuple[int, list[Problem]]:
    """The generation to open and the problems of the newest one when that is not it.

    Raises ``LookupError`` with the newest commit's problems when no kept commit passes.
    """
    kept = generations(folder, indexname)[:KEPT_COMMITS]
    if not kept:
        described = load_manifest(folder, None, indexname)
        raise LookupError(described if isinstance(described, list) else [Problem(str(folder), "no table of contents")])
    newest = commit_problems(folder, kept[0], indexname)
    if not newest:
        return kept[0], []
    for older in kept[1:]:
        if not commit_problems(folder, older, indexname):
            return older, newest
    raise LookupError(newest)


def toc_signature(folder: Path, generation: int, indexname: str = INDEX_NAME) -> tuple[int, int, int] | None:
    """What tells one TOC file from another written later under the same name."""
    try:
        found = os.stat(folder / toc_name(indexname, generation))
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


class FallbackIndex(FileIndex):
    """A Whoosh ``FileIndex`` that reads generation ``generation`` while the damaged newer
    one (``damaged``) is still the newest on disk, and the newest as usual once a commit
    has replaced it. Never parses the damaged TOC."""

    def __init__(self, folder: Path, generation: int, damaged: int, indexname: str = INDEX_NAME) -> None:
        self.storage = FileStorage(str(folder))
        self._schema = None
        self.indexname = indexname
        self._folder = folder
        self._fallback = generation
        self._damaged = damaged
        self._damaged_signature = toc_signature(folder, damaged, indexname)
        TOC.read(self.storage, indexname, generation)  # as FileIndex does: fail now, not later

    def _still_damaged(self) -> bool:
        latest = super().latest_generation()
        return latest == self._damaged and toc_signature(self._folder, latest, self.indexname) == self._damaged_signature

    def latest_generation(self) -> int:
        return self._fallback if self._still_damaged() else super().latest_generation()

    def _read_toc(self) -> Any:
        if self._still_damaged():
            return TOC.read(self.storage, self.indexname, self._fallback)
        return super()._read_toc()


def kept_files(folder: Path, kept: Iterable[int], indexname: str = INDEX_NAME) -> set[str] | None:
    """Every file the commits ``kept`` name, with their manifests; None when one of them
    has no readable manifest: its files cannot be told from leftovers."""
    names = {META_FILE}
    for generation in kept:
        try:
            names |= set(read_manifest(folder, indexname, generation).files)
        except ManifestError:
            return None
        names |= {toc_name(indexname, generation), manifest_name(indexname, generation)}
    return names


def remove_leftovers(
    folder: Path, kept: Iterable[int], indexname: str = INDEX_NAME, *, folders: bool = False
) -> list[str]:
    """Delete the index files no commit in ``kept`` names (``folders``: Whoosh's temp folders
    too); returns their names.

    Only the writer holding the lock may call this, and not with ``folders`` while it has
    a Whoosh writer open (its temp folder is in use). Nothing is removed while a kept commit
    has no readable manifest.
    """
    keep = kept_files(folder, kept, indexname)
    if keep is None:
        return []  # a damaged commit stays whole for ``search check``; the next good commit cleans up
    removed = []
    for name in sorted(os.listdir(folder)):
        if name in keep or _LOCK.fullmatch(name) or not _INDEX_FILE.match(name):
            continue
        path = folder / name
        try:
            if not path.is_dir():
                path.unlink()
            elif folders:
                shutil.rmtree(path)  # Whoosh's temp folder (``MAIN.tmp``), left by a killed writer
            else:
                continue
        except OSError:
            continue  # gone already, or not ours to remove: the next commit tries again
        removed.append(name)
    return removed


def remove_leftovers_of_killed_runs(folder: Path, indexname: str = INDEX_NAME) -> list[str]:
    """What a writer does on taking the lock: keep the commits that would be kept, remove the rest."""
    return remove_leftovers(folder, generations(folder, indexname)[:KEPT_COMMITS], indexname, folders=True)
