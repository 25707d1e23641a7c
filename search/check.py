"""Is this index intact? ``verify`` (``search check``) and ``commit_problems`` (every open).

Whoosh notices few damaged bytes and can hang on a damaged table of contents (TOC),
so nothing here lets Whoosh parse a byte the manifest (``search.manifest``) has not
vouched for:

1. ``commit_problems``: one commit's manifest, its TOC's SHA-256 and every other
   file's size; cheap (one small file hashed), run by every open before Whoosh reads
   the TOC (``search.commits`` picks the commit to open with it).
2. ``verify``: every file the manifest lists (missing, size, checksum); files of
   the TOC's segments the manifest does not list; orphans no kept commit names
   (reported, not fatal); when the newest commit is damaged, whether the one kept
   before it is intact (a note, not fatal); then, only when every file checked out, a deep pass through Whoosh's
   readers and ours: every segment opened, every stored document and every posting
   array read and checked against Whoosh's term table, under a deadline.

Each ``Problem`` names one file and what is wrong with it, in one line.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from search.columnar import SegmentArrays
from search.manifest import (
    INDEX_NAME,
    KEPT_COMMITS,
    META_FILE,
    Manifest,
    ManifestError,
    file_entry,
    generations,
    latest_generation,
    read_manifest,
    segment_files,
    toc_name,
)
from search.trust import install

DEEP_CHECK_SECONDS = 60.0
_MANIFEST = re.compile(r"MANIFEST-.+-([0-9]+)\.json")
_INDEX_FILE = re.compile(r"_?MAIN_|MANIFEST-|LEDGER-")  # what Whoosh, the manifests and the ledgers name their files
_OURS = re.compile(rf"MANIFEST-.+\.json|{re.escape(META_FILE)}|.+_WRITELOCK|search-writer\.json")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file of the index; ``fatal`` False for leftovers that harm nothing."""

    file: str
    what: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


def verify(
    path: str | os.PathLike[str], indexname: str = INDEX_NAME, *, deep: bool = True, deadline: float = DEEP_CHECK_SECONDS
) -> list[Problem]:
    """Every problem found in the index at ``path`` (empty when it is intact)."""
    folder = Path(path)
    loaded = load_manifest(folder, None, indexname)
    if isinstance(loaded, list):
        return loaded + _previous_commit(folder, None, indexname) + _orphans(folder, set())
    problems = [p for name in loaded.files for p in check_file(folder, name, loaded)]
    if any(p.file == toc_name(indexname, loaded.generation) for p in problems):
        # the segment list cannot be trusted: Whoosh must not parse it
        return problems + _previous_commit(folder, loaded.generation, indexname)
    segment_ids = _segment_ids(folder, indexname, loaded.generation)
    named = set(segment_files(folder, segment_ids)) | {toc_name(indexname, loaded.generation)}
    problems += [Problem(name, "named by the table of contents but not by the manifest") for name in sorted(named - set(loaded.files))]
    problems += _previous_commit_files(folder, loaded, indexname) + _tocs_missing(folder, loaded.generation, indexname)
    problems += _orphans(folder, named | set(loaded.files) | _previous_files(folder, loaded.generation, indexname))
    if deep and not any(p.fatal for p in problems):
        problems += _deep_check(folder, indexname, loaded, time.monotonic() + deadline)
    if any(p.fatal for p in problems):
        problems += _previous_commit(folder, loaded.generation, indexname)
    return problems


def commit_problems(folder: Path, generation: int, indexname: str = INDEX_NAME) -> list[Problem]:
    """What is wrong with commit ``generation`` as far as is cheap to see (every open runs
    this before Whoosh reads a byte): its manifest, the checksum of its table of contents,
    and the size of every other file it names."""
    loaded = load_manifest(folder, generation, indexname)
    if isinstance(loaded, list):
        return loaded
    toc = toc_name(indexname, generation)
    problems = check_file(folder, toc, loaded)
    for name, entry in loaded.files.items():
        if name != toc:
            problems += _size_problem(folder, name, entry.size)
    return problems


def load_manifest(folder: Path, generation: int | None, indexname: str = INDEX_NAME) -> Manifest | list[Problem]:
    """The manifest of commit ``generation`` (None: the newest), or what is wrong with it."""
    if not folder.is_dir():
        return [Problem(str(folder), "no such folder")]
    if generation is None:
        generation = latest_generation(folder, indexname)
    if generation is None:
        described = sorted(int(m.group(1)) for name in os.listdir(folder) if (m := _MANIFEST.fullmatch(name)))
        if described:
            return [Problem(toc_name(indexname, described[-1]), "missing")]
        return [Problem(str(folder), "no table of contents: this is not an index")]
    try:
        manifest = read_manifest(folder, indexname, generation)
    except ManifestError as error:
        file, _, what = str(error).partition(": ")
        return [Problem(file, what)]
    if manifest.generation != generation:
        return [Problem(f"MANIFEST-{indexname}-{generation}.json", f"describes generation {manifest.generation}")]
    return manifest


