"""Legacy Vietnamese character sets, as text: TCVN3 (ABC), VNI-Windows, double-encoded UTF-8.

Python has codecs for none of them but cp1258, so the tables are built here from their layout
(TCVN3: one byte per lowercase letter, the five tones of a vowel in one row; VNI: a base letter
followed by one or two mark bytes). Every conversion works on text *shown as cp1252*, which is
what such bytes look like when read as Western text (``Céng hoµ``, ``Coäng hoøa``,
``Háº­u``). Deciding *whether* to convert is ``encodings``' job.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# -- the Vietnamese letters ------------------------------------------------------------

HUYEN, HOI, NGA, SAC, NANG = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONE_MARKS = HUYEN + HOI + NGA + SAC + NANG


def _toned(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


# -- TCVN3 (ABC): one byte per letter; uppercase exists only for the seven base letters ----

# Each vowel's five toned letters sit in one row, in the order huyền, hỏi, ngã, sắc, nặng.
_TCVN3_ROWS = {
    "a": "b5 b6 b7 b8 b9", "ă": "bb bc bd be c6", "â": "c7 c8 c9 ca cb",
    "e": "cc ce cf d0 d1", "ê": "d2 d3 d4 d5 d6", "i": "d7 d8 dc dd de",
    "o": "df e1 e2 e3 e4", "ô": "e5 e6 e7 e8 e9", "ơ": "ea eb ec ed ee",
    "u": "ef f1 f2 f3 f4", "ư": "f5 f6 f7 f8 f9", "y": "fa fb fc fd fe",
}  # fmt: skip
_TCVN3_BASES = "ĂÂÊÔƠƯĐăâêôơưđ"  # 0xA1–0xAE


def _tcvn3_table() -> dict[int, str]:
    """TCVN3 byte (as the Latin-1 character it shows as) → Unicode letter: 74 entries."""
    table = {0xA1 + offset: letter for offset, letter in enumerate(_TCVN3_BASES)}
    for base, row in _TCVN3_ROWS.items():
        for code, tone in zip(row.split(), (HUYEN, HOI, NGA, SAC, NANG)):
            table[int(code, 16)] = _toned(base, tone)
    return table


TCVN3_TABLE = _tcvn3_table()

# -- VNI-Windows: base letter + mark bytes (shown here as their Latin-1 characters) --------

_VNI_TONES = {"ù": SAC, "ø": HUYEN, "û": HOI, "õ": NGA, "ï": NANG}
_VNI_CIRCUMFLEX = {"â": "", "á": SAC, "à": HUYEN, "å": HOI, "ã": NGA, "ä": NANG}  # â ê ô
_VNI_BREVE = {"ê": "", "é": SAC, "è": HUYEN, "ú": HOI, "ü": NGA, "ë": NANG}  # ă
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}  # ì í are themselves


def _vni_lowercase() -> dict[str, str]:
    table = dict(_VNI_SINGLE)
    for base in "aeouy":
        table |= {base + mark: _toned(base, tone) for mark, tone in _VNI_TONES.items()}
    for horned, letter in (("ô", "ơ"), ("ö", "ư")):
        table |= {horned + mark: _toned(letter, tone) for mark, tone in _VNI_TONES.items()}
    for base, shaped in (("a", "â"), ("e", "ê"), ("o", "ô")):
        table |= {base + mark: _toned(shaped, tone) for mark, tone in _VNI_CIRCUMFLEX.items()}
    table |= {"a" + mark: _toned("ă", tone) for mark, tone in _VNI_BREVE.items()}
    return table


def _vni_table() -> dict[str, str]:
    """VNI sequence → Unicode letter, both cases (an uppercase letter may carry either mark case)."""
    table = {}
    for sequence, letter in _vni_lowercase().items():
        table[sequence] = letter
        table[sequence.upper()] = letter.upper()
        if len(sequence) == 2:
            table[sequence[0].upper() + sequence[1]] = letter.upper()
    return table


VNI_TABLE = _vni_table()
_VNI_SEQUENCE = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# -- cp1252 as seen through Latin-1, for text that went through either ---------------------

_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
_C1_TO_CP1252 = {0x80 + i: c for i, c in enumerate(_CP1252_HIGH) if c != "\ufffd"}
CP1252_TO_BYTE = {c: 0x80 + i for i, c in enumerate(_CP1252_HIGH) if c != "\ufffd"}


def cp1252_view(data: bytes) -> str:
    """``data`` as cp1252, with the five bytes cp1252 leaves undefined kept as C1 controls."""
    return data.decode("latin-1").translate(_C1_TO_CP1252)


# -- double-encoded UTF-8: UTF-8 bytes shown as cp1252/Latin-1, then saved as UTF-8 --------

_CONTINUATION = "[\x80-\xbf" + "".join(CP1252_TO_BYTE) + "]"
DOUBLE_UTF8 = re.compile(
    f"[\xf0-\xf4]{_CONTINUATION}{{3}}|[\xe0-\xef]{_CONTINUATION}{{2}}|[\xc2-\xdf]{_CONTINUATION}"
)
# What a repaired sequence may turn into: Latin, Greek and Cyrillic letters, punctuation and
# symbols, CJK and Hangul, emoji; not controls, combining marks or private use.
_PLAUSIBLE = re.compile(
    "[\u00a0-\u024f\u0370-\u052f\u1e00-\u1fff\u2010-\u2bff\u3000-\u9fff\uac00-\ud7af\uff01-\uffee"
    "\U0001f000-\U0001faff]"
)


def _undo_double_utf8(match: re.Match[str]) -> str:
    raw = bytes(CP1252_TO_BYTE.get(c, ord(c)) for c in match.group())
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()
    return fixed if _PLAUSIBLE.fullmatch(fixed) else match.group()


def from_double_utf8(text: str) -> str:
    return DOUBLE_UTF8.sub(_undo_double_utf8, text)


# -- conversions of text shown as cp1252 ---------------------------------------------------


def from_tcvn3(text: str) -> str:
    return _recase_headings(text.translate(TCVN3_TABLE))


def from_vni(text: str) -> str:
    return _VNI_SEQUENCE.sub(lambda m: VNI_TABLE[m.group()], text)


_WORD = re.compile(r"[^\W\d_]+")


def _recase_headings(text: str) -> str:
    """Upper-case TCVN3 headings: TCVN3 has no toned capitals, so ``CéNG HOµ X·`` → ``CỘNG HOÀ XÃ``.

    A word with two or more ASCII letters, all upper case, next to lowercase converted letters is
    a heading word; a word with at most one ASCII capital (``Xã``, ``Hà``) joins it only when it
    stands next to one on the same line, so ``Hà Nội`` in running text keeps its case.
    """
    return "\n".join(_recase_line(line) for line in text.split("\n"))


@lru_cache(maxsize=1 << 14)
def _case_role(word: str) -> str:
    ascii_letters = [c for c in word if c.isascii()]
    if any(c.islower() for c in ascii_letters) or not any(c.islower() for c in word if not c.isascii()):
        return ""
    return "heading" if len(ascii_letters) >= 2 else "maybe"


# A heading word: ASCII capitals with a lowercase converted letter between or after two of them.
_TWO_CAPITALS = re.compile(r"[A-Z][^\W\da-z_]*[^\W\d_A-Z][^\W\da-z_]*[A-Z]|[A-Z][^\W\da-z_]*[A-Z][^\W\d_A-Z]")


def _recase_line(line: str) -> str:
    if not _TWO_CAPITALS.search(line):
        return line
    words = list(_WORD.finditer(line))
    roles = [_case_role(w.group()) for w in words]
    if "heading" not in roles:
        return line
    changed = True
    while changed:
        changed = False
        for i, role in enumerate(roles):
            near = roles[max(i - 1, 0) : i + 2]
            if role == "maybe" and "heading" in near:
                roles[i], changed = "heading", True
    parts, end = [], 0
    for word, role in zip(words, roles):
        parts += [line[end : word.start()], word.group().upper() if role == "heading" else word.group()]
        end = word.end()
    return "".join(parts) + line[end:]
