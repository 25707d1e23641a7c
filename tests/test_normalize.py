"""Normalization and folding, from the tables in docs/vietnamese.md (6.1, 6.2, 6.3, 1.1, 1.5)."""

from __future__ import annotations

import unicodedata

import pytest

from search.analysis import tokenize
from search.normalize import (
    canonical_word,
    fold,
    fold_word,
    iy_variant,
    normalize,
    place_tone,
    search_key,
)

NBSP = "\u00a0"
ETH = "\u00d0"  # Ð LATIN CAPITAL LETTER ETH, a look-alike of Đ (U+0110)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- table 6.1 ---------------------------------------------------------------
# (id, input, canonical, folded, canonical tokens, folded tokens, i/y key or None for "(same)")
TABLE_6_1 = [
    ("N1", "Hậu Giang", "hậu giang", "hau giang", "hậu giang", "hau giang", None),
    ("N2", nfd("Hậu Giang"), "hậu giang", "hau giang", "hậu giang", "hau giang", None),
    ("N3", "HẬU GIANG", "hậu giang", "hau giang", "hậu giang", "hau giang", None),
    ("N4", "Hoà Bình", "hòa bình", "hoa binh", "hòa bình", "hoa binh", None),
    ("N5", "Hòa Bình", "hòa bình", "hoa binh", "hòa bình", "hoa binh", None),
    ("N6", "HOÀ BÌNH", "hòa bình", "hoa binh", "hòa bình", "hoa binh", None),
    ("N7", "Khánh Hoà", "khánh hòa", "khanh hoa", "khánh hòa", "khanh hoa", None),
    ("N8", "Thanh Hoá", "thanh hóa", "thanh hoa", "thanh hóa", "thanh hoa", None),
    ("N9", "thuỷ lợi", "thủy lợi", "thuy loi", "thủy lợi", "thuy loi", None),
    ("N10", "Uỷ ban nhân dân", "ủy ban nhân dân", "uy ban nhan dan",
     "ủy ban nhân dân", "uy ban nhan dan", None),
    ("N11", "khoẻ mạnh", "khỏe mạnh", "khoe manh", "khỏe mạnh", "khoe manh", None),
    ("N12", "hoàng hôn", "hoàng hôn", "hoang hon", "hoàng hôn", "hoang hon", None),
    ("N13", "hoạch định", "hoạch định", "hoach dinh", "hoạch định", "hoach dinh", None),
    ("N14", "ngoài trời", "ngoài trời", "ngoai troi", "ngoài trời", "ngoai troi", None),
    ("N15", "khuỷu tay", "khuỷu tay", "khuyu tay", "khuỷu tay", "khuyu tay", None),
    ("N16", "người Huỳnh", "người huỳnh", "nguoi huynh", "người huỳnh", "nguoi huynh", None),
    ("N17", "quý", "quý", "quy", "quý", "quy", None),
    ("N18", "quí", "quí", "qui", "quí", "qui", "quý"),
    ("N19", "qúy", "quý", "quy", "quý", "quy", None),
    ("N20", "kỹ thuật", "kỹ thuật", "ky thuat", "kỹ thuật", "ky thuat", "kĩ thuật"),
    ("N21", "kĩ thuật", "kĩ thuật", "ki thuat", "kĩ thuật", "ki thuat", None),
    ("N22", "Mỹ Tho", "mỹ tho", "my tho", "mỹ tho", "my tho", "mĩ tho"),
    ("N23", "ĐỒNG BẰNG SÔNG CỬU LONG", "đồng bằng sông cửu long", "dong bang song cuu long",
     "đồng bằng sông cửu long", "dong bang song cuu long", None),
    ("N24", ETH + "À NẴNG", "đà nẵng", "da nang", "đà nẵng", "da nang", None),
    ("N25", "Hà" + NBSP + "Nội", "hà nội", "ha noi", "hà nội", "ha noi", None),
    ("N26", "Cần Thơ", "cần thơ", "can tho", "cần thơ", "can tho", None),
    ("N27", "ở Ý", "ở ý", "o y", "ở ý", "o y", None),
    ("N28", "TP.HCM", "tp.hcm", "tp.hcm", "tp.hcm", "tp.hcm", None),
    ("N29", "TP. HCM", "tp. hcm", "tp. hcm", "tp hcm", "tp hcm", None),
    ("N30", "TPHCM", "tphcm", "tphcm", "tphcm", "tphcm", None),
    ("N31", "02/07/2021", "02/07/2021", "02/07/2021", "02 07 2021", "02 07 2021", None),
    ("N32", "Nghị định 168/2024/NĐ-CP", "nghị định 168/2024/nđ-cp", "nghi dinh 168/2024/nd-cp",
     "nghị định 168 2024 nđ cp", "nghi dinh 168 2024 nd cp", None),
    ("N33", "Tin, ảnh: NGUYỄN TRIỆU", "tin, ảnh: nguyễn triệu", "tin, anh: nguyen trieu",
     "tin ảnh nguyễn triệu", "tin anh nguyen trieu", None),
    ("N34", "Theo baohaugiang.com.vnCác ý kiến", "theo baohaugiang.com.vncác ý kiến",
     "theo baohaugiang.com.vncac y kien", "theo baohaugiang.com.vncác ý kiến",
     "theo baohaugiang.com.vncac y kien", None),
]
IDS_6_1 = [row[0] for row in TABLE_6_1]