def check_file(folder: Path, name: str, manifest: Manifest) -> list[Problem]:
    """``name`` against its manifest entry: there, of that size, of that SHA-256."""
    expected = manifest.files.get(name)
    if expected is None:
        return [Problem(name, "not in the manifest")]
    problems = _size_problem(folder, name, expected.size)
    if not problems and file_entry(folder / name).sha256 != expected.sha256:
        problems.append(Problem(name, "checksum differs: the file is damaged"))
    return problems


def _size_problem(folder: Path, name: str, expected: int) -> list[Problem]:
    try:
        size = os.stat(folder / name).st_size
    except FileNotFoundError:
        return [Problem(name, "missing")]
    if size != expected:
        return [Problem(name, f"size differs: {size:,} bytes, the manifest says {expected:,}")]
    return []


def _previous_generation(folder: Path, newest: int, indexname: str) -> int | None:
    """The commit kept before ``newest``, if any."""
    older = [g for g in generations(folder, indexname)[:KEPT_COMMITS] if g < newest]
    return older[0] if older else None


def _previous_files(folder: Path, newest: int, indexname: str) -> set[str]:
    """The files of the commit kept before ``newest`` (they are not leftovers)."""
    previous = _previous_generation(folder, newest, indexname)
    if previous is None:
        return set()
    loaded = load_manifest(folder, previous, indexname)
    named = {toc_name(indexname, previous), f"MANIFEST-{indexname}-{previous}.json"}
    return named if isinstance(loaded, list) else named | set(loaded.files)


def _previous_commit_files(folder: Path, newest: Manifest, indexname: str) -> list[Problem]:
    """The files only the commit kept before ``newest`` names (the ones they share are checked
    already). Damage there harms no search, only the fallback: not fatal."""
    previous = _previous_generation(folder, newest.generation, indexname)
    loaded = load_manifest(folder, previous, indexname) if previous is not None else []
    if isinstance(loaded, list):
        problems = loaded
    else:
        problems = [p for name in sorted(set(loaded.files) - set(newest.files)) for p in check_file(folder, name, loaded)]
    return [Problem(p.file, f"{p.what} (a file of the previous commit, kept in case the newest is damaged)", fatal=False) for p in problems]


def _tocs_missing(folder: Path, newest: int, indexname: str) -> list[Problem]:
    """Manifests of the kept commits' neighbours without their TOC: a commit interrupted
    before its commit point (newer than ``newest``), or a lost fallback (``newest`` - 1)."""
    described = {int(m.group(1)) for name in os.listdir(folder) if (m := _MANIFEST.fullmatch(name))}
    problems = []
    for generation in sorted(described):
        if (folder / toc_name(indexname, generation)).exists():
            continue
        if generation > newest:
            what = "missing: a commit that did not complete (harmless; the next commit removes its files)"
        elif generation == newest - 1:
            what = "missing: the previous commit cannot be opened if the newest is damaged"
        else:
            continue
        problems.append(Problem(toc_name(indexname, generation), what, fatal=False))
    return problems


def _previous_commit(folder: Path, newest: int | None, indexname: str) -> list[Problem]:
    """A note, when opening falls back from the damaged newest commit, that the commit it
    falls back to is intact (every file hashed)."""
    if not folder.is_dir():
        return []
    if newest is None:  # the newest commit's manifest is unusable: which generation it is comes from its TOC
        newest = latest_generation(folder, indexname)
    previous = _previous_generation(folder, newest, indexname) if newest is not None else None
    if previous is None or not commit_problems(folder, newest, indexname):  # type: ignore[arg-type]
        return []
    loaded = load_manifest(folder, previous, indexname)
    if isinstance(loaded, list) or any(check_file(folder, name, loaded) for name in loaded.files):
        return []
    return [
        Problem(
            toc_name(indexname, previous),
            "the previous commit is intact: opening the index uses it, and the next `search index` replaces the damaged one",
            fatal=False,
        )
    ]


def _segment_ids(folder: Path, indexname: str, generation: int) -> list[str]:
    install()  # the TOC's pickles go through the allow-list (search.trust)
    toc = TOC.read(FileStorage(str(folder)), indexname, generation)
    return [segment.segment_id() for segment in toc.segments]


def _orphans(folder: Path, named: set[str]) -> list[Problem]:
    """Index files no kept commit names (an interrupted run's), with their size; other files
    in the folder are not ours to judge."""
    found = []
    for name in sorted(os.listdir(folder)):
        if name in named or not _INDEX_FILE.match(name) or _OURS.fullmatch(name):
            continue
        try:
            size = os.stat(folder / name).st_size if (folder / name).is_file() else None
        except FileNotFoundError:
            continue
        if size is not None:
            what = f"left over ({size:,} bytes): no commit names it (harmless; the next writer removes it)"
            found.append(Problem(name, what, fatal=False))
    return found


