"""Which spans of a query also stand for other words: news abbreviations and user synonyms.

A query for ``UBND`` should also find articles that write ``Ủy ban nhân dân``, and the other
way round (vietnamese.md §5). ``Synonyms`` holds groups of equivalent spellings; for the words
of a query, ``alternatives`` names every span that is one of those spellings and the phrases
it should also match. The query plan adds each as an OR branch; the text itself is never
rewritten, and the index holds abbreviations as they are written.

Design decisions:

* **Matched on search keys.** A spelling and the query are both cut by ``normalize.WORD`` and
  compared as ``search_key``s, so case, marks, tone placement and i/y do not matter
  (``uy ban nhan dan`` and ``Uỷ ban Nhân dân`` hit), and ``&``, ``-`` and spaces all separate
  words (``GD&ĐT`` = ``GD-ĐT`` = ``gd đt``). A dotted abbreviation is one word (``TP.HCM``), so
  each way of writing one is its own spelling: ``TP.HCM | TPHCM | TP HCM``.
* **Groups, not directions.** Every spelling of a group is equivalent to every other; groups
  that share a spelling are merged (``merged`` of the pack and a user file does this too).
* **Only unambiguous abbreviations are built in** (``data/abbreviations.tsv``). Its
  ``# never`` lines list the ambiguous ones (BTC, CP, ĐH, TT…) with the reason, and loading the
  pack fails if one of them slipped into it. Abbreviations whose key is an ordinary syllable are
  left out for the same reason: ``TƯ`` folds to ``tu`` (từ, tự…). A user file may hold anything.
* **Spans may overlap** (``ủy ban thường vụ quốc hội`` holds ``quốc hội``): all are reported,
  and ``leftmost_longest`` picks a non-overlapping set for a caller that needs one.

A user synonyms file (UTF-8) holds one group per line, spellings separated by ``=``; ``#``
at the start of a line or after a space starts a comment::

    # my synonyms
    UBND = Ủy ban nhân dân = UB nhân dân
    BTC = Ban Tổ chức          # ambiguous in general; fine for my archive
    ! CSGT                     # in my archive CSGT is a team's name: never expand it

A line starting with ``!`` names a spelling that is no synonym of anything, in the built-in
pack or in any group: it is taken out of every group before groups are merged, so what it
linked comes apart. ``to_text`` writes the same format, so a ``Synonyms`` can be stored and
read back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from search.errors import InputError
from search.normalize import WORD, canonical_word, search_key

Phrase = tuple[str, ...]  # the search keys of one spelling, in order

MAX_FORM_WORDS = 12  # a synonym is a name, not a sentence
BUILTIN_TABLE = "data/abbreviations.tsv"
_TABLE_HEADER = "abbreviations\texpansions\tenglish"
_NEVER = "# never\t"
_COMMENT = re.compile(r"(?:^|\s)#.*")
_EXAMPLE = "e.g. UBND = Ủy ban nhân dân"
_REMOVE = "!"  # starts a line naming a spelling to take out of every group


def phrase_of(text: str) -> Phrase:
    """The search keys of a spelling, cut as a query is: ``GD&ĐT`` → ``("gd", "dt")``."""
    return tuple(search_key(canonical_word(word)) for word in WORD.findall(text))


@dataclass(frozen=True)
class Alternative:
    """Words ``start:end`` of the query may also be any of ``phrases``.

    Each phrase is a tuple of search keys to match as a phrase (one key: a plain word);
    ``forms`` gives the same phrases as spelled in the pack or file, for ``--explain``.
    """

    start: int
    end: int
    phrases: tuple[Phrase, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One line of the built-in pack."""

    abbreviations: tuple[str, ...]
    expansions: tuple[str, ...]
    english: str


