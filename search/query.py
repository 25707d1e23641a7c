"""Query text → a query plan, through our own small parser.

Syntax (README "Query syntax" is the user-facing version):

    hậu giang              words: ranked OR; adjacent words in order score more
    "chỉnh đốn đảng"       phrase: the syllables adjacent and in order
    +word  -word           required / excluded (also ``AND`` / ``NOT``; ``-(…)``, ``-"…"``)
    ( … )  OR              grouping; OR is the default between words
    hậu*  "hậu gi*"        prefix of the last syllable (folded), at least two letters
    bão~  nguyen~2         fuzzy: one or two edits of a folded syllable
    author:"Nguyễn Triệu"  field filters: author, place, category, source, id, date
    date:02/07/2021        day-first dates, months, years, ranges (``query_dates``)

The result is a ``Plan`` of our own (no Whoosh types): ``scoring`` evaluates it.
Field filters restrict the results without changing their order; ``filter_plan``
makes the same filters from keyword arguments (the CLI flags, ``Index.search``).
Every query that cannot be parsed is a ``QueryError`` with one line that points at
the problem (its column) and says how to fix it; the caps below are checked before
anything is searched. How each syllable is scored is in ``ranking``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from itertools import islice, product
from typing import Callable

from search.analysis import canonical_terms
from search.date_mentions import WrittenDate, mentions
from search.errors import QueryError
from search.normalize import WORD, fold_word, has_marks, search_key
from search.filters import EXAMPLES, checked_name, clean, filter_plan, name_key, place_filter, places_named, spans
from search.plan import (
    MAX_EXPANSIONS,
    Boolean,
    DateRange,
    Filter,
    Fuzzy,
    KeyFilter,
    ParsedQuery,
    Plan,
    Prefix,
    Tagged,
    TextMatch,
    expansion_error,
)
from search.query_dates import date_bounds
from search.ranking import ScoredTerm, Weights, alternative_terms, date_terms, exact_terms, syllable_terms
from search.synonyms import Alternative, Synonyms, leftmost_longest
from search.typing_keys import typed_alternative

__all__ = [  # the plan and the filters are re-exported: callers know one module
    "MAX_EXPANSIONS", "Boolean", "DateRange", "Filter", "Fuzzy", "KeyFilter", "ParsedQuery", "Plan",
    "Prefix", "TextMatch", "expansion_error", "filter_plan", "name_key", "parse_query", "place_filter",
]  # fmt: skip

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64  # words, phrases, prefixes and filters in the whole query
MAX_DEPTH = 8  # nested parentheses
MAX_SYLLABLES = 64
MAX_FUZZY_EDITS = 2
MAX_PHRASE_VARIANTS = 16  # spellings of one quoted phrase with its abbreviations swapped
MAX_NAME_WORDS = 4  # syllables of an author's name the words of a query may spell
MIN_PREFIX_LETTERS = 2
MIN_FUZZY_LETTERS = {1: 3, 2: 5}  # edits → letters the word needs

FIELD_ALIASES = {
    "author": "author", "tác_giả": "author", "tacgia": "author", "tac_gia": "author",
    "place": "place", "địa_điểm": "place", "dia_diem": "place", "nơi": "place",
    "category": "category", "chuyên_mục": "category", "chuyen_muc": "category",
    "source": "source", "nguồn": "source", "nguon": "source",
    "date": "date", "ngày": "date", "ngay": "date",
    "id": "id",
}  # fmt: skip
_FIELD_HELP = (
    "author (tác_giả), place (nơi, địa_điểm), date (ngày), category (chuyên_mục), source (nguồn), id"
)


def _example(name: str) -> str:
    if name == "date":
        return "date:02/07/2021"
    return f'{name}:"{EXAMPLES[name]}"' if name in EXAMPLES else f"{name}:abc123"


# -- lexer ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "open", "close", "sign" or "field"
    text: str  # the word, the phrase's inside, the sign, or the field's value
    column: int  # 1-based, in the query as typed
    name: str = ""  # field: its canonical name
    value_kind: str = ""  # field: "word", "phrase" or "range"
    value_column: int = 0  # field: where its value starts


_QUOTES = str.maketrans("“”„″", '""""')  # one character each: columns do not move
_FIELD_NAME = re.compile(r"([^\W\d][\w\u0300-\u036f]*):")
_OPERATORS = ("AND", "OR", "NOT")


