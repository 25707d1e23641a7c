"""The query plan: what to evaluate, as plain data (no Whoosh types).

``query`` builds it from text, ``filters`` from keyword arguments, ``scoring`` evaluates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from search.errors import QueryError
from search.ranking import ScoredTerm

MAX_EXPANSIONS = 1000  # index words one prefix or fuzzy word may stand for (the engine checks)


@dataclass(frozen=True)
class TextMatch:
    """Documents holding any of ``keys`` (folded); scored by ``scored``."""

    keys: tuple[str, ...]
    scored: tuple[ScoredTerm, ...]
    phrase: bool = False  # the keys must also be adjacent and in order
    exact: tuple[str, ...] = ()  # ``--exact``: accented syllables as typed, matched as they are


@dataclass(frozen=True)
class KeyFilter:
    """Documents whose ``field`` holds ``term``; never changes scores."""

    field: str
    term: str


@dataclass(frozen=True)
class DateRange:
    """Documents published from ``low`` to ``high``, both days included; None is open."""

    low: date | None
    high: date | None


@dataclass(frozen=True)
class Prefix:
    """Index words starting with ``key`` (folded); ``accented`` when the user typed marks."""

    key: str
    accented: str | None = None


@dataclass(frozen=True)
class Fuzzy:
    """Index words within ``edits`` edits of ``key`` (folded)."""

    key: str
    edits: int = 1


@dataclass(frozen=True)
class Tagged:
    """Documents whose ``field`` holds ``term`` (a name the query's words spell), each
    scored ``boost`` × the term's IDF: an author's articles when the query names them."""

    field: str
    term: str
    boost: float


Filter = KeyFilter | DateRange


@dataclass(frozen=True)
class Boolean:
    must: tuple["Plan", ...] = ()
    should: tuple["Plan", ...] = ()
    must_not: tuple["Plan", ...] = ()


Plan = TextMatch | KeyFilter | DateRange | Prefix | Fuzzy | Tagged | Boolean


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: the plan to evaluate and the terms to highlight."""

    text: str
    plan: Plan
    accented: frozenset[str]
    folded: frozenset[str]
    runs: tuple[tuple[str, ...], ...]  # folded keys whose adjacency earns a bonus
    unaccented_words: tuple[str, ...] = ()  # the folded keys of a plain query typed without marks
    typed_as: str | None = None  # the query re-read as Telex/VNI keystrokes, when that found known words
    plain_words: tuple[str, ...] = ()  # the words as typed, when the query is only plain words
    question: bool = False  # plain words typed with a question mark at the end: read as a question
    places: tuple[str, ...] = ()  # ``place`` keys of the provinces the query's words name
    phrases: frozenset[tuple[str, ...]] = frozenset()  # folded keys highlighted only together (expansions, dates)
    # what the words were also read as: (as typed, what they stand for, how), for ``--explain``
    understood: tuple[tuple[str, tuple[str, ...], str], ...] = ()


def expansion_error(plan: Prefix | Fuzzy) -> QueryError:
    """What the engine raises when a prefix or fuzzy word stands for too many index words."""
    if isinstance(plan, Prefix):
        return QueryError(
            f"prefix '{plan.accented or plan.key}*' matches more than {MAX_EXPANSIONS} words; type more letters"
        )
    hint = "use ~1 or type a longer word" if plan.edits > 1 else "type a longer word"
    return QueryError(f"'{plan.key}~{plan.edits}' matches more than {MAX_EXPANSIONS} words; {hint}")