def test_table_6_1_inputs_are_what_the_table_says():
    n2 = dict((row[0], row[1]) for row in TABLE_6_1)["N2"]
    assert len(n2) == 11 and len(unicodedata.normalize("NFC", n2)) == 9
    assert TABLE_6_1[23][1][0] == "\u00d0"
    assert NBSP in TABLE_6_1[24][1]


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_normalize_gives_canonical(case, text, canonical, folded, tokens, ftokens, iy):
    assert normalize(text) == canonical


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_fold_of_canonical(case, text, canonical, folded, tokens, ftokens, iy):
    assert fold(normalize(text)) == folded


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_canonical_tokens(case, text, canonical, folded, tokens, ftokens, iy):
    assert [t.text for t in tokenize(text)] == tokens.split()


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_folded_tokens(case, text, canonical, folded, tokens, ftokens, iy):
    assert [t.text for t in tokenize(fold(normalize(text)))] == ftokens.split()


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_iy_key(case, text, canonical, folded, tokens, ftokens, iy):
    expected = tokens if iy is None else iy
    assert " ".join(iy_variant(t.text) for t in tokenize(text)) == expected


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_token_folded_is_fold_of_iy_key(case, text, canonical, folded, tokens, ftokens, iy):
    # Token.folded = search_key = fold(iy_variant(canonical)): the folded i/y key.
    expected = fold(tokens if iy is None else iy)
    assert " ".join(t.folded for t in tokenize(text)) == expected


@pytest.mark.parametrize("case, text, canonical, folded, tokens, ftokens, iy", TABLE_6_1, ids=IDS_6_1)
def test_invariants_6_1(case, text, canonical, folded, tokens, ftokens, iy):
    from unidecode import unidecode

    assert fold(normalize(nfd(text))) == fold(normalize(text)) == unidecode(normalize(text))
    assert [t.text for t in tokenize(nfd(text))] == [t.text for t in tokenize(text)]
    assert normalize(text.upper()) == normalize(text)
    assert normalize(normalize(text)) == normalize(text)


