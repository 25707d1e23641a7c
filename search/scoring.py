"""Evaluating a query plan over the posting arrays, vectorized.

Every plan node becomes a dense pair over all documents of the index: a
boolean ``mask`` (does it match?) and a float ``score``. Terms are read with
``columnar`` (zero-copy), scored with BM25 in numpy, and combined with array
operations, so a query over the 143,821 VietNews articles costs milliseconds
even when its syllables occur in most of them, and ``total`` is exact.

Phrases are narrowed to the documents holding all their syllables, then
checked against the positions in the posting arrays.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from whoosh.searching import Searcher

from search.columnar import SegmentArrays, close_all
from search.facets import FacetColumn, build_column, date_order
from search.fuzzy import Vocabulary, within
from search.plan import (
    MAX_EXPANSIONS, Boolean, DateRange, Fuzzy, KeyFilter, Plan, Prefix, Tagged, TextMatch, expansion_error,
)  # fmt: skip
from search.ranking import ScoredTerm, Weights
from search.schema import FOLDED_TEXT, TEXT


PHRASE_CHUNK = 16384  # documents whose positions are checked between two looks at the clock


@dataclass
class Scores:
    mask: np.ndarray  # bool, one per document
    score: np.ndarray  # float32, one per document


@dataclass
class IndexArrays:
    """The posting arrays of every segment of one Whoosh reader, as one index."""

    searcher: Searcher
    segments: list[tuple[SegmentArrays, int]] = field(default_factory=list)
    size: int = 0
    live: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    _lengths: dict[str, np.ndarray] = field(default_factory=dict)
    _terms: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _lexicons: dict[str, list[str]] = field(default_factory=dict)
    _facets: dict[str, FacetColumn] = field(default_factory=dict)
    _days: np.ndarray | None = None
    _vocabulary: Vocabulary | None = None

    @classmethod
    def open(cls, searcher: Searcher) -> "IndexArrays":
        reader = searcher.reader()
        arrays = cls(searcher, size=reader.doc_count_all())
        arrays.live = np.ones(arrays.size, dtype=bool)
        for leaf, offset in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:  # Whoosh's reader of an index with no segment yet
                continue
            arrays.segments.append(
                (SegmentArrays(leaf.storage(), segment.segment_id(), segment.doc_count_all()), offset)
            )
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                arrays.live[deleted + offset] = False
        return arrays

    def close(self) -> None:
        close_all(s for s, _ in self.segments)

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(global doc numbers, weights) of a term, over all segments.

        Kept until ``forget_terms``: one query often needs a term twice.
        """
        key = (fieldname, term)
        if key not in self._terms:
            self._terms[key] = self.read_postings(fieldname, term)
        return self._terms[key]

    def read_postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``postings`` without the cache."""
        btext = term.encode("utf-8")
        ids, weights = [], []
        for segment, offset in self.segments:
            found = segment.postings(fieldname, btext)
            if found is not None:
                ids.append(found[0].astype(np.int64) + offset)
                weights.append(found[1])
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(ids), np.concatenate(weights).astype(np.float32)

    def has_term(self, fieldname: str, term: str) -> bool:
        """Whether any document (deleted ones included) holds ``term``: a term-table look-up."""
        return (fieldname, term) in self.searcher.reader()

    def lexicon(self, fieldname: str) -> list[str]:
        """Every term of a field, sorted (deleted documents' terms included)."""
        if fieldname not in self._lexicons:
            self._lexicons[fieldname] = [t.decode("utf-8") for t in self.searcher.reader().lexicon(fieldname)]
        return self._lexicons[fieldname]

    def expand_prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        """At most ``limit`` terms of a field starting with ``prefix``."""
        terms = self.searcher.reader().expand_prefix(fieldname, prefix)
        return [t.decode("utf-8") for t, _ in zip(terms, range(limit))]

    def vocabulary(self) -> Vocabulary:
        """The folded field's terms, for fuzzy words (loaded on first use)."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.of(self.lexicon(FOLDED_TEXT))
        return self._vocabulary

    def facet(self, name: str) -> FacetColumn:
        """The facet column ``name`` (built on first use, then kept with this snapshot)."""
        if name not in self._facets:
            self._facets[name] = build_column(_Uncached(self), name)
        return self._facets[name]

    def days(self) -> np.ndarray:
        """Each document's publication day number (-1 without a date)."""
        if self._days is None:
            self._days = date_order(_Uncached(self))
        return self._days

    def forget_terms(self) -> None:
        self._terms.clear()

    def lengths(self, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            parts = [segment.lengths(fieldname) for segment, _ in self.segments]
            self._lengths[fieldname] = (
                np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
            )
        return self._lengths[fieldname]

    def phrase_documents(self, fieldname: str, keys: tuple[str, ...], docnums: np.ndarray) -> np.ndarray:
        """Of ``docnums`` (sorted), those holding ``keys`` adjacent and in order."""
        return self.phrase_counts(fieldname, keys, docnums)[0]

    def phrase_counts(
        self, fieldname: str, keys: tuple[str, ...], docnums: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(documents, times) ``keys`` stand adjacent and in order in each of ``docnums``
        (sorted) that holds them at all: each key's (document, position − its place in the
        phrase) pairs, as one int64 each, intersected; what is left is one per occurrence."""
        docs_found, times_found = [], []
        for segment, offset in self.segments:
            local = docnums[(docnums >= offset) & (docnums < offset + segment.doc_count)] - offset
            starts: np.ndarray | None = None
            for step, key in enumerate(keys):
                if not len(local) or (starts is not None and not len(starts)):
                    break
                docs, positions = segment.positions_in(fieldname, key.encode("utf-8"), local)
                keep = positions >= step
                codes = (docs[keep] << 32) | (positions[keep] - step)
                starts = codes if starts is None else np.intersect1d(starts, codes, assume_unique=True)
            if starts is not None and len(starts):
                docs = np.sort(starts >> 32)  # np.unique imports numpy.ma: 7 ms on a cold CLI
                first = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
                docs_found.append(docs[first] + offset)
                times_found.append(np.diff(np.r_[first, len(docs)]))
        if not docs_found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(docs_found), np.concatenate(times_found)

    def idf(self, fieldname: str, term: str) -> float:
        """Whoosh's BM25 IDF: 1 + log(documents / (document frequency + 1)); 1 in an empty index."""
        if not self.size:
            return 1.0
        return 1.0 + math.log(self.size / (len(self.postings(fieldname, term)[0]) + 1))

    def average_length(self, fieldname: str) -> float:
        lengths = self.lengths(fieldname)
        return float(lengths.sum()) / self.size if self.size else 1.0


class _Uncached:
    """An ``IndexArrays`` seen by the facet builder: terms read without filling the query cache."""

    def __init__(self, arrays: IndexArrays) -> None:
        self.size = arrays.size
        self.lexicon = arrays.lexicon
        self.postings = arrays.read_postings


class Evaluator:
    def __init__(self, arrays: IndexArrays, weights: Weights, deadline: float | None = None) -> None:
        self.arrays = arrays
        self.weights = weights
        self.deadline = deadline  # time.monotonic() after which the slow steps give up
        self.cut_short = False
        self.expanded: set[str] = set()  # the index words prefixes and fuzzy words stood for
        self._within: np.ndarray | None = None  # only these documents can match: no phrase checked elsewhere

    def _out_of_time(self) -> bool:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.cut_short = True
        return self.cut_short

    def run(self, plan: Plan) -> Scores:
        """Evaluate ``plan``; term look-ups are not cached from one query to the next."""
        self.arrays.forget_terms()
        result = self.node(plan)
        result.mask &= self.arrays.live
        return result

    def _empty(self) -> Scores:
        size = self.arrays.size
        return Scores(np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float32))

    def node(self, plan: Plan) -> Scores:
        if isinstance(plan, TextMatch):
            return self.text(plan)
        if isinstance(plan, KeyFilter):
            return self._any_term(plan.field, [plan.term])
        if isinstance(plan, Tagged):
            result = self._any_term(plan.field, [plan.term])
            result.score[result.mask] = plan.boost * self.arrays.idf(plan.field, plan.term)
            return result
        if isinstance(plan, DateRange):
            return self._any_term("published", self._dates(plan))
        if isinstance(plan, Prefix):
            keys = self.arrays.expand_prefix(FOLDED_TEXT, plan.key, MAX_EXPANSIONS + 1)
            exact = self.arrays.expand_prefix(TEXT, plan.accented, MAX_EXPANSIONS + 1) if plan.accented else []
            return self.expansion(plan, keys, exact)
        if isinstance(plan, Fuzzy):
            return self.expansion(plan, within(plan.key, self.arrays.vocabulary(), plan.edits), [])
        return self.boolean(plan)

    def expansion(self, plan: Prefix | Fuzzy, keys: list[str], exact: list[str]) -> Scores:
        """Documents holding any of ``keys``, scored by the best-scoring one (accented ``exact``
        words at the exact weight): a document is not better for holding many of them."""
        if len(keys) > MAX_EXPANSIONS or len(exact) > MAX_EXPANSIONS:
            raise expansion_error(plan)
        self.expanded.update(keys)
        result = self._any_term(FOLDED_TEXT, keys)
        terms = [ScoredTerm(FOLDED_TEXT, k, self.weights.folded) for k in keys]
        terms += [ScoredTerm(TEXT, a, self.weights.exact) for a in exact]
        for term in terms:
            ids, score = self._bm25(term)
            result.score[ids] = np.maximum(result.score[ids], score)  # a term's ids are distinct
        return result

    def boolean(self, plan: Boolean) -> Scores:
        result = self._empty()
        if plan.must:
            result.mask[:] = True
        outer = self._within
        must = sorted(plan.must, key=lambda child: not isinstance(child, (DateRange, KeyFilter)))  # filters first
        for child in must:
            found = self.node(child)
            result.mask &= found.mask
            result.score += found.score
            if isinstance(child, (DateRange, KeyFilter)):  # phrases need checking only where they pass
                self._within = result.mask if outer is None else result.mask & outer
        for child in plan.should:
            found = self.node(child)
            if not plan.must:
                result.mask |= found.mask
            result.score += found.score
        for child in plan.must_not:
            result.mask &= ~self.node(child).mask
        self._within = outer
        result.score[~result.mask] = 0.0
        return result

    def text(self, plan: TextMatch) -> Scores:
        result = self._any_term(FOLDED_TEXT, plan.keys)
        if plan.exact:  # the words as typed: all of them in a phrase, any of them otherwise
            exact = [self._any_term(TEXT, [word]).mask for word in plan.exact]
            result.mask &= np.logical_and.reduce(exact) if plan.phrase else np.logical_or.reduce(exact)
        for term in plan.scored:
            ids, score = self._bm25(term)
            result.score[ids] += score
        if plan.phrase:
            candidates = result.mask if self._within is None else result.mask & self._within
            result.mask &= self._phrase(plan.keys, candidates)
        result.score[~result.mask] = 0.0
        return result

    def _any_term(self, fieldname: str, terms: list[str] | tuple[str, ...]) -> Scores:
        result = self._empty()
        for term in terms:
            result.mask[self.arrays.postings(fieldname, term)[0]] = True
        return result

    def _bm25(self, term: ScoredTerm) -> tuple[np.ndarray, np.ndarray]:
        arrays, w = self.arrays, self.weights
        ids, tf = arrays.postings(term.field, term.term)
        idf = arrays.idf(term.field, term.term)
        if term.idf_from is not None:
            idf = min(idf, arrays.idf(*term.idf_from))
        lengths = arrays.lengths(term.field)[ids]
        norm = w.k1 * ((1 - w.b) + w.b * lengths / arrays.average_length(term.field))
        return ids, (term.boost * idf) * (tf * (w.k1 + 1)) / (tf + norm)

    def _dates(self, plan: DateRange) -> list[str]:
        low = plan.low.isoformat() if plan.low else ""
        high = plan.high.isoformat() if plan.high else "~"  # ISO days sort as strings; "~" after all
        return [day for day in self.arrays.lexicon("published") if low <= day <= high]

    def _phrase(self, keys: tuple[str, ...], candidates: np.ndarray) -> np.ndarray:
        """Documents among ``candidates`` holding ``keys`` adjacent and in order."""
        narrowed = candidates.copy()
        for key in keys:
            narrowed &= self._any_term(FOLDED_TEXT, [key]).mask
        docnums = np.flatnonzero(narrowed)
        found = np.zeros_like(candidates)
        for start in range(0, len(docnums), PHRASE_CHUNK):
            if self._out_of_time():
                break  # the rest counts as not found; the results say they were cut short
            found[self.arrays.phrase_documents(FOLDED_TEXT, keys, docnums[start : start + PHRASE_CHUNK])] = True
        return found


def top(scores: Scores, count: int) -> list[tuple[int, float]]:
    """The ``count`` best (docnum, score), best first; ties by docnum."""
    candidates = np.flatnonzero(scores.mask)
    if len(candidates) > count:
        values = scores.score[candidates]
        keep = np.argpartition(-values, count - 1)[:count]
        candidates = candidates[keep]
    ordered = sorted(((int(d), float(scores.score[d])) for d in candidates), key=lambda p: (-p[1], p[0]))
    return ordered[:count]
