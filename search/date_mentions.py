"""A date typed among a query's words, and the other ways an article writes that day.

``bão 02/07/2021`` should find the story that says "ngày 2/7/2021", "2-7-2021", "ngày 2
tháng 7 năm 2021" or, far more often, "ngày 2/7" in a story of that summer. The index
cuts each of those into its numbers ("2", "7", "2021"), so the typed "02" never met "2".
In 1,500 sampled VietNews and baomoi articles, a day and month with no year ("2/7") is in
740, a whole d/m/yyyy in 139 (padded "02/07/2021" in 20 of those), "tháng 7/2021" in 134.

Design decisions:

* **One clause, never a filter.** The date, as typed or written any other way, is one OR
  of phrases (``WrittenDate.phrases``), each scored by its numbers (``ranking.date_terms``),
  so every way of writing the day weighs about the same. The day and month no longer match
  one by one ("02" and "07" apart are not the day); the year does, as a word of its own
  (``WrittenDate.year``): on the 54 ViQuAD dev questions that name a date, nDCG@10 is 0.923
  so, 0.839 without it, 0.926 with every number a word as before. A story about 2/7/2021 written years later still counts, and
  ``date:`` / ``--since`` stay the way to restrict by publication date.
* **A day without a year counts in an article published within half a year of the
  date typed** (``NEAR_DAYS``): that is the day such a story means. "2/1" in a story of
  20 December 2021 is 2 January 2022, not 2021. An undated article does not know which
  year it means, so it needs the year written.
* **Day first**, as everywhere in the package (``query_dates``): 02/07 is 2 July. Also
  ``2021-07-02``, and spelled out, the other way round: ``2 tháng 7 năm 2021`` finds
  "2/7/2021" (``6 tháng 8`` may be "six months, eight": the words still match as a phrase).
  A month with its year (``7/2021``) matches "tháng 7 năm 2021" and the padded "07/2021"; a
  day with no year (``2/7``) matches "2 tháng 7" and "02/07".
* **Only what can be a day.** Day 1–31, month 1–12, a four-digit year: ``3/4`` (maybe a
  fraction) still qualifies, and costs nothing but a branch that rarely matches.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import Sequence

from search.analysis import canonical_terms
from search.dates import parse_day_first, parse_month
from search.normalize import search_key

NEAR_DAYS = 182  # how far from the date typed a story may be published and still mean it by "d/m"

_DAY_MONTH = re.compile(r"(\d{1,2})[/.\-](\d{1,2})")  # no year: what ``dates`` does not read
_EDGES = ".,;:!?…"
_SPELLED = {"thang": "tháng", "nam": "năm"}


@dataclass(frozen=True)
class WrittenDate:
    """A date typed: every way an article may write it (``phrases``, tuples of
    search keys, the typed one first) and, in a story published between ``near`` 's two
    days, also ``yearless``."""

    typed: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    yearless: tuple[tuple[str, ...], ...] = ()
    near: tuple[date, date] | None = None
    year: str | None = None  # the year typed, if any: a word of its own too

    def shown(self, near: bool = True) -> tuple[str, ...]:
        """The other ways of writing it, as an article would (for ``--explain``): "2/7/2021",
        "02/07/2021", "2 tháng 7 năm 2021", and unless not ``near``, "2/7 in a story published
        01/01/2021 to 31/12/2021"."""
        shown = [_shown(p) for p in self.phrases if p != self.typed and not _mixed(p)]
        if near and self.near is not None and self.yearless:
            low, high = self.near
            shown.append(f"{_shown(self.yearless[0])} in a story published {low:%d/%m/%Y} to {high:%d/%m/%Y}")
        return tuple(shown)


@dataclass(frozen=True)
class Mention:
    """Words ``first:last`` of a query (as its lexer cuts them), its syllables ``start:end``,
    are ``date``."""

    first: int
    last: int
    start: int
    end: int
    date: WrittenDate

    @property
    def others(self) -> tuple[tuple[str, ...], ...]:
        """The ways of writing it other than the one typed."""
        return tuple(p for p in self.date.phrases if p != self.date.typed)


def mentions(words: Sequence[str]) -> list[Mention]:
    """The dates among ``words``: typed as one word (``02/07/2021``) or spelled out (``2 tháng
    7 năm 2021``, ``2 tháng 7``, the ``7 năm 2021`` of ``tháng 7 năm 2021``)."""
    keys = [tuple(search_key(s) for s in canonical_terms(word)) for word in words]
    found = []
    i = start = 0
    while i < len(words):
        written, last = written_date(words[i]), i + 1
        if written is None and (spelled := _spelled(keys, i)) is not None:
            written, last = spelled
        width = sum(len(k) for k in keys[i:last])
        if written is not None:
            found.append(Mention(i, last, start, start + width, written))
        i, start = last, start + width
    return found


