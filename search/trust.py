"""May we read this index directory? Opening an index never runs code from it.

The threat: Whoosh reads its table of contents (the schema and the segment list),
compound-file directories, posting blocks and stored fields with ``pickle``, and a
pickle imports and calls whatever it names. So opening an index directory that
someone else wrote, or could write into, runs their code (``whoosh.md`` §2.7, §3.4).

Two defences, both in place before Whoosh reads a byte:

1. **Every pickle Whoosh reads goes through an allow-list.** ``install()`` points
   each place Whoosh unpickles from an index at ``RestrictedUnpickler``, whose
   ``find_class`` hands out only the globals an index of ours contains
   (``ALLOWED_GLOBALS``: our schema's field and analyzer classes, the few Whoosh
   classes of a schema and a segment, builtin containers). Anything else, such as
   ``os.system``, ``builtins.exec`` or ``functools.partial``, raises
   ``RefusedPickle`` before it is even imported. Whoosh's readers of older formats
   (legacy tables of contents) are switched off. The patches are process-wide:
   every Whoosh index this process opens is held to the same list.
2. **The directory must be trusted** (OpenSSH's ``StrictModes``): ``check_directory``
   refuses a directory, or a file in it, that belongs to someone other than the
   current user or root (root could already run code as anyone; running as root,
   only root's own directories pass), and refuses a directory writable by group or
   others. A file writable by group or others is refused when those users can
   reach it, i.e. when the directory lets them through (its ``x`` bit).
   We create index directories 0700 and files 0600, whatever the umask.

POSIX permissions only: on other systems the directory check is skipped.
In-memory indexes skip all of this (there is no directory).
"""

from __future__ import annotations

import io
import os
import pickle
import re
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

import whoosh.codec.whoosh3
import whoosh.columns
import whoosh.formats
import whoosh.index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from search.errors import IndexUntrustedError

DIRECTORY_MODE, FILE_MODE = 0o700, 0o600

# Every global a pickle in an index of ours names (listed by unpickling the index
# files of a real index, several segments, merges and deletions, on whoosh-reloaded
# 2.7.5 and whoosh3). Classes only: no function that could do anything but build data.
ALLOWED_GLOBALS = frozenset(
    {
        ("search.schema", "TermsField"),
        ("search.analysis", "SyllableTokenizer"),
        ("search.analysis", "FoldFilter"),
        ("whoosh.fields", "Schema"),
        ("whoosh.fields", "ID"),
        ("whoosh.fields", "STORED"),
        ("whoosh.formats", "Existence"),
        ("whoosh.formats", "Frequency"),
        ("whoosh.analysis.analyzers", "CompositeAnalyzer"),
        ("whoosh.analysis.tokenizers", "IDTokenizer"),
        ("whoosh.codec.whoosh3", "W3Codec"),
        ("whoosh.codec.whoosh3", "W3Segment"),
        ("collections", "defaultdict"),  # a segment's field lengths: defaultdict(int)
        ("builtins", "int"),
        ("builtins", "set"),
        ("builtins", "frozenset"),
    }
)
# Protocol-2 pickles spell bytes as ``_codecs.encode(text, "latin1")``: allowed for
# that encoding only (an encoding name can reach any registered codec).
_BYTES_FROM_TEXT = ("_codecs", "encode")
TOC = "the table of contents"  # where the schema pickle comes from; named on refusal
REPLACED: dict[str, Callable[..., Any]] = {}  # qualified name → the Whoosh function install() replaced


class RefusedPickle(IndexUntrustedError):
    """A pickle in the index names a global that no index of ours contains."""

    def __init__(self, global_name: str, file: str, directory: str | None = None) -> None:
        self.global_name, self.file, self.directory = global_name, file, directory
        where = f"refusing to open index {directory}" if directory else "refusing to read this index"
        super().__init__(
            f"{where}: {file} holds a pickle that names {global_name}, "
            "which no index of ours contains; it may be hostile"
        )

    def in_directory(self, directory: str | os.PathLike[str]) -> RefusedPickle:
        file = _newest_toc(Path(directory)) if self.file == TOC else self.file
        return RefusedPickle(self.global_name, file, str(directory))


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that builds only ``ALLOWED_GLOBALS``; ``source`` names the file for errors."""

    def __init__(self, file: BinaryIO, source: str) -> None:
        super().__init__(file)
        self.source = source

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        if (module, name) == _BYTES_FROM_TEXT:
            return self._latin1_bytes
        raise RefusedPickle(f"{module}.{name}", self.source)

    def _latin1_bytes(self, text: str, encoding: str = "latin1", errors: str = "strict") -> bytes:
        if not isinstance(text, str) or encoding not in ("latin1", "latin-1") or errors != "strict":
            raise RefusedPickle(f"_codecs.encode with {encoding!r}", self.source)
        return text.encode("latin1")


def restricted_load(file: BinaryIO, source: str) -> Any:
    return RestrictedUnpickler(file, source).load()


def restricted_loads(data: bytes, source: str) -> Any:
    return RestrictedUnpickler(io.BytesIO(data), source).load()


# -- the patches ---------------------------------------------------------------


class _PickleForToc:
    """Stands in for the ``pickle`` module inside ``whoosh.index`` (``TOC.read``
    unpickles the schema with ``pickle.loads``): ``loads`` is restricted, the rest
    (``dumps``, ``PicklingError`` for ``TOC.write``) is the real module's."""

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)

    @staticmethod
    def loads(data: bytes, **_: Any) -> Any:
        return restricted_loads(data, TOC)


