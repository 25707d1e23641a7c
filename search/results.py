"""Stored documents → ``Hit`` and ``Article``, and snippets cut from the original text.

A snippet is the window of the body with the most distinct query syllables,
found with the same tokenizer as the index, so highlights land on the accented
original even when the query was typed without marks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from search.normalize import WORD, canonical_word, fold_word, iy_variant, search_key
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


def _words(
    source: str, accented: frozenset[str], folded: frozenset[str], phrases: frozenset[tuple[str, ...]]
) -> list[tuple[int, int, str | None]]:
    """(start, end, search key if the word matches the query else None) for each word: a
    word typed with marks as typed, one typed without in any form, a word of ``phrases``
    (search keys) where the whole phrase stands.

    The same words as ``analysis.tokenize``, without building a ``Token`` each:
    snippets are cut for every hit shown, on the whole body.
    """
    spellings = {iy_variant(a) for a in accented}  # kĩ is kỹ
    spelled = {search_key(a) for a in accented}  # iy_variant runs two regular expressions: only where it may match
    found = [(m.start(), m.end(), canonical_word(m.group())) for m in WORD.finditer(source)]
    keys = [search_key(canonical) for _, _, canonical in found]
    hits = [
        key in folded or (key in spelled and iy_variant(canonical) in spellings)
        for key, (_, _, canonical) in zip(keys, found)
    ]
    for n in {len(phrase) for phrase in phrases}:
        for i in range(len(keys) - n + 1):
            if tuple(keys[i : i + n]) in phrases:
                hits[i : i + n] = [True] * n
    return [(start, end, key if hit else None) for (start, end, _), key, hit in zip(found, keys, hits)]


def _best_window(words: list[tuple[int, int, str | None]], size: int) -> int:
    """First word of the window with the most distinct matches, then adjacent matches.

    The windows slide over the matches only (counts kept as they enter and leave), so a body
    full of common query words costs its matches, not matches × ``size``."""
    hits = [(i, w[2]) for i, w in enumerate(words) if w[2] is not None]
    pairs = [i for (i, _), (j, _) in zip(hits, hits[1:]) if j == i + 1]  # matches side by side
    best_start, best_score = 0, (-1, -1)
    inside: dict[str, int] = {}
    entered = left = 0
    for start in sorted({max(0, i - CONTEXT_BEFORE) for i, _ in hits}):
        while entered < len(hits) and hits[entered][0] < start + size:
            inside[hits[entered][1]] = inside.get(hits[entered][1], 0) + 1
            entered += 1
        while hits[left][0] < start:
            key = hits[left][1]
            inside[key] -= 1
            if not inside[key]:
                del inside[key]
            left += 1
        adjacent = bisect_right(pairs, start + size - 2) - bisect_left(pairs, start)
        if (len(inside), adjacent) > best_score:
            best_start, best_score = start, (len(inside), adjacent)
    return best_start


def snippet(
    text: str,
    accented: frozenset[str],
    folded: frozenset[str],
    phrases: frozenset[tuple[str, ...]] = frozenset(),
    size: int = SNIPPET_TOKENS,
) -> Snippet:
    """The best passage of ``text`` for the query terms, on one line, with highlights."""
    source = text[:MAX_SNIPPET_SOURCE]
    words = _words(source, accented, folded, phrases)
    if not words:
        return Snippet(" ".join(source.split())[:200])
    first = _best_window(words, size)
    out = ELLIPSIS if first > 0 else ""
    spans: list[tuple[int, int]] = []
    previous_end: int | None = None
    previous_hit = False
    for start, end, key in words[first : first + size]:
        gap = _WHITESPACE.sub(" ", source[previous_end:start]) if previous_end is not None else ""
        out += gap
        hit = key is not None
        if hit and previous_hit and (not gap.strip() or not any(c.isspace() for c in gap)):  # "2/7/2021" is one
            spans[-1] = (spans[-1][0], len(out) + end - start)
        elif hit:
            spans.append((len(out), len(out) + end - start))
        out += source[start:end]
        previous_end, previous_hit = end, hit
    if first + size < len(words) or len(text) > len(source):
        out += ELLIPSIS
    return Snippet(out, tuple(spans))


_SENTENCE_BREAK = re.compile(r"[.!?…:\n]")


def accented_form(
    texts: Iterable[str], keys: tuple[str, ...], syllables: tuple[str, ...] | None = None, mid_sentence: bool = False
) -> str | None:
    """A run of words of ``texts`` whose search keys are ``keys``, as written there: the
    first one in the middle of a sentence, whose capitals are the words' own (a title
    opening "Thành phố" says nothing of how "thành phố" is written), else the first at all
    unless ``mid_sentence``. With ``syllables``, only a run of those very syllables counts,
    i/y spelling included: a reading keeps the one typed (``restore``).

    For a query typed without marks, the top hit shows how its words are spelt:
    ``hau giang`` → "Hậu Giang". None when the run is not there with marks.
    """
    wanted = tuple(syllables) if syllables is not None else None
    first = None
    n = len(keys)
    for text in texts:
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text[:MAX_SNIPPET_SOURCE])]
        found = [search_key(canonical_word(word)) for _, _, word in words]
        for i in range(len(words) - n + 1):
            if tuple(found[i : i + n]) != keys:
                continue
            run = words[i : i + n]
            if wanted is not None and tuple(canonical_word(w) for _, _, w in run) != wanted:
                continue
            form = " ".join(text[run[0][0] : run[-1][1]].split())
            if fold_word(form) == form:
                continue
            if i and not _SENTENCE_BREAK.search(text, words[i - 1][1], words[i][0]):
                return form
            first = first or form
    return None if mid_sentence else first


def capitals_of(texts: Iterable[str], syllables: tuple[str, ...], shown: tuple[str, ...]) -> tuple[str, ...]:
    """``shown`` (one word per canonical syllable of ``syllables``) with each run of two or more
    of them that ``texts`` write in the middle of a sentence, with a capital, as written
    there: a reading the top hit does not hold whole still gets its names right ("ubnd hậu
    giang 02/07/2021" → "ubnd Hậu Giang 02/07/2021"). Syllables are never changed: a run
    counts only with the very same ones (i/y spelling included)."""
    written: list[tuple[str, str, bool]] = []  # (canonical, as written, in mid-sentence)
    for text in texts:
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text[:MAX_SNIPPET_SOURCE])]
        for i, (start, _, word) in enumerate(words):
            mid = i > 0 and not _SENTENCE_BREAK.search(text, words[i - 1][1], start)
            written.append((canonical_word(word), word, mid))
        written.append(("", "", False))  # no run across two texts
    starts: dict[str, list[int]] = {}
    for j, (canonical, _, mid) in enumerate(written):
        if mid:
            starts.setdefault(canonical, []).append(j)
    out, i = list(shown), 0
    while i < len(syllables):
        longest, at = 0, 0
        for j in starts.get(syllables[i], ()):
            length = 0
            while i + length < len(syllables) and written[j + length][0] == syllables[i + length]:
                length += 1
            if length > longest:
                longest, at = length, j
        run = [word for _, word, _ in written[at : at + longest]]
        if longest >= 2 and any(c.isupper() for word in run for c in word):
            out[i : i + longest] = run
        i += longest if longest >= 2 else 1
    return tuple(out)


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
        dateline=stored.get("dateline"),
        reposted_by=stored.get("reposted_by"),
        original=stored.get("original"),
    )
