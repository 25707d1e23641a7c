"""search: a Vietnamese full-text search engine you can embed.

    from search import Index, Article
    with Index.open("index") as ix:
        for hit in ix.search("Hậu Giang").hits:
            print(hit.title)
"""

from search.errors import (
    IndexDamagedError,
    IndexRecoveredWarning,
    IndexingInterrupted,
    IndexLockedError,
    IndexNotFoundError,
    IndexOnNetworkError,
    IndexUntrustedError,
    IndexVersionError,
    InputError,
    QueryError,
    SearchError,
)
from search.index import Index
from search.models import Article, Hit, IndexInfo, IndexReport, SearchResults, Skipped, Snippet, Understood
from search.synonyms import Synonyms

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``parse_article`` loads the extractors (dates, bylines, places): only when asked for,
    so that ``search query`` does not pay for them at start-up."""
    if name == "parse_article":
        from search.articles import parse_article

        return parse_article
    raise AttributeError(f"module 'search' has no attribute {name!r}")

__all__ = [
    "Article",
    "Hit",
    "Index",
    "IndexInfo",
    "IndexDamagedError",
    "IndexRecoveredWarning",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexOnNetworkError",
    "IndexReport",
    "IndexUntrustedError",
    "IndexVersionError",
    "IndexingInterrupted",
    "InputError",
    "QueryError",
    "SearchError",
    "SearchResults",
    "Skipped",
    "Snippet",
    "Synonyms",
    "Understood",
    "__version__",
    "parse_article",
]
