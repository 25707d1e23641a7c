"""Vietnamese dates: record dates, typed dates, dates in running text, the publication date.

Vietnamese writes dates day first (``02/07/2021`` is 2 July 2021) and Việt Nam keeps
UTC+7 all year, so every calendar date here is a date in Vietnam time.

* ``local_date`` reads a record's date field (ISO, day-first, ``datetime``) as a local date.
* ``parse_day_first`` is the strict parser for dates a user types.
* ``date_mentions`` finds the dates in a text in one regex pass. A day and month without
  a year (``ngày 1-7``, ``sáng 1/7``) count only after a date cue (``ngày``, ``hôm``, a
  part of the day, a weekday …), because a bare ``1/7`` is usually a fraction, and take
  their year from the publication date. Terms of office (``2021-2026``), document numbers
  (``168/2024/NĐ-CP``), scores, times and invalid calendar dates are never dates.
* ``publication_date`` applies the labelling rules: the record's date, else the
  article's own dated stamp or dated dateline near the top, else nothing.

Texts are expected in NFC (the readers normalise them); offsets index the given text.
Lunar dates (``mùng 1 Tết``, ``15/8 âm lịch``) are out of scope and are skipped.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

VIETNAM = timezone(timedelta(hours=7))

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
HEAD_LINES = 6  # the stamp or dated dateline of an article sits within its first lines
STAMP_PREFIX_CHARS = 60  # "[ Cập nhật vào ngày (" is short; a sentence before a date is not a stamp


@dataclass(frozen=True)
class DateMention:
    """One date found in a text; ``text[start:end]`` includes its cue words."""

    start: int
    end: int
    text: str
    kind: str  # "stamp", "dated_dateline", "document", "event" or "month"
    day: date | None
    until: date | None = None
    month: tuple[int, int] | None = None
    year_inferred: bool = False
    time: str | None = None
    part_of_day: str | None = None
    weekday_mismatch: bool = False


# -- checked calendar dates ----------------------------------------------------


def _days_in_month(year: int, month: int) -> int:
    return monthrange(year, month)[1]  # December 9999 too: no day after it to count back from


def _checked_date(year: int, month: int, day: int, written: str) -> date:
    """``date(year, month, day)``, or a ValueError that names the impossible part."""
    if not 1 <= year <= 9999:
        raise ValueError(f"{written}: year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError(f"{written}: month {month} does not exist (months are 1-12)")
    if day < 1:
        raise ValueError(f"{written}: day {day} does not exist")
    if day > _days_in_month(year, month):
        name = MONTH_NAMES[month - 1]
        if month == 2 and day == 29:
            raise ValueError(f"{written}: February {year} has no day 29 ({year} is not a leap year)")
        raise ValueError(f"{written}: {name} has no day {day}")
    return date(year, month, day)


# -- strict parsing of typed and stored dates ---------------------------------

_TYPED_DAY_FIRST = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_TYPED_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TYPED_WORDS = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+năm\s+(\d{4})", re.IGNORECASE)
_ISO_DATETIME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?")
_RFC_2822 = re.compile(r"[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4}")
_TRAILING_TIME = re.compile(r"(\S+)\s+\d{1,2}[:h]\d{2}(?::\d{2})?")


def parse_day_first(text: str) -> date:
    """A date typed by a user: ``02/07/2021``, ``2-7-2021``, ``2021-07-02``, ``ngày 2 tháng 7 năm 2021``."""
    written = " ".join(text.split())
    if m := _TYPED_DAY_FIRST.fullmatch(written):
        return _checked_date(int(m[4]), int(m[3]), int(m[1]), written)
    if m := _TYPED_ISO.fullmatch(written):
        return _checked_date(int(m[1]), int(m[2]), int(m[3]), written)
    if m := _TYPED_WORDS.fullmatch(written):
        return _checked_date(int(m[3]), int(m[2]), int(m[1]), written)
    raise ValueError(
        f"{written!r} is not a date: write it day first, 02/07/2021 for 2 July 2021, or 2021-07-02"
    )


_TYPED_MONTH = re.compile(
    r"(?:tháng\s+)?(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{4})-(\d{1,2})|tháng\s+(\d{1,2}),?\s+năm\s+(\d{4})",
    re.IGNORECASE,
)
_TYPED_YEAR = re.compile(r"(?:năm\s+)?(\d{4})", re.IGNORECASE)


def parse_month(text: str) -> tuple[int, int]:
    """A month a user types, as (year, month): ``7/2021``, ``07/2021``, ``2021-07``,
    ``tháng 7/2021``, ``tháng 7 năm 2021``."""
    written = " ".join(text.split())
    m = _TYPED_MONTH.fullmatch(written)
    if m is None:
        raise ValueError(f"{written!r} is not a month: write 7/2021, 2021-07 or tháng 7 năm 2021")
    year, month = (m[2], m[1]) if m[1] else (m[3], m[4]) if m[3] else (m[6], m[5])
    _checked_date(int(year), int(month), 1, written)
    return int(year), int(month)


def month_days(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def parse_period(text: str) -> tuple[date, date]:
    """The first and last day of a typed day, month or year (``2021`` → 1 January, 31 December).

    Days go through ``parse_day_first``, months through ``parse_month``; the error of the
    form the text looks like is the one raised.
    """
    written = " ".join(text.split())
    if m := _TYPED_YEAR.fullmatch(written):
        year = int(m[1])
        _checked_date(year, 1, 1, written)
        return date(year, 1, 1), date(year, 12, 31)
    if _TYPED_MONTH.fullmatch(written):
        return month_days(*parse_month(written))
    day = parse_day_first(written)
    return day, day


def local_date(value: str | date | datetime | None) -> date | None:
    """A record's date field as a calendar date in Vietnam time (None for no value).

    A datetime or ISO string without an offset is already local; one with an offset
    (or ``Z``) is converted to UTC+7 first, so ``2026-02-06T23:22:00+00:00`` is 7 February.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    written = " ".join(str(value).split())
    if not written:
        return None
    if m := _ISO_DATETIME.fullmatch(written):
        return _local_iso_datetime(m, written)
    if m := _TRAILING_TIME.fullmatch(written):
        written = m[1]  # "02/07/2021 10:30": the time of a local date does not move it
    if _RFC_2822.match(written):
        return _local_rfc_2822(written)
    return parse_day_first(written)


