"""A simulated storage layer under the index folder: power loss and refused writes.

Lucene tests its commits on a ``MockDirectoryWrapper`` that can ``crash()`` (drop
what was never synced) and fail any I/O call; SQLite on a VFS that does the same.
``StorageLayer`` is ours. Installed with pytest's monkeypatch, it sees every I/O step
a write to the index folder makes, whichever code makes it, by wrapping the calls
everything ends in:

* ``open``/``io.open`` for writing (Whoosh's ``FileStorage.create_file``, ``Path.write_*``,
  the file object ``trust.write_private_text`` opens on its descriptor, so the manifest
  and ``search-index.json``), and every ``write`` on the file objects they return;
* ``os.open`` with a write flag or ``O_CREAT`` (``fastwriter._write_toc``,
  ``trust.write_private_text``, Whoosh's lock file), ``os.write`` on those descriptors;
* ``os.fsync`` of a file of the folder or of the folder itself (recorded in the model
  only: what the real disk makes durable does not matter here, and skipping it is faster);
* ``os.replace``/``os.rename`` (Whoosh's ``rename_file``, ``Path.replace``);
* ``os.remove``/``os.unlink`` (Whoosh's ``delete_file``, ``Path.unlink``).

Each such call is one ``Step``. A ``fault`` chooses the error (if any) to raise at a
step, before the call does anything:

* ``PowerLossAt(k)``: the machine dies at step k. Every later step raises too (a dead
  machine does nothing more, whatever the error handling tries). ``rebuild`` then lays
  out, in a fresh folder, what a disk would hold after the reboot, from a durability
  model keyed by file (inode): the folder's listing as of its last fsync, plus a seeded
  random subset of the creates, renames and removals made since; each file with its
  content as of its last fsync, or, never synced, cut to a random length (or to 0).
* ``Refusal(code, at)``: the ``at``-th write call and every later one (the disk stays
  full) raise ``OSError(code)``.

``files_not_seen`` names files that appeared in the folder without the layer seeing them
created: a write path the layer misses would make the simulation lie, so a test checks it.
"""

from __future__ import annotations

import builtins
import io
import os
import random
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

WRITES = frozenset({"create", "write"})  # what a full disk refuses (opening an existing file needs no space)
OPENS = frozenset({"create", "open"})  # what missing permissions refuse
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class PowerLoss(BaseException):
    """The machine lost power (a BaseException: no ``except Exception`` may carry on)."""


@dataclass(frozen=True)
class Step:
    """One I/O call on the index folder: ``kind`` is create, open (an existing file, for
    writing), write, fsync, sync-folder, rename or remove."""

    number: int
    kind: str
    name: str

    def __str__(self) -> str:
        return f"step {self.number} ({self.kind} {self.name})"


@dataclass(frozen=True)
class PowerLossAt:
    step: int

    def __call__(self, step: Step) -> BaseException | None:
        return PowerLoss(str(step)) if step.number == self.step else None


class Refusal:
    """``OSError(code)`` from the ``at``-th call among ``kinds`` on (counted from 1)."""

    def __init__(self, code: int, at: int, kinds: frozenset[str] = WRITES) -> None:
        self.code, self.at, self.kinds = code, at, kinds
        self.seen = 0
        self.refused: list[Step] = []

    def __call__(self, step: Step) -> BaseException | None:
        if step.kind not in self.kinds:
            return None
        self.seen += 1
        if self.seen < self.at:
            return None
        self.refused.append(step)
        return OSError(self.code, os.strerror(self.code), step.name)


@dataclass(frozen=True)
class Change:
    """A change to the folder's listing not yet made durable by an fsync of the folder."""

    kind: str  # create, rename, remove
    name: str
    file: int  # which file (``StorageLayer`` numbers them)
    target: str = ""  # a rename's new name

    def apply(self, listing: dict[str, int]) -> None:
        if self.kind == "create":
            listing[self.name] = self.file
        elif self.kind == "rename":
            if listing.get(self.name) == self.file:
                del listing[self.name]
            listing[self.target] = self.file
        elif listing.get(self.name) == self.file:
            del listing[self.name]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}" + (f" -> {self.target}" if self.target else "")


# The real functions, taken once at import (before any layer is installed).
_REAL_OPEN = builtins.open
_REAL_OS_OPEN, _REAL_WRITE, _REAL_CLOSE, _REAL_FSYNC = os.open, os.write, os.close, os.fsync
_REAL_REPLACE, _REAL_RENAME, _REAL_REMOVE, _REAL_UNLINK = os.replace, os.rename, os.remove, os.unlink


