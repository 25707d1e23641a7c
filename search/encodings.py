"""Bytes → trustworthy Unicode text: which encoding is this file, and is the text readable?

``decode(data)`` tries, in order:

1. empty input (``""``), byte-order marks (UTF-8, UTF-16), then binary signatures, NUL bytes
   (BOM-less UTF-16 if they fall on every other byte, else binary) and control bytes;
2. strict UTF-8, the common case: one C-speed decode plus one precompiled-regex search for the
   characters mojibake is made of. Only text that holds such characters is looked at closer, and
   it comes back unchanged unless a repair is clearly better (``repair`` below);
3. otherwise the legacy Vietnamese encodings, by trial conversion: Windows-1258 (then NFC),
   TCVN3 (ABC) and VNI-Windows are each decoded and *scored*, and Western cp1252 is the fallback.

**The confidence rule.** A converted text is cut into words and each word is classed: a
well-formed Vietnamese syllable (initial + vowel nucleus + final, at most one tone mark), a
Latin word that is not one (``niño``, ``chaøo``), or garbled (letters glued to symbols such as
``Hµ``, ``x·``, ``Háº­u``). A candidate *reads as Vietnamese* when at least 60 % of its words
are syllables, at most 20 % of its accented words are not, and it has no control characters or
stray combining marks. The best such candidate wins; with none, bytes that read as clean
Western text (no garbled word, not Vietnamese-shaped under any table) are cp1252, and anything
else raises ``UndecodableText`` rather than return mojibake.

Already-decoded text is repaired only when most of its accented words are unreadable and the
repair makes them Vietnamese syllables (TCVN3, VNI) or removes the garbled words (double-encoded
UTF-8, fixed one byte sequence at a time). Good text, in any language, has nothing unreadable
and is never touched.

Standard library only; the TCVN3 and VNI tables and conversions are in ``charsets``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search.charsets import (
    CP1252_TO_BYTE,
    DOUBLE_UTF8,
    NANG,
    SAC,
    TONE_MARKS,
    cp1252_view,
    from_double_utf8,
    from_tcvn3,
    from_vni,
)


class UndecodableText(ValueError):
    """The bytes are not text we can decode with confidence; ``str(error)`` says why, in one line."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text (NFC) and the encoding it was found in.

    ``encoding`` is ``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1258``, ``tcvn3``, ``vni``,
    ``cp1252`` (Western text), or a Unicode encoding plus the repair made to its text:
    ``utf-8+repaired`` (double-encoded UTF-8), ``utf-8+tcvn3``, ``utf-8+vni``.
    """

    text: str
    encoding: str


_CONVERT = "convert it to UTF-8"

# -- scoring: how much of a text reads as Vietnamese ----------------------------------------

_INITIALS = "ngh|ng|gh|gi|qu|ch|kh|nh|ph|th|tr|[bcdđghklmnpqrstvx]"
# Vowel nuclei by what may follow: a gliding nucleus ends the syllable, some need a final.
_OPEN_NUCLEI = "iêu oai oao oay oeo uây uôi uya uyu ươi ươu yêu ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu"
_CLOSED_NUCLEI = "uyê iê yê uô ươ oă uâ oo ă â"
_NUCLEI = "oa oe uê uy a e ê i o ô ơ u ư y"


def _alternatives(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_FINALS = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(
    f"(?:{_INITIALS})?(?:(?:{_alternatives(_OPEN_NUCLEI)})|(?:{_alternatives(_CLOSED_NUCLEI)})(?P<final>{_FINALS})"
    f"|(?:{_alternatives(_NUCLEI)})(?P<coda>{_FINALS})?)"
)
_STOP_FINALS = ("c", "ch", "p", "t")  # they take only the sắc or nặng tone

# Frequent syllables of Vietnamese news: when two tables both give well-formed syllables
# (``có không`` in cp1258 reads ``cĩ khơng`` in VNI), the reading with more real words wins.
_COMMON_SYLLABLES = frozenset(
    """và của có các là được cho không người với trong này những một đã đến để năm về khi
    từ theo tại ra nhiều cũng như thì sẽ đó phải vào bị hơn lại nhưng mà nên do nước việt
    nam ngày tháng tỉnh thành phố huyện xã dân hội nghị công tác chủ tịch ủy ban nhân đồng
    chí kinh tế phát triển xây dựng quốc gia chính trị đảng bộ học sinh trường sở y văn hóa
    an toàn giao thông đường mới hiện đang còn chỉ đạo quản lý cơ quan doanh nghiệp đầu tư
    thực trên dưới sau trước cùng nhau giữa bằng hoặc vì nếu tiếp tục ông bà anh chị em
    tôi chúng họ mình gì nào đây kết quả tổ chức triển khai thời gian hoạt động số lượng
    tiền đồng triệu tỷ cao thấp lớn nhỏ tốt xấu nhà đất nông thôn sông mưa lũ bão gió""".split()
)
_DROP_TONES = {ord(mark): None for mark in TONE_MARKS}

# Words are cut at spaces, ASCII digits and punctuation, general punctuation, and the Latin-1
# symbols no legacy table uses; the others (µ · ¸ § ¨ ©…) are TCVN3 letters and stay in words.
_TOKEN = re.compile(r"[^\s\d!-/:-@\[-`{-~\u00a0\u00af-\u00b4\u00bf\u2000-\u206f\u20ac\u2122]+")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]+")
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\u0300-\u036f]")


@lru_cache(maxsize=1 << 16)
def _is_syllable(word: str) -> bool:
    """Whether ``word`` (any case, NFC) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    bare = decomposed.translate(_DROP_TONES)
    if len(decomposed) - len(bare) > 1:
        return False
    parts = _SYLLABLE.fullmatch(unicodedata.normalize("NFC", bare))
    if parts is None:
        return False
    final = parts.group("final") or parts.group("coda")
    return final not in _STOP_FINALS or SAC in decomposed or NANG in decomposed