def _local_rfc_2822(written: str) -> date:
    """``Fri, 02 Jul 2021 10:30:00 +0700``, as in feeds and some HTML meta tags."""
    try:
        moment = parsedate_to_datetime(written)
    except (TypeError, ValueError):
        raise ValueError(f"{written!r} is not a readable date and time") from None
    return moment.astimezone(VIETNAM).date() if moment.tzinfo else moment.date()


def _local_iso_datetime(m: re.Match[str], written: str) -> date:
    year, month, day_of_month = (int(part) for part in m[1].split("-"))
    day = _checked_date(year, month, day_of_month, written)
    offset = m[3]
    if not offset:
        return day
    offset = "+00:00" if offset == "Z" else f"{offset[:3]}:{offset[-2:]}"  # "+0700" → "+07:00"
    try:
        moment = datetime.fromisoformat(f"{day.isoformat()}T{m[2]}{offset}")
    except ValueError:
        raise ValueError(f"{written!r} is not a readable date and time") from None
    return moment.astimezone(VIETNAM).date()


# -- dates in running text ----------------------------------------------------

_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_MONTH = r"(?:0?[1-9]|1[0-2])(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_PART = r"rạng\s+sáng|sáng\s+sớm|nửa\s+đêm|sáng|trưa|chiều|tối|đêm|khuya"
_WEEKDAY = r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn|t[2-7]"
# "2/7/2021 - 10:30", "02/07/2021, 10:30 (GMT+7)": only hh:mm, since ", 8h15 sáng …" starts a new clause.
_TIME_AFTER = r"(?:\s*[-–,|]?\s*(?:lúc\s+)?(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?!\d)(?:\s*\(GMT\s*\+\s*7\))?)?"
# After a date: not a longer number, word or code ("28/2009/TT-BGDĐT", "12/2h", "1/7.5").
_DATE_END = r"(?![\w]|[/\-]\w|\.\d)"

