"""Stored documents → ``Hit`` and ``Article``, and snippets cut from the original text.

A snippet is the window of the body with the most distinct query syllables,
found with the same tokenizer as the index, so highlights land on the accented
original even when the query was typed without marks.
"""

from __future__ import annotations

from datetime import date, datetime
import re
from typing import Any, Mapping

from search.analysis import Token, tokenize
from search.models import Article, Hit, Snippet

SNIPPET_TOKENS = 32
CONTEXT_BEFORE = 4  # tokens shown before the first match
MAX_SNIPPET_SOURCE = 50_000  # characters of the body looked at for a snippet
ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")


def parse_stored_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


def _is_match(token: Token, accented: frozenset[str], folded: frozenset[str]) -> bool:
    return token.text in accented or token.folded in folded


def _best_window(tokens: list[Token], matched: list[bool], size: int) -> int:
    """First token of the window with the most distinct matches, then adjacent matches."""
    best_start, best_score = 0, (-1, -1)
    starts = sorted({max(0, i - CONTEXT_BEFORE) for i, hit in enumerate(matched) if hit})
    for start in starts:
        window = range(start, min(len(tokens), start + size))
        distinct = {tokens[i].folded for i in window if matched[i]}
        adjacent = sum(1 for i in window[:-1] if matched[i] and matched[i + 1])
        if (len(distinct), adjacent) > best_score:
            best_start, best_score = start, (len(distinct), adjacent)
    return best_start


def snippet(
    text: str, accented: frozenset[str], folded: frozenset[str], size: int = SNIPPET_TOKENS
) -> Snippet:
    """The best passage of ``text`` for the query terms, on one line, with highlights."""
    source = text[:MAX_SNIPPET_SOURCE]
    tokens = tokenize(source)
    if not tokens:
        return Snippet(" ".join(source.split())[:200])
    matched = [_is_match(t, accented, folded) for t in tokens]
    first = _best_window(tokens, matched, size) if any(matched) else 0
    window = tokens[first : first + size]
    out = ELLIPSIS if first > 0 else ""
    spans: list[tuple[int, int]] = []
    previous: Token | None = None
    previous_hit = False
    for token, hit in zip(window, matched[first : first + size]):
        gap = _WHITESPACE.sub(" ", source[previous.end : token.start]) if previous else ""
        out += gap
        word = source[token.start : token.end]
        if hit and previous_hit and not gap.strip():
            spans[-1] = (spans[-1][0], len(out) + len(word))
        elif hit:
            spans.append((len(out), len(out) + len(word)))
        out += word
        previous, previous_hit = token, hit
    if first + size < len(tokens) or len(text) > len(source):
        out += ELLIPSIS
    return Snippet(out, tuple(spans))


def hit_from_stored(stored: Mapping[str, Any], score: float, snip: Snippet) -> Hit:
    return Hit(
        id=stored["id"],
        title=stored.get("title") or "",
        url=stored.get("url"),
        date=parse_stored_date(stored.get("date")),
        authors=tuple(stored.get("authors") or ()),
        places=tuple(stored.get("places") or ()),
        score=float(score),
        snippet=snip,
    )


def article_from_stored(stored: Mapping[str, Any]) -> Article:
    return Article(
        id=stored["id"],
        title=stored.get("title") or "",
        body=stored.get("body") or "",
        date=parse_stored_date(stored.get("date")),
        authors=tuple(stored.get("authors") or ()),
        places=tuple(stored.get("places") or ()),
        category=stored.get("category_name"),
        source=stored.get("source_name"),
        url=stored.get("url"),
    )