def _lex(text: str) -> list[_Token]:
    text = text.translate(_QUOTES)
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = _closing_quote(text, i)
            tokens.append(_Token("phrase", text[i + 1 : end], i + 1))
            i = end + 1
        elif c in "()":
            tokens.append(_Token("open" if c == "(" else "close", c, i + 1))
            i += 1
        elif c in "+-" and i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] in '("*'):
            tokens.append(_Token("sign", c, i + 1))
            i += 1
        elif (m := _FIELD_NAME.match(text, i)) and (found := _field_token(text, m)) is not None:
            tokens.append(found[0])
            i = found[1]
        else:
            end = _word_end(text, i)
            tokens.append(_Token("word", text[i:end], i + 1))
            i = end
    return tokens


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace() and text[i] not in '()"':
        i += 1
    return i


def _closing_quote(text: str, start: int) -> int:
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(
            f'unbalanced quote: the phrase opened at column {start + 1} is never closed; add a closing "'
        )
    return end


def _field_token(text: str, m: re.Match[str]) -> tuple[_Token, int] | None:
    """The ``name:value`` token at ``m`` and where it ends; None when it is plain text."""
    typed, start, i = m[1], m.start() + 1, m.end()
    name = FIELD_ALIASES.get(unicodedata.normalize("NFC", typed).lower())  # not folded: "Nội:" is text
    if i < len(text) and text[i] == '"':
        end, kind = _closing_quote(text, i), "phrase"
        value, after = text[i + 1 : end], end + 1
    elif i < len(text) and text[i] == "[":
        end, kind = text.find("]", i), "range"
        if end < 0:
            raise QueryError(
                f"unbalanced bracket: '[' at column {i + 1} is never closed; add ']', "
                "as in date:[01/06/2021 TO 31/07/2021]"
            )
        value, after = text[i : end + 1], end + 1
    else:
        after, kind = _word_end(text, i), "word"
        value = text[i:after]
    if name is None and kind == "word" and not value:
        return None  # "Hà Nội: kẹt xe": a colon after a word is punctuation
    if name is None:
        raise QueryError(
            f"unknown field '{typed}' at column {start}: use one of {_FIELD_HELP}; or quote the text"
        )
    if not value.strip():
        raise QueryError(
            f"field '{typed}' at column {start} has no value: write {typed}:value with no space "
            f"after ':', e.g. {_example(name)}"
        )
    return _Token("field", value, start, name, kind, i + 1 + (kind == "phrase")), after


# -- parse tree ----------------------------------------------------------------


class Occur(Enum):
    SHOULD = "should"
    MUST = "must"
    MUST_NOT = "must_not"


@dataclass
class Text:
    words: list[str]
    phrase: bool = False


@dataclass
class FieldValue:
    name: str
    value: str
    value_kind: str = "word"
    column: int = 1
    value_column: int = 1


@dataclass
class Leaf:
    """A word that is already a plan node (a prefix or a fuzzy word) and how it was typed."""

    plan: Prefix | Fuzzy
    typed: str


@dataclass
class Group:
    clauses: list[tuple[Occur, "Node"]] = field(default_factory=list)


Node = Text | FieldValue | Leaf | Group


