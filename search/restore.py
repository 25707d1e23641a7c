"""Accent restoration: the most likely accented reading of words typed without marks.

``restore(["hau", "giang"], stats)`` → ``hậu giang``, learned from the index's own text
(``search.syllable_stats``): no model, nothing downloaded. Folding is very lossy (``do``
stands for đó, do, độ, đỏ, đô …), so each syllable is read in the context of its
neighbours.

Design decisions:

* **A trigram model, decoded by Viterbi.** Each word typed without marks may be any of the
  accented forms the index has for its folded key (``SyllableStats.forms_of``, at most
  ``MAX_FORMS``, the most common). The reading chosen maximises
  Π P(wᵢ | wᵢ₋₂ wᵢ₋₁) over all combinations, exactly, by dynamic programming over the
  forms of the last two words: n · k³ scores for n words of k forms (looked up in two
  vectorised calls, the pairs in one more, the forms and counts of all words in another).
  Bigrams alone left a third of the ViQuAD questions wrong: one neighbour on each side
  cannot tell ``nằm ở đâu`` from ``năm ở đâu`` or ``con sông nào`` from ``cơn sóng não``.
  On a prototype over ViQuAD + VietNews, trigrams took whole-query exact match on 800
  dev questions from 0.66 to 0.78, and reading the query as a sentence to 0.80.
* **The query is a sentence.** The statistics mark both ends of every sentence
  (``syllable_stats.BOUNDARY``) and the query is read between two marks, so a last word
  is scored as a sentence end: ``ở đâu`` ends questions, ``ở đầu`` rarely ends anything.
  A query typed with a question mark ends as a question (``sentence_end``).
* **The top hits, once.** ``restore`` reads from the index alone; ``Index.search`` then
  reads an unsure query once more with its two best hits' pairs and triples added
  (``topic_stats``): +0.8 points of exact match on ViQuAD dev, for a second reading.
  Trigrams seen once are needed: dropping them (half the file) cost 2.5 points.
* **Smoothing: Witten–Bell, the triple count backed off to the pair count, backed off to
  the unigram count** (``_triple_scores``: the same rule one level up, T(a b) the distinct
  syllables seen after a b).
  P(b | a) = (c(a b) + T(a) · P(b)) / (c(a) + T(a)), with P(b) = c(b) / N and T(a) the
  number of distinct syllables seen after a (``SyllableStats.continuations``; summed over
  segments, so a pair seen in two segments counts twice: an over-estimate that only
  softens the back-off). A pair the index has seen often decides; a syllable followed by
  many different ones trusts its pairs less. It needs no constant, so a ten-article index
  and the whole of VietNews both work; a fixed Dirichlet prior μ (``smoothing=μ``) did as
  well only once tuned to the size of the index, and worse on ViQuAD dev (exact match
  0.68 against 0.66 at the best μ on the full index, 0.70 against 0.67 with 2,000
  VietNews articles). Kneser–Ney would need continuation counts of the second syllable
  over distinct first ones, which per-segment sums cannot give.
* **What stays as typed.** A word typed with any mark (``Hậu giang``: ``hậu`` is fixed)
  keeps its form and still serves as context. A word typed without marks is read as any
  form the index has for it, whether or not it is shaped like a Vietnamese syllable:
  ``montreal`` is ``montréal`` in a passage about Québec and ``Montreal`` in an English
  name, and the context decides (reading only words the index never spells as typed lost
  1 point of exact match on ViQuAD dev). ``usa`` has no other form and stays. A word the
  index has never seen is kept and breaks the chain (no transition into or out of it),
  since its counts say nothing, unless it may be a typo (below). Case is kept as typed
  (``Hau`` → ``Hậu``, ``iPhone``).
* **The i or y typed stays.** The forms of ``ki`` include the index's commoner ``kỳ`` and
  ``kì``, each with counts of its own; the reading is chosen among them all, then spelled
  with the letter typed when the index has that spelling (``spelled_as_typed``: ``thoi
  ki`` → "thời kì"). Whoever types ``ki`` writes ``kì``: a reading puts marks back, it
  does not change letters. On ViQuAD dev every one of the 60 i/y syllables read wrong was
  typed with the other letter; keeping it took exact match from 0.832 to 0.853.
* **Typos** (``typos.corrections``): a word whose key the index has no form of may also be
  any form of a key one edit away, at no cost, or stay as typed at ``NEW_WORD``; the
  context decides (``hau giag`` → "hậu giang"). A word typed with marks keeps them: only
  the forms with the same marks compete (``trọngg`` → "trọng", never "trông"). A known word
  is never second-guessed: a misspelling that is itself a word would need a model of errors.
* **Confidence** is the posterior probability of the chosen reading among all readings
  (forward algorithm: best path over the sum of all paths), so 1.0 means the index
  knows no other reading, and a query with a real ambiguity gets a low one.

``restore_baseline`` is the reading with no context, each syllable's most frequent
form: what ``benchmarks/restoration.py`` compares against.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence

import numpy as np

from search.normalize import canonical_word, fold_word, iy_variant, search_key
from search.sentence_end import END, QueryEnd
from search.syllable_stats import BOUNDARY

MAX_FORMS = 20  # accented candidates per syllable, the most common ones
TRIGRAM_FORMS = 7  # of which the trigram model weighs the likeliest by the bigram model
PRUNE_BELOW = 1e-6  # … if their posterior is at least this share of the best one's
# A word the index never saw, typed without marks, may be a new word or a typo of a word one
# edit away (``corrections``): this is the probability that it is meant as typed. On 600
# ViQuAD dev questions with a typo put in one word, 1e-3 read 84 % of those words back,
# 1e-5 94 %; in the clean questions it changed 4 readings, each a typo of the question's
# own put right (Miiterrand, Versaillers).
NEW_WORD = 1e-5
SMOOTHING: float | None = None  # Witten–Bell; a number μ gives a fixed Dirichlet prior instead
_PLAIN_SYLLABLE = re.compile(r"(ngh|ng|gh|gi|qu|ch|kh|nh|ph|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")


class Statistics(Protocol):
    """What restoration reads: ``syllable_stats.SyllableStats`` (or a test double)."""

    total: int

    def forms_of(self, keys: Sequence[str], limit: int | None = None) -> list[list[tuple[str, int]]]: ...

    def counts(self, syllables: Sequence[str]) -> Sequence[int]: ...

    def pair_counts(self, left: Sequence[str], right: Sequence[str]) -> Sequence[int]: ...

    def continuations(self, syllables: Sequence[str]) -> Sequence[int]: ...

    def triple_counts(self, first: Sequence[str], second: Sequence[str], third: Sequence[str]) -> Sequence[int]: ...

    def pair_continuations(self, first: Sequence[str], second: Sequence[str]) -> Sequence[int]: ...


@dataclass(frozen=True)
class Restoration:
    """A reading of the typed words: canonical syllables, and how sure the index is."""

    typed: tuple[str, ...]
    syllables: tuple[str, ...]  # canonical, lowercase; a fixed word's own form
    restored: tuple[bool, ...]  # False where the word was kept as typed
    confidence: float  # posterior probability of this reading, 0..1

    @property
    def words(self) -> tuple[str, ...]:
        """The reading in the typed case (``Hau`` → ``Hậu``); fixed words exactly as typed."""
        return tuple(_recase(t, s) if r else t for t, s, r in zip(self.typed, self.syllables, self.restored))

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def changed(self) -> bool:
        """True when some word reads differently from how it was typed."""
        return any(s != canonical_word(t) for t, s in zip(self.typed, self.syllables))


@dataclass(frozen=True)
class _Slot:
    """The candidate readings of one typed word."""

    forms: tuple[str, ...]
    counts: np.ndarray  # int64, how often each form occurs in the index
    restorable: bool
    followers: np.ndarray | None = None  # how many distinct syllables follow each form
    penalty: np.ndarray | None = None  # log-probability of each form being what was typed (typos)

    def cost(self) -> np.ndarray:
        return self.penalty if self.penalty is not None else np.zeros(len(self.forms))

    def taking(self, keep: np.ndarray) -> _Slot:
        """The slot with only the forms ``keep`` (indexes)."""
        penalty = self.penalty[keep] if self.penalty is not None else None
        return _Slot(tuple(self.forms[k] for k in keep), self.counts[keep], self.restorable, penalty=penalty)


def is_restorable(word: str) -> bool:
    """True when ``word`` has no marks and is shaped like a Vietnamese syllable."""
    canonical = canonical_word(word)
    return fold_word(canonical) == canonical and _PLAIN_SYLLABLE.fullmatch(canonical) is not None


def _slots(words: Sequence[str], stats: Statistics, corrections: Mapping[int, Sequence[str]]) -> list[_Slot]:
    """The candidates of each word (the index looked up once for all of them); a word with
    ``corrections`` (folded keys) and no form of its own may be any form of those, or stay
    as typed at ``NEW_WORD``."""
    canonicals = [canonical_word(w) for w in words]
    literal = np.asarray(stats.counts(canonicals), dtype=np.int64)
    readable = [fold_word(c) == c for c in canonicals]  # typed without marks
    own_keys = [[search_key(c)] if readable[i] else [] for i, c in enumerate(canonicals)]
    keys = [[*own_keys[i], *corrections.get(i, ())] for i in range(len(canonicals))]
    found = iter(stats.forms_of([k for ks in keys for k in ks], MAX_FORMS))
    slots = []
    for i, canonical in enumerate(canonicals):
        own = next(found) if own_keys[i] else []
        corrected = sorted((form for _ in keys[i][len(own_keys[i]) :] for form in next(found)), key=lambda found: -found[1])
        if not readable[i]:  # typed with marks: a typo keeps them (trọngg is trọng, not trông)
            corrected = [(form, count) for form, count in corrected if _marks(form) == _marks(canonical)]
        if corrected and not own:  # as typed, a word the index never saw; or a typo of one it has
            candidates = [(canonical, int(literal[i])), *corrected[: MAX_FORMS - 1]]
            penalty = np.array([math.log(NEW_WORD)] + [0.0] * (len(candidates) - 1))
            counts = np.array([c for _, c in candidates], dtype=np.int64)
            slots.append(_Slot(tuple(f for f, _ in candidates), counts, True, penalty=penalty))
        elif own:
            slots.append(_Slot(tuple(f for f, _ in own), np.array([c for _, c in own], dtype=np.int64), True))
        else:
            slots.append(_Slot((canonical,), literal[i : i + 1], False))
    return slots


def _marks(word: str) -> tuple[str, ...]:
    """The marks of a canonical word, in order: ``trọng`` → (dot below,); đ counts."""
    decomposed = unicodedata.normalize("NFD", word)
    return tuple(c for c in decomposed if unicodedata.combining(c)) + (("đ",) if "đ" in word else ())


def _recase(typed: str, syllable: str) -> str:
    if syllable == canonical_word(typed):
        return typed  # iPhone stays iPhone
    if len(typed) > 1 and typed.isupper():
        return syllable.upper()
    if typed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _start_scores(slot: _Slot, total: int) -> np.ndarray:
    """log P(w) of each form; 0 for a fixed word (one candidate: any constant will do)."""
    if not slot.restorable:
        return np.zeros(1)
    with np.errstate(divide="ignore"):  # a word kept as typed that the index never saw
        return np.log(slot.counts / total)


def _transitions(
    slots: list[_Slot], stats: Statistics, total: int, smoothing: float | None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(log P(b | a), count of a b) for every pair of forms of each two neighbouring slots
    (one look-up call)."""
    left: list[str] = []
    right: list[str] = []
    for a, b in zip(slots, slots[1:]):
        left.extend(np.repeat(a.forms, len(b.forms)).tolist())
        right.extend(np.tile(b.forms, len(a.forms)).tolist())
    pairs = np.asarray(stats.pair_counts(left, right), dtype=np.float64) if left else np.zeros(0)
    if smoothing is None:
        slots = _with_followers(slots, stats)
    matrices, tables, start = [], [], 0
    for a, b in zip(slots, slots[1:]):
        size = len(a.forms) * len(b.forms)
        counts = pairs[start : start + size].reshape(len(a.forms), len(b.forms))
        start += size
        matrices.append(_transition(a, b, counts, total, smoothing))
        tables.append(counts)
    return matrices, tables