_NUMERIC = (
    r"(?<![\w/.,\-])(?=\d{1,2}(?:[/.\-]\d|\s*[-–]\s*\d|\s+(?:đến|tới|và)\s|\s*,\s*\d))"
    r"(?P<core>(?P<d1>" + _DAY + r")(?:(?P<s1>[/.\-])(?P<m1>" + _MONTH + r")(?:(?P=s1)(?P<y1>" + _YEAR + r"))?)?"
    r"(?:(?P<join>\s*[-–]\s*|\s+(?:đến|tới)\s+(?:(?:" + _PART + r")\s+)?(?:ngày\s+)?"
    r"|(?P<list>(?:\s*,\s*" + _DAY + r")*(?:\s*,\s*|\s+và\s+)))"
    r"(?P<d2>" + _DAY + r")(?P<s2>[/.\-])(?P<m2>" + _MONTH + r")(?:(?P=s2)(?P<y2>" + _YEAR + r"))?)?)"
    + _DATE_END + r"(?:\s+năm\s+(?P<yw>" + _YEAR + r"))?" + _TIME_AFTER
)
_WORDS = (
    r"(?<!\w)(?:ngày|mùng|mồng)\s+(?P<w_d>" + _DAY + r")\s+tháng\s+(?P<w_m>" + _MONTH + r")"
    r"(?:\s*,?\s*năm\s+(?P<w_y>" + _YEAR + r"))?" + _DATE_END
)
_MONTH_YEAR = (
    r"(?<!\w)tháng\s+(?P<mo_m>" + _MONTH + r")(?:\s*[/.\-]\s*|\s+năm\s+)(?P<mo_y>" + _YEAR + r")" + _DATE_END
)
_ISO_IN_TEXT = r"(?<![\w/.\-])(?P<i_y>" + _YEAR + r")-(?P<i_m>0[1-9]|1[0-2])-(?P<i_d>[0-3]\d)" + _DATE_END
# The leading look-ahead lets the scan skip most positions without trying each branch.
_MASTER = re.compile(r"(?=[\dnmt])(?:" + "|".join((_WORDS, _MONTH_YEAR, _ISO_IN_TEXT, _NUMERIC)) + ")", re.IGNORECASE)

# The cue words just before a date, read backwards from the date (anchored at its start).
_PREFIX = re.compile(
    r"(?<!\w)(?:(?P<time>\d{1,2})\s*(?:h|giờ|:)\s*(?:(?P<tmin>\d{1,2})\s*(?:phút)?)?\s*,?\s*)?"
    r"(?:(?P<part1>" + _PART + r")\s+)?"
    r"(?:(?P<weekday>" + _WEEKDAY + r")\s*[,(\-–]?\s*)?"
    r"(?:(?P<part2>" + _PART + r")(?:\s+(?:nay|qua|mai))?\s*,?\s*)?"
    r"(?:(?P<rel>hôm\s+(?:nay|qua|kia)|ngày\s+(?:mai|hôm\s+(?:nay|qua)))\s*,?\s*)?"
    r"(?:\(\s*)?"
    r"(?:(?P<cue>ngày|hôm|mùng|mồng|kể\s+từ|từ|đến|tới)\s*(?:\(\s*)?)?\Z",
    re.IGNORECASE,
)
_PREFIX_WINDOW = 48
_STRONG_CUES = {"ngày", "hôm", "mùng", "mồng"}
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
# A number range with a weak cue ("từ 7-9 m", "từ 1-2 triệu") is a date only when nothing
# but punctuation or a connector follows it ("Từ 1-7, phí …", "từ 25-1 đến 1-2").
_WEAK_CUE_END = re.compile(r"\s*(?:[,()\]]|\n|\Z)|\s+(?:đến|tới|và|trở\s+đi)(?!\w)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\s*[.;:!?]")  # "từ 6/3." is a date, "ưu tiên từ 1-3." a count
_LUNAR_AFTER = re.compile(r"\s*\(?\s*(?:âm\s+lịch|âl|al|tết)(?!\w)", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"\s*(?:giờ|h|phút|giây|độ|%|tuổi|người|triệu|tỷ|nghìn|ngàn|km|cm|mm|m|kg|g"
    r"|lít|lần|tháng|ngày|tuần|tiếng|điểm|bàn|ván|set|hiệp|trận)(?!\w)",
    re.IGNORECASE,
)