class StorageLayer:
    """Sees every I/O step on ``folder``, raises what ``fault`` says, models durability."""

    def __init__(self, folder: str | os.PathLike[str], fault: Callable[[Step], BaseException | None] | None = None):
        self.folder = os.path.realpath(folder)
        self.fault = fault
        self._patch: pytest.MonkeyPatch | None = None
        self.steps: list[Step] = []
        self.lost_power_at: Step | None = None
        self.files_not_seen: set[str] = set()
        self._device = os.stat(self.folder).st_dev
        self._folder_inode = os.stat(self.folder).st_ino
        self._file_of_inode: dict[int, int] = {}
        self._name_of_file: dict[int, str] = {}
        self._files = 0
        self._descriptors: dict[int, str] = {}  # descriptors open for writing → file name
        # the durability model: what survives a power loss
        self._synced: dict[int, bytes] = {}  # file → content as of its last fsync
        self._latest: dict[int, bytes] = {}  # file → content when last seen (removed, replaced, power lost)
        self._changes: list[Change] = []  # listing changes since the last fsync of the folder
        self._durable_listing = self._listing(assume_seen=True)
        for file in self._durable_listing.values():  # the folder as found is taken as durable
            self._synced[file] = self._read(self._name_of_file[file])

    # -- installing --------------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._patch = monkeypatch
        monkeypatch.setattr(builtins, "open", self._open)
        monkeypatch.setattr(io, "open", self._open)
        monkeypatch.setattr(os, "open", self._os_open)
        monkeypatch.setattr(os, "write", self._os_write)
        monkeypatch.setattr(os, "close", self._os_close)
        monkeypatch.setattr(os, "fsync", self._fsync)
        monkeypatch.setattr(os, "replace", self._renamer(_REAL_REPLACE))
        monkeypatch.setattr(os, "rename", self._renamer(_REAL_RENAME))
        monkeypatch.setattr(os, "remove", self._remover(_REAL_REMOVE))
        monkeypatch.setattr(os, "unlink", self._remover(_REAL_UNLINK))

    def uninstall(self) -> None:
        """Put the real functions back (what leaving the monkeypatch context also does)."""
        if self._patch is not None:
            self._patch.undo()

    # -- steps -------------------------------------------------------------------

    def _step(self, kind: str, name: str) -> None:
        step = Step(len(self.steps) + 1, kind, name)
        self.steps.append(step)
        if self.lost_power_at is not None:
            raise PowerLoss(f"{step}: the machine is off since {self.lost_power_at}")
        error = self.fault(step) if self.fault else None
        if isinstance(error, PowerLoss):
            self.lose_power(step)
        if error is not None:
            raise error

    def _name(self, path: Any, dir_fd: int | None = None) -> str | None:
        """The name of ``path`` when it is an entry of the folder, else None."""
        if dir_fd is not None or isinstance(path, int):
            return None
        try:
            path = os.fsdecode(path)
        except TypeError:
            return None
        parent, name = os.path.split(os.path.abspath(path))
        return name if parent == self.folder or os.path.realpath(parent) == self.folder else None

    def _open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not any(c in mode for c in "wax+"):
            return _REAL_OPEN(file, mode, *args, **kwargs)
        if isinstance(file, int):
            name = self._descriptors.get(file)
            handle = _REAL_OPEN(file, mode, *args, **kwargs)
            return _WatchedFile(handle, self, name, file) if name else handle
        name = self._name(file)
        if name is None:
            return _REAL_OPEN(file, mode, *args, **kwargs)
        existed = os.path.lexists(os.path.join(self.folder, name))
        self._step("open" if existed else "create", name)
        handle = _REAL_OPEN(file, mode, *args, **kwargs)
        self._opened(name, existed)
        return _WatchedFile(handle, self, name, None)

    def _os_open(self, path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        name = self._name(path, dir_fd) if flags & _WRITE_FLAGS else None
        if name is None:
            return _REAL_OS_OPEN(path, flags, mode, dir_fd=dir_fd)
        existed = os.path.lexists(os.path.join(self.folder, name))
        writing = bool(flags & (os.O_WRONLY | os.O_RDWR))
        if existed and not writing:  # O_CREAT of a file already there: nothing changes
            return _REAL_OS_OPEN(path, flags, mode)
        self._step("open" if existed else "create", name)
        descriptor = _REAL_OS_OPEN(path, flags, mode)
        self._opened(name, existed)
        if writing:
            self._descriptors[descriptor] = name
        return descriptor

    def _opened(self, name: str, existed: bool) -> None:
        if existed:
            return
        file = self._new_file(name)
        self._changes.append(Change("create", name, file))

    def _os_write(self, descriptor: int, data: Any) -> int:
        name = self._descriptors.get(descriptor)
        if name is not None:
            self._step("write", name)
        return _REAL_WRITE(descriptor, data)

    def _os_close(self, descriptor: int) -> None:
        self._descriptors.pop(descriptor, None)
        _REAL_CLOSE(descriptor)

    def _fsync(self, fd: Any) -> None:
        descriptor = fd if isinstance(fd, int) else fd.fileno()
        status = os.fstat(descriptor)
        if status.st_dev != self._device:
            return _REAL_FSYNC(descriptor)
        if stat.S_ISDIR(status.st_mode) and status.st_ino == self._folder_inode:
            self._step("sync-folder", ".")
            self._durable_listing = self._listing()
            self._changes.clear()
            return None
        file = self._file_of_inode.get(status.st_ino)
        if file is None or not stat.S_ISREG(status.st_mode):
            return _REAL_FSYNC(descriptor)
        self._step("fsync", self._name_of_file[file])
        self._synced[file] = self._read_descriptor(descriptor, self._name_of_file[file])
        return None

    def _renamer(self, real: Callable[..., None]) -> Callable[..., None]:
        def rename(source: Any, target: Any, **kwargs: Any) -> None:
            old, new = self._name(source, kwargs.get("src_dir_fd")), self._name(target, kwargs.get("dst_dir_fd"))
            if old is None or new is None or not os.path.isfile(os.path.join(self.folder, old)):
                return real(source, target, **kwargs)
            self._step("rename", f"{old} -> {new}")
            moved = self._file_at(old)
            self._keep_latest(new)  # the file it replaces, if any
            real(source, target, **kwargs)
            self._name_of_file[moved] = new
            self._changes.append(Change("rename", old, moved, new))
            return None

        return rename

    def _remover(self, real: Callable[..., None]) -> Callable[..., None]:
        def remove(path: Any, *, dir_fd: int | None = None) -> None:
            name = self._name(path, dir_fd)
            if name is None or not os.path.isfile(os.path.join(self.folder, name)):
                return real(path, dir_fd=dir_fd)
            self._step("remove", name)
            file = self._keep_latest(name)
            real(path)
            if file is not None:
                self._changes.append(Change("remove", name, file))
            return None

        return remove

    # -- the durability model ----------------------------------------------------

    def _new_file(self, name: str) -> int:
        self._files += 1
        self._file_of_inode[os.stat(os.path.join(self.folder, name)).st_ino] = self._files
        self._name_of_file[self._files] = name
        return self._files

    def _file_at(self, name: str) -> int:
        inode = os.stat(os.path.join(self.folder, name)).st_ino
        if inode not in self._file_of_inode:
            self.files_not_seen.add(name)
            return self._new_file(name)
        return self._file_of_inode[inode]

    def _listing(self, assume_seen: bool = False) -> dict[str, int]:
        listing = {}
        for name in os.listdir(self.folder):
            if not os.path.isfile(os.path.join(self.folder, name)):
                continue  # Whoosh's temp folder: not part of any commit
            known = os.stat(os.path.join(self.folder, name)).st_ino in self._file_of_inode
            listing[name] = self._new_file(name) if assume_seen and not known else self._file_at(name)
        return listing

    def _keep_latest(self, name: str) -> int | None:
        """Remember the content of ``name`` before it goes; its file (None if there is none)."""
        if not os.path.isfile(os.path.join(self.folder, name)):
            return None
        file = self._file_at(name)
        self._latest[file] = self._read(name)
        return file

    def _read(self, name: str) -> bytes:
        with _REAL_OPEN(os.path.join(self.folder, name), "rb") as handle:
            return handle.read()

    def _read_descriptor(self, descriptor: int, name: str) -> bytes:
        proc = f"/proc/self/fd/{descriptor}"
        if os.path.exists(proc):  # reads a descriptor opened write-only too
            with _REAL_OPEN(proc, "rb") as handle:
                return handle.read()
        return self._read(name)

    def lose_power(self, step: Step) -> None:
        """The machine dies before ``step``: what is on disk now is all ``rebuild`` has."""
        self.lost_power_at = step
        for name, file in self._listing().items():
            self._latest[file] = self._read(name)

    def rebuild(self, target: Path, rng: random.Random) -> list[str]:
        """Lay out in ``target`` what the disk holds after the power comes back; returns
        what was decided (which pending changes reached the disk, which files were cut)."""
        assert self.lost_power_at is not None, "the power was not lost"
        listing = dict(self._durable_listing)
        decided = []
        for change in self._changes:
            if rng.random() < 0.5:
                change.apply(listing)
                decided.append(f"kept {change}")
            else:
                decided.append(f"lost {change}")
        target.mkdir(mode=0o700)
        for name, file in sorted(listing.items()):
            content = self._synced.get(file)
            if content is None:
                latest = self._latest.get(file, b"")
                content = latest[: 0 if rng.random() < 0.25 else rng.randint(0, len(latest))]
                decided.append(f"{name}: never synced, {len(content)} of {len(latest)} bytes")
            descriptor = _REAL_OS_OPEN(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                _REAL_WRITE(descriptor, content)
            finally:
                _REAL_CLOSE(descriptor)
        return decided


class _WatchedFile:
    """A file object open for writing in the folder: each ``write`` is a step."""

    def __init__(self, handle: Any, layer: StorageLayer, name: str, descriptor: int | None) -> None:
        self._handle, self._layer, self._name, self._descriptor = handle, layer, name, descriptor

    def write(self, data: Any) -> int:
        self._layer._step("write", self._name)
        return self._handle.write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def close(self) -> None:
        if self._descriptor is not None:
            self._layer._descriptors.pop(self._descriptor, None)
        self._handle.close()

    def __enter__(self) -> _WatchedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._handle)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)