# -- parser ----------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.i = 0
        self.depth = 0
        self.clauses = 0

    def parse(self) -> Group:
        group = self._group()
        if (tok := self._peek()) is not None:
            raise QueryError(
                f"unbalanced parenthesis: ')' at column {tok.column} has no '('; remove it or add '(' before it"
            )
        return group

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _starts_clause(self, tok: _Token | None) -> bool:
        """Can ``tok`` follow AND / OR: a term, a sign or NOT."""
        return tok is not None and tok.kind != "close" and not _is_operator(tok, "AND", "OR")

    def _starts_atom(self, tok: _Token | None, literal: bool) -> bool:
        """Can ``tok`` follow NOT or a sign (after a sign, ``AND`` is the word itself)."""
        if tok is None or tok.kind in ("close", "sign"):
            return False
        return literal or not _is_operator(tok)

    def _group(self) -> Group:
        group = Group()
        pending_and = False
        while (tok := self._peek()) is not None and tok.kind != "close":
            if _is_operator(tok, "AND", "OR"):
                self._binary(tok, group)
                pending_and = tok.text == "AND"
                continue
            occur, node = self._unary()
            if pending_and and occur is Occur.SHOULD:
                occur = Occur.MUST
            pending_and = False
            group.clauses.append((occur, node))
        return group

    def _binary(self, tok: _Token, group: Group) -> None:
        self.i += 1
        if not group.clauses:
            raise QueryError(
                f"{tok.text} at column {tok.column} has no term before it: write mưa {tok.text} bão, "
                f'or quote "{tok.text}" to search for the word'
            )
        if not self._starts_clause(self._peek()):
            raise QueryError(
                f"{tok.text} at column {tok.column} has no term after it: write mưa {tok.text} bão, or remove it"
            )
        occur, node = group.clauses[-1]
        if tok.text == "AND" and occur is Occur.SHOULD:
            group.clauses[-1] = (Occur.MUST, node)

    def _unary(self) -> tuple[Occur, Node]:
        tok = self.tokens[self.i]
        if _is_operator(tok, "NOT") or tok.kind == "sign":
            self.i += 1
            if not self._starts_atom(self._peek(), literal=tok.kind == "sign"):
                shown = "NOT" if tok.kind == "word" else f"'{tok.text}'"
                raise QueryError(
                    f"{shown} at column {tok.column} has no term after it: write mưa NOT bão or mưa -bão"
                )
            occur = Occur.MUST if tok.text == "+" else Occur.MUST_NOT
            return occur, self._atom()
        node = self._atom()
        return (Occur.MUST if isinstance(node, FieldValue) else Occur.SHOULD), node

    def _atom(self) -> Node:
        tok = self.tokens[self.i]
        self.i += 1
        if tok.kind == "open":
            return self._parenthesised(tok)
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(
                f"too many terms: more than {MAX_CLAUSES} words, phrases and filters (at column "
                f"{tok.column}); shorten the query or quote a phrase"
            )
        if tok.kind == "phrase":
            return _phrase_node(tok)
        if tok.kind == "field":
            return FieldValue(tok.name, tok.text, tok.value_kind, tok.column, tok.value_column)
        return _word_node(tok.text, tok.column)

    def _parenthesised(self, opening: _Token) -> Group:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                f"parentheses nested more than {MAX_DEPTH} deep at column {opening.column}; "
                "remove some ( )"
            )
        group = self._group()
        if self._peek() is None:
            raise QueryError(
                f"unbalanced parenthesis: '(' at column {opening.column} is never closed; add ')'"
            )
        self.i += 1
        self.depth -= 1
        if not group.clauses:
            raise QueryError(f"empty parentheses at column {opening.column}: put a term inside or remove them")
        return group


def _is_operator(tok: _Token | None, *names: str) -> bool:
    return tok is not None and tok.kind == "word" and tok.text in (names or _OPERATORS)


# -- words: prefixes, fuzzy words --------------------------------------------------

_FUZZY = re.compile(r"(.*[^\W_])~(\d*)", re.DOTALL)


def _word_node(word: str, column: int) -> Node:
    if "*" in word:
        return _joined(*_prefix_parts(word, column))
    if m := _FUZZY.fullmatch(unicodedata.normalize("NFC", word)):
        return _joined(*_fuzzy_parts(word, m, column))
    return Text([word])


def _phrase_node(tok: _Token) -> Node:
    if "*" not in tok.text:
        return Text([tok.text], phrase=True)
    *before_words, last = tok.text.split()
    before = " ".join(before_words)
    if "*" in before:
        raise QueryError(
            f'"{tok.text}" at column {tok.column}: * works only at the end of the last word of a phrase, '
            'e.g. "hậu gi*"'
        )
    words, leaf = _prefix_parts(last, tok.column)
    return _joined(canonical_terms(before) + words, leaf)


def _joined(words: list[str], node: Node) -> Node:
    """``hậu gi*``: the whole words before a prefix (or fuzzy word) are required with it."""
    if not words:
        return node
    return Group([(Occur.MUST, Text(words, phrase=True)), (Occur.MUST, node)])


