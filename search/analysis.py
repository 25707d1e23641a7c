"""How Vietnamese text becomes terms: syllable tokens with offsets, accented and folded.

``tokenize`` is the one tokenizer: it finds words in the *original* text (so
offsets slice the text the user gave, NFD or not) and gives each its canonical
and folded form. ``index_terms`` is the fast path the writer uses;
``analyze`` is the debugging handle behind ``search analyze``.

The Whoosh analyzers at the bottom exist because Whoosh pickles a field's
analyzer into the index: they wrap the same functions, and their import path
is part of the on-disk format (do not move or rename them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import filterfalse
from typing import Iterator

from whoosh.analysis.acore import Token as WhooshToken
from whoosh.analysis.filters import Filter
from whoosh.analysis.tokenizers import Tokenizer

from search.normalize import QUESTION_MARK, SENTENCE_MARK, WORD, canonical_word, search_key

@dataclass(frozen=True, slots=True)
class Token:
    """One syllable (or dotted abbreviation, or number) of a text."""

    text: str  # canonical: NFC, traditional tone placement, lowercase
    folded: str  # search key: accent-free, i/y variants merged (kỹ → ki)
    start: int  # offsets into the original text
    end: int
    position: int


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` with offsets into ``text`` itself."""
    tokens = []
    for position, match in enumerate(WORD.finditer(text)):
        canonical = canonical_word(match.group())
        tokens.append(
            Token(canonical, search_key(canonical), match.start(), match.end(), position)
        )
    return tokens


_tokens_of = tokenize  # the Whoosh tokenizer's keyword ``tokenize`` shadows the name


def canonical_terms(text: str) -> list[str]:
    """Canonical syllables of ``text``, without offsets (the indexing fast path)."""
    return [canonical_word(w) for w in WORD.findall(text)]


# Where a sentence ends, for the syllable statistics (``syllable_stats``): after ., !, ? or …
# (and any closing quote or bracket) followed by a space, and at a line break. "TP.HCM"
# and "3.5" have no space after the dot; "ông A. Nguyễn" splits wrongly, which only costs
# the statistics a pair. The end matches the empty string, so one ``findall`` finds the
# words and the ends together, and ``_accented_terms`` maps "" to the mark. A question mark
# that ends a sentence (or the text) is also a term of its own, ``QUESTION_MARK``, just before
# the end: restoration reads a query typed with one as a question (``ở đâu?``, not ``ở đầu``).
_SENTENCE_END = r"(?<=[.!?…])(?=[\"'”’)\]]*\s)|(?<![.!?…\n])(?=\n)"
_QUESTION_END = r"\?(?=[\"'”’)\]]*(?:\s|$))"
_WORDS_AND_ENDS = re.compile(rf"{WORD.pattern}|{_QUESTION_END}|{_SENTENCE_END}")
_MARKS = frozenset({SENTENCE_MARK, QUESTION_MARK})


@dataclass(frozen=True, slots=True)
class Terms:
    """What one text contributes to the text fields, in order, as UTF-8 index terms."""

    accented: tuple[bytes, ...]
    folded: tuple[bytes, ...]
    marked: tuple[bytes, ...] = ()  # ``accented`` with ``SENTENCE_MARK`` after each sentence but the last, ``QUESTION_MARK`` before it after a question

    def truncated(self, end: int) -> Terms:
        """The first ``end`` terms, with the sentence marks among them."""
        marked, words = [], 0
        for term in self.marked:
            if term not in _MARKS:
                if words == end:
                    break
                words += 1
            marked.append(term)
        return Terms(self.accented[:end], self.folded[:end], tuple(marked))


class _AccentedTerms(dict[str, bytes]):
    """Word as found in the text → canonical index term, computed on first sight."""

    def __missing__(self, word: str) -> bytes:
        term = canonical_word(word).encode("utf-8")
        if len(self) < TERM_CACHE_SIZE:
            self[word] = term
        return term


class _FoldedTerms(dict[bytes, bytes]):
    """Canonical index term → search-key index term, computed on first sight."""

    def __missing__(self, term: bytes) -> bytes:
        key = search_key(term.decode("utf-8")).encode("utf-8")
        if len(self) < TERM_CACHE_SIZE:
            self[term] = key
        return key


TERM_CACHE_SIZE = 500_000
_accented_terms = _AccentedTerms({"": SENTENCE_MARK, "?": QUESTION_MARK})
_folded_terms = _FoldedTerms()


def index_terms(text: str) -> Terms:
    """The writer's fast path: one regex pass, then dictionary look-ups at C speed."""
    marked = tuple(map(_accented_terms.__getitem__, _WORDS_AND_ENDS.findall(text)))
    accented = tuple(filterfalse(_MARKS.__contains__, marked))
    return Terms(accented, tuple(map(_folded_terms.__getitem__, accented)), marked)


def analyze(text: str) -> list[Token]:
    """What the analyzer makes of ``text`` (the ``search analyze`` command)."""
    return tokenize(text)


# -- Whoosh adapters (pickled into the index: keep names and module stable) --


class SyllableTokenizer(Tokenizer):
    """Whoosh tokenizer emitting canonical syllables with original offsets."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[WhooshToken]:
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for tok in _tokens_of(value):
            t.text = tok.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[tok.start : tok.end]
            if positions:
                t.pos = start_pos + tok.position
            if chars:
                t.startchar = start_char + tok.start
                t.endchar = start_char + tok.end
            yield t


class FoldFilter(Filter):
    """Whoosh filter: canonical syllable → folded syllable; offsets untouched."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens: Iterator[WhooshToken]) -> Iterator[WhooshToken]:
        for t in tokens:
            t.text = search_key(t.text)
            yield t


ACCENTED = SyllableTokenizer()
FOLDED = SyllableTokenizer() | FoldFilter()