@dataclass(frozen=True)
class Synonyms:
    """Groups of equivalent spellings; groups sharing a spelling are merged on construction."""

    groups: tuple[tuple[str, ...], ...] = ()
    removed: tuple[str, ...] = ()  # spellings taken out of every group (``!`` lines)
    _spellings: tuple[tuple[tuple[str, Phrase], ...], ...] = field(init=False, repr=False, compare=False)
    _group_of: dict[Phrase, int] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spellings = _merge_groups(self.groups, {phrase_of(form) for form in self.removed})
        object.__setattr__(self, "groups", tuple(tuple(form for form, _ in g) for g in spellings))
        object.__setattr__(self, "_spellings", spellings)
        group_of = {phrase: i for i, group in enumerate(spellings) for _, phrase in group}
        object.__setattr__(self, "_group_of", group_of)
        object.__setattr__(self, "_longest", max(map(len, group_of), default=0))

    @classmethod
    def builtin(cls) -> Synonyms:
        """The news abbreviation pack (``data/abbreviations.tsv``), loaded once."""
        return _builtin_synonyms()

    @classmethod
    def from_file(cls, path: str | Path) -> Synonyms:
        """A user's synonyms file; ``InputError`` names ``file:line`` and the fix."""
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text; save the synonyms file as UTF-8") from None
        except OSError as error:
            raise InputError(
                f"cannot read synonyms file {path}: {error.strerror or error}; check the path"
            ) from None
        return cls.from_text(text, source=str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<synonyms>") -> Synonyms:
        """Synonyms in the file format; ``source`` names the text in error messages."""
        groups, removed = [], []
        for number, line in enumerate(text.splitlines(), 1):
            content = _COMMENT.sub("", line).strip()
            if content.startswith(_REMOVE):
                removed.append(_parse_removal(content, f"{source}:{number}"))
            elif content:
                groups.append(_parse_line(content, f"{source}:{number}"))
        return cls(tuple(groups), tuple(removed))

    def merged(self, other: Synonyms) -> Synonyms:
        """Both sets of groups; a group of ``other`` sharing a spelling joins the existing one,
        and the spellings either removes are out of all of them."""
        return Synonyms(self.groups + other.groups, self.removed + other.removed)

    def to_text(self) -> str:
        """The file format: one group per line, then one ``!`` line per removed spelling;
        ``from_text(to_text())`` gives the same groups."""
        lines = [" = ".join(group) for group in self.groups] + [f"{_REMOVE} {form}" for form in self.removed]
        return "".join(line + "\n" for line in lines)

    def __len__(self) -> int:
        return len(self.groups)

    def alternatives(self, words: Sequence[str]) -> list[Alternative]:
        """Every span of ``words`` that is a known spelling, with its equivalents.

        ``words`` are the query's words as ``normalize.WORD`` cuts them (canonical syllables
        from ``analysis.canonical_terms``, or their search keys). Spans come by start, longest
        first; they may overlap.
        """
        keys = [search_key(canonical_word(word)) for word in words]
        found = []
        for start in range(len(keys)):
            for end in range(min(len(keys), start + self._longest), start, -1):
                span = tuple(keys[start:end])
                group = self._group_of.get(span)
                if group is not None:
                    others = [(f, p) for f, p in self._spellings[group] if p != span]
                    found.append(
                        Alternative(start, end, tuple(p for _, p in others), tuple(f for f, _ in others))
                    )
        return found


def leftmost_longest(alternatives: Iterable[Alternative]) -> list[Alternative]:
    """A non-overlapping subset: from the left, the longest span at each start."""
    chosen: list[Alternative] = []
    for alternative in sorted(alternatives, key=lambda a: (a.start, a.start - a.end)):
        if not chosen or alternative.start >= chosen[-1].end:
            chosen.append(alternative)
    return chosen


# -- groups ----------------------------------------------------------------------------


def _merge_groups(
    groups: Iterable[Iterable[str]], removed: set[Phrase]
) -> tuple[tuple[tuple[str, Phrase], ...], ...]:
    """Groups of (spelling, phrase), merged where they share a phrase; one spelling per phrase.

    Spellings with no words or in ``removed`` are dropped, and so are groups left with a
    single phrase (they could never offer an alternative).
    """
    merged: list[list[tuple[str, Phrase]]] = []
    owner: dict[Phrase, int] = {}
    for group in groups:
        spellings = [(" ".join(form.split()), phrase_of(form)) for form in group]
        spellings = [(form, phrase) for form, phrase in spellings if phrase and phrase not in removed]
        joined = sorted({owner[phrase] for _, phrase in spellings if phrase in owner})
        target = joined[0] if joined else len(merged)
        if not joined:
            merged.append([])
        for other in joined[1:]:  # this group links groups seen apart so far
            for form, phrase in merged[other]:
                owner[phrase] = target
            merged[target] += merged[other]
            merged[other] = []
        for form, phrase in spellings:
            if phrase not in owner:
                owner[phrase] = target
                merged[target].append((form, phrase))
    return tuple(tuple(group) for group in merged if len(group) > 1)


def _parse_line(content: str, where: str) -> tuple[str, ...]:
    """One line of a synonyms file: spellings separated by ``=``; errors name ``where``."""
    if "=" not in content:
        raise InputError(
            f"{where}: no '=' in {content!r}; write equivalent spellings separated by '=', {_EXAMPLE}"
        )
    forms = tuple(" ".join(form.split()) for form in content.split("="))
    phrases = [phrase_of(form) for form in forms]
    if not all(phrases):
        raise InputError(f"{where}: {content!r} has a side with no word; put a word on each side of '=', {_EXAMPLE}")
    if too_long := next((f for f, p in zip(forms, phrases) if len(p) > MAX_FORM_WORDS), None):
        raise InputError(f"{where}: {too_long!r} has more than {MAX_FORM_WORDS} words; shorten it")
    if len(set(phrases)) < 2:
        raise InputError(
            f"{where}: the spellings in {content!r} are the same once case and accents are ignored; "
            "give a different spelling on each side of '='"
        )
    return forms


def _parse_removal(content: str, where: str) -> str:
    """A ``!`` line: the one spelling it takes out of every group."""
    form = " ".join(content[len(_REMOVE) :].split())
    if "=" in form or not phrase_of(form):
        raise InputError(
            f"{where}: {content!r} should name one spelling after '!', e.g. ! CSGT, to stop it standing for anything"
        )
    return form


# -- the built-in pack ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _builtin_table() -> tuple[tuple[Entry, ...], dict[str, str]]:
    text = files("search").joinpath(BUILTIN_TABLE).read_text(encoding="utf-8")
    entries, never = [], {}
    for line in text.splitlines():
        if line.startswith(_NEVER):
            _, abbreviation, reason = line.split("\t")
            never[abbreviation] = reason
        elif line.strip() and not line.startswith("#") and line != _TABLE_HEADER:
            abbreviations, expansions, english = line.split("\t")
            entries.append(Entry(tuple(abbreviations.split("|")), tuple(expansions.split("|")), english))
    _check_unambiguous(entries, never)
    return tuple(entries), never


def _check_unambiguous(entries: list[Entry], never: dict[str, str]) -> None:
    """Refuse a pack that holds an abbreviation of its own ``# never`` list."""
    refused = {phrase_of(abbreviation): abbreviation for abbreviation in never}
    for entry in entries:
        for form in entry.abbreviations + entry.expansions:
            if phrase_of(form) in refused:
                raise ValueError(
                    f"{BUILTIN_TABLE}: {form!r} is ambiguous ({refused[phrase_of(form)]}): "
                    "remove it from the pack or from the never list"
                )


def builtin_entries() -> tuple[Entry, ...]:
    """The lines of the built-in pack, in file order."""
    return _builtin_table()[0]


def ambiguous() -> dict[str, str]:
    """Abbreviations never expanded automatically → why (the pack's ``# never`` lines)."""
    return dict(_builtin_table()[1])


@lru_cache(maxsize=1)
def _builtin_synonyms() -> Synonyms:
    return Synonyms(tuple(entry.abbreviations + entry.expansions for entry in builtin_entries()))