def _prefix_parts(word: str, column: int) -> tuple[list[str], Node]:
    syllables = canonical_terms(word[:-1])
    if word.startswith("*") or (word.endswith("*") and not syllables):
        raise QueryError(
            f"leading wildcard '{word}' at column {column} is not supported: type the start of the word "
            "and then *, e.g. gia*"
        )
    if word.count("*") > 1 or not word.endswith("*"):
        raise QueryError(f"'{word}' at column {column}: * works only at the end of a word, e.g. hậu*")
    last = syllables[-1]
    key = fold_word(last)  # not i/y-merged: "xy*" must find "xy0001", indexed as it is
    if len(key) < MIN_PREFIX_LETTERS:
        raise QueryError(
            f"prefix '{word}' at column {column} is too short: type at least {MIN_PREFIX_LETTERS} "
            "letters before *, e.g. hậu*"
        )
    leaf = Leaf(Prefix(key, last if has_marks(last) else None), word)
    if search_key(last) == key:
        return syllables[:-1], leaf
    # "kỹ*", "quí*": a whole syllable whose i/y variants share another key ("ki", "quy")
    return syllables[:-1], Group([(Occur.SHOULD, leaf), (Occur.SHOULD, Text([last]))])


def _fuzzy_parts(word: str, m: re.Match[str], column: int) -> tuple[list[str], Leaf]:
    syllables = canonical_terms(m[1])
    edits = int(m[2][:3]) if m[2] else 1  # "~99999…" is an error, not a huge number
    if not 1 <= edits <= MAX_FUZZY_EDITS:
        raise QueryError(
            f"'{word}' at column {column}: fuzzy search allows 1 or {MAX_FUZZY_EDITS} edits; "
            f"write {m[1]}~ or {m[1]}~{MAX_FUZZY_EDITS}"
        )
    key = search_key(syllables[-1])
    if len(key) < MIN_FUZZY_LETTERS[edits]:
        raise QueryError(
            f"'{word}' at column {column} is too short for {edits} edit{'s' * (edits > 1)}: "
            f"fuzzy search needs {MIN_FUZZY_LETTERS[edits]} letters"
            + (f" (or use ~1 from {MIN_FUZZY_LETTERS[1]})" if edits > 1 else "; search the word itself")
        )
    return syllables[:-1], Leaf(Fuzzy(key, edits), word)


def _field_filter(node: FieldValue, merged_places: bool) -> Filter:
    where = f" at column {node.value_column}"
    if node.name == "date":
        return DateRange(*date_bounds(node.value, where))
    shown = f"{node.name}:{node.value} at column {node.column}"
    if node.value_kind == "range":
        raise QueryError(f"{shown}: ranges work only with date:, e.g. date:[01/06/2021 TO 31/07/2021]")
    if node.name == "id":
        return KeyFilter("id", node.value)
    if "*" in node.value or node.value.endswith("~"):
        raise QueryError(
            f"{shown}: * and ~ work on words of the text, not on {node.name}; write the whole "
            f"name, e.g. {_example(node.name)}"
        )
    if node.name == "place":
        checked_name(node.value, "place", where)
        return place_filter(node.value, merged_places)
    return KeyFilter(node.name, checked_name(node.value, node.name, where))


# -- from the tree to the plan ------------------------------------------------------


