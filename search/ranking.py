"""How documents are scored: exact accents first, then bare, then folded; adjacency on top.

For a query syllable ``s`` with folded form ``f`` a document can match at three
levels, each a BM25 term with its own boost, summed:

``exact``  the accented field holds ``s`` itself           ("Hậu" for ``Hậu``)
``bare``   the accented field holds ``f``: text typed without marks ("Hau")
``folded`` the folded field holds ``f``: any accent at all ("Hầu", "Hấu")

A document that matches at a higher level also matches the lower ones, so
"Hậu" > "Hau" > "Hầu" for ``Hậu``. A query typed with no marks at all
(``hau giang``) tells nothing about accents, so it is scored on the folded
field only.

Vietnamese words span syllables, so the best ``RERANK_DEPTH`` documents then
get a bonus for every pair of query syllables they hold adjacent and in order
(read from the folded field's positions), which keeps "Hậu Giang" above
"hậu quả … Kiên Giang". A pair counts like a BM25 term (saturating in its
count) weighted by the mean IDF of its two syllables. Only the top of the list
is re-ranked: reading positions for every match would cost too much. Among
them, an article tagged with a province the query names (its ``place``, from
``place_tags``) gets that place's IDF as a bonus: it is about the place, where
another only mentions it (someone's home town in a traffic story).

One thing in BM25 is changed: a bare (unaccented) term in the accented field
is rare in real text, and its raw IDF would let "Hau" outrank "Hậu". Its IDF is
capped by the folded term's (``ScoredTerm.idf_from``), which is never higher
than the accented term's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import Callable

import numpy as np

from search.normalize import fold_word
from search.schema import FOLDED_TEXT, TEXT


RERANK_DEPTH = 100


@dataclass(frozen=True)
class Weights:
    exact: float = 1.0
    bare: float = 0.6
    folded: float = 0.5
    pair: float = 1.0
    place: float = 1.0
    author: float = 1.0
    k1: float = 1.2
    b: float = 0.75


def proximity_bonus(
    adjacent: Callable[[str, str, list[int]], dict[int, int]],
    idf_of: Callable[[str], float],
    docnums: list[int],
    runs: tuple[tuple[str, ...], ...],
    weights: Weights,
) -> dict[int, float]:
    """docnum → bonus for the query's syllable pairs found adjacent and in order.

    ``adjacent(a, b, docnums)`` gives, per document that has them, how many times the folded
    keys ``a b`` stand side by side; ``idf_of(key)`` a key's IDF.
    """
    pairs = {(a, b) for run in runs for a, b in zip(run, run[1:])}
    if not pairs or not docnums:
        return {}
    idf = {k: idf_of(k) for pair in pairs for k in pair}
    bonus: dict[int, float] = {}
    for a, b in pairs:
        weight = weights.pair * (idf[a] + idf[b]) / 2
        for docnum, count in adjacent(a, b, docnums).items():
            tf = count * (weights.k1 + 1) / (count + weights.k1)
            bonus[docnum] = bonus.get(docnum, 0.0) + weight * tf
    return bonus


def place_bonus(
    tagged: Callable[[str], np.ndarray],
    idf_of: Callable[[str], float],
    docnums: list[int],
    places: list[str],
    weights: Weights,
) -> dict[int, float]:
    """docnum → bonus for each of ``places`` (keys of the ``place`` field) the document is
    tagged with; ``tagged(key)`` gives the documents tagged with a place, ``idf_of(key)``
    its IDF."""
    bonus: dict[int, float] = {}
    for key in places:
        weight = weights.place * idf_of(key)
        holding = set(tagged(key).tolist())  # not np.isin: its first call imports numpy.ma (25 ms)
        for docnum in docnums:
            if docnum in holding:
                bonus[docnum] = bonus.get(docnum, 0.0) + weight
    return bonus


@dataclass(frozen=True)
class ScoredTerm:
    """One BM25 term of a query: ``boost`` × BM25(field, term).

    ``idf_from`` names another (field, term) whose IDF caps this one's.
    """

    field: str
    term: str
    boost: float
    idf_from: tuple[str, str] | None = None


def syllable_terms(canonical: str, folded: str, accented_mode: bool, weights: Weights) -> list[ScoredTerm]:
    """The scored levels of one query syllable; ``folded`` is its search key.

    All of them occur only in documents that hold the folded key.
    """
    fold_term = ScoredTerm(FOLDED_TEXT, folded, weights.folded)
    if not accented_mode:
        return [fold_term]
    cap = (FOLDED_TEXT, folded)
    terms = [ScoredTerm(TEXT, canonical, weights.exact, cap if canonical.isascii() else None)]
    bare = fold_word(canonical)
    if bare != canonical:
        terms.append(ScoredTerm(TEXT, bare, weights.bare, cap))
    terms.append(fold_term)
    return terms


def alternative_terms(keys: tuple[str, ...], weights: Weights) -> tuple[ScoredTerm, ...]:
    """The scored terms of a phrase that stands for words the user typed (a synonym, an
    abbreviation's expansion): the folded keys, sharing one word's weight between them,
    so that an expansion of four words does not outweigh the abbreviation it stands for."""
    return tuple(ScoredTerm(FOLDED_TEXT, key, weights.folded / len(keys)) for key in keys)


def date_terms(keys: tuple[str, ...], weights: Weights) -> tuple[ScoredTerm, ...]:
    """The scored terms of one way of writing a date the user typed (``date_mentions``): its
    numbers, each weighing a word typed with its marks, a padded one ("02") no rarer than the
    number itself; "tháng" and "năm" only match. Every way of writing a day then weighs about
    the same. (One word's weight for the whole date took the 54 ViQuAD dev questions that name
    a date from 0.926 nDCG@10, every number a word, to 0.725; these terms, 0.923.)"""
    return tuple(
        ScoredTerm(FOLDED_TEXT, key, weights.exact, idf_from=(FOLDED_TEXT, key.lstrip("0") or "0"))
        for key in keys
        if key.isdigit()
    )


def exact_terms(canonical: str, weights: Weights) -> list[ScoredTerm]:
    """``--exact``: the syllable as typed, marks and all, and nothing else."""
    return [ScoredTerm(TEXT, canonical, weights.exact)]
