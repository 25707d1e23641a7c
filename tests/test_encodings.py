"""Bytes → text: UTF-8/16, Windows-1258, TCVN3, VNI, double-encoded UTF-8 (vietnamese.md §2.1, §6.4)."""

from __future__ import annotations

import html
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.charsets import TCVN3_TABLE, VNI_TABLE
from search.encodings import Decoded, UndecodableText, decode, repair

# -- encoders written from the published layouts, independently of the module's tables ---------

# TCVN3 bytes 0xA1–0xAE, then 0xB5–0xFE in byte order ("?" marks an unused byte).
TCVN3_A1 = "ĂÂÊÔƠƯĐăâêôơưđ"
TCVN3_B5 = "àảãáạ?ằẳẵắ???????ặầẩẫấậè?ẻẽéẹềểễếệìỉ???ĩíịò?ỏõóọồổỗốộờởỡớợù?ủũúụừửữứựỳỷỹýỵ"
TCVN3_BYTE = {c: 0xA1 + i for i, c in enumerate(TCVN3_A1)} | {c: 0xB5 + i for i, c in enumerate(TCVN3_B5) if c != "?"}


def to_tcvn3(text: str) -> bytes:
    """TCVN3 has no toned capitals: they are written as the lowercase byte (as .VnTimeH fonts do)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        code = TCVN3_BYTE.get(char) or TCVN3_BYTE.get(char.lower())
        out += bytes([code]) if code else char.encode("cp1252")
    return bytes(out)


# VNI: base letter + marks; tones in the order sắc, huyền, hỏi, ngã, nặng (xvnkb's vni.h layout).
TONES = "\u0301\u0300\u0309\u0303\u0323"
VNI_ROWS = {
    "a": ("a", "ùøûõï"), "â": ("aâ", "áàåãä"), "ă": ("aê", "éèúüë"), "e": ("e", "ùøûõï"),
    "ê": ("eâ", "áàåãä"), "o": ("o", "ùøûõï"), "ô": ("oâ", "áàåãä"), "ơ": ("ô", "ùøûõï"),
    "u": ("u", "ùøûõï"), "ư": ("ö", "ùøûõï"), "y": ("y", "ùøûõ"),
}  # fmt: skip
VNI_LETTER = {"đ": "ñ", "ỵ": "î", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò"}
for _base, (_plain, _marks) in VNI_ROWS.items():
    VNI_LETTER[_base] = _plain
    for _tone, _mark in zip(TONES, _marks):  # â ă ê ô: the mark byte carries shape and tone together
        _sequence = _plain[0] + _mark if _base in "âăêô" else _plain + _mark
        VNI_LETTER[unicodedata.normalize("NFC", _base + _tone)] = _sequence


def to_vni(text: str) -> bytes:
    """An uppercase letter is its uppercase base followed by uppercase marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        sequence = VNI_LETTER.get(char.lower(), char.lower())
        out.append(sequence.upper() if char.isupper() else VNI_LETTER.get(char, char))
    return "".join(out).encode("cp1252")