class _Builder:
    def __init__(
        self,
        accented_mode: bool,
        weights: Weights,
        merged_places: bool,
        synonyms: Synonyms,
        exact: bool,
        known: Callable[[str], bool] | None,
        authors: Callable[[str], bool] | None = None,
    ) -> None:
        self.accented_mode = accented_mode
        self.weights = weights
        self.merged_places = merged_places
        self.synonyms = synonyms
        self.exact = exact
        self.known = known
        self.authors = authors
        self.typed_as: list[str] = []
        self.accented: set[str] = set()
        self.folded: set[str] = set()
        self.phrases: set[tuple[str, ...]] = set()  # highlighted only where all their keys stand together
        self.understood: list[tuple[str, tuple[str, ...], str]] = []  # (as typed, also read as, how)
        self.runs: list[tuple[str, ...]] = []
        self.written_runs: list[tuple[str, ...]] = []  # every text's canonical syllables: places
        self.syllables = 0

    def group(self, group: Group) -> Plan | None:
        built: dict[Occur, list[Plan]] = {occur: [] for occur in Occur}
        run: list[str] = []  # consecutive plain words: adjacent pairs score more

        def flush_run() -> None:
            dates = [] if self.exact else mentions(run)
            taken = {i for mention in dates for i in range(mention.first, mention.last)}
            years = {m.first: m.date.year for m in dates if m.date.year}  # a year alone means something
            words = [years.get(i, word) for i, word in enumerate(run) if i not in taken or i in years]
            if words and (text := self.text(words, phrase=False)) is not None:
                built[Occur.SHOULD].append(text)
                built[Occur.SHOULD].extend(self.alternatives(words))
                built[Occur.SHOULD].extend(self.authors_named(text.keys))
            built[Occur.SHOULD].extend(self.written_date(m.date, " ".join(run[m.first : m.last])) for m in dates)
            run.clear()

        for occur, node in group.clauses:
            if occur is Occur.SHOULD and isinstance(node, Text) and not node.phrase:
                run.extend(node.words)
                continue
            flush_run()
            named = len(self.written_runs)
            if (plan := self.node(node)) is not None:
                built[occur].append(plan)
            if occur is Occur.MUST_NOT:
                del self.written_runs[named:]  # a place excluded is not what the query is about
        flush_run()
        must, should, must_not = built[Occur.MUST], built[Occur.SHOULD], built[Occur.MUST_NOT]
        if not must and not should:
            if must_not:
                raise QueryError(
                    "a query needs at least one term to find, not only exclusions: add one, e.g. mưa -bão"
                )
            return None
        if len(should) == 1 and not must and not must_not:
            return should[0]
        return Boolean(tuple(must), tuple(should), tuple(must_not))

    def node(self, node: Node) -> Plan | None:
        if isinstance(node, Group):
            return self.group(node)
        if isinstance(node, FieldValue):
            return _field_filter(node, self.merged_places)
        if isinstance(node, Leaf):
            return node.plan
        if node.phrase:
            return self.phrase(node.words)
        if not self.exact and len(dates := mentions(node.words)) == 1 and dates[0].last - dates[0].first == len(node.words):
            return self.written_date(dates[0].date, " ".join(node.words))  # +02/07/2021, -02/07/2021: the day
        return self.text(node.words, phrase=False)

    def phrase(self, words: list[str]) -> Plan | None:
        """A quoted phrase, and the same phrase with its abbreviations and synonyms swapped for
        what they stand for: ``"UBND tỉnh Hậu Giang"`` also finds "Ủy ban nhân dân tỉnh Hậu
        Giang". Each variant is a phrase too; at most ``MAX_PHRASE_VARIANTS`` of them. An
        author it names finds their articles, as in a run of words."""
        match = self.text(words, phrase=True)
        if match is None or self.exact:
            return match
        syllables = [t for w in words for t in canonical_terms(w)]
        typed = " ".join(words).split()
        dates = {Alternative(m.start, m.end, m.others, m.date.shown(near=False)): m for m in mentions(typed)}
        swapped = leftmost_longest([*self.synonyms.alternatives(syllables), *dates])
        for span in swapped:
            if (date := dates.get(span)) is not None:
                self.understood.append((" ".join(typed[date.first : date.last]), span.forms, "date"))
            else:
                self._understood_span(words, span, "synonym")
        authors = self.authors_named(match.keys)
        if not swapped and not authors:
            return match
        pieces: list[list[tuple[tuple[str, ...], tuple[ScoredTerm, ...]]]] = []
        position = 0
        for span in swapped:
            pieces.append([self._typed_piece(syllables[position : span.start])])
            pieces.append([self._typed_piece(syllables[span.start : span.end])])
            pieces[-1] += [(keys, alternative_terms(keys, self.weights)) for keys in span.phrases]
            position = span.end
        pieces.append([self._typed_piece(syllables[position:])])
        variants = []
        for choice in islice(product(*pieces), 1, MAX_PHRASE_VARIANTS + 1):  # the first is the phrase as typed
            keys = tuple(key for piece_keys, _ in choice for key in piece_keys)
            self._highlight(keys)
            variants.append(TextMatch(keys, tuple(t for _, terms in choice for t in terms), phrase=len(keys) > 1))
        return Boolean(should=(match, *variants, *authors))

    def _typed_piece(self, syllables: list[str]) -> tuple[tuple[str, ...], tuple[ScoredTerm, ...]]:
        """(search keys, scored terms) of syllables as the user typed them."""
        folded = tuple(search_key(s) for s in syllables)
        scored = tuple(t for s, f in zip(syllables, folded) for t in syllable_terms(s, f, self.accented_mode, self.weights))
        return folded, scored

    def text(self, words: list[str], phrase: bool) -> TextMatch | None:
        syllables = [t for w in words for t in canonical_terms(w)]
        if not syllables:
            return None
        self.syllables += len(syllables)
        if self.syllables > MAX_SYLLABLES:
            raise QueryError(f"query too long: more than {MAX_SYLLABLES} syllables; shorten it")
        folded = [search_key(s) for s in syllables]
        self.accented.update(syllables)
        if not self.exact:  # what a snippet highlights: a word typed with marks, only as typed
            self.folded.update(f for s, f in zip(syllables, folded) if fold_word(s) == s)
        self.written_runs.append(tuple(syllables))
        if len(folded) > 1:
            self.runs.append(tuple(folded))
        if self.exact:
            scored = tuple(t for s in syllables for t in exact_terms(s, self.weights))
            return TextMatch(tuple(folded), scored, phrase=phrase and len(folded) > 1, exact=tuple(syllables))
        keys, scored = self._typed_piece(syllables)
        return TextMatch(keys, scored, phrase=phrase and len(folded) > 1)

    def authors_named(self, keys: tuple[str, ...]) -> list[Tagged]:
        """A branch for each author of the index whose name two to ``MAX_NAME_WORDS`` words of
        the run spell (``nguyen trieu``): bylines are not in the text, so the author's
        articles would not match otherwise. Never under ``exact``."""
        if self.exact or self.authors is None:
            return []
        names = {" ".join(span) for span in spans(keys, 2, MAX_NAME_WORDS)}
        named = [name for name in sorted(names) if self.authors(name)]
        self.understood += [(name, (name,), "author") for name in named]  # ``Index.search`` shows the byline's name
        return [  # as if the name were in the text, each syllable once
            Tagged("author", name, self.weights.author * len(name.split())) for name in named
        ]

    def alternatives(self, words: list[str]) -> list[Plan]:
        """A branch for each phrase a run's abbreviation or synonym stands for (``synonyms``):
        ``UBND`` also finds "Ủy ban nhân dân", and the other way round."""
        syllables = [t for w in words for t in canonical_terms(w)]
        branches: list[Plan] = []
        for alternative in leftmost_longest(self.synonyms.alternatives(syllables)):
            branches += [self._alternative_phrase(keys) for keys in alternative.phrases]
            self._understood_span(words, alternative, "synonym")
        if (typed := self.typed_reading(words)) is not None:
            branches.append(typed)
        return branches

    def written_date(self, date: WrittenDate, typed: str) -> Plan:
        """A date typed among plain words, as one clause: any way of writing it (``date_mentions``),
        each a phrase scored like one word typed with its marks; a day and month with no year
        only in a story published near the date. ``02/07/2021`` finds "ngày 2 tháng 7 năm 2021"
        and "2/7" in a story of July 2021, but its "02" and "07" alone find nothing (nor light
        up in a snippet)."""

        def phrase(keys: tuple[str, ...]) -> TextMatch:
            self._highlight(keys)
            return TextMatch(keys, date_terms(keys, self.weights), phrase=len(keys) > 1)

        self.understood.append((typed, date.shown(), "date"))
        branches: list[Plan] = [phrase(keys) for keys in date.phrases]
        if date.near is not None:
            written = Boolean(should=tuple(phrase(keys) for keys in date.yearless))
            branches.append(Boolean(must=(written, DateRange(*date.near))))
        return Boolean(should=tuple(branches))

    def _understood_span(self, words: list[str], span: Alternative, how: str) -> None:
        typed = WORD.findall(" ".join(words))[span.start : span.end]
        self.understood.append((" ".join(typed), span.forms, how))

    def _alternative_phrase(self, keys: tuple[str, ...]) -> TextMatch:
        self._highlight(keys)
        return TextMatch(keys, alternative_terms(keys, self.weights), phrase=len(keys) > 1)

    def _highlight(self, keys: tuple[str, ...]) -> None:
        """Highlight what a phrase the user did not type matches: its words together only
        ("ủy ban nhân dân" for UBND lights no lone "ban")."""
        if len(keys) > 1:
            self.phrases.add(keys)
        else:
            self.folded.update(keys)

    def typed_reading(self, words: list[str]) -> TextMatch | None:
        """The run re-read as Telex or VNI keystrokes (``Haauj Giang`` → "Hậu Giang"), as one
        more branch, never instead of the words typed; only when every word it changed is a
        word of the index (``known``), and never under ``exact``."""
        if self.exact:
            return None
        typed = typed_alternative(" ".join(words))
        if typed is None:
            return None
        literal = {t for w in words for t in canonical_terms(w)}
        syllables = canonical_terms(typed)
        changed = [s for s in syllables if s not in literal]
        if not changed or (self.known is not None and not all(map(self.known, changed))):
            return None
        self.typed_as.append(typed)
        self.understood.append((" ".join(words), (typed,), "keystrokes"))
        folded = tuple(search_key(s) for s in syllables)
        self.accented.update(syllables)  # highlighted as read, not in every form
        scored = tuple(t for s, f in zip(syllables, folded) for t in syllable_terms(s, f, True, self.weights))
        return TextMatch(folded, scored)


