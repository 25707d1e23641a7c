"""The manifest of a commit: every file the commit names, with its size and SHA-256.

Whoosh keeps no checksums: a flipped bit in a segment goes unnoticed, and one in
the table of contents (TOC) can make opening it hang (``whoosh.md`` §3.4). So
each commit of generation N also writes ``MANIFEST-<index>-<N>.json`` (JSON, never
pickle), listing the TOC, every file of every segment it names (our posting
arrays included) and ``search-index.json``, with the live document count and the
versions that wrote them. The manifest carries a SHA-256 of its own content, so a
damaged manifest is told apart from the files it describes.

The manifest is written (temp file, fsync, rename) *before* the TOC is renamed
into place: a commit interrupted in between leaves a manifest without a TOC,
which the next commit of that generation overwrites, never a TOC without one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable

from search.schema import ANALYZER_NAME, SCHEMA_VERSION
from search.trust import write_private_text

FORMAT = 1
META_FILE = "search-index.json"  # written by ``search.index`` beside Whoosh's files
INDEX_NAME = "MAIN"  # Whoosh's default index name
KEPT_COMMITS = 2  # the newest and the one before it (``search.commits``)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    generation: int
    documents: int
    files: dict[str, FileEntry]
    versions: dict[str, object]


class ManifestError(ValueError):
    """A manifest is missing, unreadable or does not match its own checksum."""


def manifest_name(indexname: str, generation: int) -> str:
    return f"MANIFEST-{indexname}-{generation}.json"


def toc_name(indexname: str, generation: int) -> str:
    return f"_{indexname}_{generation}.toc"


def generations(folder: Path, indexname: str = INDEX_NAME) -> list[int]:
    """The generations that have a table of contents on disk, newest first."""
    pattern = re.compile(rf"_{re.escape(indexname)}_([0-9]+)\.toc")
    return sorted((int(m.group(1)) for name in os.listdir(folder) if (m := pattern.fullmatch(name))), reverse=True)


def latest_generation(folder: Path, indexname: str = INDEX_NAME) -> int | None:
    """The generation Whoosh opens: the largest among the TOC files (``TOC._latest_generation``)."""
    found = generations(folder, indexname)
    return found[0] if found else None


def segment_files(folder: Path, segment_ids: Iterable[str]) -> list[str]:
    """Every file of the given segments (``<segment id>.<ext>``), sorted."""
    prefixes = tuple(f"{segment_id}." for segment_id in segment_ids)
    return sorted(name for name in os.listdir(folder) if prefixes and name.startswith(prefixes))


def file_entry(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(size, digest.hexdigest())


def versions() -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "analyzer": ANALYZER_NAME,
        "search": _package_version("search"),
        "whoosh": _package_version("whoosh-reloaded") or _package_version("whoosh3"),
    }


def write_manifest(
    folder: Path,
    indexname: str,
    generation: int,
    toc_bytes: bytes,
    segment_ids: Iterable[str],
    documents: int,
    extra: Iterable[str] = (),
) -> Path:
    """Write the manifest of generation ``generation`` whose TOC will hold ``toc_bytes``
    (the TOC is not on disk yet), listing also the files ``extra`` of this commit (its
    ledger); returns its path."""
    files = {toc_name(indexname, generation): FileEntry(len(toc_bytes), hashlib.sha256(toc_bytes).hexdigest())}
    known = _previous_entries(folder, indexname)
    for name in segment_files(folder, segment_ids):
        # Segment files never change once written: hash only the new ones, so a commit
        # does not cost a read of the whole index.
        entry = known.get(name)
        files[name] = entry if entry and entry.size == os.stat(folder / name).st_size else file_entry(folder / name)
    for name in extra:
        files[name] = file_entry(folder / name)
    if (folder / META_FILE).is_file():
        files[META_FILE] = file_entry(folder / META_FILE)
    manifest = Manifest(generation, documents, files, versions())
    path = folder / manifest_name(indexname, generation)
    _write_atomically(path, _to_json(manifest))
    return path


def _previous_entries(folder: Path, indexname: str) -> dict[str, FileEntry]:
    """The file entries of the current commit's manifest (empty when there is none or it is damaged)."""
    generation = latest_generation(folder, indexname)
    try:
        return read_manifest(folder, indexname, generation).files if generation is not None else {}
    except ManifestError:
        return {}


def write_current_manifest(folder: str | os.PathLike[str], indexname: str = INDEX_NAME) -> Path | None:
    """Write the manifest of the TOC already on disk (an index just created by Whoosh,
    whose first TOC lists no segments). None when there is no TOC."""
    folder = Path(folder)
    generation = latest_generation(folder, indexname)
    if generation is None:
        return None
    toc_bytes = (folder / toc_name(indexname, generation)).read_bytes()
    return write_manifest(folder, indexname, generation, toc_bytes, (), documents=0)


def read_manifest(folder: Path, indexname: str, generation: int) -> Manifest:
    """The manifest of ``generation``; ``ManifestError`` when missing, unreadable or damaged."""
    path = folder / manifest_name(indexname, generation)
    try:
        data = json.loads(path.read_bytes())
        body = {key: value for key, value in data.items() if key != "sha256"}
        if data.get("sha256") != _digest(body):
            raise ManifestError(f"{path.name}: checksum differs (the manifest is damaged)")
        files = {name: FileEntry(int(e["size"]), str(e["sha256"])) for name, e in body["files"].items()}
        return Manifest(int(body["generation"]), int(body["documents"]), files, dict(body["versions"]))
    except FileNotFoundError:
        raise ManifestError(
            f"{path.name}: missing (written by an older version, or damaged); run: search index --rebuild PATH..."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, ManifestError):
            raise
        raise ManifestError(f"{path.name}: unreadable ({type(error).__name__})") from None


def _to_json(manifest: Manifest) -> str:
    body = {
        "format": FORMAT,
        "generation": manifest.generation,
        "documents": manifest.documents,
        "versions": manifest.versions,
        "files": {name: {"size": e.size, "sha256": e.sha256} for name, e in sorted(manifest.files.items())},
    }
    return json.dumps({**body, "sha256": _digest(body)}, indent=1, ensure_ascii=False) + "\n"


def _digest(body: dict[str, object]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(path.name + ".tmp")
    write_private_text(temp, text, sync=True)  # durable before the TOC that relies on it is renamed into place
    os.replace(temp, path)


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
