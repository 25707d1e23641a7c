"""The index's syllable statistics, leaning towards the topic of a query's top hits.

A query typed without marks is first read from the whole index (``restore``). Its best
hits then say what the query is about: a question on Prussia wants ``Phổ``, not ``phố``;
one on wolves ``các loài``, where the news mostly writes ``các loại``. ``TopicStatistics``
adds the pairs and triples of those hits' texts to the index's, weighted as if their
syllables made up ``share`` of everything counted, and the query is read again.

Design decisions:

* **A share, not a fixed weight.** The texts' counts are scaled to ``share`` of the
  index's syllables, so one setting serves ten articles and a hundred thousand. On
  ViQuAD dev (index of 148,930 articles, twelve forms a word), two hits at 1 % took
  whole-query exact match from 0.822 to 0.832; 0.3 % did as well, 3 % slightly worse,
  three hits no better. With twenty forms: 0.826 to 0.834.
* **Only the pairs and triples lean.** The forms a word may take, the syllables' counts
  and the numbers of distinct followers (the back-off weights) stay the index's: adding
  the hits' syllable counts too gave 0.826 on dev, against 0.831 without.
* **Only an unsure reading is read again.** Of the ViQuAD dev questions, 1,172 of 2,283
  were first read with a confidence of 0.95 or more; their hits changed 2 of them. Skipping
  those halves what the step costs (a second reading, about 10–30 ms).
* **The second reading asks the index again only what is new.** Both readings go through
  one ``RememberedStatistics``: the forms, syllable counts, pairs and follower counts of the
  first reading are the second's too (the hits change scores, not which forms are weighed
  first), so only the triples of newly likely forms are looked up again.
* **Sentences as the index counts them**: the same sentence ends (``analysis``), each
  sentence between two ``BOUNDARY`` marks, no pair across two.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from search.analysis import index_terms
from search.restore import Statistics
from search.syllable_stats import BOUNDARY

TOPIC_HITS = 2  # how many of the best hits set the topic
TOPIC_SHARE = 0.01  # their weight: this share of all the syllables the index has counted
SURE_ENOUGH = 0.95  # a first reading at least this likely is not read again


class TopicStatistics:
    """``stats`` with the pair and triple counts of ``texts`` added, scaled so that the texts'
    syllables weigh ``share`` of the index's."""

    def __init__(self, stats: Statistics, texts: Iterable[str], share: float = TOPIC_SHARE) -> None:
        self._stats = stats
        self.total = stats.total
        self._counted = 0  # syllables in the texts
        self._pairs: Counter[tuple[str, str]] = Counter()
        self._triples: Counter[tuple[str, str, str]] = Counter()
        for text in texts:
            self._count(text)
        self.weight = share * stats.total / self._counted if self._counted else 0.0

    def _count(self, text: str) -> None:
        mark = BOUNDARY.decode()
        sentence = [mark]
        for term in index_terms(text).marked:
            word = term.decode("utf-8")
            if word == mark:
                self._sentence(sentence + [mark])
                sentence = [mark]
            else:
                sentence.append(word)
        self._sentence(sentence + [mark])

    def _sentence(self, words: list[str]) -> None:
        if len(words) < 3:
            return
        self._counted += len(words) - 2
        self._pairs.update(zip(words, words[1:]))
        self._triples.update(zip(words, words[1:], words[2:]))

    def _added(self, found: np.ndarray, counter: Counter, keys: Iterable[object]) -> np.ndarray:
        local = np.fromiter((counter.get(key, 0) for key in keys), dtype=np.float64)
        return np.asarray(found, dtype=np.float64) + self.weight * local

    def forms_of(self, keys: Sequence[str], limit: int | None = None) -> list[list[tuple[str, int]]]:
        return self._stats.forms_of(keys, limit)

    def counts(self, syllables: Sequence[str]) -> Sequence[int]:
        return self._stats.counts(syllables)

    def pair_counts(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        return self._added(self._stats.pair_counts(left, right), self._pairs, zip(left, right))

    def triple_counts(self, first: Sequence[str], second: Sequence[str], third: Sequence[str]) -> np.ndarray:
        return self._added(self._stats.triple_counts(first, second, third), self._triples, zip(first, second, third))

    def continuations(self, syllables: Sequence[str]) -> Sequence[int]:
        return self._stats.continuations(syllables)

    def pair_continuations(self, first: Sequence[str], second: Sequence[str]) -> Sequence[int]:
        return self._stats.pair_continuations(first, second)


class RememberedStatistics:
    """The statistics ``opened`` gives, remembering every answer by its question: a query read
    twice looks each list of strings up in the index once. Opened on first use: a query
    with nothing to read never opens them."""

    def __init__(self, opened: Callable[[], Statistics]) -> None:
        self._opened = opened
        self._found: Statistics | None = None
        self._answers: dict[tuple[Any, ...], Any] = {}

    @property
    def _stats(self) -> Statistics:
        if self._found is None:
            self._found = self._opened()
        return self._found

    @property
    def total(self) -> int:
        return self._stats.total

    def _ask(self, ask: Callable[[], Any], *question: object) -> Any:
        if question not in self._answers:
            self._answers[question] = ask()
        return self._answers[question]

    def forms_of(self, keys: Sequence[str], limit: int | None = None) -> list[list[tuple[str, int]]]:
        return self._ask(lambda: self._stats.forms_of(keys, limit), "forms", tuple(keys), limit)

    def counts(self, syllables: Sequence[str]) -> Sequence[int]:
        return self._ask(lambda: self._stats.counts(syllables), "counts", tuple(syllables))

    def pair_counts(self, left: Sequence[str], right: Sequence[str]) -> Sequence[int]:
        return self._ask(lambda: self._stats.pair_counts(left, right), "pairs", tuple(left), tuple(right))

    def triple_counts(self, first: Sequence[str], second: Sequence[str], third: Sequence[str]) -> Sequence[int]:
        return self._ask(
            lambda: self._stats.triple_counts(first, second, third), "triples", tuple(first), tuple(second), tuple(third)
        )

    def continuations(self, syllables: Sequence[str]) -> Sequence[int]:
        return self._ask(lambda: self._stats.continuations(syllables), "continuations", tuple(syllables))

    def pair_continuations(self, first: Sequence[str], second: Sequence[str]) -> Sequence[int]:
        return self._ask(
            lambda: self._stats.pair_continuations(first, second), "pair continuations", tuple(first), tuple(second)
        )