def _plain_words(group: Group) -> tuple[str, ...]:
    """The words of a query made of plain words only (no phrase, operator or field), as typed
    but for the punctuation after them (``đâu?``, ``nội,``): what accent restoration may
    read again."""
    if not all(occur is Occur.SHOULD and isinstance(node, Text) and not node.phrase for occur, node in group.clauses):
        return ()
    words = (_unpunctuated(word) for _, node in group.clauses for word in node.words)  # type: ignore[union-attr]
    return tuple(word for word in words if word)


def _unpunctuated(word: str) -> str:
    """``word`` without the punctuation that ends a clause or a sentence; a final dot goes
    only from a word with no other (``nội.``, not ``TP.HCM.`` nor ``U.S.``)."""
    word = word.rstrip(_CLAUSE_ENDS)
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word


_CLAUSE_ENDS = "?!,;:…"


def _typed_words(group: Group) -> list[str]:
    """What the user typed to search for (not excluded): tells whether they used marks."""
    words: list[str] = []
    for occur, node in group.clauses:
        if isinstance(node, Group):
            words += _typed_words(node)
        elif isinstance(node, Text) and occur is not Occur.MUST_NOT:
            words += node.words
        elif isinstance(node, Leaf) and occur is not Occur.MUST_NOT:
            words.append(node.typed)
    return words


