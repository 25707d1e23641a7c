"""Vietnamese text normalization: the same steps at index time and at query time.

The steps run in a fixed order, lossless before lossy (see ARCHITECTURE.md):

1. ``clean``: map look-alike characters (Icelandic eth ``Ð`` for ``Đ``, NBSP for
   space) and drop invisible joiners (soft hyphen, ZWJ, BOM).
2. NFC, so every Vietnamese letter is one code point.
3. ``place_tone``: re-place the tone mark of each well-formed syllable by the
   traditional convention (``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``).
4. Lowercase.

``fold`` then makes the accent-free form (``đ`` → ``d``, tones and marks dropped).

This module knows nothing of Whoosh; ``analysis`` builds tokens on top of it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

# -- step 1: look-alikes and invisible characters ---------------------------

_CONFUSABLES = {
    0x00D0: "Đ",  # Ð LATIN CAPITAL LETTER ETH
    0x00F0: "đ",  # ð LATIN SMALL LETTER ETH
    0x0189: "Đ",  # Ɖ LATIN CAPITAL LETTER AFRICAN D
    0x0256: "đ",  # ɖ LATIN SMALL LETTER D WITH TAIL
    0x00A0: " ",  # NO-BREAK SPACE
    0x202F: " ",  # NARROW NO-BREAK SPACE
    0x2007: " ",  # FIGURE SPACE
    0x200B: " ",  # ZERO WIDTH SPACE separates words, so it stays a separator
}
# Characters that join or decorate without meaning: removed outright.
IGNORABLE = "\u00ad\u200c\u200d\u2060\ufeff"
_CLEAN_TABLE = {**_CONFUSABLES, **{ord(c): None for c in IGNORABLE}}


def clean(text: str) -> str:
    """Map look-alike characters and drop invisible ones (step 1)."""
    return text.translate(_CLEAN_TABLE)


# -- step 3: tone placement -------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền sắc ngã hỏi nặng
_SHAPED_VOWELS = "ăâêôơư"
_SYLLABLE = re.compile(
    r"(ngh|ng|gh|gi|qu|ch|kh|nh|ph|th|tr|[bcdđghklmnpqrstvx])?"
    r"([aăâeêioôơuưy]{1,3})"
    r"(ch|ng|nh|[cmnpt])?"
)


def _split_tone(syllable: str) -> tuple[str, str, int] | None:
    """Return (base letters without tone, tone mark, index of the marked letter)."""
    tone = ""
    where = -1
    base = []
    for i, ch in enumerate(syllable):
        decomposed = unicodedata.normalize("NFD", ch)
        marks = [m for m in decomposed if m in _TONE_MARKS]
        if marks:
            if tone or len(marks) > 1:
                return None  # two tone marks: not a syllable we dare touch
            tone, where = marks[0], i
            decomposed = "".join(m for m in decomposed if m not in _TONE_MARKS)
        base.append(unicodedata.normalize("NFC", decomposed))
    return "".join(base), tone, where


def _tone_position(vowels: str, has_final: bool) -> int:
    """Index in ``vowels`` that carries the tone, traditional (hòa) convention."""
    shaped = [i for i, v in enumerate(vowels) if v in _SHAPED_VOWELS]
    if shaped:
        return shaped[-1]  # ươ → ơ; iê, uô, uyê → the shaped one
    if len(vowels) == 1:
        return 0
    if has_final:
        return len(vowels) - 1  # hoàng, toán, huỳnh
    if len(vowels) == 3:
        return 1  # ngoài, khuỷu
    return 0  # hòa, thủy, khỏe, mái, múa


def place_tone(syllable: str) -> str:
    """Move the tone mark of one syllable to its traditional place.

    Case is kept. Anything that is not a well-formed Vietnamese syllable
    (initial + 1-3 vowels + final) is returned unchanged: ``rosé`` stays.
    """
    lowered = syllable.lower()
    split = _split_tone(unicodedata.normalize("NFC", lowered))
    if split is None or not split[1]:
        return syllable
    base, tone, _ = split
    parsed = _SYLLABLE.fullmatch(base)
    if parsed is None:
        return syllable
    initial, vowels, final = parsed.group(1) or "", parsed.group(2), parsed.group(3)
    target = len(initial) + _tone_position(vowels, bool(final))
    letters = list(base)
    letters[target] = unicodedata.normalize("NFC", letters[target] + tone)
    original = unicodedata.normalize("NFC", syllable)
    return "".join(p.upper() if o.isupper() else p for o, p in zip(original, letters))


# -- the whole pipeline -----------------------------------------------------

# A word: letters or digits with their combining marks and joiners, so that NFD
# and cp1258-style text is not cut apart; dotted abbreviations (TP.HCM, 1.000)
# stay whole, as with Whoosh's default pattern.
_WORD_CHAR = r"[^\W_]"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_PART = rf"{_WORD_CHAR}[\w{_MARKS}{IGNORABLE}]*"
WORD = re.compile(rf"{_PART}(?:\.{_PART})*")
SENTENCE_MARK = b"."  # the end of a sentence among index terms (``WORD`` never matches a lone dot)
QUESTION_MARK = b"?"  # just before the ``SENTENCE_MARK`` of a sentence that ends in a question mark


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> str:
    """Canonical form of one word as found by ``WORD``: steps 1-4."""
    text = unicodedata.normalize("NFC", clean(word)).lower()
    if text.isascii():
        return text
    return ".".join(place_tone(part) for part in text.split("."))


def normalize(text: str) -> str:
    """Canonical form of a whole text: what the index and the query both see."""
    text = unicodedata.normalize("NFC", clean(text))
    return WORD.sub(lambda m: canonical_word(m.group()), text).lower()


# -- folding ----------------------------------------------------------------

_VIETNAMESE_FOLD = {
    **{ord(c): "a" for c in "àáảãạăằắẳẵặâầấẩẫậ"},
    **{ord(c): "e" for c in "èéẻẽẹêềếểễệ"},
    **{ord(c): "i" for c in "ìíỉĩị"},
    **{ord(c): "o" for c in "òóỏõọôồốổỗộơờớởỡợ"},
    **{ord(c): "u" for c in "ùúủũụưừứửữự"},
    **{ord(c): "y" for c in "ỳýỷỹỵ"},
    ord("đ"): "d",
}
_VIETNAMESE_FOLD.update(
    {ord(chr(k).upper()): v.upper() for k, v in list(_VIETNAMESE_FOLD.items())}
)


def _is_han(ch: str) -> bool:
    # Unidecode reads Hán/Nôm as Mandarin pinyin, which is wrong for Vietnamese
    # readers: leave those characters as they are.
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _fold_rest(text: str) -> str:
    return "".join(
        ch if ch.isascii() or _is_han(ch) else unidecode(ch).strip() for ch in text
    )


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Accent-free form of one canonical word (``đường`` → ``duong``)."""
    if word.isascii():
        return word
    folded = word.translate(_VIETNAMESE_FOLD)
    if folded.isascii():
        return folded
    return _fold_rest(unicodedata.normalize("NFC", folded))