def to_cp1258(text: str) -> bytes:
    """cp1258 has the base and shaped letters; the other tones are separate combining bytes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")
            tone = "".join(m for m in marks if m not in shape)
            out.append(unicodedata.normalize("NFC", base + shape).encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


VIETNAMESE_LETTERS = "".join(
    unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in ("", *TONES)
) + "đ"
NON_ASCII_LETTERS = "".join(c for c in VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() if not c.isascii())

PARAGRAPH = (
    "Sáng 2/7, Ủy ban nhân dân tỉnh Hậu Giang tổ chức hội nghị sơ kết công tác 6 tháng đầu năm. "
    "Theo báo cáo, tốc độ tăng trưởng kinh tế đạt 6,5%, thu ngân sách vượt dự toán; "
    "tỉnh tiếp tục đẩy mạnh cải cách hành chính, chuyển đổi số và chăm lo đời sống người dân."
)
SENTENCES = [
    PARAGRAPH,
    "Đồng chí Nguyễn Văn Thắng, Phó Chủ tịch UBND tỉnh, phát biểu chỉ đạo tại buổi làm việc với các sở, ngành.",
    "Người dân ở xã Vị Thủy phấn khởi khi con đường nông thôn mới được khánh thành trước mùa mưa lũ.",
    "Ông Trần Quốc Tuấn cho biết: “Chúng tôi sẽ hỗ trợ học sinh nghèo vượt khó, không để em nào bỏ học.”",
]


def test_the_test_encoders_cover_every_letter():
    assert len(NON_ASCII_LETTERS) == 134
    assert len(TCVN3_TABLE) == 74 and set(TCVN3_BYTE) == set(TCVN3_TABLE.values())
    assert {letter for letter in NON_ASCII_LETTERS if letter not in "ìíÌÍ"} <= set(VNI_TABLE.values())


# -- §6.4 L1–L15 ----------------------------------------------------------------------------


def test_L1_L2_cp1258_decodes_then_composes():
    data = bytes.fromhex("48e2f275204769616e67")
    assert len(data.decode("cp1258")) == 10  # â + combining dot below before NFC (the doc says 11: it is 10)
    assert decode(data) == Decoded("Hậu Giang", "cp1258")
    with pytest.raises(UnicodeEncodeError):  # L2: no precomposed ậ in cp1258
        "Hậu Giang".encode("cp1258")


LEGACY_TABLE = [
    ("L3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3"),
    ("L4", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc", "tcvn3"),
    ("L5", "HËu Giang", "Hậu Giang", "tcvn3"),
    ("L6", "Hµ Néi, ngµy 02 th¸ng 7 n¨m 2021", "Hà Nội, ngày 02 tháng 7 năm 2021", "tcvn3"),
    ("L7", "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3"),
    ("L8", "Xin chaøo caùc baïn", "Xin chào các bạn", "vni"),
    ("L9", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "vni"),
    ("L10", "Ñaûng", "Đảng", "vni"),
    ("L10", "Haäu Giang", "Hậu Giang", "vni"),
]


@pytest.mark.parametrize(("case", "shown", "expected", "encoding"), LEGACY_TABLE)
def test_L3_L10_legacy_bytes_are_detected_and_converted(case, shown, expected, encoding):
    assert decode(shown.encode("cp1252")) == Decoded(expected, encoding)


@pytest.mark.parametrize(("case", "shown", "expected", "encoding"), LEGACY_TABLE)
def test_L3_L10_legacy_mojibake_in_decoded_text_is_repaired(case, shown, expected, encoding):
    assert repair(shown) == (expected, encoding)
    assert decode(shown.encode("utf-8")) == Decoded(expected, f"utf-8+{encoding}")


def test_L7_recasing_leaves_running_text_alone():
    shown = "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\nHµ Néi lµ thñ ®« cña ViÖt Nam, UBND thµnh phè"
    assert decode(shown.encode("cp1252")).text == (
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội là thủ đô của Việt Nam, UBND thành phố"
    )


@pytest.mark.parametrize("viqr", ["Vie^.t Nam", "Ha^.u Giang", "DDa?ng", "ngu+o+`i", "Ha` No^.i\\."])
def test_L11_L12_viqr_is_plain_ascii_and_never_guessed(viqr):
    # VIQR mnemonics are also ordinary ASCII punctuation: converting them would be a guess.
    assert decode(viqr.encode()) == Decoded(viqr, "utf-8") and repair(viqr) == (viqr, None)


def test_L13_double_encoded_utf8_is_repaired():
    assert repair("Háº\xadu Giang") == ("Hậu Giang", "double-utf-8")
    assert decode("Háº\xadu Giang".encode()) == Decoded("Hậu Giang", "utf-8+repaired")
    western = "Les Ã©lÃ¨ves de lâ€™Ã©cole"  # cp1252 view of French UTF-8
    assert repair(western) == ("Les élèves de l’école", "double-utf-8")


def test_L14_character_references_are_left_for_the_html_reader():
    text = "H&#7853;u Giang &#272;&#7843;ng"
    assert decode(text.encode()) == Decoded(text, "utf-8")
    assert unicodedata.normalize("NFC", html.unescape(text)) == "Hậu Giang Đảng"


L15_TCVN3 = " ".join(shown for case, shown, _, _ in LEGACY_TABLE if case in ("L3", "L4", "L6"))
L15_VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam Ñoäc laäp - Töï do - Haïnh phuùc"


@pytest.mark.parametrize(
    ("case", "data", "encoding"),
    [
        ("L15 tcvn3", L15_TCVN3.encode("cp1252"), "tcvn3"),
        ("L15 vni", L15_VNI.encode("cp1252"), "vni"),
        ("L15 unicode", PARAGRAPH.encode(), "utf-8"),
        ("L15 spanish", "Él niño está en España mañana señor".encode(), "utf-8"),
        ("L15 spanish cp1252", "Él niño está en España mañana señor".encode("cp1252"), "cp1252"),
    ],
)  # fmt: skip
def test_L15_detection(case, data, encoding):
    assert decode(data).encoding == encoding


# -- round trips through our own encoders ----------------------------------------------------


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize(
    ("encode", "encoding"),
    [(str.encode, "utf-8"), (lambda t: t.encode("utf-8-sig"), "utf-8-sig"), (lambda t: t.encode("utf-16"), "utf-16"),
     (lambda t: t.encode("utf-16-le"), "utf-16"), (lambda t: t.encode("utf-16-be"), "utf-16"),
     (to_vni, "vni"), (to_cp1258, "cp1258")],
)  # fmt: skip
def test_round_trip(text, encode, encoding):
    assert decode(encode(text)) == Decoded(text, encoding)


@pytest.mark.parametrize("text", SENTENCES)
def test_round_trip_tcvn3_up_to_the_capitals_it_cannot_hold(text):
    found = decode(to_tcvn3(text))
    assert found.encoding == "tcvn3" and found.text.lower() == text.lower()
    assert decode(to_tcvn3(PARAGRAPH.lower())).text == PARAGRAPH.lower()


def test_nfd_utf8_comes_back_nfc():
    assert decode(unicodedata.normalize("NFD", PARAGRAPH).encode()) == Decoded(PARAGRAPH, "utf-8")


# -- good text is never "repaired" -------------------------------------------------------------

GOOD_TEXTS = [
    PARAGRAPH,
    "The quick brown fox jumps over the lazy dog. © 2024 Reuters. All rights reserved.",
    "Les élèves ont étudié à l'école où ils préfèrent le français. « Ça va très bien », dit-il.",
    "Über den Wolken muss die Freiheit wohl grenzenlos sein: Größe, Mädchen, Straße, Müller aus Zürich.",
    "El niño está en España mañana, señor. ¿Dónde está la biblioteca? ¡Olé! Añadir, pequeño, corazón.",
    "O coração da cidade de São Paulo não pára; a população é grande e às vezes há confusão.",
    "Dosage: 50 µg per day; see § 3.2 and © WHO. Temperature 25 °C ± 2, area 100 m², ½ cup.",
    "Smart “quotes” and ‘apostrophes’ — dashes – and ellipsis… cost €5; naïve café résumé façade.",
    "Hà Nội – Thủ tướng chủ trì hội nghị «Việt Nam và thế giới»; GDP tăng 7,09% © TTXVN, 30°C.",
    "Ông A nói: “Chúng tôi đến Zürich và München, gặp Müller, ăn crème brûlée ở café Señor.”",
    "Москва и Санкт-Петербург. 北京 越南 서울. Ελλάδα. Łódź, Kraków, Plzeň, İstanbul, Şanlıurfa.",
    "Dansk: København, Ærø, Øresund, blåbær. Svenska: Göteborg, Malmö, Åre. Norsk: Tromsø.",
    NON_ASCII_LETTERS,
]


@pytest.mark.parametrize("text", GOOD_TEXTS)
def test_good_text_is_untouched(text):
    assert repair(text) == (text, None)
    assert decode(text.encode()) == Decoded(text, "utf-8")
    assert decode(text.encode("utf-16")) == Decoded(text, "utf-16")


WESTERN_TEXTS = [text for text in GOOD_TEXTS[1:8] + GOOD_TEXTS[11:12] if text.encode("cp1252", "ignore").decode("cp1252") == text]


@pytest.mark.parametrize("text", WESTERN_TEXTS)
def test_western_cp1252_bytes_are_read_as_cp1252(text):
    # The choice: decode, not refuse. cp1252 and cp1258 agree on nearly every Western letter, and a
    # reading that is clean Latin words under cp1252 and not Vietnamese under any table is that text.
    assert decode(text.encode("cp1252")) == Decoded(text, "cp1252")


# -- refused input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word/Excel 97 file"),
        (b"hello\x00world\x00\x00\x01", "NUL bytes"),
        (bytes(range(1, 32)) * 4 + b"text", "control bytes"),
    ],
)
def test_binary_is_refused(data, reason):
    with pytest.raises(UndecodableText, match="binary") as error:
        decode(data)
    assert reason in str(error.value) and "\n" not in str(error.value)


def test_damaged_utf8_is_refused_with_the_byte():
    data = "Hậu Giang ".encode() + b"\xff" + "và Cần Thơ".encode()
    with pytest.raises(UndecodableText, match="invalid UTF-8 at byte 12"):
        decode(data)


def test_undecidable_8bit_text_is_refused():
    data = bytes(range(0xA0, 0x100)) * 3
    with pytest.raises(UndecodableText, match="convert it to UTF-8"):
        decode(data)


def test_empty_and_truncated_input():
    assert decode(b"") == Decoded("", "utf-8")
    assert decode("Hậu Giang".encode()[:-1] + "ậ".encode()[:2]) == Decoded("Hậu Gian", "utf-8")


# -- properties --------------------------------------------------------------------------------

ALPHABET = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "bcdghklmnpqrstvxBCDGHKLMNPQRSTVX0123456789 .,;:!?-()\n"


@given(st.text(ALPHABET))
def test_any_vietnamese_text_survives_utf8_and_utf16(text):
    assert decode(text.encode()) == Decoded(text, "utf-8")
    if text:
        assert decode(text.encode("utf-16")) == Decoded(text, "utf-16")
    assert repair(text) == (text, None)


WORDS = (
    "các của người Việt được những trong đã năm này cho với không có là một và tỉnh huyện xã dân "
    "hội nghị đồng chí kinh tế phát triển thành phố công tác chỉ đạo học sinh trường nước sông "
    "mưa lũ đường nông thôn mới khánh tiếp tục đẩy mạnh cải cách số chuyển đổi đời sống tháng ngày"
).split()


@settings(max_examples=60)
@given(st.lists(st.sampled_from(WORDS), min_size=5, max_size=40, unique_by=lambda w: w).map(" ".join))
def test_vietnamese_sentences_survive_every_legacy_encoding(text):
    # Texts, not names: a few words may read the same under two tables (`này các` is identical
    # bytes in cp1258 and VNI), and then either name is right.
    for encode in (to_tcvn3, to_vni, to_cp1258, lambda t: t.encode("utf-16-le")):
        assert decode(encode(text)).text == text