# -- the deep pass ---------------------------------------------------------------


class _OutOfTime(Exception):
    pass


def _deep_check(folder: Path, indexname: str, manifest: Manifest, deadline: float) -> list[Problem]:
    """Open every segment and read everything in it; the files already match the manifest,
    so what this finds was written wrong (or by another program)."""
    install()
    problems: list[Problem] = []
    storage = FileStorage(str(folder))
    try:
        ix = storage.open_index(indexname)
        live = 0
        with ix.reader() as reader:
            for segment_reader, segment in _segments(reader):
                problems += _check_segment(storage, segment_reader, segment, deadline)
                live += segment.doc_count()
        if live != manifest.documents:
            problems.append(Problem(toc_name(indexname, manifest.generation), f"{live} live documents, the manifest says {manifest.documents}"))
    except _OutOfTime:
        problems.append(Problem(str(folder), f"deep check stopped after {DEEP_CHECK_SECONDS:.0f} s", fatal=False))
    except Exception as error:  # anything Whoosh raises on bad data
        problems.append(Problem(toc_name(indexname, manifest.generation), f"cannot be opened: {type(error).__name__}: {error}"))
    return problems


def _segments(reader: Any) -> Iterator[tuple[Any, Any]]:
    for segment_reader, _ in reader.leaf_readers():
        segment = segment_reader.segment()
        if segment is not None:  # an empty index has one reader and no segment
            yield segment_reader, segment


def _check_segment(storage: FileStorage, reader: Any, segment: Any, deadline: float) -> list[Problem]:
    segment_id = segment.segment_id()
    problems = []
    try:
        for docnum in range(reader.doc_count_all()):
            if docnum % 256 == 0 and time.monotonic() > deadline:
                raise _OutOfTime
            if not reader.is_deleted(docnum):
                reader.stored_fields(docnum)
    except _OutOfTime:
        raise
    except Exception as error:
        problems.append(Problem(f"{segment_id}._stored.col", f"stored document unreadable: {type(error).__name__}"))
    try:
        problems += _check_arrays(storage, reader, segment, deadline)
    except _OutOfTime:
        raise
    except Exception as error:
        problems.append(Problem(f"{segment_id}.vpa", f"posting arrays unreadable: {type(error).__name__}: {error}"))
    return problems


def _check_arrays(storage: FileStorage, reader: Any, segment: Any, deadline: float) -> list[Problem]:
    """Every posting array: doc numbers in range and increasing, positions' offsets in
    order, as many documents as Whoosh's term table says."""
    segment_id, doc_count = segment.segment_id(), segment.doc_count_all()
    arrays = SegmentArrays(storage, segment_id, doc_count)
    name = f"{segment_id}.vpa"
    try:
        for count, key in enumerate(arrays._directory.keys()):
            if count % 256 == 0 and time.monotonic() > deadline:
                raise _OutOfTime
            fieldname, _, btext = key.partition(b"\x00")
            if fieldname.startswith(b"\x01lengths"):
                continue
            if what := _term_problem(arrays, reader, fieldname.decode("utf-8"), btext, doc_count):
                return [Problem(name, f"{fieldname.decode('utf-8')}:{btext!r}: {what}")]
        for fieldname in reader.schema.scorable_names():
            if len(arrays.lengths(fieldname)) != doc_count:
                return [Problem(name, f"document lengths of {fieldname} do not cover the segment")]
    finally:
        arrays.close()
    return []


def _term_problem(arrays: SegmentArrays, reader: Any, fieldname: str, btext: bytes, doc_count: int) -> str | None:
    if getattr(reader.schema[fieldname], "positions", False):
        ids, ends, values = arrays.encoded_values(fieldname, btext)  # type: ignore[misc]
        if len(ends) and (np.any(np.diff(ends.astype(np.int64)) < 0) or int(ends[-1]) > len(values)):
            return "position offsets out of order"
    else:
        ids, _ = arrays.postings(fieldname, btext)  # type: ignore[misc]
    if len(ids) and (int(ids.max()) >= doc_count or np.any(np.diff(ids.astype(np.int64)) <= 0)):
        return "document numbers out of range or out of order"
    # Whoosh's count, from its term table, includes deleted documents like the arrays do.
    # (Comparing every document number through Whoosh's matchers took 19 s per 100 MB.)
    whoosh_count = reader.doc_frequency(fieldname, btext)
    if whoosh_count != len(ids):
        return f"{len(ids)} documents, Whoosh's term table says {whoosh_count}"
    return None
