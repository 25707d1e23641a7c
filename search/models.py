"""The values that cross the public API: frozen dataclasses, standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    return tuple(v for v in value if v)


@dataclass(frozen=True)
class Article:
    """One document to index. ``id`` is unique: adding it again replaces it.

    ``body`` is what is indexed and quoted in snippets; ``original``, when set,
    is the text as it was read, boilerplate and all (kept for display).
    ``places`` are canonical province names as of the article's date;
    ``dateline`` is the leading code as written (``HG``, ``TTO``);
    ``reposted_by`` is who reposted it (``ST Thanh Hương``).
    """

    id: str
    title: str
    body: str
    date: Date | None = None
    authors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    category: str | None = None
    source: str | None = None
    url: str | None = None
    dateline: str | None = None
    reposted_by: str | None = None
    original: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError("an article needs a non-empty string id")
        if not isinstance(self.title, str) or not isinstance(self.body, str):
            raise ValueError(f"article {self.id!r}: title and body must be strings")
        if self.date is not None and not isinstance(self.date, Date):
            raise ValueError(f"article {self.id!r}: date must be a datetime.date")
        object.__setattr__(self, "authors", _as_tuple(self.authors))
        object.__setattr__(self, "places", _as_tuple(self.places))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "authors": list(self.authors),
            "places": list(self.places),
            "category": self.category,
            "source": self.source,
            "url": self.url,
            "dateline": self.dateline,
            "reposted_by": self.reposted_by,
            "original": self.original,
        }


@dataclass(frozen=True)
class Snippet:
    """A passage of the original text; ``highlights`` are (start, end) offsets in ``text``."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[[", after: str = "]]") -> str:
        """The text with every highlight wrapped in ``before`` … ``after``."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights]}


@dataclass(frozen=True)
class Hit:
    """One search result."""

    id: str
    title: str
    url: str | None
    date: Date | None
    authors: tuple[str, ...]
    places: tuple[str, ...]
    score: float
    snippet: Snippet

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a hit (the CLI's ``--json`` uses exactly this)."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
            "authors": list(self.authors),
            "places": list(self.places),
            "score": round(self.score, 4),
            "snippet": self.snippet.to_dict(),
        }


@dataclass(frozen=True)
class Understood:
    """What some words of the query were also searched as: ``typed`` (as written in the query)
    stands for ``meanings`` too, by ``how``: "reading" (marks restored, typos put right),
    "keystrokes" (Telex or VNI), "synonym" (an abbreviation or a synonyms file), "date" (the
    other ways of writing a day), "author" (a byline), "place" (a province the words name)."""

    typed: str
    meanings: tuple[str, ...]
    how: str

    def to_dict(self) -> dict[str, Any]:
        return {"typed": self.typed, "meanings": list(self.meanings), "how": self.how}


@dataclass(frozen=True)
class SearchResults:
    """``total`` counts every matching document; ``hits`` is the requested page."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # facet → value → count, commonest first
    cut_short: bool = False  # the time limit stopped the search: total and hits may be incomplete
    understood: tuple[Understood, ...] = ()  # what words were also searched as (``search query --explain``)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "understood": [u.to_dict() for u in self.understood],
            "cut_short": self.cut_short,
            "facets": self.facets,
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class Skipped:
    """An input that was not indexed, and why (``where`` is a file, file:line or id)."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class FileRead:
    """An input file read whole with no record skipped, stamped as it was before reading
    (``search.ledger`` records it once all its articles are committed)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class IndexReport:
    """What one ``add_many`` did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0  # already in the index with the same content: not rewritten
    skipped: tuple[Skipped, ...] = ()
    seconds: float = 0.0

    @property
    def indexed(self) -> int:
        return self.added + self.replaced

    @property
    def docs_per_second(self) -> float:
        return self.indexed / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class IndexInfo:
    """What ``search info`` shows."""

    path: str | None
    documents: int
    size_bytes: int
    first_date: Date | None
    last_date: Date | None
    schema_version: int
    top: dict[str, dict[str, int]] = field(default_factory=dict)  # place, author, category → commonest values
    per_year: dict[str, int] = field(default_factory=dict)  # "2021" → documents published that year, in order

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "documents": self.documents,
            "size_bytes": self.size_bytes,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "schema_version": self.schema_version,
            "top": self.top,
            "per_year": self.per_year,
        }
