"""Telex and VNI keystrokes (docs/vietnamese.md §2.2 and cases T1-T4 of §6.4)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.normalize import WORD, place_tone
from search.typing_keys import (
    Method,
    decode_telex,
    decode_vni,
    read_word,
    split_syllable,
    typed_alternative,
)

# -- a small encoder: what a user types with the input method off --------------------

TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
# letter -> (base, Telex shape key, VNI shape digit)
SHAPES = {"â": ("a", "a", "6"), "ê": ("e", "e", "6"), "ô": ("o", "o", "6"),
          "ă": ("a", "w", "8"), "ơ": ("o", "w", "7"), "ư": ("u", "w", "7"), "đ": ("d", "d", "9")}
VOWELS = "aăâeêioôơuưy"


def split_tone(word: str) -> tuple[str, int]:
    tone, letters = 0, []
    for char in word:
        parts = unicodedata.normalize("NFD", char)
        for mark, number in TONES.items():
            if mark in parts:
                tone, parts = number, parts.replace(mark, "")
        letters.append(unicodedata.normalize("NFC", parts))
    return "".join(letters), tone


def encode(word: str, method: str = "telex", *, tone_last: bool = True, short_uo: bool = False) -> str:
    """Keys for ``word``: shape key right after its letter, tone key last or right after
    the last vowel; ``short_uo`` types ươ as ``uow`` / ``uo7``."""
    letters, tone = split_tone(word)
    shout = word.isupper() and len(word) > 1
    keys: list[str] = []
    for index, char in enumerate(letters):
        lower = char.lower()
        if lower in SHAPES:
            base, telex, vni = SHAPES[lower]
            keys.append(base.upper() if char.isupper() else base)
            if not (short_uo and letters[index : index + 2].lower() == "ươ"):
                key = telex if method == "telex" else vni
                keys.append(key.upper() if shout else key)
        else:
            keys.append(char)
        after_last_vowel = lower in VOWELS and not any(c in VOWELS for c in letters[index + 1 :].lower())
        if tone and not tone_last and after_last_vowel:
            keys.append(tone_key(tone, method, shout))
            tone = 0
    if tone:
        keys.append(tone_key(tone, method, shout))
    return "".join(keys)


def tone_key(tone: int, method: str, shout: bool) -> str:
    key = " sfrxj"[tone] if method == "telex" else str(tone)
    return key.upper() if shout else key


SENTENCES = [
    "Người dân thành phố Hồ Chí Minh đổ ra đường phố đông đúc, tiếng còi inh ỏi suốt ngày đêm",
    "Việt Nam nằm ở phía đông bán đảo Đông Dương, có đường bờ biển dài hơn ba nghìn cây số",
    "Khuya rồi mà khuỷu tay vẫn đau nhức, con đường ngoằn ngoèo uốn khúc, thuở nhỏ khỏe mạnh",
    "Quốc hội thông qua nghị quyết về việc thành lập Ủy ban nhân dân tỉnh Hậu Giang",
    "Chuyện gì xảy ra khi chiếc thuyền buồm khuất sau rặng núi xa xăm ngoài khơi",
    "Học sinh trường trung học phổ thông luyện thi với quyết tâm cao giữa mùa hè oi ả",
    "Bác sĩ khuyên uống nước ấm, ăn rau xanh, nghỉ ngơi điều độ để giữ gìn sức khỏe",
    "Nguyễn Trãi yêu nước thương dân suốt đời, chiến đấu vì nghĩa lớn",
    "Hoạch định chiến lược huấn luyện đội tuyển bóng đá quốc gia giành huy chương vàng",
    "Những cơn mưa rào đầu mùa làm ướt đẫm con đường làng quê hương yên bình",
    "Khuyến khích doanh nghiệp đổi mới sáng tạo, nghiên cứu khoa học kỹ thuật tiên tiến",
    "Ngoại trưởng hai nước hoan nghênh thỏa thuận hợp tác toàn diện",
    "Oẳn tù tì, khuếch đại huỳnh quang, uyển chuyển quyển sách, khuya khoắt loằng ngoằng",
    "Thuở ấy giường tủ bàn ghế được xếp ngay ngắn gọn gàng trong căn nhà nhỏ",
    "Rượu ngon cá tươi bưởi ngọt ruộng lúa chín vàng óng ả, hòa thủy quý",
]
SYLLABLES = sorted({m.group().lower() for s in SENTENCES for m in WORD.finditer(s)})


def expected(word: str) -> str:
    return place_tone(word)  # canonical (traditional) tone placement, case kept


# -- T1-T4 and the examples of the brief ----------------------------------------------


@pytest.mark.parametrize(("case", "query", "reading"), [
    ("T1", "Haauj Giang", "Hậu Giang"),
    ("T2", "nguwowif", "người"),
    ("T2", "dduwowngf", "đường"),
    ("T2", "Nguyeenx", "Nguyễn"),
    ("T3", "Ha6u5 Giang", "Hậu Giang"),
    ("T3", "D9a3ng", "Đảng"),
])
def test_typed_queries_get_a_reading(case: str, query: str, reading: str) -> None:
    assert typed_alternative(query) == reading


@pytest.mark.parametrize("query", [
    "USA", "test", "bus", "Messi",  # T4
    "tax", "sex", "Rose", "Sars", "boss", "wifi", "Facebook", "Tesla", "NATO", "COVID",
])
def test_t4_english_words_stay_literal(query: str) -> None:
    assert typed_alternative(query) is None


@pytest.mark.parametrize(("typed", "syllable"), [
    ("Haauj", "Hậu"), ("nguwowif", "người"), ("dduwowngf", "đường"), ("Nguyeenx", "Nguyễn"),
    ("TRIEEUJ", "TRIỆU"), ("thanhf", "thành"), ("phoos", "phố"), ("Vieetj", "Việt"),
    ("ddangr", "đảng"), ("thuyr", "thủy"), ("hoaf", "hòa"), ("khoer", "khỏe"), ("quys", "quý"),
    # tone key anywhere after the vowel
    ("Haaju", "Hậu"), ("thafnh", "thành"), ("tieesng", "tiếng"),
    # ươ typed three ways; uơ when nothing follows
    ("nguowif", "người"), ("nguoiwf", "người"), ("thuowr", "thuở"), ("nwowcs", "nước"),
    # gi, qu, and the onsets that change before i/e/ê
    ("gif", "gì"), ("giuwax", "giữa"), ("quoocs", "quốc"), ("nghieeng", "nghiêng"), ("ghees", "ghế"),
    ("khuyur", "khuỷu"), ("ngoawcj", "ngoặc"), ("yeeus", "yếu"), ("uyeenr", "uyển"),
])
def test_decode_telex(typed: str, syllable: str) -> None:
    assert decode_telex(typed) == syllable


@pytest.mark.parametrize(("typed", "syllable"), [
    ("Ha6u5", "Hậu"), ("D9a3ng", "Đảng"), ("nguo7i2", "người"), ("Vie6t5", "Việt"),
    ("thuy3", "thủy"), ("hoa2", "hòa"), ("Ca1c", "Các"), ("u7o7ng2", "ường"), ("a8n", "ăn"),
])
def test_decode_vni(typed: str, syllable: str) -> None:
    assert decode_vni(typed) == syllable


@pytest.mark.parametrize(("typed", "syllable"), [
    ("haauj", "hậu"), ("HAAUJ", "HẬU"), ("NGUYEENX", "NGUYỄN"), ("DDuwowngf", "Đường"),
    ("nGUYEENX", "nGUYỄN"), ("HA6U5", "HẬU"),
])
def test_the_typed_case_is_kept(typed: str, syllable: str) -> None:
    assert (decode_vni(typed) if any(c.isdigit() for c in typed) else decode_telex(typed)) == syllable


@pytest.mark.parametrize(("typed", "why"), [
    ("ban", "no key at all"),
    ("Hau", "no key at all"),
    ("hocf", "a stop final takes only sắc or nặng"),
    ("matr", "a stop final takes only sắc or nặng"),
    ("hoafs", "two tone keys"),
    ("Messi", "two tone keys (Telex undoes ss)"),
    ("Tesla", "l is not a final"),
    ("wifi", "ư-i-i is no rhyme"),
    ("Facebook", "f is no onset"),
    ("caas", "â needs a final or u/y"),
    ("saw", "ă needs a final"),
    ("kaf", "k only before i, e, ê, y"),
    ("cees", "c never before e"),
    ("aaaa", "aaa undoes the hat"),
    ("Ha6u5", "digits are not Telex"),
    ("hậuf", "already accented"),
])
def test_not_telex(typed: str, why: str) -> None:
    assert decode_telex(typed) is None, why


@pytest.mark.parametrize("typed", ["ha9", "6a", "u23", "hau", "bus1", "h2o", "Ha6u5x"])
def test_not_vni(typed: str) -> None:
    assert decode_vni(typed) is None


# -- the guard ----------------------------------------------------------------------------

ENGLISH_THAT_DECODES = [
    # each is a valid syllable in Telex or VNI, and ordinary English or an acronym
    "teen", "queen", "been", "moon", "soon", "room", "how", "now", "cow", "own", "town", "lawn",
    "hair", "chair", "air", "car", "her", "chef", "if", "of", "box", "mix", "max", "raj",
    "cats", "songs", "bangs", "boots", "bees", "days", "Laos", "chaos", "toes", "this",
    "best", "list", "most", "born", "turn", "beer", "beef", "door", "boost", "Sachs",
    "imf", "minx", "war", "was", "wax", "wow", "wrong", "mw", "co2", "i5", "a4",
]


@pytest.mark.parametrize("word", ENGLISH_THAT_DECODES)
def test_english_alone_is_never_rewritten(word: str) -> None:
    assert typed_alternative(word) is None
    assert typed_alternative(word.capitalize()) is None
    assert typed_alternative(word.upper()) is None


@pytest.mark.parametrize(("word", "strong"), [
    ("ddi", True), ("Haauj", True), ("tuw", True), ("nguowif", True), ("tieeng", True),
    ("hoawcj", True), ("thanhf", True), ("hocj", True), ("thafnh", True), ("ngoaif", True),
    ("khoer", True), ("nhaf", True), ("oong", True), ("twf", True), ("Ca1c", True), ("Ha6u5", True),
    ("naof", True), ("cuar", True), ("thuyr", True),
    ("phoos", False), ("hoaf", False), ("quys", False), ("door", False), ("hoax", False), ("teen", False), ("test", False),
    ("cats", False), ("Rose", False), ("hair", False), ("wrong", False), ("tw", False),
    ("hoa2", True), ("bang3", True), ("co2", False), ("top1", False),
])
def test_evidence(word: str, strong: bool) -> None:
    reading = read_word(word)
    assert reading is not None and reading.strong is strong


@pytest.mark.parametrize(("query", "reading"), [
    ("thanhf phoos", "thành phố"),  # phố alone is weak; thành is not English
    ("teen goij ddaayf ddur", "tên gọi đầy đủ"),
    ("Haauj Giang USA", "Hậu Giang USA"),  # an acronym is never read
    ("Ha6u5 phoos", "Hậu phoos"),  # strong VNI does not vouch for a Telex word
    ('"Haauj Giang" -Messi tác_giả:ddaau', '"Hậu Giang" -Messi tác_giả:đâu'),
    ("DDANGR COONGJ SANR VIEETJ NAM", "ĐẢNG CỘNG SANR VIỆT NAM"),  # SANR: all caps, 4 letters
])
def test_weak_words_are_read_beside_strong_ones(query: str, reading: str) -> None:
    assert typed_alternative(query) == reading


@pytest.mark.parametrize("query", ["phoos", "hoaf phoos", "Paris", "hau giang", "Hậu Giang", ""])
def test_nothing_to_read(query: str) -> None:
    assert typed_alternative(query) is None


def test_methods() -> None:
    assert read_word("Ha6u5").method is Method.VNI
    assert read_word("Haauj").method is Method.TELEX
    assert read_word("USA") is None  # all caps, ≤ 5 letters
    assert read_word("TRIEEUJ").decoded == "TRIỆU"  # longer all-caps words are read


@pytest.mark.parametrize(("letters", "parts"), [
    ("nghiêng", ("ngh", "iêng")), ("gin", ("g", "in")), ("giưa", ("gi", "ưa")),
    ("giêng", ("gi", "êng")), ("quôc", ("qu", "ôc")), ("uyên", ("", "uyên")), ("yêu", ("", "yêu")),
    ("kan", None), ("ngi", None), ("ghô", None), ("iên", None), ("tyêu", None), ("blam", None),
])
def test_split_syllable(letters: str, parts: tuple[str, str] | None) -> None:
    assert split_syllable(letters) == parts


# -- every syllable of the sample sentences comes back ---------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("method", ["telex", "vni"])
def test_typed_sentences_read_back(sentence: str, method: str) -> None:
    words = [m.group() for m in WORD.finditer(sentence)]
    typed = " ".join(encode(w, method) for w in words)
    assert typed_alternative(typed) == " ".join(expected(w) for w in words)


@settings(max_examples=300)
@given(
    syllable=st.sampled_from(SYLLABLES),
    case=st.sampled_from([str.lower, str.capitalize, str.upper]),
    tone_last=st.booleans(),
    short_uo=st.booleans(),
)
def test_every_syllable_decodes_back(syllable, case, tone_last, short_uo) -> None:
    word = case(syllable)
    telex = encode(word, "telex", tone_last=tone_last, short_uo=short_uo)
    vni = encode(word, "vni", tone_last=tone_last, short_uo=short_uo)
    if telex != word:
        assert decode_telex(telex) == expected(word)
    if vni != word:
        assert decode_vni(vni) == expected(word)


def test_every_sample_syllable_in_every_style() -> None:
    failures = []
    for syllable in SYLLABLES:
        for word in (syllable, syllable.capitalize(), syllable.upper()):
            for tone_last in (True, False):
                for short_uo in (True, False):
                    for method, decode in (("telex", decode_telex), ("vni", decode_vni)):
                        typed = encode(word, method, tone_last=tone_last, short_uo=short_uo)
                        if typed != word and decode(typed) != expected(word):
                            failures.append((word, typed, decode(typed)))
    assert failures == []
