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

from search.normalize import WORD, canonical_word, search_key
from search.restore import Restoration, Statistics, restore

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
    if not done:
        found = stats.prefixed(prefix, limit) if prefix else []
        return [Completion(_recased(partial, syllable), count) for syllable, count in found[:limit]]
    reading = restore(done, stats)
    ranked = []
    for form, weight in _last_word_forms(done[-1], reading, stats):
        written = _recased(done[-1], form) if reading.restored[-1] else reading.words[-1]
        for syllable, count in stats.following(form, prefix, limit):
            ranked.append((weight * count, written, syllable, count))
    ranked.sort(key=lambda found: -found[0])  # stable: ties keep the commonest forms first
    head = list(reading.words[:-1])
    return [Completion(" ".join([*head, last, _recased(partial, syllable)]), count) for _, last, syllable, count in ranked[:limit]]


def _last_word_forms(typed: str, reading: Restoration, stats: CompletionStatistics) -> list[tuple[str, float]]:
    """The forms the last word typed may take, each with P(form | the word read before it)
    / count(form): what a count of (form, next) is multiplied by. Its reading alone when it
    was typed with marks or is not a syllable the index has."""
    read = reading.syllables[-1]
    forms = [read]
    if reading.restored[-1]:
        forms = [f for f, _ in stats.forms_of([search_key(canonical_word(typed))], LAST_WORD_FORMS)[0]] or forms
        forms += [read] if read not in forms else []
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