def fold(text: str) -> str:
    """Accent-free form of any text; case is kept. ``fold("Hậu Giang") == "Hau Giang"``."""
    text = unicodedata.normalize("NFC", clean(text))
    if text.isascii():
        return text
    folded = text.translate(_VIETNAMESE_FOLD)
    return folded if folded.isascii() else _fold_rest(folded)


# -- i/y spelling variants --------------------------------------------------

_I_FOR_Y = str.maketrans("yỳýỷỹỵ", "iìíỉĩị")
_Y_FOR_I = str.maketrans("iìíỉĩị", "yỳýỷỹỵ")
_CONSONANT_Y = re.compile(r"(ngh|ng|gh|ch|kh|nh|ph|th|tr|[bcdđghklmnprstvx])([yỳýỷỹỵ])")
_QU_I = re.compile(r"qu([iìíỉĩị])")


def iy_variant(syllable: str) -> str:
    """One key for i/y spelling variants of a canonical syllable: kỹ → kĩ, lý → lí, quí → quý.

    Only a consonant followed by a lone i/y changes; uy, ay, ây and a leading y
    (y tế) never do.
    """
    if _CONSONANT_Y.fullmatch(syllable):
        return syllable.translate(_I_FOR_Y)
    if _QU_I.fullmatch(syllable):
        return syllable.translate(_Y_FOR_I)
    return syllable


@lru_cache(maxsize=200_000)
def search_key(canonical: str) -> str:
    """What the folded field indexes for a canonical word: fold(iy_variant(word))."""
    return fold_word(iy_variant(canonical))


def has_marks(text: str) -> bool:
    """True if the text carries any Vietnamese diacritic (after normalization)."""
    return fold(text) != unicodedata.normalize("NFC", clean(text))
