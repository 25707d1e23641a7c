"""Query text → a query plan, through our own small parser.

Syntax (README "Query syntax" is the user-facing version):

    hậu giang              words: ranked OR; adjacent words in order score more
    "chỉnh đốn đảng"       phrase: the syllables adjacent and in order
    +word  -word           required / excluded (also ``AND`` / ``NOT``)
    ( … )  OR              grouping; OR is the default between words
    author:"Nguyễn Triệu"  field filters: author, place, category, source, id, date
    date:02/07/2021        day-first dates; date:2021-07, date:2021, date:2021-07-01..2021-07-31

The result is a ``Plan`` of our own (no Whoosh types): ``scoring`` evaluates it.
Field filters restrict the results without changing their order. How each
syllable is scored (accented, bare, folded; adjacent pairs) is in ``ranking``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from search.analysis import canonical_terms
from search.errors import QueryError
from search.normalize import has_marks, search_key
from search.ranking import ScoredTerm, Weights, syllable_terms

MAX_SYLLABLES = 64

FIELD_ALIASES = {
    "author": "author", "tác_giả": "author", "tacgia": "author", "tac_gia": "author",
    "place": "place", "địa_điểm": "place", "dia_diem": "place", "nơi": "place",
    "category": "category", "chuyên_mục": "category", "chuyen_muc": "category",
    "source": "source", "nguồn": "source", "nguon": "source",
    "date": "date", "ngày": "date", "ngay": "date",
    "id": "id",
}  # fmt: skip


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


@dataclass
class Group:
    clauses: list[tuple[Occur, "Node"]] = field(default_factory=list)


Node = Text | FieldValue | Group


# -- lexer -------------------------------------------------------------------

_LEX = re.compile(
    r"""(?P<space>\s+)
      | (?P<phrase>"[^"]*")
      | (?P<open>\()
      | (?P<close>\))
      | (?P<quote>")
      | (?P<word>[^\s"()]+)""",
    re.VERBOSE,
)
_FIELD = re.compile(r"([^\W\d][\w]*):(.*)", re.DOTALL)


def _lex(text: str) -> list[tuple[str, str]]:
    tokens = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "quote":
            raise QueryError(f"unbalanced quote in query {text!r}: close the phrase with \"")
        tokens.append((kind, m.group()))
    return tokens


# -- parser ------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.i = 0

    def parse(self) -> Group:
        group = self._group()
        if self.i < len(self.tokens):
            raise QueryError(f"unbalanced ')' in query {self.text!r}: remove it or add '('")
        return group

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _group(self) -> Group:
        group = Group()
        pending_and = False
        while (tok := self._peek()) is not None and tok[0] != "close":
            kind, value = tok
            if kind == "word" and value in ("AND", "OR"):
                self.i += 1
                if not group.clauses or self._peek() is None:
                    raise QueryError(f"{value} needs a term on both sides in query {self.text!r}")
                if value == "AND":
                    occur, node = group.clauses[-1]
                    if occur is Occur.SHOULD:
                        group.clauses[-1] = (Occur.MUST, node)
                    pending_and = True
                continue
            occur, node = self._unary()
            if pending_and and occur is Occur.SHOULD:
                occur = Occur.MUST
            pending_and = False
            group.clauses.append((occur, node))
        return group

    def _unary(self) -> tuple[Occur, Node]:
        kind, value = self.tokens[self.i]
        if kind == "word" and value == "NOT":
            self.i += 1
            if self._peek() is None:
                raise QueryError(f"NOT needs a term after it in query {self.text!r}")
            return Occur.MUST_NOT, self._atom()
        if kind == "word" and len(value) > 1 and value[0] in "+-":
            self.tokens[self.i] = (kind, value[1:])
            return (Occur.MUST if value[0] == "+" else Occur.MUST_NOT), self._atom()
        node = self._atom()
        return (Occur.MUST if isinstance(node, FieldValue) else Occur.SHOULD), node

    def _atom(self) -> Node:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "open":
            group = self._group()
            if self._peek() is None:
                raise QueryError(f"unbalanced '(' in query {self.text!r}: add ')'")
            self.i += 1
            return group
        if kind == "close":
            raise QueryError(f"unbalanced ')' in query {self.text!r}: remove it or add '('")
        if kind == "phrase":
            return Text([value[1:-1]], phrase=True)
        if (m := _FIELD.fullmatch(value)) is not None and m.group(2) != "":
            return self._field(m.group(1), m.group(2))
        return Text([value])

    def _field(self, name: str, rest: str) -> FieldValue:
        canonical = FIELD_ALIASES.get(name.lower())
        if canonical is None:
            known = ", ".join(sorted(set(FIELD_ALIASES.values())))
            raise QueryError(
                f"unknown field {name!r} in query {self.text!r}: use one of {known}, "
                f'or quote the text ("{name}:{rest}")'
            )
        if rest.startswith('"') and rest.endswith('"') and len(rest) > 1:
            rest = rest[1:-1]
        elif rest.startswith('"'):
            raise QueryError(f"unbalanced quote in query {self.text!r}: close the phrase with \"")
        elif rest == "" and (tok := self._peek()) is not None and tok[0] == "phrase":
            self.i += 1
            rest = tok[1][1:-1]
        if not rest.strip():
            raise QueryError(f"field {name!r} has no value in query {self.text!r}")
        return FieldValue(canonical, rest)


# -- dates -------------------------------------------------------------------

_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(?:(\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2}))")
_YEAR = re.compile(r"\d{4}")


def date_prefix(text: str) -> str:
    """ISO prefix of a day (``02/07/2021`` → ``2021-07-02``), month or year; day first."""
    text = text.strip()
    try:
        if m := _DAY_FIRST.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if m := _ISO_DAY.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _MONTH.fullmatch(text):
            year, month = (m[2], m[1]) if m[2] else (m[3], m[4])
            return date(int(year), int(month), 1).isoformat()[:7]
    except ValueError as error:
        raise QueryError(f"bad date {text!r}: {error}") from None
    if _YEAR.fullmatch(text):
        return text
    raise QueryError(
        f"bad date {text!r}: write DD/MM/YYYY, YYYY-MM-DD, MM/YYYY, YYYY "
        "or a range FROM..TO"
    )


def _date_filter(value: str) -> DateRange:
    if ".." in value:
        start, _, end = value.partition("..")
        low = date_prefix(start) if start.strip() else None
        high = date_prefix(end) + "~" if end.strip() else None  # "~" sorts after digits
        return DateRange(low, high)
    prefix = date_prefix(value)
    return DateRange(prefix, prefix + "~")


def name_key(text: str) -> str:
    """The folded key a name is indexed under (``Nguyễn Triệu`` → ``nguyen trieu``)."""
    return " ".join(search_key(t) for t in canonical_terms(text))


def _field_filter(node: FieldValue) -> Filter:
    if node.name == "date":
        return _date_filter(node.value)
    if node.name == "id":
        return KeyFilter("id", node.value)
    key = name_key(node.value)
    if not key:
        raise QueryError(f"{node.name}:{node.value!r} has no words to search for")
    return KeyFilter(node.name, key)


# -- the plan: what to evaluate ------------------------------------------------


@dataclass(frozen=True)
class TextMatch:
    """Documents holding any of ``keys`` (folded); scored by ``scored``."""

    keys: tuple[str, ...]
    scored: tuple[ScoredTerm, ...]
    phrase: bool = False  # the keys must also be adjacent and in order


@dataclass(frozen=True)
class KeyFilter:
    """Documents whose ``field`` holds ``term``; never changes scores."""

    field: str
    term: str


@dataclass(frozen=True)
class DateRange:
    """Documents published in [low, high] (ISO strings; None is open)."""

    low: str | None
    high: str | None


Filter = KeyFilter | DateRange


@dataclass(frozen=True)
class Boolean:
    must: tuple["Plan", ...] = ()
    should: tuple["Plan", ...] = ()
    must_not: tuple["Plan", ...] = ()


Plan = TextMatch | KeyFilter | DateRange | Boolean


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: the plan to evaluate and the terms to highlight."""

    text: str
    plan: Plan
    accented: frozenset[str]
    folded: frozenset[str]
    runs: tuple[tuple[str, ...], ...]  # folded keys whose adjacency earns a bonus
    unaccented_words: tuple[str, ...] = ()  # the folded keys of a plain query typed without marks


class _Builder:
    def __init__(self, accented_mode: bool, weights: Weights) -> None:
        self.accented_mode = accented_mode
        self.weights = weights
        self.accented: set[str] = set()
        self.folded: set[str] = set()
        self.runs: list[tuple[str, ...]] = []
        self.syllables = 0

    def group(self, group: Group) -> Plan | None:
        must: list[Plan] = []
        should: list[Plan] = []
        must_not: list[Plan] = []
        run: list[str] = []  # consecutive plain words: adjacent pairs score more

        def flush_run() -> None:
            if run and (built := self.text(run, phrase=False)) is not None:
                should.append(built)
            run.clear()

        for occur, node in group.clauses:
            if occur is Occur.SHOULD and isinstance(node, Text) and not node.phrase:
                run.extend(node.words)
                continue
            flush_run()
            built = self.node(node)
            if built is not None:
                {Occur.MUST: must, Occur.SHOULD: should, Occur.MUST_NOT: must_not}[occur].append(built)
        flush_run()
        if not must and not should:
            if must_not:
                raise QueryError("a query needs at least one term to find, not only exclusions")
            return None
        if len(should) == 1 and not must and not must_not:
            return should[0]
        return Boolean(tuple(must), tuple(should), tuple(must_not))

    def node(self, node: Node) -> Plan | None:
        if isinstance(node, Group):
            return self.group(node)
        if isinstance(node, FieldValue):
            return _field_filter(node)
        return self.text(node.words, phrase=node.phrase)

    def text(self, words: list[str], phrase: bool) -> TextMatch | None:
        syllables = [t for w in words for t in canonical_terms(w)]
        if not syllables:
            return None
        self.syllables += len(syllables)
        if self.syllables > MAX_SYLLABLES:
            raise QueryError(f"query too long: more than {MAX_SYLLABLES} words; shorten it")
        folded = [search_key(s) for s in syllables]
        self.accented.update(syllables)
        self.folded.update(folded)
        scored = tuple(
            t for s, f in zip(syllables, folded) for t in syllable_terms(s, f, self.accented_mode, self.weights)
        )
        if len(folded) > 1:
            self.runs.append(tuple(folded))
        return TextMatch(tuple(folded), scored, phrase=phrase and len(folded) > 1)


def _text_nodes(group: Group) -> list[Text]:
    nodes: list[Text] = []
    for occur, node in group.clauses:
        if isinstance(node, Group):
            nodes += _text_nodes(node)
        elif isinstance(node, Text) and occur is not Occur.MUST_NOT:
            nodes.append(node)
    return nodes


def parse_query(text: str, weights: Weights | None = None) -> ParsedQuery:
    """Parse ``text``; raise ``QueryError`` with a one-line reason when it cannot be."""
    if not text or not text.strip():
        raise QueryError("empty query: give at least one word to search for")
    tree = _Parser(text).parse()
    words = " ".join(w for node in _text_nodes(tree) for w in node.words)
    builder = _Builder(has_marks(words), weights or Weights())
    built = builder.group(tree)
    if built is None:
        raise QueryError(f"query {text!r} has no words to search for")
    plain = isinstance(built, TextMatch) and not built.phrase and not builder.accented_mode
    return ParsedQuery(
        text,
        built,
        frozenset(builder.accented),
        frozenset(builder.folded),
        tuple(builder.runs),
        built.keys if plain else (),  # type: ignore[union-attr]
    )