@lru_cache(maxsize=1 << 16)
def _word_kind(token: str) -> str:
    """``syllable``, ``latin`` (a Latin word that is not one), ``other`` (another script) or ``garbled``."""
    if _is_syllable(token):
        return "syllable"
    if _LATIN_WORD.fullmatch(token):
        return "latin"
    return "other" if _OTHER_SCRIPT.fullmatch(token) else "garbled"


@dataclass(frozen=True)
class _Score:
    """Word counts of one reading of a text (see the module docstring)."""

    words: int = 0  # tokens holding a letter
    syllables: int = 0  # of them, well-formed Vietnamese syllables
    accented: int = 0  # non-ASCII words, other scripts left out
    unreadable: int = 0  # accented words that are not syllables
    garbled: int = 0  # words with symbols or stray letters inside
    junk: int = 0  # control characters, U+FFFD, combining marks left over after NFC
    common: int = 0  # accented words among the frequent syllables

    @property
    def reads_as_vietnamese(self) -> bool:
        return (
            self.syllables > self.unreadable
            and self.syllables >= 0.6 * self.words
            and self.unreadable <= 0.2 * self.accented
            and self.junk == 0
        )

    @property
    def quality(self) -> float:
        return self.syllables + self.common - 2 * self.unreadable - self.garbled - 5 * self.junk


def _score(text: str) -> _Score:
    """Count the words of ``text`` by kind; cost is one regex pass plus one look-up per distinct word."""
    counts = Counter(_TOKEN.findall(text))
    words = syllables = accented = unreadable = garbled = common = 0
    for token, n in counts.items():
        kind = _word_kind(token)
        if kind == "other" or not any(c.isalpha() for c in token):
            continue
        words += n
        syllables += n if kind == "syllable" else 0
        garbled += n if kind == "garbled" else 0
        if not token.isascii():
            accented += n
            unreadable += 0 if kind == "syllable" else n
            common += n if token.lower() in _COMMON_SYLLABLES else 0
    return _Score(words, syllables, accented, unreadable, garbled, len(_JUNK.findall(text)), common)


_SAMPLE_CHARS = 240_000


