"""The syllable analyzer: docs/vietnamese.md 6.9 (negative tests), pinned offsets, Whoosh adapters."""

from __future__ import annotations

import unicodedata

import pytest

from search.analysis import (
    ACCENTED,
    FOLDED,
    analyze,
    canonical_terms,
    index_terms,
    tokenize,
)
from search.normalize import fold, normalize

SHY = "\u00ad"  # soft hyphen
NBSP = "\u00a0"
ETH = "\u00d0"  # Ð, look-alike of Đ


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def folded(text: str) -> list[str]:
    return [t.folded for t in tokenize(text)]


# -- table 6.9: negative tests that must stay fixed ---------------------------
# (id, input, expected canonical tokens, expected folded tokens)
TABLE_6_9 = [
    ("A1-nfd", nfd("Cần Thơ"), ["cần", "thơ"], ["can", "tho"]),
    ("A2", "Long An", ["long", "an"], ["long", "an"]),
    ("A3", "an ninh", ["an", "ninh"], ["an", "ninh"]),
    ("A4-can-tho", fold("Cần Thơ"), ["can", "tho"], ["can", "tho"]),
    ("A4-the-gioi", fold("thế giới"), ["the", "gioi"], ["the", "gioi"]),
    ("A4-to-mau", fold("tô màu"), ["to", "mau"], ["to", "mau"]),
    ("A4-accented", "Cần Thơ thế giới tô màu", ["cần", "thơ", "thế", "giới", "tô", "màu"],
     ["can", "tho", "the", "gioi", "to", "mau"]),
    ("A5", "ở Ý", ["ở", "ý"], ["o", "y"]),
    ("A6-eth", ETH + "À NẴNG", ["đà", "nẵng"], ["da", "nang"]),
    ("A7", "Đồng bằng sông Cửu Long, đảng", ["đồng", "bằng", "sông", "cửu", "long", "đảng"],
     ["dong", "bang", "song", "cuu", "long", "dang"]),
    ("A8-new", "hoà", ["hòa"], ["hoa"]),
    ("A8-old", "hòa", ["hòa"], ["hoa"]),
    ("A9", "hoà bình", ["hòa", "bình"], ["hoa", "binh"]),
    ("A10", "ngày 1-7", ["ngày", "1", "7"], ["ngay", "1", "7"]),
]


@pytest.mark.parametrize("case, text, expected, expected_folded", TABLE_6_9,
                         ids=[r[0] for r in TABLE_6_9])
def test_table_6_9(case, text, expected, expected_folded):
    assert texts(text) == expected
    assert folded(text) == expected_folded
    assert [t.text for t in ACCENTED(text)] == expected
    assert [t.text for t in FOLDED(text)] == expected_folded


def test_a1_nfd_and_nfc_agree():
    assert tokenize(nfd("Cần Thơ: ông Trần Văn")) != []
    assert texts(nfd("Cần Thơ: ông Trần Văn")) == texts("Cần Thơ: ông Trần Văn")
    assert texts(nfd("Cần Thơ: ông Trần Văn")) == ["cần", "thơ", "ông", "trần", "văn"]


def test_a6_eth_normalizes_to_d_with_stroke():
    assert normalize(ETH + "À NẴNG") == "đà nẵng"
    assert texts(ETH + "À NẴNG") == texts("ĐÀ NẴNG")


def test_a7_fold_handles_d_with_stroke():
    # The doc's "…" stands for elided words; the ellipsis itself folds to "..." via unidecode.
    text = "Đồng bằng sông Cửu Long: đảng"
    assert fold(text) == "Dong bang song Cuu Long: dang"
    assert fold(normalize(text)) == "dong bang song cuu long: dang"
    assert fold(nfd(text)) == "Dong bang song Cuu Long: dang"


