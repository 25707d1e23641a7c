"""Filters from keyword values: the CLI flags and ``Index.search(author=…, place=…, since=…)``.

Names (authors, sections, sources) match by their folded key, so accents, case and spacing
do not matter. Places resolve through ``places.lookup`` (``TP.HCM``, ``sai gon``), and with
``merged_places`` a current unit also matches the provinces merged into it in 2025. Dates are
read by ``query_dates``: day first, inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from search.analysis import canonical_terms
from search.errors import QueryError
from search.normalize import has_marks, search_key
from search.places import lookup, lookup_written
from search.plan import DateRange, KeyFilter, Plan
from search.query_dates import check_order, since_bound, until_bound

EXAMPLES = {"author": "Nguyễn Triệu", "place": "Hậu Giang", "category": "Chính trị", "source": "TTXVN"}

_ONE_WORD_NAME = 5  # letters of a one-word place name without marks (TPHCM, Saigon)
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(value: str) -> str:
    """Lone surrogates (undecodable bytes in argv) become U+FFFD: one character each, so
    columns hold, and messages can be printed."""
    return _SURROGATE.sub("\ufffd", value)


def name_key(text: str) -> str:
    """The folded key a name is indexed under (``Nguyễn Triệu`` → ``nguyen trieu``)."""
    return " ".join(search_key(t) for t in canonical_terms(text))


def place_filter(name: str, merged_places: bool = True) -> KeyFilter:
    """The filter for a place typed any way ``places.lookup`` knows (``TP.HCM``, ``sai gon``).

    With ``merged_places`` a unit that exists since the 2025 merger also matches the
    provinces merged into it (``Cần Thơ`` → Hậu Giang, Sóc Trăng): the ``province`` field.
    A former province, an unknown place or ``merged_places=False`` match the place itself.
    """
    province = lookup(name)
    if province is None:
        return KeyFilter("place", checked_name(name, "place"))
    if merged_places and not province.merged:
        return KeyFilter("province", name_key(province.current))
    return KeyFilter("place", name_key(province.name))


def places_named(runs: list[tuple[str, ...]], longest: int = 6) -> dict[str, tuple[str, str]]:
    """The ``place`` keys (as ``place_filter`` without the merger) of the provinces that runs
    of up to ``longest`` of a query's syllables name (``hậu giang``, ``sai gon`` → ``ho chi
    minh``; ``diễn biến`` is not Điện Biên), first found first, each with (the words that
    named it, its name). One syllable alone names one only with marks (``Huế``) or at
    ``_ONE_WORD_NAME`` letters (``TPHCM``, ``Saigon``): a short code (``HG``) in free text may
    be anything, and ``hue`` may be huệ."""
    found: dict[str, tuple[str, str]] = {}
    for run in runs:
        for span in spans(run, 1, longest):
            words = " ".join(span)
            if len(span) == 1 and not has_marks(words) and len(words) < _ONE_WORD_NAME:
                continue
            if (province := lookup_written(words)) is not None:
                found.setdefault(name_key(province.name), (words, province.name))
    return found


def spans(words: Sequence[str], shortest: int, longest: int) -> Iterator[Sequence[str]]:
    """Every run of ``shortest`` to ``longest`` consecutive ``words``, by start, shortest first."""
    for start in range(len(words)):
        for end in range(start + shortest, min(len(words), start + longest) + 1):
            yield words[start:end]


def checked_name(value: str, field_name: str, where: str = "") -> str:
    key = name_key(value)
    if not key:
        raise QueryError(
            f"{field_name} {value!r}{where} has no letters or digits to match: write a name, "
            f'e.g. "{EXAMPLES[field_name]}"'
        )
    return key


def filter_plan(
    *,
    author: str | None = None,
    place: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    category: str | None = None,
    source: str | None = None,
    merged_places: bool = True,
) -> list[Plan]:
    """Filters from keyword values (CLI flags, ``Index.search``); all of them must hold.

    ``since`` / ``until`` take a ``date`` or the text ``date:`` takes for one day, month or
    year: ``since`` starts on its first day, ``until`` ends on its last (both included).
    """
    author, place, category, source = (v if v is None else clean(v) for v in (author, place, category, source))
    since, until = (clean(v) if isinstance(v, str) else v for v in (since, until))
    plans: list[Plan] = []
    if author is not None:
        plans.append(KeyFilter("author", checked_name(author, "author")))
    if place is not None:
        plans.append(place_filter(place, merged_places))
    if since is not None or until is not None:
        low = None if since is None else since_bound(since)
        high = None if until is None else until_bound(until)
        plans.append(DateRange(*check_order(low, high, f"{since or '…'} – {until or '…'}")))
    for name, value in (("category", category), ("source", source)):
        if value is not None:
            plans.append(KeyFilter(name, checked_name(value, name)))
    return plans