def _loads_for(what: str) -> Callable[..., Any]:
    def loads(data: bytes, **_: Any) -> Any:
        return restricted_loads(data, what)

    return loads


def _read_pickle(self: StructFile) -> Any:
    """``StructFile.read_pickle``: the TOC's segment list, compound-file directories,
    posting-block headers, hash-table and column headers."""
    return restricted_load(self.file, self._name or "a file")


def _private_file(create_file: Callable[..., StructFile]) -> Callable[..., StructFile]:
    def create_private_file(self: FileStorage, name: str, *args: Any, **kwargs: Any) -> StructFile:
        created = create_file(self, name, *args, **kwargs)
        if os.name == "posix":
            os.fchmod(created.file.fileno(), FILE_MODE)
        return created

    create_private_file.__wrapped__ = create_file  # type: ignore[attr-defined]
    return create_private_file


def install() -> None:
    """Route every pickle Whoosh reads from an index through the allow-list (idempotent)."""
    if REPLACED:
        return
    REPLACED["whoosh.filedb.structfile.StructFile.read_pickle"] = StructFile.read_pickle
    StructFile.read_pickle = _read_pickle
    whoosh.index.pickle = _PickleForToc()
    whoosh.index.toc_loaders = {}  # legacy formats unpickle with no restriction at all
    whoosh.codec.whoosh3.loads = _loads_for("a posting block")
    whoosh.columns.loads = _loads_for("a stored-fields block")
    whoosh.formats.loads = _loads_for("a posting's positions")
    FileStorage.create_file = _private_file(FileStorage.create_file)


# -- the directory -------------------------------------------------------------


def check_directory(path: str | os.PathLike[str]) -> None:
    """Raise ``IndexUntrustedError`` unless the index directory ``path`` and its files are trusted."""
    if os.name != "posix":
        return
    path = Path(path)
    mode = _check_entry(path, path, os.stat(path), stat.S_IWGRP | stat.S_IWOTH)
    reachable = (stat.S_IWGRP if mode & stat.S_IXGRP else 0) | (stat.S_IWOTH if mode & stat.S_IXOTH else 0)
    with os.scandir(path) as entries:
        for entry in entries:
            try:
                status = entry.stat()
            except FileNotFoundError:  # a dangling link: nothing to read
                continue
            _check_entry(path, Path(entry.path), status, reachable)


def _check_entry(directory: Path, entry: Path, status: os.stat_result, forbidden_write: int) -> int:
    what = "it" if entry == directory else entry.name
    if status.st_uid not in (os.geteuid(), 0):
        raise IndexUntrustedError(
            f"refusing to open index {directory}: {what} belongs to {_user(status.st_uid)}, not to you; "
            "copy the articles and index them into a folder of your own"
        )
    if status.st_mode & forbidden_write:
        raise IndexUntrustedError(
            f"refusing to open index {directory}: {what} is writable by other users "
            f"(mode {stat.S_IMODE(status.st_mode):04o}); if nobody else wrote to it, run: chmod -R go-w {directory}"
        )
    return status.st_mode


def write_private_text(path: Path, text: str, *, sync: bool = False) -> None:
    """Write ``text`` to ``path`` readable and writable by its owner only, whatever the umask;
    ``sync``: on the disk before this returns."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "w", encoding="utf-8") as file:
        if os.name == "posix":
            os.fchmod(file.fileno(), FILE_MODE)  # a file that existed keeps its mode otherwise
        file.write(text)
        if sync:
            file.flush()
            os.fsync(file.fileno())


@contextmanager
def refusals_named(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Name ``directory`` in a ``RefusedPickle`` raised inside the block."""
    try:
        yield
    except RefusedPickle as refusal:
        raise refusal.in_directory(directory) from None


def _user(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _newest_toc(directory: Path) -> str:
    generations = [
        (int(found.group(1)), name)
        for name in os.listdir(directory)
        if (found := re.fullmatch(r"_\w+?_(\d+)\.toc", name))
    ]
    return max(generations)[1] if generations else TOC

