"""Module layers (ARCHITECTURE.md): who may import whom, and where Whoosh may appear."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "search"

# module -> modules of ours it may import
ALLOWED = {
    "errors": set(),
    "trust": {"errors"},
    "manifest": {"schema", "trust"},
    "check": {"columnar", "errors", "manifest", "trust"},
    "commits": {"check", "manifest"},
    "ledger": {"models"},
    "filesystems": set(),
    "folder": {"check", "commits", "errors", "fastwriter", "filesystems", "manifest", "schema", "trust", "writer"},
    "synonyms": {"errors", "normalize"},
    "typing_keys": {"normalize"},
    "syllable_stats": {"normalize"},
    "restore": {"normalize", "sentence_end", "syllable_stats"},  # the sentence mark its counts use
    "sentence_end": {"restore", "syllable_stats"},  # restore: the ``Statistics`` protocol it wraps, for typing only
    "suggest": {"normalize", "restore"},
    "typos": {"normalize", "restore"},
    "topic_stats": {"analysis", "restore", "syllable_stats"},  # the index's counts, leaning towards the top hits
    "models": set(),
    "normalize": set(),
    "analysis": {"normalize"},
    "schema": {"analysis"},
    "ranking": {"normalize", "schema"},
    "query": {"analysis", "date_mentions", "errors", "filters", "normalize", "plan", "query_dates", "ranking", "synonyms", "typing_keys"},
    "plan": {"errors", "ranking"},
    "filters": {"analysis", "errors", "normalize", "places", "plan", "query_dates"},
    "query_dates": {"dates", "errors"},
    "date_mentions": {"analysis", "dates", "normalize"},  # a date typed among the words, and how articles write it
    "columnar": set(),
    "scoring": {"columnar", "facets", "fuzzy", "plan", "ranking", "schema"},
    "fuzzy": set(),
    "facets": {"filters"},
    "results": {"models", "normalize"},
    "fastwriter": {"columnar", "commits", "ledger", "manifest", "merging", "schema", "syllable_stats", "trust"},
    "merging": set(),
    "writer": {"analysis", "errors", "fastwriter", "ledger", "models", "normalize", "places", "schema"},
    "charsets": set(),
    "encodings": {"charsets"},
    "dates": set(),
    "places": {"normalize"},
    "place_tags": {"places"},
    "datelines": {"normalize"},
    "bylines": {"datelines", "normalize"},
    "html_pages": {"dates", "encodings"},
    "articles": {"bylines", "datelines", "dates", "models", "normalize", "place_tags", "places"},
    "records": {"articles", "dates", "encodings", "models", "normalize", "places"},
    "readers": {"articles", "encodings", "html_pages", "models", "records"},
    "index": {"errors", "facets", "fastwriter", "filters", "models", "plan", "query", "ranking", "results", "schema", "scoring", "writer", "trust", "check", "commits", "filesystems", "ledger", "manifest", "restore", "suggest", "syllable_stats", "synonyms", "topic_stats", "typos", "analysis", "normalize", "folder"},
    "output": {"analysis", "models", "places", "readers"},
    "cli": {"__init__", "analysis", "ledger", "normalize", "output", "readers", "records"},
    "__init__": {"articles", "errors", "index", "models", "synonyms"},
    "__main__": {"cli"},
}
MAY_IMPORT_WHOOSH = {"check", "commits", "folder", "merging", "trust", "analysis", "schema", "ranking", "writer", "fastwriter", "columnar", "scoring", "index"}


def imports(module: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "search":
                found |= {"__init__"} if any(a.name[0].isupper() for a in node.names) else set()
                found |= {a.name for a in node.names if a.name[0].islower()}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_every_module_is_in_the_map():
    assert {p.stem for p in PACKAGE.glob("*.py")} <= set(ALLOWED)


def test_layers():
    for module in PACKAGE.glob("*.py"):
        found = imports(module)
        ours = {m.removeprefix("search.") for m in found if m.startswith("search.")}
        ours |= {m for m in found if m in ALLOWED}
        assert ours <= ALLOWED[module.stem], (module.stem, ours - ALLOWED[module.stem])
        uses_whoosh = any(m.split(".")[0] == "whoosh" for m in found)
        assert not uses_whoosh or module.stem in MAY_IMPORT_WHOOSH, module.stem
