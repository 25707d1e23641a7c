"""How a query ends: as any sentence does, or as a question.

``restore`` reads a query as a sentence, so its last word is scored as one that ends a
sentence. The index counts the end of a question apart (``analysis``: ``QUESTION_MARK``
before the sentence's end, so a pair ``(đâu, ?)`` counts a question ending in ``đâu``).
``QueryEnd`` gives restoration one pseudo-syllable, ``END``, for the end of the query:
every sentence's end, with the ends of questions weighed up when the query was typed with
a question mark.

Design decisions:

* **A question mark typed is evidence; its absence is not.** A question is often typed
  without one, and most queries are no question at all: a query without "?" ends as any
  sentence does (the questions' ends counted once, as before they were told apart), and
  only one with "?" leans towards questions.
* **Mixed, not replaced.** The news asks few questions (38,441 question marks against
  3.37 million sentence boundaries in ViQuAD + VietNews), so a question's last word is
  often one no question in the index ends with. Scoring the end on questions alone took
  whole-query exact match on ViQuAD dev from 0.826 to 0.829 (a prototype), but read "biên
  giới trên cạn?" as "trên cần": one question ends in "cần", none in "cạn". Mixed, the
  questions' ends weigh as much as all the sentences' ends together (``weight``: 1 +
  boundaries ÷ questions, 88 on that index): dev 0.8263 → 0.8315, test 0.7905 → 0.7932.
  (On the prototype, 30× and 300× gave 0.830 and 0.831; the start of a question, mixed
  the same way, made it worse, 0.828.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from search.syllable_stats import BOUNDARY, QUESTION

if TYPE_CHECKING:
    from search.restore import Statistics

END = "\x00end"  # not a syllable: ``WORD`` never matches a control character
_BOUNDARY, _QUESTION = BOUNDARY.decode(), QUESTION.decode()


class QueryEnd:
    """``stats`` (``restore.Statistics``) with ``END`` as the last syllable of a query:
    counted as ``BOUNDARY`` plus ``weight`` times ``QUESTION``, 1 for a statement."""

    def __init__(self, stats: Statistics, question: bool) -> None:
        self._stats = stats
        self.total = stats.total
        boundaries, questions = (int(n) for n in stats.counts([_BOUNDARY, _QUESTION]))
        self.weight = 1.0 + (boundaries / questions if question and questions else 0.0)
        self._asks_questions = questions > 0  # an index written before questions were counted has none

    def _with_end(self, found: np.ndarray, ends: list[int], question_counts: Sequence[int]) -> np.ndarray:
        found = np.asarray(found, dtype=np.float64)
        if ends:
            found[ends] += self.weight * np.asarray(question_counts, dtype=np.float64)
        return found

    def _ends(self, last: Sequence[str]) -> list[int]:
        return [i for i, s in enumerate(last) if s == END] if self._asks_questions else []

    def forms_of(self, keys: Sequence[str], limit: int | None = None) -> list[list[tuple[str, int]]]:
        return self._stats.forms_of(keys, limit)

    def counts(self, syllables: Sequence[str]) -> np.ndarray:
        ends = self._ends(syllables)
        found = self._stats.counts([_BOUNDARY if s == END else s for s in syllables] + [_QUESTION] * bool(ends))
        found = np.asarray(found)
        return self._with_end(found[: len(syllables)], ends, [found[-1]] * len(ends))

    def pair_counts(self, left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        ends = self._ends(right)
        asked = [_BOUNDARY if s == END else s for s in right]
        found = np.asarray(self._stats.pair_counts([*left, *(left[i] for i in ends)], asked + [_QUESTION] * len(ends)))
        return self._with_end(found[: len(left)], ends, found[len(left) :])

    def triple_counts(self, first: Sequence[str], second: Sequence[str], third: Sequence[str]) -> np.ndarray:
        ends = self._ends(third)
        asked = [_BOUNDARY if s == END else s for s in third]
        found = np.asarray(
            self._stats.triple_counts(
                [*first, *(first[i] for i in ends)], [*second, *(second[i] for i in ends)], asked + [_QUESTION] * len(ends)
            )
        )
        return self._with_end(found[: len(first)], ends, found[len(first) :])

    def continuations(self, syllables: Sequence[str]) -> Sequence[int]:
        return self._stats.continuations([_BOUNDARY if s == END else s for s in syllables])

    def pair_continuations(self, first: Sequence[str], second: Sequence[str]) -> Sequence[int]:
        return self._stats.pair_continuations(first, second)