# -- table 6.2: place_tone, old-style (traditional) column -------------------
# (input, expected)
PLACE_TONE = [
    ("hoà", "hòa"), ("hòa", "hòa"),
    ("hoá", "hóa"), ("hóa", "hóa"),
    ("hoạ", "họa"), ("họa", "họa"),
    ("hoả", "hỏa"), ("hỏa", "hỏa"),
    ("xoá", "xóa"), ("xóa", "xóa"),
    ("toà", "tòa"), ("tòa", "tòa"),
    ("khoẻ", "khỏe"), ("khỏe", "khỏe"),
    ("xoè", "xòe"), ("xòe", "xòe"),
    ("thuỷ", "thủy"), ("thủy", "thủy"),
    ("uỷ", "ủy"), ("ủy", "ủy"),
    ("huỷ", "hủy"), ("hủy", "hủy"),
    ("tuỳ", "tùy"), ("tùy", "tùy"),
    ("luỹ", "lũy"), ("lũy", "lũy"),
    ("thuý", "thúy"), ("thúy", "thúy"),
    ("HOÀ", "HÒA"), ("ÚY", "ÚY"),
    ("oà", "òa"), ("òa", "òa"),
    # closed syllables: same in both styles
    ("hoàng", "hoàng"), ("hoạch", "hoạch"), ("toán", "toán"), ("huỳnh", "huỳnh"),
    # qu / gi are initials
    ("quý", "quý"), ("quỳ", "quỳ"), ("quả", "quả"),
    ("giữa", "giữa"), ("giỏi", "giỏi"), ("gì", "gì"), ("gìn", "gìn"),
    # shaped vowels carry the tone
    ("người", "người"), ("rượu", "rượu"), ("thuở", "thuở"),
    ("khuyến", "khuyến"), ("thuế", "thuế"), ("tuần", "tuần"), ("xoắn", "xoắn"),
    # three vowels: middle
    ("ngoài", "ngoài"), ("xoáy", "xoáy"), ("khuỷu", "khuỷu"), ("ngoẹo", "ngoẹo"),
    # other pairs: first vowel in both styles
    ("mái", "mái"), ("cháo", "cháo"), ("màu", "màu"), ("máy", "máy"), ("kéo", "kéo"),
    ("mía", "mía"), ("líu", "líu"), ("túi", "túi"), ("múa", "múa"),
    ("mưa", "mưa"), ("cửa", "cửa"), ("gửi", "gửi"),
    # not syllables: untouched
    ("rosé", "rosé"), ("Beyoncé", "Beyoncé"),
    # typos
    ("qúy", "quý"), ("gịa", "giạ"),
]


@pytest.mark.parametrize("syllable, expected", PLACE_TONE, ids=[f"{a}->{b}" for a, b in PLACE_TONE])
def test_place_tone_old_style(syllable, expected):
    assert place_tone(syllable) == expected


# -- table 6.3: i/y collapse keys ---------------------------------------------
# (input, canonical, i/y key, folded key)
IY_KEYS = [
    ("kỹ thuật", "kỹ thuật", "kĩ thuật", "ki thuat"),
    ("kĩ thuật", "kĩ thuật", "kĩ thuật", "ki thuat"),
    ("Mỹ Tho", "mỹ tho", "mĩ tho", "mi tho"),
    ("Mĩ Tho", "mĩ tho", "mĩ tho", "mi tho"),
    ("lý do", "lý do", "lí do", "li do"),
    ("lí do", "lí do", "lí do", "li do"),
    ("quý", "quý", "quý", "quy"),
    ("quí", "quí", "quý", "quy"),
    ("bác sỹ", "bác sỹ", "bác sĩ", "bac si"),
    ("bác sĩ", "bác sĩ", "bác sĩ", "bac si"),
    ("hy sinh", "hy sinh", "hi sinh", "hi sinh"),
    ("hi sinh", "hi sinh", "hi sinh", "hi sinh"),
    ("công ty", "công ty", "công ti", "cong ti"),
    ("mì Quảng", "mì quảng", "mì quảng", "mi quang"),
    ("mỳ Quảng", "mỳ quảng", "mì quảng", "mi quang"),
    # must not change i/y
    ("y tế", "y tế", "y tế", "y te"),
    ("Ý", "ý", "ý", "y"),
    ("thuý", "thúy", "thúy", "thuy"),
    ("tuỳ", "tùy", "tùy", "tuy"),
]


