"""Date expressions of the query language → inclusive (first day, last day) bounds.

What ``date:`` / ``ngày:`` accept, and what ``--since`` / ``--until`` accept as text:

    02/07/2021  2021-07-02  ngày 2 tháng 7 năm 2021     one day (always day first)
    7/2021  07/2021  2021-07  tháng 7/2021  tháng 7 năm 2021   a whole month
    2021  năm 2021                                     a whole year
    [01/06/2021 TO 31/07/2021]  [2021-06 to *]  a..b   inclusive ranges; * or nothing is open
    >=2021-06  >2021-06-30  <2022  <=31/07/2021        open ranges

A month or year used as a bound covers the whole period: ``[2021-06 TO 2021-07]`` is
1 June to 31 July, ``>2021-06`` starts on 1 July, ``<2022`` ends on 31 December 2021.
Bounds are calendar days in Vietnam time (the index stores local dates). ``None`` is an
open end. Every mistake is a ``QueryError`` that names the value, says what is wrong and
shows how to write it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from search.dates import local_date, parse_period
from search.errors import QueryError

Bounds = tuple[date | None, date | None]

HOW_TO_WRITE = "write a date day first (02/07/2021 or 2021-07-02), a month (7/2021) or a year (2021)"
HOW_TO_WRITE_IN_QUERY = (
    "write a date day first (02/07/2021 or 2021-07-02), a month (7/2021), a year (2021) "
    "or a range [01/06/2021 TO 31/07/2021]"
)

_RANGE_SEPARATOR = re.compile(r"\s+(?:to|đến)\s+|\s*\.\.\s*", re.IGNORECASE)
_COMPARISON = re.compile(r"(>=|<=|≥|≤|>|<)\s*(.*)", re.DOTALL)
_MONTH_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")


def date_bounds(value: str, where: str = "") -> Bounds:
    """The days a ``date:`` value covers; ``where`` (" at column 6") goes into messages."""
    text = unicodedata.normalize("NFC", value).strip()
    if text.startswith("["):
        return _bracketed(text, where)
    if m := _COMPARISON.fullmatch(text):
        return _compared(m[1], m[2], where)
    if ".." in text:
        low, _, high = text.partition("..")
        return check_order(_bound(low, 0, where), _bound(high, 1, where), text, where)
    return _period(text, where)


def since_bound(value: str | date, what: str = "since") -> date:
    """The first day of ``value`` (a ``date`` or a typed day, month or year)."""
    if isinstance(value, date):
        return _local(value)
    return _period(unicodedata.normalize("NFC", value).strip(), "", what)[0]


def until_bound(value: str | date, what: str = "until") -> date:
    """The last day of ``value`` (a ``date`` or a typed day, month or year)."""
    if isinstance(value, date):
        return _local(value)
    return _period(unicodedata.normalize("NFC", value).strip(), "", what)[1]


def check_order(low: date | None, high: date | None, shown: str, where: str = "") -> Bounds:
    """``(low, high)``, or a QueryError when the range ends before it starts."""
    if low is not None and high is not None and low > high:
        raise QueryError(
            f"date range {shown!r}{where} ends before it starts "
            f"({low:%d/%m/%Y} > {high:%d/%m/%Y}): put the earlier date first"
        )
    return low, high


def _local(value: date) -> date:
    """A ``date`` as it is; a ``datetime`` as its day in Vietnam time."""
    found = local_date(value)
    assert found is not None  # only None for None
    return found


def _bracketed(text: str, where: str) -> Bounds:
    inner = text[1:-1].strip() if text.endswith("]") else ""
    parts = _RANGE_SEPARATOR.split(inner) if inner else []
    if not text.endswith("]") or len(parts) != 2:
        raise QueryError(
            f"bad date range {text!r}{where}: a range needs two bounds, as in "
            "date:[01/06/2021 TO 31/07/2021] (* for an open end)"
        )
    return check_order(_bound(parts[0], 0, where), _bound(parts[1], 1, where), text, where)


def _compared(operator: str, rest: str, where: str) -> Bounds:
    if not rest.strip():
        raise QueryError(f"date:{operator}{where} needs a date after it, as in date:{operator}01/06/2021")
    first, last = _period(rest.strip(), where)
    try:
        if operator in (">=", "≥"):
            return first, None
        if operator == ">":
            return last + timedelta(days=1), None
        if operator in ("<=", "≤"):
            return None, last
        return None, first - timedelta(days=1)
    except OverflowError:
        raise QueryError(f"date:{operator}{rest}{where} leaves no day in the calendar") from None


def _bound(text: str, side: int, where: str) -> date | None:
    """The first (side 0) or last (side 1) day of one end of a range; * or nothing is open."""
    text = text.strip()
    if text in ("", "*"):
        return None
    return _period(text, where)[side]


def _period(text: str, where: str, what: str = "date") -> tuple[date, date]:
    try:
        return parse_period(text)
    except ValueError as error:
        raise QueryError(_bad_date_message(text, str(error), where, what)) from None


def _bad_date_message(text: str, reason: str, where: str, what: str) -> str:
    written = " ".join(text.split())
    how = HOW_TO_WRITE_IN_QUERY if what == "date" else HOW_TO_WRITE
    if not reason.startswith(f"{written}: "):  # not a date at all: show the forms
        return f"bad {what} {written!r}{where}: {how}"
    reason = reason.removeprefix(f"{written}: ")
    m = _MONTH_FIRST.fullmatch(written)
    if m and int(m[3]) > 12 and int(m[1]) <= 12:
        swapped = f"{m[3]}{m[2]}{m[1]}{m[2]}{m[4]}"
        return f"bad {what} {written!r}{where}: {reason}; dates are day first: did you mean {swapped}?"
    return f"bad {what} {written!r}{where}: {reason}; {how}"