def date_mentions(text: str, published: date | None = None) -> list[DateMention]:
    """Every date in ``text``, in order; a date without a year needs ``published``."""
    found: list[DateMention] = []
    position = 0
    while m := _MASTER.search(text, position):
        position = m.end()
        if m.group("mo_m"):
            found.append(_month_mention(m))
        elif m.group("w_d"):
            found.extend(_word_mentions(text, m, published))
        elif m.group("i_y"):
            found.extend(_iso_mentions(text, m))
        elif mentions := _numeric_mentions(text, m, published):
            found.extend(mentions)
        elif m.group("d2"):
            position = m.start("d2")  # "thứ 6, 2/7/2021" is no list, but 2/7/2021 is a date
    return found


def _month_mention(m: re.Match[str]) -> DateMention:
    month = (int(m["mo_y"]), int(m["mo_m"]))
    return DateMention(m.start(), m.end(), m[0], "month", None, month=month)


def _iso_mentions(text: str, m: re.Match[str]) -> list[DateMention]:
    day = _valid_date(int(m["i_y"]), int(m["i_m"]), int(m["i_d"]))
    if day is None:
        return []
    return [_mention(text, m.start(), m.end(), day, None, False, _prefix(text, m.start()), None)]


def _word_mentions(text: str, m: re.Match[str], published: date | None) -> list[DateMention]:
    if _LUNAR_AFTER.match(text, m.end()):
        return []
    resolved = _resolve(int(m["w_d"]), int(m["w_m"]), m["w_y"], published)
    if resolved is None:
        return []
    prefix = _prefix(text, m.start())
    start = prefix.start() if prefix[0].strip() else m.start()
    return [_mention(text, start, m.end(), resolved[0], None, resolved[1], prefix, None)]


def _numeric_mentions(text: str, m: re.Match[str], published: date | None) -> list[DateMention]:
    if not (m["m1"] or m["d2"]):
        return []
    if _LUNAR_AFTER.match(text, m.end("core")):
        return []
    prefix = _prefix(text, m.start())
    # "29, 30/12/2025" needs a cue even with its year: "Chương 3, 12/5/2020" is no list
    comma_list = m["list"] is not None and "và" not in m["list"]
    if (comma_list or not (m["y1"] or m["y2"] or m["yw"])) and not _cue_allows(text, m, prefix):
        return []
    days = _numeric_days(m, published)
    if not days:
        return []
    start = prefix.start() if prefix[0].strip() else m.start()
    time = f"{int(m['hour']):02d}:{m['minute']}" if m["hour"] else None
    if m["list"] is not None and not _consecutive([d for d, _ in days]):
        return _list_mentions(text, m, days, start, prefix, time)
    first, inferred = days[0]
    until = days[-1][0] if len(days) > 1 else None
    return [_mention(text, start, m.end(), first, until, inferred, prefix, time)]


