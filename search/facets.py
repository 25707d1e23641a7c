"""Facet counts and date order over the matches of a query, vectorized.

A facet column lists, for every (document, value) pair of a field, the document
and the value's code: counting the values of the matching documents is one
``numpy.bincount`` over the pairs whose document matches, whatever the number of
matches. Columns are built once per index snapshot from the index's own terms:

``author``, ``place``, ``province``, ``category``, ``source``  the ``*_label`` fields
    (display names as written; names that differ only in case, accents or spacing
    are one value, shown in their most common spelling)
``month``, ``year``  the ``published`` dates, cut to ``YYYY-MM`` / ``YYYY``

``date_order`` gives each document its publication day as a number (-1 without a
date), for ``sort="date"``. No Whoosh here: the terms come through ``Terms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Protocol

import numpy as np

from search.filters import name_key

LABEL_FIELDS = {
    "author": "author_label",
    "place": "place_label",
    "province": "province_label",
    "category": "category_label",
    "source": "source_label",
}
DATE_FACETS = {"month": 7, "year": 4}  # characters of the ISO date kept
FACETS = tuple(LABEL_FIELDS) + tuple(DATE_FACETS)
DEFAULT_FACET_LIMIT = 10


class Terms(Protocol):
    size: int

    def lexicon(self, fieldname: str) -> list[str]: ...

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class FacetColumn:
    labels: tuple[str, ...]
    docs: np.ndarray  # int64, one per (document, value) pair
    codes: np.ndarray  # int32, the value of each pair

    def counts(self, mask: np.ndarray, limit: int) -> dict[str, int]:
        """The ``limit`` most frequent values among the documents in ``mask``, most frequent first."""
        counts = np.bincount(self.codes[mask[self.docs]], minlength=len(self.labels))
        order = np.lexsort((np.arange(len(counts)), -counts))[:limit]
        return {self.labels[i]: int(counts[i]) for i in order if counts[i] > 0}


def build_column(terms: Terms, facet: str) -> FacetColumn:
    """The column of one facet (see the module docstring for the names)."""
    if facet in DATE_FACETS:
        width = DATE_FACETS[facet]
        return _column(terms, "published", lambda day: day[:width], lambda day: day[:width])
    if facet not in LABEL_FIELDS:
        raise ValueError(f"unknown facet {facet!r}: use {', '.join(FACETS)}")
    return _column(terms, LABEL_FIELDS[facet], name_key, None)


def _column(
    terms: Terms, fieldname: str, group_of: Callable[[str], str], label_of: Callable[[str], str] | None
) -> FacetColumn:
    """Terms grouped by ``group_of``; a group is labelled ``label_of(group)``, or by its commonest term."""
    groups: dict[str, int] = {}
    best: list[tuple[int, str]] = []  # per group: (documents, label)
    docs, codes = [], []
    for term in terms.lexicon(fieldname):
        ids = terms.postings(fieldname, term)[0]
        code = groups.setdefault(group_of(term), len(groups))
        if code == len(best):
            best.append((0, ""))
        label = label_of(term) if label_of else term
        if len(ids) > best[code][0]:
            best[code] = (len(ids), label)
        docs.append(ids)
        codes.append(np.full(len(ids), code, dtype=np.int32))
    return FacetColumn(
        tuple(label for _, label in best),
        np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
        np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32),
    )


def date_order(terms: Terms) -> np.ndarray:
    """Each document's publication day as a day number; -1 for none."""
    days = np.full(terms.size, -1, dtype=np.int32)
    for term in terms.lexicon("published"):
        days[terms.postings("published", term)[0]] = date.fromisoformat(term).toordinal()
    return days


def newest_first(candidates: np.ndarray, days: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """``candidates`` ordered by date (newest first), then score, then document number."""
    return candidates[np.lexsort((candidates, -scores[candidates], -days[candidates]))]
