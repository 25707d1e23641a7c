"""Which Vietnamese provinces are there, and which does a text name?

Two jobs, both driven by ``data/provinces.tsv`` (the 63 pre-2025 provinces and cities, their
spellings and newsroom abbreviations, and the unit each belongs to since 1 July 2025):

* ``lookup`` resolves any way a user or a dateline writes a province (``TP.HCM``, ``tphcm``,
  ``Sài Gòn``, ``hoà bình``, ``BR-VT``, ``HG``) to its canonical row;
* ``mentions`` is the mechanical scan of LABELING.md "places_mentioned": case-sensitive whole
  words, with the documented traps left out (the Pacific, Điện Biên Phủ, Hồ Chí Minh the person,
  short codes in running text, people named after provinces);

Which of the named provinces an article is *about* is ``place_tags``' question.

Names are never remapped across the 2025 reform: an article about Hậu Giang is tagged Hậu Giang;
``Province.current`` and ``merged_into`` give the post-2025 unit for filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from search.normalize import fold, has_marks, normalize


@dataclass(frozen=True)
class Province:
    """One row of provinces.tsv."""

    name: str  # canonical spelling: "Hậu Giang"
    ascii: str  # "Hau Giang"
    kind: str  # "city" | "province"
    current: str  # the unit it belongs to since 1 July 2025; itself when unchanged
    aliases: tuple[str, ...]  # abbreviations and spelling variants

    @property
    def merged(self) -> bool:
        """True when the province was merged into another unit on 1 July 2025."""
        return self.current != self.name


@dataclass(frozen=True)
class Mention:
    """A literal occurrence of a province in a text: ``text[start:end] == surface``."""

    name: str  # canonical
    surface: str  # as written
    start: int
    end: int


# -- the table -------------------------------------------------------------------


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """All rows of provinces.tsv, in file order."""
    table = files("search").joinpath("data/provinces.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in table.splitlines()[1:] if line.strip()]
    return tuple(
        Province(
            name=name,
            ascii=ascii_name,
            kind=kind,
            current=merged or name,
            aliases=tuple(a for a in abbreviations.split("|") if a),
        )
        for name, ascii_name, abbreviations, kind, _status, merged in rows
    )


_SEPARATORS = re.compile(r"[\s.\-–—]+")


def _key(text: str) -> str:
    """Lookup key (vietnamese.md 6.7): canonical, folded, separators collapsed to one space."""
    return _SEPARATORS.sub(" ", fold(normalize(text))).strip()


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Province]:
    table: dict[str, Province] = {}
    for province in provinces():
        for spelling in (province.name, province.ascii, *province.aliases):
            table[_key(spelling)] = province
    return table


_UNIT_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp) ")


def lookup(name: str) -> Province | None:
    """The province a name, ascii form or alias stands for, or None.

    Accents, case, tone placement, spacing and ``. - –`` are ignored, and a leading
    ``tỉnh`` / ``thành phố`` / ``TP`` is allowed. Short codes (HN, HG, SG, HCM, TTH, HP)
    resolve: this is for the place field and datelines, where the user means a place.
    """
    key = _key(name)
    found = _by_key().get(key)
    if found is None and _UNIT_PREFIX.match(key):
        found = _by_key().get(_UNIT_PREFIX.sub("", key))
    return found


_WRITTEN_UNIT_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp) ")


def lookup_written(name: str) -> Province | None:
    """``lookup``, except that a name written with marks must carry the province's own
    (tone placement and case aside): ``diễn biến`` is not Điện Biên, ``dien bien`` may be."""
    province = lookup(name)
    if province is None or not has_marks(name):
        return province
    written = _SEPARATORS.sub(" ", normalize(name)).strip()
    spellings = {_SEPARATORS.sub(" ", normalize(s)).strip() for s in (province.name, *province.aliases)}
    return province if {written, _WRITTEN_UNIT_PREFIX.sub("", written)} & spellings else None


def merged_into(current_name: str) -> tuple[str, ...]:
    """The unit and every unit merged into it on 1 July 2025 (``Cần Thơ`` → Cần Thơ, Hậu
    Giang, Sóc Trăng), for a place filter that includes former provinces. () if unknown."""
    unit = lookup(current_name)
    if unit is None:
        return ()
    return (unit.name, *(p.name for p in provinces() if p.current == unit.name and p.merged))


# -- mentions: the mechanical scan -------------------------------------------------

# Longer names that contain a province name but are not the province.
_NOT_PLACES = ("Thái Bình Dương", "Điện Biên Phủ")
# Collision-prone codes: counted only as a leading dateline "(HG) -".
_CODES = frozenset({"hn", "hp", "hg", "sg", "tth"})
# Hồ Chí Minh the person, his thought, the Youth Union, the trail: a city only after TP.
_NEEDS_CITY_PREFIX = frozenset({"ho chi minh", "hcm"})
# "TP.\nHCM": vietnews splits lines after abbreviation dots, so a dot may end the line.
_CITY_PREFIX = re.compile(
    r"(?<!\w)(?:(?:TP|Tp|tp)(?:\.\s*|[^\S\n]*)|(?:[Tt]hành phố|THÀNH PHỐ)[^\S\n]+)\Z"
)
_LEADING_DATELINE = re.compile(r"(?:^|\n)[^\S\n]*\(\Z")
_AFTER_DATELINE_CODE = re.compile(r"\)[^\S\n]*[-–—]")

_FAMILY_NAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương "
    "Trịnh Trương Lâm Phùng Mai Tô Hà Tạ Cao Lương Đinh Châu Quách Thái Lưu La Kiều Khúc Tăng "
    "Từ Triệu Tôn Chu Giang Hứa Mạc Lạc Nghiêm Âu Doãn Đàm Đường Kim Lò Quan Mẫn Hầu Thân "
    "Tống Bế Nông Diệp Lục Phí Ninh Tiêu Vi Khổng Lã Ông Trình Văn Thị"
).split()
_COURTESY = "ông bà anh chị cô chú bác cụ".split()
# A province name right after one of these words is a person: Nguyễn Hòa Bình, chị Huế.
_PERSON_CUES = frozenset(
    [*_FAMILY_NAMES, *(n.upper() for n in _FAMILY_NAMES)]
    + [w for c in _COURTESY for w in (c, c.capitalize(), c.upper())]
)
_PRECEDING_WORD = re.compile(r"(\w+)[^\S\n]+\Z")
_CITY_KEYS = ("tp", "thanh pho ")  # TP Huế, Thành phố Hà Nội: never a person's name


_SPACE, _DASH, _DOT = "\0space", "\0dash", "\0dot"
_ATOM_PATTERNS = {
    _SPACE: r"[^\S\n]+",
    _DASH: r"[^\S\n]*[-–—][^\S\n]*",
    _DOT: r"\.[^\S\n]*",  # TP.HCM = TP. HCM, TP.Hà Nội = TP. Hà Nội
}
_Trie = dict[str, "_Trie"]


def _atoms(spelling: str) -> list[str]:
    """Characters of a spelling; a run of spaces, a dash or a dot (spaced or not) is one atom."""
    atoms: list[str] = []
    for i, part in enumerate(re.split(r"(\s*[-–—]\s*|\.\s*|\s+)", spelling)):
        if i % 2:
            atoms.append(_DOT if "." in part else _DASH if part.strip() else _SPACE)
        else:
            atoms.extend(part)
    return atoms


def _trie_pattern(node: _Trie) -> str:
    """Regex for a trie of atoms; "" marks the end of a spelling. Greedy, so longest first."""
    branches = [
        _ATOM_PATTERNS.get(atom, re.escape(atom)) + _trie_pattern(child)
        for atom, child in sorted(node.items())
        if atom
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    """One regex for every spelling and its ALL-CAPS form.

    The spellings are merged into a trie, so the engine tests one branch per first letter
    instead of hundreds of alternatives at every position (about 15 times faster).
    """
    spellings = set(_NOT_PLACES) | {fold(s) for s in _NOT_PLACES}
    for province in provinces():
        spellings.update((province.name, province.ascii, *province.aliases))
    spellings |= {s.upper() for s in spellings}
    trie: _Trie = {}
    for spelling in spellings:
        node = trie
        for atom in _atoms(spelling):
            node = node.setdefault(atom, {})
        node[""] = {}
    first_letters = "".join(sorted(re.escape(atom) for atom in trie))
    return re.compile(rf"(?=[{first_letters}])(?<!\w){_trie_pattern(trie)}(?!\w)")


@lru_cache(maxsize=4096)
def _surface_key(surface: str) -> str:
    return _key(surface)


def _is_dateline_code(text: str, start: int, end: int) -> bool:
    return bool(
        _LEADING_DATELINE.search(text, max(0, start - 40), start)
        and _AFTER_DATELINE_CODE.match(text, end)
    )


def _after_person_cue(text: str, start: int, previous_end: int) -> bool:
    """True when the word just before ``start`` marks a person's name (not a previous place)."""
    word = _PRECEDING_WORD.search(text, max(0, start - 20), start)
    return bool(word and word.end(1) != previous_end and word.group(1) in _PERSON_CUES)


def mentions(text: str) -> list[Mention]:
    """Every literal province mention, by the rules of LABELING.md "places_mentioned".

    Case-sensitive whole words (lowercase ``hòa bình`` is peace); not the Pacific or Điện Biên
    Phủ; Hồ Chí Minh / HCM only with a TP / thành phố prefix (which joins the surface); the
    codes HN HP HG SG TTH only as a leading ``(HG) -`` dateline; and not a bare name right
    after a family name, Thị, Văn or a courtesy word (``Nguyễn Hòa Bình``, ``chị Huế``).
    """
    found: list[Mention] = []
    previous_end = -1
    for match in _scanner().finditer(text):
        start, end = match.span()
        key = _surface_key(match.group())
        province = _by_key().get(key)
        if province is None:  # one of _NOT_PLACES
            continue
        if key in _CODES and not _is_dateline_code(text, start, end):
            continue
        if key in _NEEDS_CITY_PREFIX:
            prefix = _CITY_PREFIX.search(text, max(0, start - 12), start)
            if prefix is None:
                continue
            start = prefix.start()
        elif not key.startswith(_CITY_KEYS) and _after_person_cue(text, start, previous_end):
            continue
        found.append(Mention(province.name, text[start:end], start, end))
        previous_end = end
    return found