def _cue_allows(text: str, m: re.Match[str], prefix: re.Match[str]) -> bool:
    """A day and month without a year is a date only after a cue, and not before a unit."""
    end = m.end("core")
    if _UNIT_AFTER.match(text, end):
        return False
    if m["hour"] and "/" in m["core"]:
        return True  # "05/02 15:00" in a match schedule
    cue = (prefix["cue"] or "").lower()
    if cue in _STRONG_CUES or any(prefix[g] for g in ("part1", "part2", "rel", "weekday", "time")):
        return True
    if not cue:
        return False
    if _WEAK_CUE_END.match(text, end):
        return True
    return "-" not in m["core"] and _SENTENCE_END.match(text, end) is not None


def _numeric_days(m: re.Match[str], published: date | None) -> list[tuple[date, bool]]:
    """The dates of a numeric match, first to last, each with "year inferred"; [] if invalid."""
    year = m["y2"] or m["yw"]
    if not m["d2"]:
        single = _resolve(int(m["d1"]), int(m["m1"]), m["y1"] or year, published)
        return [single] if single else []
    last = _resolve(int(m["d2"]), int(m["m2"]), year, published)
    if last is None:
        return []
    earlier = [int(m["d1"])] + [int(d) for d in re.findall(r"\d+", m["list"] or "")]
    month = int(m["m1"]) if m["m1"] else None
    days = [found for d in earlier if (found := _day_before(d, month, m["y1"], last))]
    if len(days) < len(earlier) or any(d > last[0] for d, _ in days):
        return []
    if (last[0] - days[0][0]).days > 366:
        return []
    return [*days, last]


def _day_before(day: int, month: int | None, year: str | None, last: tuple[date, bool]) -> tuple[date, bool] | None:
    """The start of a range or list that ends on ``last``: its month and year default to last's."""
    end, inferred = last
    if month is None:
        month = end.month if day <= end.day else end.month - 1 or 12
    if year:
        return _valid_pair(int(year), month, day, False)
    guess = end.year if (month, day) <= (end.month, end.day) else end.year - 1
    return _valid_pair(guess, month, day, inferred)


def _valid_pair(year: int, month: int, day: int, inferred: bool) -> tuple[date, bool] | None:
    found = _valid_date(year, month, day)
    return (found, inferred) if found else None


def _consecutive(days: list[date]) -> bool:
    return all((b - a).days == 1 for a, b in zip(days, days[1:]))


def _list_mentions(
    text: str, m: re.Match[str], days: list[tuple[date, bool]], start: int, prefix: re.Match[str], time: str | None
) -> list[DateMention]:
    """"các ngày 7 và 14/12": one mention per day, each spanning its own number."""
    spans = [(start, m.end("m1") if m["m1"] else m.end("d1"))]
    spans += [(m.start("list") + n.start(), m.start("list") + n.end()) for n in re.finditer(r"\d+", m["list"])]
    spans.append((m.start("d2"), m.end()))
    return [
        _mention(text, s, e, day, None, inferred, prefix, time)
        for (s, e), (day, inferred) in zip(spans, days)
    ]


def _resolve(day: int, month: int, year: str | None, published: date | None) -> tuple[date, bool] | None:
    """The date of a day and month, with its year given or the one closest to ``published``."""
    if year:
        return _valid_pair(int(year), month, day, False)
    if published is None:
        return None
    candidates = [_valid_date(y, month, day) for y in (published.year - 1, published.year, published.year + 1)]
    valid = [d for d in candidates if d is not None]
    if not valid:
        return None
    return min(valid, key=lambda d: abs((d - published).days)), True


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _prefix(text: str, start: int) -> re.Match[str]:
    found = _PREFIX.search(text, max(0, start - _PREFIX_WINDOW), start)
    assert found is not None  # every group is optional: it matches at least the empty string
    return found


