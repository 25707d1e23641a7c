"""Autocomplete: what a user typing ``hau gi`` probably wants, with its diacritics.

The words already typed are read as ``restore`` reads a query (their most likely accented
form, in context); the word being typed is a prefix of a folded syllable, completed by the
syllables the index has after the last word read (``SyllableStats.following``), or, for the
first word, by the commonest syllables with that prefix. Ranked by how often the index has
the completed pair (or syllable). The case the user typed is kept letter by letter where it
is known (``Hau gi`` → ``Hậu giang``), so a capitalised name stays capitalised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from search.normalize import WORD, canonical_word, search_key
from search.restore import Statistics, restore

DEFAULT_LIMIT = 10


class CompletionStatistics(Statistics, Protocol):
    def following(self, first: str, folded_prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]: ...

    def prefixed(self, folded_prefix: str, limit: int | None = None) -> list[tuple[str, int]]: ...


@dataclass(frozen=True)
class Completion:
    """One completion of the text typed so far, and how many times the index has its end."""

    text: str
    count: int


def complete(typed: str, stats: CompletionStatistics, limit: int = DEFAULT_LIMIT) -> list[Completion]:
    """Completions of ``typed``, commonest first: the last word is a prefix being typed unless
    ``typed`` ends with a space (then the next word is proposed)."""
    words = WORD.findall(typed)
    if not words or limit <= 0:
        return []
    done, partial = (words, "") if typed[-1:].isspace() else (words[:-1], words[-1])
    reading = restore(done, stats) if done else None
    prefix = search_key(canonical_word(partial)) if partial else ""
    if reading is not None:
        candidates = stats.following(reading.syllables[-1], prefix, limit)
    elif prefix:
        candidates = stats.prefixed(prefix, limit)
    else:
        return []
    head = list(reading.words) if reading is not None else []
    return [Completion(" ".join([*head, _recased(partial, syllable)]), count) for syllable, count in candidates[:limit]]


def _recased(typed: str, syllable: str) -> str:
    """``syllable`` in the case of the letters typed so far: ``Gi`` → ``Giang``, ``GI`` → ``GIANG``."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