def _triple_scores(
    slots: list[_Slot], stats: Statistics, bigrams: list[np.ndarray], pairs: list[np.ndarray]
) -> list[np.ndarray]:
    """log P(c | a b) for every three forms of each three neighbouring slots, Witten–Bell
    backed off to the bigram score: (c(a b c) + T(a b) · P(c | b)) / (c(a b) + T(a b)),
    T(a b) the number of distinct syllables seen after a b. Where the index has never seen
    a b followed by anything, or c at all, the bigram score stands. (Two look-up calls.)"""
    first: list[str] = []
    second: list[str] = []
    third: list[str] = []
    for a, b, c in zip(slots, slots[1:], slots[2:]):
        grid = np.meshgrid(np.arange(len(a.forms)), np.arange(len(b.forms)), np.arange(len(c.forms)), indexing="ij")
        first.extend(np.asarray(a.forms)[grid[0].ravel()].tolist())
        second.extend(np.asarray(b.forms)[grid[1].ravel()].tolist())
        third.extend(np.asarray(c.forms)[grid[2].ravel()].tolist())
    triples = np.asarray(stats.triple_counts(first, second, third), dtype=np.float64)
    contexts = [(x, y) for a, b in zip(slots, slots[1:-1]) for x in a.forms for y in b.forms]
    followers = np.asarray(stats.pair_continuations([x for x, _ in contexts], [y for _, y in contexts]), dtype=np.float64)
    scores, start, context_start = [], 0, 0
    for i, (a, b, c) in enumerate(zip(slots, slots[1:], slots[2:])):
        shape = (len(a.forms), len(b.forms), len(c.forms))
        counts = triples[start : start + np.prod(shape)].reshape(shape)
        start += int(np.prod(shape))
        kinds = followers[context_start : context_start + shape[0] * shape[1]].reshape(shape[:2])[:, :, None]
        context_start += shape[0] * shape[1]
        context = pairs[i][:, :, None]
        backoff = np.exp(bigrams[i + 1])[None, :, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            smoothed = np.log((counts + kinds * backoff) / (context + kinds))
        known = (kinds > 0) & (context > 0) & (c.counts > 0)[None, None, :]
        scores.append(np.where(known, smoothed, np.broadcast_to(bigrams[i + 1][None, :, :], shape)))
    return scores


def _with_followers(slots: list[_Slot], stats: Statistics) -> list[_Slot]:
    """The slots with the number of distinct followers of each form (one look-up call)."""
    followers = np.asarray(stats.continuations([f for slot in slots for f in slot.forms]), dtype=np.float64)
    ends = np.cumsum([len(slot.forms) for slot in slots])
    return [
        _Slot(slot.forms, slot.counts, slot.restorable, followers[end - len(slot.forms) : end], slot.penalty)
        for slot, end in zip(slots, ends.tolist())
    ]


def _transition(a: _Slot, b: _Slot, pairs: np.ndarray, total: int, smoothing: float | None) -> np.ndarray:
    weight = a.followers[:, None] if smoothing is None else np.full((len(a.forms), 1), smoothing)
    weight = np.maximum(weight, 1.0)
    prior = weight * (b.counts / total)[None, :]
    with np.errstate(divide="ignore"):
        scores = np.log((pairs + prior) / (a.counts[:, None] + weight))
    unseen_a, unseen_b = a.counts == 0, b.counts == 0
    scores[unseen_a, :] = _start_scores(b, total)[None, :]  # the chain starts again at b
    scores[:, unseen_b] = 0.0  # nothing is known of b: no transition into it
    return scores


def _logsumexp(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    top = np.max(values, axis=axis, keepdims=True)
    summed = np.log(np.sum(np.exp(values - top), axis=axis, keepdims=True)) + top
    return np.squeeze(summed, axis=axis) if axis is not None else summed.reshape(())


def _viterbi(starts: np.ndarray, transitions: list[np.ndarray]) -> tuple[list[int], float]:
    """(best path, its posterior probability among all paths)."""
    best, forward, back = starts, starts, []
    for scores in transitions:
        candidates = best[:, None] + scores
        back.append(np.argmax(candidates, axis=0))
        best = candidates.max(axis=0)
        forward = _logsumexp(forward[:, None] + scores, axis=0)
    path = [int(np.argmax(best))]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    path.reverse()
    return path, float(math.exp(float(best.max()) - float(_logsumexp(forward))))


def _viterbi3(starts: np.ndarray, bigrams: list[np.ndarray], triples: list[np.ndarray]) -> tuple[list[int], float]:
    """``_viterbi`` for a trigram model: the state is the forms of the last two slots."""
    best = forward = starts[:, None] + bigrams[0]
    back = []
    for scores in triples:  # scores[a, b, c] = log P(c | a b)
        candidates = best[:, :, None] + scores
        back.append(np.argmax(candidates, axis=0))
        best = candidates.max(axis=0)
        forward = _logsumexp(forward[:, :, None] + scores, axis=0)
    last = np.unravel_index(int(np.argmax(best)), best.shape)
    path = [int(last[1]), int(last[0])]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1], path[-2]]))
    path.reverse()
    return path, float(math.exp(float(best.max()) - float(_logsumexp(forward))))