def _sample(text: str) -> str:
    """All of a text up to 240k characters, else its head, middle and tail: scoring stays cheap."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    third, middle = _SAMPLE_CHARS // 3, len(text) // 2
    return "\n".join((text[:third], text[middle : middle + third], text[-third:]))


# -- repairing decoded text -------------------------------------------------------------

# Characters mojibake is made of and good Vietnamese or English text rarely holds: C1 controls,
# Latin-1 symbols and non-Vietnamese Latin-1 letters, cp1252's extra letters and signs. NBSP,
# ¯ ° ± ² ³ ´ and ¿ are left out: common in good text, they are in no legacy table, and
# double-encoded text has other signs besides.
_SUSPECT = re.compile(
    "[\x80-\x9f\xa1-\xae\xb5-\xbe\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde\xdf"
    "\xe4-\xe7\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030\u2039\u203a\u2122]"
)
_REPAIRS = {"double-utf-8": from_double_utf8, "tcvn3": from_tcvn3, "vni": from_vni}


_BEYOND_CP1252 = re.compile("[^\x00-\xff" + "".join(CP1252_TO_BYTE) + "]")


def _double_utf8_is_better(sample: str, before: _Score, after: _Score) -> bool:
    """Fewer garbled words, nothing made worse; text that also holds letters cp1252 lacks (so it
    was not all through cp1252) needs three repaired sequences, not a lone ``Ã»`` after ``NGÃ``."""
    dirt_before, dirt_after = before.garbled + before.junk, after.garbled + after.junk
    if not (dirt_before > 0 and dirt_after <= 0.25 * dirt_before and after.unreadable <= before.unreadable):
        return False
    return _BEYOND_CP1252.search(sample) is None or len(DOUBLE_UTF8.findall(sample)) >= 3


def _repair_is_better(name: str, sample: str, before: _Score, after: _Score) -> bool:
    if name == "double-utf-8":
        return _double_utf8_is_better(sample, before, after)
    # a whole-text table: only for text that is mostly unreadable, and must make it Vietnamese
    return (
        before.unreadable >= 0.3 * before.accented
        and after.reads_as_vietnamese
        and after.unreadable <= 0.25 * before.unreadable
        and after.quality > before.quality
    )


def _best_repair(text: str) -> str | None:
    """The name of the repair that makes ``text`` readable, if one does with confidence."""
    sample = _sample(text)
    before = _score(sample)
    if before.unreadable == 0 and before.junk == 0:
        return None
    trials = {name: _score(fix(sample)) for name, fix in _REPAIRS.items()}
    fitting = [name for name, after in trials.items() if _repair_is_better(name, sample, before, after)]
    return max(fitting, key=lambda name: trials[name].quality) if fitting else None


def repair(text: str) -> tuple[str, str | None]:
    """Fix TCVN3/VNI/double-encoded mojibake in already-decoded text.

    Returns (fixed NFC text, ``"tcvn3"`` | ``"vni"`` | ``"double-utf-8"``), or (``text``, None)
    unchanged when it looks fine or no repair fits with confidence.
    """
    name = None if text.isascii() or not _SUSPECT.search(text) else _best_repair(text)
    if name is None:
        return text, None
    return unicodedata.normalize("NFC", _REPAIRS[name](text)), name


# -- bytes ----------------------------------------------------------------------------

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive or Office file"),
    (b"PK\x05\x06", "ZIP archive"), (b"\x1f\x8b", "gzip archive"), (b"\xd0\xcf\x11\xe0", "Word/Excel 97 file"),
    (b"\x7fELF", "executable"), (b"MZ\x90\x00", "Windows executable"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"), (b"\xfd7zXZ\x00", "xz archive"), (b"SQLite format 3\x00", "SQLite database"),
)  # fmt: skip
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])


_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")


def _binary(reason: str) -> UndecodableText:
    return UndecodableText(f"looks like binary data ({reason}); not a text article")


def _refuse_signatures(data: bytes) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise _binary(kind)


def _refuse_control_bytes(data: bytes) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > len(data) // 100:
        raise _binary(f"{controls} control bytes")


def _utf16_byte_order(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes fall on every other byte, as ASCII text in UTF-16 does."""
    head = data[:8192]
    pairs = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(data) % 2 or pairs == 0:
        return None
    if odd >= 0.2 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.2 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _unicode_text(text: str, encoding: str) -> Decoded:
    """Decoded Unicode text, NFC, with its mojibake repaired; raises if it is full of controls."""
    controls = len(_CONTROL_CHARACTERS.findall(text))
    if controls > len(text) // 100:
        raise _binary(f"{controls} control characters")
    fixed, fix = repair(text)
    if fix is None:
        return Decoded(unicodedata.normalize("NFC", text), encoding)
    return Decoded(fixed, f"{encoding}+{'repaired' if fix == 'double-utf-8' else fix}")


