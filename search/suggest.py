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

With two words before the one being typed, the next word is read after both (``hà nội``
is followed by "đã", "cho", not the "dung" of ``nội dung``): P(next | both) from the runs of
three (``SyllableStats.following_pair``, the pair's thirds), backed off to the pairs as
``restore`` does. On the same 300 prefixes (index of ViQuAD + VietNews): first 0.447 →
0.470, top ten 0.803 → 0.817, p95 20 → 23 ms.

A completion must extend the letters typed, and keeps the i or y typed (``ki th`` →
"kĩ thuật" when the index has that spelling; ``ky`` never completes to "kiểm", whose key
``kiem`` starts with the key ``ki`` that ``ky`` shares with ``ki``).
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

    def following_pair(self, first: str, second: str, folded_prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]: ...

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
    proposing, every_form = _forms(done[-1], reading, stats)
    before = reading.syllables[-2] if len(done) > 1 else None
    ranked = _next_words(before, _last_word_forms(proposing, reading, stats), ending, stats, limit)
    ranked.sort(key=lambda found: -found[0])  # stable: ties keep the commonest forms first
    head = list(reading.words[:-1])

    def last(form: str) -> str:
        return _recased(done[-1], spelled_as_typed(form, done[-1], every_form)) if reading.restored[-1] else reading.words[-1]

    return _distinct(
        [Completion(" ".join([*head, last(form), _recased(partial, ending.spelled(syllable))]), count) for _, form, syllable, count in ranked],
        limit,
    )


class _Ending:
    """The word being typed: which syllables complete it, and in which i/y spelling.

    The search key merges i/y spellings (``ky`` and ``ki`` are both ``ki``), so the key's
    prefix alone would complete ``ky`` with ``kiểm``. A completion must extend the letters
    typed, or be the very syllable typed in its other spelling (``ky`` → "kì" as well as
    "kỳ"); a whole syllable is shown in the spelling typed when the index has it."""

    def __init__(self, partial: str, prefix: str, stats: CompletionStatistics) -> None:
        self._letters = fold_word(canonical_word(partial))
        self.prefix = prefix
        self._merged = prefix != self._letters  # "ky": the key's prefix finds more than the letters
        self._forms = [f for f, _ in stats.forms_of([prefix], MAX_FORMS)[0]] if prefix else []

    def asked(self, limit: int) -> int | None:
        """How many completions to ask the index for: all, when some may not extend the letters."""
        return None if self._merged else limit

    def extends(self, syllable: str) -> bool:
        return fold_word(syllable).startswith(self._letters) or search_key(syllable) == self.prefix

    def kept(self, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return [(s, c) for s, c in found if self.extends(s)]

    def spelled(self, syllable: str) -> str:
        return spelled_as_typed(syllable, self._letters, self._forms) if search_key(syllable) == self.prefix else syllable


def _next_words(
    before: str | None, forms: list[_Form], ending: _Ending, stats: CompletionStatistics, limit: int
) -> list[tuple[float, str, str, int]]:
    """(score, form, syllable, count of the two) of each syllable that may follow a form of
    the last word typed. The score is P(form | before) · P(syllable | before form), the runs
    of three backed off to the pairs as ``restore`` does (Witten–Bell); P(syllable | form)
    where the index never saw ``before form``, or with no word before. (A few look-up calls
    for all the forms: they are summed over every segment.)"""
    prefix = ending.prefix
    found = [dict(ending.kept(stats.following(f.form, prefix, ending.asked(limit)))) for f in forms]
    if before is None:
        return [(f.weight * c / f.own, f.form, s, c) for f, counted in zip(forms, found) for s, c in counted.items()]
    # Weighed: the commonest pairs and the commonest thirds; a syllable in neither list is not.
    thirds = [dict(ending.kept(stats.following_pair(before, f.form, prefix, ending.asked(limit)))) if f.context else {} for f in forms]
    more = [(i, t) for i, (counted, three) in enumerate(zip(found, thirds)) for t in three if t not in counted]
    for (i, third), count in zip(more, np.asarray(stats.pair_counts([forms[i].form for i, _ in more], [t for _, t in more])).tolist()):
        found[i][third] = count
    kinds = np.asarray(stats.pair_continuations([before] * len(forms), [f.form for f in forms])).tolist()  # distinct thirds
    ranked = []
    for f, counted, three, k in zip(forms, found, thirds, kinds):
        for syllable, count in counted.items():
            chance = (three.get(syllable, 0) + k * count / f.own) / (f.context + k) if f.context and k else count / f.own
            ranked.append((f.weight * chance, f.form, syllable, count))
    return ranked


def _distinct(completions: list[Completion], limit: int) -> list[Completion]:
    """The first ``limit`` completions of distinct texts (two spellings may read as one)."""
    kept: dict[str, Completion] = {}
    for completion in completions:
        kept.setdefault(completion.text, completion)
        if len(kept) == limit:
            break
    return list(kept.values())


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


@dataclass(frozen=True)
class _Form:
    """A form of the last word typed: P(form | the word read before it) as ``weight``, its
    count, and the count of the word before and it (0 with no word before)."""

    form: str
    weight: float
    own: float
    context: float


def _last_word_forms(forms: list[str], reading: Restoration, stats: CompletionStatistics) -> list[_Form]:
    """``forms`` of the last word typed that the index has after the word before it (any
    form the index has, when it has none there, or with no word before)."""
    counts = np.asarray(stats.counts(forms), dtype=np.float64)
    pairs = np.zeros(len(forms))
    if len(reading.syllables) > 1:
        pairs = np.asarray(stats.pair_counts([reading.syllables[-2]] * len(forms), forms), dtype=np.float64)
    before = pairs if pairs.any() else counts  # no pair seen: the forms' own counts decide
    total = float(before.sum())
    return [_Form(f, b / total, c, p) for f, b, c, p in zip(forms, before.tolist(), counts.tolist(), pairs.tolist()) if b > 0 and c > 0]


def _recased(typed: str, syllable: str) -> str:
    """``syllable`` in the case of the letters typed so far: ``Gi`` → ``Giang``, ``GI`` → ``GIANG``."""
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable
