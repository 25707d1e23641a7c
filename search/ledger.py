"""Which input files are in the index as they are now, so a re-run need not read them.

Re-running ``search index`` over the same files must add nothing; the fingerprint of
each article already guarantees that, but only after reading and extracting every
article again (a quarter of the first run's time). The ledger lets a run skip a
file unread when its path, size and modification time are those recorded when
all of its articles were committed.

The ledger is part of a commit: each commit that knows it writes
``LEDGER-<index>-<generation>.json`` before its manifest, which lists and checksums
it. So a ledger never claims more than its commit holds, and falling back to the
previous commit falls back to its ledger too. A commit made without one (a
deletion, articles added through the API) has no ledger, and the next run reads
everything again: a file's articles may no longer be what the file says.

A file is recorded only when it was read whole with nothing skipped, so a re-run
still names a bad line. The ledger also records the context that produced it
(this library's version, the schema, the ``--field`` mappings); another context
invalidates it whole.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from search.models import FileRead

FORMAT = 1


def ledger_name(indexname: str, generation: int) -> str:
    return f"LEDGER-{indexname}-{generation}.json"


@dataclass(frozen=True)
class Stamp:
    """What tells a file from itself edited: size and modification time (ns)."""

    size: int
    mtime_ns: int


class Ledger:
    """Input files (absolute paths) whose articles are all committed, as they were then."""

    def __init__(self, context: str, files: dict[str, Stamp] | None = None) -> None:
        self.context = context
        self.files: dict[str, Stamp] = dict(files or {})

    @classmethod
    def load(cls, folder: Path, indexname: str, generation: int, context: str) -> Ledger:
        """The ledger of commit ``generation``; empty when it has none, is unreadable or
        was written in another context."""
        try:
            data = json.loads((folder / ledger_name(indexname, generation)).read_bytes())
            if data.get("format") != FORMAT or data.get("context") != context:
                return cls(context)
            return cls(context, {path: Stamp(int(s[0]), int(s[1])) for path, s in data["files"].items()})
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            return cls(context)

    def unchanged(self, path: Path) -> bool:
        """True when ``path`` is recorded and still has the recorded size and time."""
        recorded = self.files.get(_key(path))
        if recorded is None:
            return False
        try:
            found = os.stat(path)
        except OSError:
            return False
        return recorded == Stamp(found.st_size, found.st_mtime_ns)

    def with_files(self, read: Iterable[FileRead]) -> Ledger:
        """This ledger plus the files ``read`` (a newer reading of a path replaces the older)."""
        files = dict(self.files)
        files.update((_key(Path(f.path)), Stamp(f.size, f.mtime_ns)) for f in read)
        return Ledger(self.context, files)

    def to_json(self) -> str:
        files = {path: [s.size, s.mtime_ns] for path, s in sorted(self.files.items())}
        return json.dumps({"format": FORMAT, "context": self.context, "files": files}, ensure_ascii=True) + "\n"


def _key(path: Path) -> str:
    # ensure_ascii keeps names that are not UTF-8 (surrogate escapes) writable as JSON
    return os.fsdecode(os.path.abspath(path))


READING_MODULES = (
    "readers", "records", "articles", "encodings", "charsets", "html_pages",
    "dates", "datelines", "bylines", "places", "place_tags", "normalize",
)  # fmt: skip


def reading_context(fields: Mapping[str, str]) -> str:
    """What turns files into articles: the ``--field`` mappings and the source of the
    reading code and its data, so that a new version of the extraction reads every file again."""
    digest = hashlib.sha256(json.dumps(sorted(fields.items())).encode("utf-8"))
    package = Path(__file__).parent
    for name in READING_MODULES:
        digest.update((package / f"{name}.py").read_bytes())
    for data in sorted((package / "data").glob("*")):
        digest.update(data.read_bytes())
    return digest.hexdigest()[:32]