def parse_query(
    text: str,
    weights: Weights | None = None,
    *,
    merged_places: bool = True,
    synonyms: Synonyms | None = None,
    exact: bool = False,
    known: Callable[[str], bool] | None = None,
    authors: Callable[[str], bool] | None = None,
) -> ParsedQuery:
    """Parse ``text``; raise ``QueryError`` with a one-line reason when it cannot be.

    ``merged_places=False`` makes ``place:`` match the place itself only (``--exact-place``).
    Plain words also match what ``synonyms`` (default: the built-in abbreviation pack) says
    they stand for. ``exact`` turns that off and matches words with their marks as typed
    (``Hậu`` is not ``hầu`` nor ``hau``; ``kỹ`` is not ``kĩ``). Words typed with the input method
    off (Telex, VNI) are also read as what they stand for, when ``known`` (is this accented
    syllable in the index?) says yes to every syllable that reading changed. Words that spell
    a name ``authors`` knows (an ``author`` key) also find that author's articles.
    """
    if not text or not text.strip():
        raise QueryError("empty query: give at least one word to search for")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text)} characters, at most {MAX_QUERY_CHARS}; shorten it")
    text = clean(text)
    tree = _Parser(text).parse()
    if exact:
        synonyms = Synonyms()
    elif synonyms is None:
        synonyms = Synonyms.builtin()
    builder = _Builder(
        has_marks(" ".join(_typed_words(tree))), weights or Weights(), merged_places, synonyms, exact, known, authors
    )
    built = builder.group(tree)
    if built is None:
        raise QueryError("the query has no words to search for: type letters or digits")
    plain = isinstance(built, TextMatch) and not built.phrase and not builder.accented_mode and not exact
    places = places_named(builder.written_runs)
    plain_words = () if exact else _plain_words(tree)
    return ParsedQuery(
        text,
        built,
        frozenset(builder.accented),
        frozenset(builder.folded),
        tuple(builder.runs),
        built.keys if plain else (),  # type: ignore[union-attr]
        " ".join(builder.typed_as) or None,
        plain_words,
        bool(plain_words) and text.rstrip().endswith("?"),
        tuple(places),
        frozenset(builder.phrases),
        (*builder.understood, *((words, (name,), "place") for words, name in places.values())),
    )