def _likely_forms(starts: np.ndarray, bigrams: list[np.ndarray]) -> list[np.ndarray]:
    """Of each slot, the indexes of the forms the bigram model finds at all likely (posterior
    over ``PRUNE_BELOW`` of the best form's, at most ``TRIGRAM_FORMS``): the trigram model's
    k³ look-ups per word are then at most 343, not 8,000. (5 forms at 1e-5 of 12 were 2 ms
    faster at the median, and 0.4 points of exact match worse on ViQuAD dev.)"""
    forward = [starts]
    for scores in bigrams:
        forward.append(_logsumexp(forward[-1][:, None] + scores, axis=0))
    backward = [np.zeros(len(forward[-1]))]
    for scores in reversed(bigrams):
        backward.append(_logsumexp(scores + backward[-1][None, :], axis=1))
    backward.reverse()
    kept = []
    for alpha, beta in zip(forward, backward):
        posterior = alpha + beta
        order = np.argsort(-posterior, kind="stable")[:TRIGRAM_FORMS]
        kept.append(np.sort(order[posterior[order] >= posterior[order[0]] + math.log(PRUNE_BELOW)]))
    return kept


def restore(
    words: Sequence[str],
    stats: Statistics,
    smoothing: float | None = SMOOTHING,
    order: int = 3,
    corrections: Mapping[int, Sequence[str]] | None = None,
    question: bool = False,
) -> Restoration:
    """The most likely accented reading of ``words`` (as typed, one syllable each), by a
    trigram model (``order=2``: bigrams only). ``corrections`` maps the position of a word
    typed without marks that the index has no form of to the folded keys it may have been
    meant as (``typos.corrections``); it stays as typed only if that is ``NEW_WORD`` likely.
    ``question``: the query was typed with a question mark at its end (``sentence_end``)."""
    typed = tuple(words)
    slots = _slots(typed, stats, corrections or {})
    if not slots:
        return Restoration((), (), (), 1.0)
    ends = QueryEnd(stats, question)
    bounded = _with_boundaries(slots, ends)
    if bounded is not slots:
        stats = ends
    total = max(int(stats.total), 1)
    bigrams, pairs = _transitions(bounded, stats, total, smoothing)
    starts = _start_scores(bounded[0], total) + bounded[0].cost()
    typos = [m + b.cost()[None, :] for m, b in zip(bigrams, bounded[1:])]  # the bigram model, new words weighed
    if order == 3 and len(bounded) > 2:
        kept = _likely_forms(starts, typos)
        narrowed = [slot.taking(keep) for slot, keep in zip(bounded, kept)]
        bigrams = [m[np.ix_(a, b)] for m, a, b in zip(bigrams, kept, kept[1:])]
        pairs = [m[np.ix_(a, b)] for m, a, b in zip(pairs, kept, kept[1:])]
        starts = starts[kept[0]]
        triples = _triple_scores(narrowed, stats, bigrams, pairs)
        triples = [t + c.cost()[None, None, :] for t, c in zip(triples, narrowed[2:])]
        path, confidence = _viterbi3(starts, [bigrams[0] + narrowed[1].cost()[None, :]], triples)
        path = [int(keep[i]) for keep, i in zip(kept, path)]
    else:
        path, confidence = _viterbi(starts, typos)
    if bounded is not slots:
        path = path[1:-1]
    syllables = tuple(spelled_as_typed(slot.forms[i], word, slot.forms) for slot, word, i in zip(slots, typed, path))
    return Restoration(typed, syllables, tuple(s.restorable for s in slots), confidence)


