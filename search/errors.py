"""Errors raised by the public API. Each message says what to do next.

    SearchError
    ├── QueryError            the query text cannot be parsed
    ├── IndexNotFoundError    no index at that path yet
    ├── IndexVersionError     the index was built by another schema version
    ├── IndexLockedError      another process is writing to the index
    ├── IndexOnNetworkError   a writer refused a folder on a network file system
    ├── IndexUntrustedError   the index directory or a pickle in it is not trusted; nothing ran
    ├── IndexDamagedError     a file of the index differs from its manifest (``search check``)
    ├── InputError            an input file or record cannot be read
    └── IndexingInterrupted   Ctrl-C while indexing; ``report`` says what was kept

    IndexRecoveredWarning     (a warning) the newest commit was damaged; the one before it was opened
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class of every error this library raises on purpose."""


class QueryError(SearchError, ValueError):
    """The query text cannot be parsed; the message names the problem."""


class IndexNotFoundError(SearchError, FileNotFoundError):
    """There is no index at the given path."""


class IndexVersionError(SearchError):
    """The index on disk was written by an incompatible schema version."""


class IndexLockedError(SearchError):
    """Another writer holds the index lock."""


class IndexOnNetworkError(SearchError):
    """Writing was refused: the index is on a network file system, where the lock and fsync
    cannot be trusted (``allow_network_fs`` / ``--allow-network-fs`` overrides)."""


class IndexUntrustedError(SearchError):
    """The index was refused before anything in it ran: its directory can be written by
    others or belongs to someone else, or one of its pickles names a foreign global."""


class IndexDamagedError(SearchError):
    """The index failed verification; ``problems`` names each damaged file (exit 3)."""

    def __init__(self, path: object, problems: list) -> None:
        self.problems = problems
        first = problems[0] if problems else "no details"
        super().__init__(f"index {path} is damaged: {first}; run: search check {path}")


class InputError(SearchError, ValueError):
    """An input file or one of its records cannot be read."""


class IndexingInterrupted(SearchError):
    """Indexing was interrupted; ``report`` counts the documents that earlier commits kept."""

    def __init__(self, report: object) -> None:
        super().__init__("interrupted; documents committed before the interruption are kept")
        self.report = report


class IndexRecoveredWarning(UserWarning):
    """The newest commit of an index was damaged, so the commit before it was opened
    (``Index.recovered`` names the damage); the next commit replaces the damaged one."""
