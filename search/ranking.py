"""How a query syllable is scored: exact accents first, then bare, then folded; pairs on top.

For a query syllable ``s`` with folded form ``f`` a document can match at three
levels, each a BM25 term with its own boost, summed:

``exact``  the accented field holds ``s`` itself           ("Hậu" for ``Hậu``)
``bare``   the accented field holds ``f``: text typed without marks ("Hau")
``folded`` the folded field holds ``f``: any accent at all ("Hầu", "Hấu")

A document that matches at a higher level also matches the lower ones, so
"Hậu" > "Hau" > "Hầu" for ``Hậu``. Every match also earns the ``pairs`` term
of adjacent syllables, which keeps "Hậu Giang" above "hậu quả … Kiên Giang".

A query typed with no marks at all (``hau giang``) tells nothing about accents,
so it is scored on the folded and pairs fields only.

``VietnameseBM25`` fixes one thing in BM25: a bare (unaccented) term in the
accented field is rare in real text, and its raw IDF would let "Hau" outrank
"Hậu". It takes its IDF from the folded field instead, which is never higher
than the accented term's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq
from whoosh.scoring import BM25F, BM25FScorer

from search.normalize import fold_word, search_key
from search.schema import FOLDED_TEXT, TEXT


@dataclass(frozen=True)
class Weights:
    exact: float = 1.0
    bare: float = 0.6
    folded: float = 0.5
    pair: float = 1.0


def syllable_query(canonical: str, folded: str, accented_mode: bool, weights: Weights) -> wq.Query:
    """The scored alternatives for one query syllable; ``folded`` is its search key.

    All of them match only documents that hold the folded term.
    """
    fold_term = wq.Term(FOLDED_TEXT, folded, boost=weights.folded)
    if not accented_mode:
        return fold_term
    terms = [wq.Term(TEXT, canonical, boost=weights.exact)]
    bare = fold_word(canonical)
    if bare != canonical:
        terms.append(wq.Term(TEXT, bare, boost=weights.bare))
    terms.append(fold_term)
    return wq.Or(terms)


class VietnameseBM25(BM25F):
    """BM25F where bare terms of the accented field borrow the folded field's IDF."""

    def scorer(self, searcher, fieldname, text, qf=1):  # type: ignore[no-untyped-def]
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if fieldname == TEXT and isinstance(scorer, BM25FScorer) and text.isascii():
            key = search_key(text.decode("ascii"))
            scorer.idf = min(scorer.idf, searcher.get_parent().idf(FOLDED_TEXT, key))
        return scorer