def spelled_as_typed(form: str, typed: str, forms: Sequence[str]) -> str:
    """``form`` in the i/y spelling ``typed`` without marks chose (``ki`` → "kì", not the
    "kỳ" the index writes more often), when ``forms`` (what the index has) hold that
    spelling: a reading puts the marks back, not another spelling."""
    letters = fold_word(canonical_word(typed))
    if fold_word(form) == letters:
        return form
    variant = iy_variant(form)
    return next((f for f in forms if fold_word(f) == letters and iy_variant(f) == variant), form)


def _with_boundaries(slots: list[_Slot], stats: QueryEnd) -> list[_Slot]:
    """The slots between a sentence boundary (``syllable_stats.BOUNDARY``) and the query's
    end (``sentence_end.END``): a query is read as a sentence, so its first word is scored
    as a sentence start and its last as an end (``ở đâu`` ends a question, ``ở đầu`` rarely
    ends anything). ``slots`` unchanged for an index written before boundaries were counted."""
    start, end = np.asarray(stats.counts([BOUNDARY.decode(), END]), dtype=np.int64)
    if not start:
        return slots
    return [_Slot((BOUNDARY.decode(),), np.array([start]), False), *slots, _Slot((END,), np.array([end]), False)]


def restore_baseline(words: Sequence[str], stats: Statistics) -> Restoration:
    """Each syllable's most frequent form, no context; confidence = product of their shares."""
    typed = tuple(words)
    slots = _slots(typed, stats, {})
    confidence = 1.0
    for slot in slots:
        if slot.restorable:
            confidence *= float(slot.counts[0] / slot.counts.sum())
    return Restoration(typed, tuple(s.forms[0] for s in slots), tuple(s.restorable for s in slots), confidence)