def _spelled(keys: list[tuple[str, ...]], i: int) -> tuple[WrittenDate, int] | None:
    """A date spelled out in words from word ``i``, and the word after it."""
    one = [k[0] if len(k) == 1 else "" for k in keys[i : i + 5]] + [""] * 5
    if _number(one[0], 2) and one[1] == "thang" and _number(one[2], 2):
        if one[3] == "nam" and _number(one[4], 4):
            found = _day(tuple(one[:5]), int(one[0]), int(one[2]), int(one[4]))
            return (found, i + 5) if found else None
        if _valid(int(one[0]), int(one[2]), 2000):
            return _day_month(tuple(one[:3]), int(one[0]), int(one[2])), i + 3
    before = keys[i - 1] if i else ()
    if before == ("thang",) and _number(one[0], 2) and one[1] == "nam" and _number(one[2], 4) and 1 <= int(one[0]) <= 12:
        return _month(tuple(one[:3]), int(one[0]), one[2]), i + 3
    return None


def _shown(keys: tuple[str, ...]) -> str:
    out = "tháng " if keys[1:2] == ("nam",) else ""  # a month: "tháng 7 năm 2021"
    for previous, key in zip(("", *keys), keys):
        joint = "/" if previous.isdigit() and key.isdigit() else " "
        out += (joint if previous else "") + _SPELLED.get(key, key)
    return out


def _mixed(keys: tuple[str, ...]) -> bool:
    """2/07/2021: one number padded, another not (written, but not worth showing)."""
    short = [k for k in keys if k.isdigit() and len(k) <= 2]
    return any(k.startswith("0") for k in short) and any(len(k) == 1 for k in short)


def _number(key: str, digits: int) -> bool:
    return key.isdigit() and (len(key) == 4 if digits == 4 else 1 <= len(key) <= 2)


def written_date(word: str) -> WrittenDate | None:
    """The date ``word`` is (``02/07/2021``, ``2-7-2021``, ``2021-07-02``, ``7/2021``,
    ``2021-07``, ``2/7``), with its written forms; None for anything else. Days and months
    are read as ``date:`` reads them (``dates.parse_day_first``, ``dates.parse_month``)."""
    typed = tuple(canonical_terms(word))
    word = word.strip(_EDGES)
    with suppress(ValueError):
        day = parse_day_first(word)
        return _day(typed, day.day, day.month, day.year)
    with suppress(ValueError):
        year, month = parse_month(word)
        return _month(typed, month, str(year))
    if (m := _DAY_MONTH.fullmatch(word)) and _valid(int(m[1]), int(m[2]), 2000):  # 29/2: any leap year
        return _day_month(typed, int(m[1]), int(m[2]))
    return None


def _month(typed: tuple[str, ...], month: int, year: str) -> WrittenDate:
    forms = _forms(typed, [*((mm, year) for mm in _written(month)), (str(month), "nam", year)])
    return WrittenDate(typed, forms.phrases, year=year)


def _day_month(typed: tuple[str, ...], day: int, month: int) -> WrittenDate:
    return _forms(typed, [*product(_written(day), _written(month)), (str(day), "thang", str(month))])


def _day(typed: tuple[str, ...], day: int, month: int, year: int) -> WrittenDate | None:
    if not _valid(day, month, year):
        return None
    y = str(year)
    numeric = [(dd, mm, y) for dd, mm in product(_written(day), _written(month))]
    forms = _forms(typed, [*numeric, (str(day), "thang", str(month), "nam", y)])
    meant = date(year, month, day)
    room = timedelta(days=NEAR_DAYS)
    near = (meant - min(room, meant - date.min), meant + min(room, date.max - meant))  # 1/1/0001 is a day too
    return WrittenDate(typed, forms.phrases, tuple(product(_written(day), _written(month))), near, y)


def _forms(typed: tuple[str, ...], phrases: list[tuple[str, ...]]) -> WrittenDate:
    return WrittenDate(typed, tuple(dict.fromkeys([typed, *phrases])))


def _written(number: int) -> tuple[str, ...]:
    """How a day or month is written: 2 and 02; 12 only as 12."""
    return (str(number), f"{number:02d}") if number < 10 else (str(number),)


def _valid(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
