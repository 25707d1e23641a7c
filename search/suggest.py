"""Autocomplete: what a user typing ``hau gi`` probably wants, with its diacritics.

The words already typed are read as ``restore`` reads a query (their most likely accented
form, in context); the word being typed is a prefix of a folded syllable, completed by the
syllables the index has after the last word (``SyllableStats.following``), or, for the
first word, by the commonest syllables with that prefix. The case the user typed is kept
letter by letter where it is known (``Hau gi`` → ``Hậu giang``), so a capitalised name stays
capitalised.

The last word typed without marks is not fixed to its reading: the word being typed says
more about it. Alone, ``can`` reads ``cần``; ``can th`` should offer ``can thiệp`` as well as
``cần thiết`` and ``cần thơ``. So each of the ``LAST_WORD_FORMS`` commonest forms ``f`` of
the last word proposes its followers ``c``, ranked by P(f | the word before) · P(c | f)
(counts, no smoothing; P(f) for a first word, which makes it the pair's count). On 300
title prefixes of ViQuAD + VietNews, half without marks (``benchmarks/suggest_latency.py``),
the title's own words came first in 0.41 of cases with the reading fixed, 0.45 this way (in
the top ten: 0.75 and 0.80); the gain is all in prefixes of two or more words without marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from search.normalize import WORD, canonical_word, fold_word, search_key
from search.restore import MAX_FORMS, Restoration, Statistics, restore, spelled_as_typed

DEFAULT_LIMIT = 10
LAST_WORD_FORMS = 5  # forms of the last word typed that propose completions (3: 0.59 first, 8: 0.61)


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
    prefix = search_key(canonical_word(partial)) if partial else ""
    ending = _Ending(partial, prefix, stats)
    if not done:
        found = stats.prefixed(prefix, ending.asked(limit)) if prefix else []
        return _distinct([Completion(_recased(partial, ending.spelled(syllable)), count) for syllable, count in ending.kept(found)], limit)
    reading = restore(done, stats)
    ranked = []
    proposing, every_form = _forms(done[-1], reading, stats)
    for form, weight in _last_word_forms(proposing, reading, stats):
        written = _recased(done[-1], spelled_as_typed(form, done[-1], every_form)) if reading.restored[-1] else reading.words[-1]
        for syllable, count in ending.kept(stats.following(form, prefix, ending.asked(limit))):
            ranked.append((weight * count, written, ending.spelled(syllable), count))
    ranked.sort(key=lambda found: -found[0])  # stable: ties keep the commonest forms first
    head = list(reading.words[:-1])
    return _distinct([Completion(" ".join([*head, last, _recased(partial, syllable)]), count) for _, last, syllable, count in ranked], limit)


class _Ending:
    """The word being typed: which syllables complete it, and in which i/y spelling.

    The search key merges i/y spellings (``ky`` and ``ki`` are both ``ki``), so the key's
    prefix alone would complete ``ky`` with ``kiểm``. A completion must extend the letters
    typed, or be the very syllable typed in its other spelling (``ky`` → "kì" as well as
    "kỳ"); a whole syllable is shown in the spelling typed when the index has it."""

    def __init__(self, partial: str, prefix: str, stats: CompletionStatistics) -> None:
        self._letters = fold_word(canonical_word(partial))
        self._prefix = prefix
        self._merged = prefix != self._letters  # "ky": the key's prefix finds more than the letters
        self._forms = [f for f, _ in stats.forms_of([prefix], MAX_FORMS)[0]] if prefix else []

    def asked(self, limit: int) -> int | None:
        """How many completions to ask the index for: all, when some may not extend the letters."""
        return None if self._merged else limit

    def kept(self, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return [(s, c) for s, c in found if fold_word(s).startswith(self._letters) or search_key(s) == self._prefix]

    def spelled(self, syllable: str) -> str:
        return spelled_as_typed(syllable, self._letters, self._forms) if search_key(syllable) == self._prefix else syllable


def _distinct(completions: list[Completion], limit: int) -> list[Completion]:
    """The first ``limit`` completions of distinct texts (two spellings may read as one)."""
    seen: set[str] = set()
    kept = [c for c in completions if not (c.text in seen or seen.add(c.text))]  # type: ignore[func-returns-value]
    return kept[:limit]


def _forms(typed: str, reading: Restoration, stats: CompletionStatistics) -> tuple[list[str], list[str]]:
    """(the forms of the last word typed that propose completions: the ``LAST_WORD_FORMS``
    commonest and its reading; every form the index has of it, for its i/y spelling). Its
    reading alone when it was typed with marks or is not a syllable the index has."""
    read = reading.syllables[-1]
    if not reading.restored[-1]:
        return [read], [read]
    forms = [f for f, _ in stats.forms_of([search_key(canonical_word(typed))], MAX_FORMS)[0]] or [read]
    proposing = forms[:LAST_WORD_FORMS]
    return proposing + ([read] if read not in proposing else []), forms


def _last_word_forms(forms: list[str], reading: Restoration, stats: CompletionStatistics) -> list[tuple[str, float]]:
    """``forms`` of the last word typed, each with P(form | the word read before it)
    / count(form): what a count of (form, next) is multiplied by."""
    counts = np.asarray(stats.counts(forms), dtype=np.float64)
    before = counts
    if len(reading.syllables) > 1:
        pairs = np.asarray(stats.pair_counts([reading.syllables[-2]] * len(forms), forms), dtype=np.float64)
        before = pairs if pairs.any() else counts  # no pair seen: the forms' own counts decide
    return [(f, b / c) for f, b, c in zip(forms, before.tolist(), counts.tolist()) if b > 0 and c > 0]


def _recased(typed: str, syllable: str) -> str:
    """``syllable`` in the case of the letters typed so far: ``Gi`` → ``Giang``, ``GI`` → ``GIANG``."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