@pytest.mark.parametrize("text, canonical, key, folded_key", IY_KEYS, ids=[r[0] for r in IY_KEYS])
def test_iy_variant_then_search_key(text, canonical, key, folded_key):
    words = [t.text for t in tokenize(text)]
    assert " ".join(words) == canonical
    assert " ".join(iy_variant(w) for w in words) == key
    assert " ".join(search_key(w) for w in words) == folded_key
    assert " ".join(t.folded for t in tokenize(text)) == folded_key


# -- folding exactness: every non-ASCII Vietnamese letter (1.1, 1.5) ----------

_SHAPES = {  # vowel base -> (ASCII letter, shape mark)
    "a": ("a", ""), "ă": ("a", "\u0306"), "â": ("a", "\u0302"),
    "e": ("e", ""), "ê": ("e", "\u0302"),
    "i": ("i", ""),
    "o": ("o", ""), "ô": ("o", "\u0302"), "ơ": ("o", "\u031b"),
    "u": ("u", ""), "ư": ("u", "\u031b"),
    "y": ("y", ""),
}
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _vietnamese_letters() -> list[tuple[str, str]]:
    """(NFC letter, expected ASCII fold) for all 146 letters."""
    letters = []
    for ascii_base, shape in _SHAPES.values():
        for tone in _TONES:
            lower = unicodedata.normalize("NFC", ascii_base + shape + tone)
            letters.append((lower, ascii_base))
            letters.append((lower.upper(), ascii_base.upper()))
    letters += [("đ", "d"), ("Đ", "D")]
    return letters


ALL_LETTERS = _vietnamese_letters()
NON_ASCII_LETTERS = [(c, a) for c, a in ALL_LETTERS if not c.isascii()]


def test_letter_inventory():
    assert len(ALL_LETTERS) == 146
    assert len(set(c for c, _ in ALL_LETTERS)) == 146
    assert len(NON_ASCII_LETTERS) == 134
    assert all(len(c) == 1 for c, _ in ALL_LETTERS)  # one code point each in NFC
    assert all(len(nfd(c)) <= 3 for c, _ in ALL_LETTERS)
    assert nfd("ậ") == "a\u0323\u0302"


def _letter_id(pair: tuple[str, str]) -> str:
    return f"U+{ord(pair[0]):04X}"


@pytest.mark.parametrize("letter, expected", NON_ASCII_LETTERS, ids=map(_letter_id, NON_ASCII_LETTERS))
def test_fold_letter_nfc(letter, expected):
    assert fold(letter) == expected


@pytest.mark.parametrize("letter, expected", NON_ASCII_LETTERS, ids=map(_letter_id, NON_ASCII_LETTERS))
def test_fold_letter_nfd(letter, expected):
    assert fold(nfd(letter)) == expected


@pytest.mark.parametrize("letter, expected", NON_ASCII_LETTERS, ids=map(_letter_id, NON_ASCII_LETTERS))
def test_fold_word_letter_lowercase(letter, expected):
    assert fold_word(letter.lower()) == expected.lower()
    assert fold_word(nfd(letter.lower())) == expected.lower()


def test_fold_all_letters_in_one_string():
    text = "".join(c for c, _ in NON_ASCII_LETTERS)
    expected = "".join(a for _, a in NON_ASCII_LETTERS)
    assert fold(text) == expected
    assert fold(nfd(text)) == expected


def test_fold_eth_lookalike():
    assert fold(ETH) == "D"
    assert normalize(ETH + "À NẴNG") == "đà nẵng"
    assert canonical_word(ETH + "À") == "đà"


def test_han_characters_stay_unfolded():
    assert fold("越南") == "越南"
    assert fold("Việt Nam 越南") == "Viet Nam 越南"


def test_foreign_latin_folds_via_unidecode():
    assert fold("Müller") == "Muller"
    assert fold_word("müller") == "muller"


def test_fold_keeps_case():
    assert fold("Hậu Giang") == "Hau Giang"
    assert fold("ĐỒNG BẰNG") == "DONG BANG"