def _strict(data: bytes, codec: str, what: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        reason = f"starts with a {what} byte-order mark but is not valid {what} at byte {error.start}"
        raise UndecodableText(f"{reason}; {_CONVERT}") from None


def _mostly_utf8(data: bytes) -> bool:
    """More valid multi-byte sequences than invalid bytes: damaged UTF-8, not a legacy encoding.

    Legacy 8-bit text forms a valid UTF-8 sequence only by accident (a lead byte followed by
    just the right continuation bytes), so in it the invalid bytes far outnumber the valid ones.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return len(text) - len(text.encode("ascii", errors="ignore")) - bad >= 2 * bad


def _cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


_LEGACY_DECODERS = {
    "cp1258": _cp1258,
    "tcvn3": lambda data: from_tcvn3(cp1252_view(data)),
    "vni": lambda data: from_vni(cp1252_view(data)),
}


def _legacy_readings(data: bytes) -> dict[str, str]:
    """``data`` read by each legacy table (cp1258 left out when it has bytes cp1258 lacks)."""
    readings = {}
    for name, read in _LEGACY_DECODERS.items():
        try:
            readings[name] = read(data)
        except UnicodeDecodeError:
            continue
    return readings


def _sample_bytes(data: bytes) -> bytes:
    """Head, middle and tail of a large file, cut at spaces so no multi-byte letter is split."""
    if len(data) <= _SAMPLE_CHARS:
        return data
    third = _SAMPLE_CHARS // 3
    cuts = [(0, third), (len(data) // 2, len(data) // 2 + third), (len(data) - third, len(data))]
    parts = [data[max(data.find(b" ", start), start) : end] for start, end in cuts]
    return b"\n".join(part[: part.rfind(b" ") + 1 or None] for part in parts)


# In Western text the Latin-1 signs are punctuation (¡Olé, ¿Dónde, ©, §), except µ before a unit
# and º/ª after a number sign; a sign inside a word is what TCVN3 read as cp1252 looks like.
_WESTERN_TOKEN = re.compile(
    r"[^\s\d!-/:-@\[-`{-~\u00a0-\u00b4\u00b6-\u00b9\u00bb-\u00bf\u00d7\u00f7\u2000-\u206f\u20ac\u2122]+"
)
_WESTERN_WORD = re.compile("\u00b5?[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+[\u00aa\u00ba]?")


def _reads_as_western(text: str, vietnamese_readings: Iterable[_Score]) -> bool:
    """Clean Latin-script words, no control bytes, and no legacy table making it Vietnamese-shaped."""
    if _JUNK.search(text):
        return False
    words = set(_WESTERN_TOKEN.findall(text))
    if any(_WESTERN_WORD.fullmatch(w) is None and not _OTHER_SCRIPT.fullmatch(w) for w in words):
        return False
    if text.isascii() or not any(c.isalpha() and not c.isascii() for c in text):
        return True  # only signs outside ASCII (“ ” – ©): every 8-bit code page agrees on the words
    return not any(r.syllables >= 0.6 * r.words and r.syllables > r.unreadable for r in vietnamese_readings)


# On a tie (a few words that read as Vietnamese under two tables), the more common legacy file wins.
_LEGACY_PRIOR = ("cp1258", "vni", "tcvn3")


def _legacy(data: bytes) -> Decoded:
    """Bytes that are not UTF-8: the legacy encoding whose reading is Vietnamese, else cp1252."""
    sample = _sample_bytes(data)
    scores = {name: _score(text) for name, text in _legacy_readings(sample).items()}
    vietnamese = [name for name, found in scores.items() if found.reads_as_vietnamese]
    try:
        if vietnamese:
            best = max(vietnamese, key=lambda name: (scores[name].quality, _LEGACY_PRIOR.index(name)))
            return Decoded(unicodedata.normalize("NFC", _LEGACY_DECODERS[best](data)), best)
    except UnicodeDecodeError as error:
        raise UndecodableText(f"reads as Windows-1258 but byte {error.start} is not in it; {_CONVERT}") from None
    if _reads_as_western(cp1252_view(sample), scores.values()):
        return Decoded(unicodedata.normalize("NFC", cp1252_view(data)), "cp1252")
    best = max(scores, key=lambda name: scores[name].quality)
    share = scores[best].unreadable / max(scores[best].accented, 1)
    raise UndecodableText(
        f"not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI with confidence (best guess {best}, "
        f"{share:.0%} of accented words unreadable); {_CONVERT}"
    )


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes to NFC text, detecting the encoding by evidence (module docstring)."""
    if not data:
        return Decoded("", "utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return _unicode_text(_strict(data[3:], "utf-8", "UTF-8"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _unicode_text(_strict(data, "utf-16", "UTF-16"), "utf-16")
    _refuse_signatures(data)
    if b"\x00" in data:
        byte_order = _utf16_byte_order(data)
        if byte_order is None:
            raise _binary("NUL bytes")
        try:
            return _unicode_text(data.decode(byte_order), "utf-16")
        except UnicodeDecodeError:
            raise _binary("NUL bytes") from None
    _refuse_control_bytes(data)
    try:
        return _unicode_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):  # cut mid-letter
            return _unicode_text(data[: error.start].decode("utf-8"), "utf-8")
        if _mostly_utf8(data):
            reason = f"invalid UTF-8 at byte {error.start} in otherwise UTF-8 text"
            raise UndecodableText(f"{reason}; fix or re-save it as UTF-8") from None
    return _legacy(data)