def test_a8_new_and_old_style_give_the_same_token():
    assert tokenize("hoà")[0].text == tokenize("hòa")[0].text == "hòa"
    assert tokenize("hoà")[0].folded == tokenize("hòa")[0].folded == "hoa"
    assert index_terms("Khánh Hoà") == index_terms("Khánh Hòa")


def test_a9_offsets_slice_the_original_not_the_respelled_text():
    text = "hoà bình"
    spans = [text[t.start:t.end] for t in tokenize(text)]
    assert spans == ["hoà", "bình"]  # as typed, even though the token text is "hòa"


def test_a10_numbers_are_split_the_same_way_in_index_and_query():
    assert texts("ngày 1-7") == texts("ngày 1 - 7") == texts("ngày 1 – 7") == ["ngày", "1", "7"]
    assert folded("1-7") == ["1", "7"]


# -- pinned offsets: (text, folded, start, end) into the ORIGINAL string --------
PINNED = [
    ("nfc", "Cần Thơ", [("cần", "can", 0, 3), ("thơ", "tho", 4, 7)]),
    # NFD: Cần = C a U+0302 U+0300 n (5), Thơ = T h o U+031B (4),
    # ông = o U+0302 n g (4), Trần = T r a U+0302 U+0300 n (6), Văn = V a U+0306 n (4)
    ("nfd", nfd("Cần Thơ: ông Trần Văn"), [
        ("cần", "can", 0, 5),
        ("thơ", "tho", 6, 10),
        ("ông", "ong", 12, 16),
        ("trần", "tran", 17, 23),
        ("văn", "van", 24, 28),
    ]),
    ("soft-hyphen", "Nguy" + SHY + "ễn Văn A", [
        ("nguyễn", "nguyen", 0, 7),
        ("văn", "van", 8, 11),
        ("a", "a", 12, 13),
    ]),
    # NFD ễn = e U+0302 U+0303 n (4): 4 + 1 (soft hyphen) + 4
    ("soft-hyphen-nfd", nfd("Nguy") + SHY + nfd("ễn"), [("nguyễn", "nguyen", 0, 9)]),
    ("new-style", "Hoà Bình", [("hòa", "hoa", 0, 3), ("bình", "binh", 4, 8)]),
    ("iy-key", "kỹ thuật", [("kỹ", "ki", 0, 2), ("thuật", "thuat", 3, 8)]),
    ("eth", ETH + "À NẴNG", [("đà", "da", 0, 2), ("nẵng", "nang", 3, 7)]),
    ("nbsp", "Hà" + NBSP + "Nội", [("hà", "ha", 0, 2), ("nội", "noi", 3, 6)]),
    ("abbrev-date", "TP.HCM, ngày 1-7", [
        ("tp.hcm", "tp.hcm", 0, 6),
        ("ngày", "ngay", 8, 12),
        ("1", "1", 13, 14),
        ("7", "7", 15, 16),
    ]),
]


@pytest.mark.parametrize("case, text, expected", PINNED, ids=[r[0] for r in PINNED])
def test_pinned_offsets(case, text, expected):
    tokens = tokenize(text)
    assert [(t.text, t.folded, t.start, t.end) for t in tokens] == expected
    assert [t.position for t in tokens] == list(range(len(expected)))
    for t in tokens:
        assert normalize(text[t.start:t.end]) == t.text


def test_soft_hyphen_span_includes_the_hyphen():
    text = "Nguy" + SHY + "ễn"
    (token,) = tokenize(text)
    assert text[token.start:token.end] == text


def test_analyze_is_tokenize():
    text = "Theo baohaugiang.com.vnCác ý kiến"
    assert analyze(text) == tokenize(text)


# -- Whoosh adapters ------------------------------------------------------------


def test_accented_adapter():
    assert [t.text for t in ACCENTED("Hoà Bình")] == ["hòa", "bình"]


def test_folded_adapter():
    assert [t.text for t in FOLDED("Hoà Bình")] == ["hoa", "binh"]
    assert [t.text for t in FOLDED("kỹ thuật Mỹ Tho")] == ["ki", "thuat", "mi", "tho"]