def _mention(
    text: str, start: int, end: int, day: date, until: date | None,
    inferred: bool, prefix: re.Match[str], time: str | None,
) -> DateMention:
    part = prefix["part1"] or prefix["part2"]
    if "(" in prefix[0] and text.startswith(")", end):
        end += 1  # "hôm nay (15/6)": the bracket opened by the cue closes after the date
    if time is None and prefix["time"]:
        time = f"{int(prefix['time']):02d}:{int(prefix['tmin'] or 0):02d}"
    return DateMention(
        start=start, end=end, text=text[start:end],
        kind=_kind(text, start, end, has_year=not inferred),
        day=day, until=until, year_inferred=inferred, time=time,
        part_of_day=" ".join(part.lower().split()) if part else None,
        weekday_mismatch=_weekday_mismatch(prefix["weekday"], day),
    )


def _weekday_mismatch(weekday: str | None, day: date) -> bool:
    if not weekday:
        return False
    word = weekday.lower().split()[-1]
    if word in ("nhật", "cn"):
        expected = 6
    elif word[-1].isdigit():
        expected = int(word[-1]) - 2  # "thứ 2", "T2" is Monday
    else:
        expected = _WEEKDAYS[word]
    return day.weekday() != expected


# -- what kind of date: stamp, dateline, document line or event ---------------

_STAMP_CUE = re.compile(
    r"cập\s+nhật|ngày\s+đăng|đăng\s+(?:lúc|ngày|vào)|thời\s+gian\s+đăng|xuất\s+bản|published|updated|posted",
    re.IGNORECASE,
)
_HEADER_TAIL = re.compile(r"[\s)\]|\-–]*(?:[AP]M\s*)?(?:\(?\s*(?:GMT|UTC)\s*\+\s*0?7(?::?00)?\s*\)?)?[\s)\]|\-–]*")
_PLACE_HEAD = re.compile(r"\s*\(?\s*([^\W\d_][\w.\-]*(?:\s+[\w.\-]+){0,5})\s*,\s*")
_DATELINE_TAIL = re.compile(r"\s*\)?\s*[\-–—:]")


def _kind(text: str, start: int, end: int, has_year: bool) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end:] if line_end < 0 else text[end:line_end]
    if len(before) <= STAMP_PREFIX_CHARS and _STAMP_CUE.search(before):
        return "stamp"
    if has_year and not before.strip(" \t[(|:-–") and _HEADER_TAIL.fullmatch(after):
        return "stamp"
    if _is_place(before):
        if _DATELINE_TAIL.match(after) or ("(" in before and after.lstrip().startswith(")")):
            return "dated_dateline"
        if not after.strip(" .;"):
            return "document"
    return "event"


def _is_place(before: str) -> bool:
    """Is ``before`` a line opening like "(TP. HCM, " or "Hà Nội, " (capitalised words)?"""
    m = _PLACE_HEAD.fullmatch(before)
    if m is None:
        return False
    words = m[1].split()
    return words[0][0].isupper() and sum(not w[0].isupper() for w in words) <= 1


# -- the publication date -----------------------------------------------------


def publication_date(text: str, record_date: str | date | datetime | None = None) -> date | None:
    """The article's publication date by the labelling rules (LABELING.md, "date").

    The record's own date wins (in Vietnam time). Otherwise only the article's own
    date stated with a year near the top counts: an update or header stamp
    (``[ Cập nhật vào ngày (02/07/2021) ]``, ``Thứ Sáu, 2/7/2021 - 10:30``) or a dated
    dateline (``(TP. HCM, ngày 28/10/2017) –``). Event dates, "today (15/6)" phrases and
    dates in a title are not publication dates: the result is then None.
    """
    try:
        found = local_date(record_date)
    except ValueError:
        found = None  # an unreadable record date: the text may still say
    if found is not None:
        return found
    for mention in date_mentions(_head(text)):
        if mention.kind in ("stamp", "dated_dateline") and mention.day and not mention.year_inferred:
            return mention.day
    return None


def _head(text: str) -> str:
    """The first ``HEAD_LINES`` non-blank lines of ``text``."""
    seen = 0
    for m in re.finditer(r"[^\n]*\S[^\n]*", text):
        seen += 1
        if seen == HEAD_LINES:
            return text[: m.end()]
    return text