OFFSET_TEXTS = [
    "Hoà Bình",
    nfd("Cần Thơ: ông Trần Văn"),
    "Nguy" + SHY + "ễn Văn A",
    "Theo baohaugiang.com.vnCác ý kiến",
    "Nghị định 168/2024/NĐ-CP",
]


@pytest.mark.parametrize("text", OFFSET_TEXTS, ids=range(len(OFFSET_TEXTS)))
@pytest.mark.parametrize("analyzer", [ACCENTED, FOLDED], ids=["ACCENTED", "FOLDED"])
def test_adapter_chars_equal_tokenize_offsets(analyzer, text):
    # Whoosh reuses one Token object: copy the fields while iterating.
    got = [(t.startchar, t.endchar, t.pos) for t in analyzer(text, chars=True, positions=True)]
    assert got == [(t.start, t.end, t.position) for t in tokenize(text)]


def test_adapter_start_char_and_start_pos_shift():
    got = [(t.text, t.startchar, t.endchar, t.pos)
           for t in ACCENTED("Hoà Bình", chars=True, positions=True, start_char=10, start_pos=3)]
    assert got == [("hòa", 10, 13, 3), ("bình", 14, 18, 4)]


def test_adapter_keeporiginal():
    got = [(t.text, t.original) for t in ACCENTED("Hoà Bình", keeporiginal=True)]
    assert got == [("hòa", "Hoà"), ("bình", "Bình")]


def test_folded_adapter_tokens_are_token_folded():
    text = "Uỷ ban nhân dân tỉnh Hậu Giang, kỹ sư Lý"
    assert [t.text for t in FOLDED(text)] == [t.folded for t in tokenize(text)]


# -- index_terms / canonical_terms --------------------------------------


def test_index_terms():
    terms = index_terms("Hậu Giang kỹ thuật")
    assert terms.accented == tuple(t.encode() for t in ["hậu", "giang", "kỹ", "thuật"])
    assert terms.folded == (b"hau", b"giang", b"ki", b"thuat")
    assert index_terms(" ,. ").accented == index_terms("").folded == ()


def test_a_truncated_text_keeps_its_sentence_marks():
    terms = index_terms("Trời mưa. Gió to. Nắng")
    assert terms.marked == tuple(t.encode() for t in ["trời", "mưa", ".", "gió", "to", ".", "nắng"])
    cut = terms.truncated(3)
    assert cut.accented == terms.accented[:3]
    assert cut.marked == terms.marked[:4]  # trời mưa . gió: the mark inside stays
    assert terms.truncated(2).marked == terms.marked[:3]  # the mark right after the cut, too


@pytest.mark.parametrize(
    "text, marked",
    [
        ("Ở đâu? Tôi đi.", "ở đâu ? . tôi đi"),
        ("Vì sao?", "vì sao ?"),  # the end of the text, too
        ('Hỏi "vì sao?" rồi', "hỏi vì sao ? . rồi"),
        ("Ai?? Không?!", "ai ? . không"),  # "?!" ends as "!" does
        ("x?y z", "x y z"),  # no space: not an end
    ],
)
def test_a_question_is_marked_before_its_end(text, marked):
    terms = index_terms(text)
    assert terms.marked == tuple(t.encode() for t in marked.split())
    assert b"?" not in terms.accented and b"." not in terms.accented
    assert terms.truncated(2).accented == terms.accented[:2]


@pytest.mark.parametrize("text", OFFSET_TEXTS, ids=range(len(OFFSET_TEXTS)))
def test_index_terms_agree_with_tokenize(text):
    terms = index_terms(text)
    tokens = tokenize(text)
    assert canonical_terms(text) == [t.decode() for t in terms.accented] == [t.text for t in tokens]
    assert [t.decode() for t in terms.folded] == [t.folded for t in tokens]