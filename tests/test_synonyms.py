"""News abbreviations and user synonyms (vietnamese.md §5; issue 6 item 3)."""

from __future__ import annotations

import re

import pytest

from search.analysis import tokenize
from search.errors import InputError
from search.synonyms import (
    Alternative,
    Entry,
    Synonyms,
    _check_unambiguous,
    ambiguous,
    builtin_entries,
    leftmost_longest,
    phrase_of,
)

PACK = Synonyms.builtin()


def words(query: str) -> list[str]:
    """The query's words as the query parser cuts them (canonical syllables)."""
    return [token.text for token in tokenize(query)]


def spans(synonyms: Synonyms, query: str) -> dict[tuple[int, int], set[tuple[str, ...]]]:
    return {(a.start, a.end): set(a.phrases) for a in synonyms.alternatives(words(query))}


def whole(synonyms: Synonyms, query: str) -> set[tuple[str, ...]]:
    """The phrases offered for the query as a whole (empty when it is not a known spelling)."""
    return spans(synonyms, query).get((0, len(words(query))), set())


# -- the pack, both ways ---------------------------------------------------------------

BOTH_WAYS = [
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("TW", "Trung ương"),
    ("T.Ư", "Trung ương"),
    ("ĐBQH", "Đại biểu Quốc hội"),
    ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("TTg", "Thủ tướng"),
    ("ĐCSVN", "Đảng Cộng sản Việt Nam"),
    ("TAND", "Tòa án nhân dân"),
    ("VKSND", "Viện Kiểm sát nhân dân"),
    ("CSGT", "Cảnh sát giao thông"),
    ("CSĐT", "Cảnh sát điều tra"),
    ("PCCC", "phòng cháy, chữa cháy"),
    ("BHYT", "Bảo hiểm y tế"),
    ("THCS", "Trung học cơ sở"),
    ("THPT", "Trung học phổ thông"),
    ("KT-XH", "kinh tế - xã hội"),
    ("NN&PTNT", "Nông nghiệp và Phát triển nông thôn"),
    ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội"),
    ("VHTTDL", "Văn hóa, Thể thao và Du lịch"),
    ("NSƯT", "Nghệ sĩ Ưu tú"),
    ("HLV", "huấn luyện viên"),
    ("CLB", "câu lạc bộ"),
    ("TTXVN", "Thông tấn xã Việt Nam"),
    ("ĐBSCL", "Đồng bằng sông Cửu Long"),
    ("TP.HCM", "Thành phố Hồ Chí Minh"),
]


@pytest.mark.parametrize("abbreviation, expansion", BOTH_WAYS)
def test_abbreviation_offers_its_expansion(abbreviation, expansion):
    assert phrase_of(expansion) in whole(PACK, abbreviation)


@pytest.mark.parametrize("abbreviation, expansion", BOTH_WAYS)
def test_expansion_offers_its_abbreviation(abbreviation, expansion):
    assert phrase_of(abbreviation) in whole(PACK, expansion)


def test_an_alternative_never_repeats_the_span_itself():
    (alternative,) = PACK.alternatives(words("UBND"))
    assert alternative == Alternative(0, 1, (("uy", "ban", "nhan", "dan"),), ("Ủy ban nhân dân",))


def test_search_keys_are_accepted_as_words():
    keys = [token.folded for token in tokenize("Ủy ban nhân dân")]
    assert PACK.alternatives(keys)[0].phrases == (("ubnd",),)


# -- spellings: case, marks, tone placement, dots, & and - --------------------------------


@pytest.mark.parametrize(
    "query",
    ["Ủy ban nhân dân", "Uỷ ban Nhân dân", "UỶ BAN NHÂN DÂN", "uy ban nhan dan", "ubnd", "Ubnd"],
)
def test_ubnd_spellings(query):
    offered = whole(PACK, query)
    assert offered and offered <= {phrase_of("UBND"), phrase_of("Ủy ban nhân dân")}


@pytest.mark.parametrize("query", ["TP.HCM", "TPHCM", "TP HCM", "tp hcm", "TP. HCM", "tp.hcm", "Tp.Hcm"])
def test_ho_chi_minh_city_spellings(query):
    # N28-N30: TP.HCM is one word, "TP. HCM" and "TP HCM" are two, TPHCM one
    offered = whole(PACK, query)
    assert ("thanh", "pho", "ho", "chi", "minh") in offered
    assert {("tp.hcm",), ("tphcm",), ("tp", "hcm")} - {tuple(phrase_of(query))} <= offered


@pytest.mark.parametrize(
    "query", ["GD&ĐT", "GD-ĐT", "GD & ĐT", "gd dt", "GDĐT", "giao duc va dao tao", "Giáo dục - Đào tạo"]
)
def test_education_and_training_spellings(query):
    assert words("GD&ĐT") == words("GD-ĐT") == ["gd", "đt"]
    expected = {phrase_of("GD&ĐT"), phrase_of("GDĐT"), phrase_of("Giáo dục và Đào tạo")}
    assert whole(PACK, query) >= expected - {phrase_of(query)}


def test_hcm_alone_and_ho_chi_minh_the_person_are_not_the_city():
    assert PACK.alternatives(words("HCM")) == []
    assert PACK.alternatives(words("tư tưởng Hồ Chí Minh")) == []


# -- ambiguous abbreviations ---------------------------------------------------------


@pytest.mark.parametrize(
    "abbreviation", ["BTC", "CP", "ĐH", "ĐT", "TT", "CT", "BTV", "CA", "DN", "TP", "TX", "GS", "TS"]
)
def test_ambiguous_abbreviations_are_listed_and_never_expanded(abbreviation):
    assert abbreviation in ambiguous()
    assert PACK.alternatives(words(abbreviation)) == []


def test_no_never_listed_abbreviation_produces_an_alternative():
    assert [a for a in ambiguous() if PACK.alternatives(words(a))] == []


def test_the_pack_holds_no_ambiguous_abbreviation():
    refused = {phrase_of(a) for a in ambiguous()}
    forms = [form for entry in builtin_entries() for form in entry.abbreviations + entry.expansions]
    assert [form for form in forms if phrase_of(form) in refused] == []


def test_a_pack_with_an_ambiguous_abbreviation_is_refused():
    with pytest.raises(ValueError, match="'BTC' is ambiguous"):
        _check_unambiguous([Entry(("BTC",), ("Ban Tổ chức",), "organizing committee")], {"BTC": "3 meanings"})


SYLLABLE_SHAPE = re.compile(r"(ngh|ng|gh|gi|qu|ch|kh|nh|ph|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
NOT_A_SYLLABLE = {"byt"}  # matches the rough shape, but y takes a final only after u or before ê


def test_no_abbreviation_folds_onto_an_ordinary_word():
    # TƯ → "tu" would also be từ, tự, tư; NGƯT → "ngut" also ngút: both are on the never list
    collisions = [
        a
        for entry in builtin_entries()
        for a in entry.abbreviations
        if all(SYLLABLE_SHAPE.fullmatch(k) and k not in NOT_A_SYLLABLE for k in phrase_of(a))
    ]
    assert collisions == []


def test_each_line_of_the_pack_is_its_own_group():
    assert len(PACK) == len(builtin_entries())
    assert Synonyms.builtin() is PACK


# -- overlapping spans ----------------------------------------------------------------


def test_two_abbreviations_side_by_side():
    found = spans(PACK, "UBND TP.HCM")
    assert set(found) == {(0, 1), (1, 2)}
    assert phrase_of("Ủy ban nhân dân") in found[(0, 1)]
    assert phrase_of("Thành phố Hồ Chí Minh") in found[(1, 2)]


def test_expansions_side_by_side_without_marks():
    assert set(spans(PACK, "uy ban nhan dan tp hcm")) == {(0, 4), (4, 6)}


def test_nested_spans_are_all_reported_longest_first():
    found = PACK.alternatives(words("ủy ban thường vụ quốc hội"))
    assert [(a.start, a.end) for a in found] == [(0, 6), (4, 6)]
    assert [(a.start, a.end) for a in leftmost_longest(found)] == [(0, 6)]


def test_words_around_a_span_do_not_matter():
    assert set(spans(PACK, "họp HĐND tỉnh Cần Thơ")) == {(1, 2)}


# -- user synonyms ---------------------------------------------------------------------

USER_FILE = """\
# my synonyms
UBND = UB nhân dân
BTC = Ban Tổ chức          # ambiguous in general: the user's choice
  Sở Y tế = SYT = Sở YT

C# = C sharp
"""


@pytest.fixture
def user(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text(USER_FILE, encoding="utf-8")
    return Synonyms.from_file(path)


def test_user_file_lines(user):
    assert user.groups == (
        ("UBND", "UB nhân dân"), ("BTC", "Ban Tổ chức"), ("Sở Y tế", "SYT", "Sở YT"), ("C#", "C sharp")
    )
    assert whole(user, "BTC") == {phrase_of("Ban Tổ chức")}
    assert whole(user, "so y te") == {("syt",), ("so", "yt")}


def test_user_synonyms_join_the_pack_group_they_share_a_spelling_with(user):
    merged = PACK.merged(user)
    assert whole(merged, "UB nhân dân") == {("ubnd",), ("uy", "ban", "nhan", "dan")}
    assert phrase_of("UB nhân dân") in whole(merged, "Ủy ban nhân dân")
    assert len(merged) == len(PACK) + 3


def test_a_line_linking_two_groups_merges_them():
    linked = Synonyms.from_text("A = B\nC = D\nB = C\n")
    assert linked.groups == (("A", "B", "C", "D"),)


def test_a_removed_spelling_stands_for_nothing_even_in_the_pack():
    mine = PACK.merged(Synonyms.from_text("! CSGT   # a team's name in my archive\n"))
    assert whole(PACK, "CSGT") and not whole(mine, "CSGT")
    assert ("csgt",) not in whole(mine, "cảnh sát giao thông")
    assert whole(mine, "UBND") == whole(PACK, "UBND")  # the other groups stay


def test_a_removed_spelling_no_longer_links_the_groups_it_joined():
    assert Synonyms.from_text("A = B\nB = C\n! B\n").groups == ()
    assert Synonyms.from_text("A = B = D\nB = C\n! b\n").groups == (("A", "D"),)


def test_a_removal_in_either_set_holds_after_merging():
    removal = Synonyms.from_text("! HLV")
    assert not whole(removal.merged(PACK), "HLV") and not whole(PACK.merged(removal), "HLV")


@pytest.mark.parametrize(
    "line, problem",
    [
        ("!", "should name one spelling after '!'"),
        ("! CSGT = cảnh sát", "should name one spelling after '!'"),
        ("UBND Ủy ban nhân dân", "no '='"),
        ("UBND =", "a side with no word"),
        ("= Ủy ban nhân dân", "a side with no word"),
        ("UBND = ubnd = Ubnd", "the same once case and accents are ignored"),
        ("Ủy ban = uy ban", "the same once case and accents are ignored"),
        ("x = " + "một " * 13, "more than 12 words"),
    ],
)
def test_a_bad_line_is_one_line_naming_file_and_line(tmp_path, line, problem):
    path = tmp_path / "mine.txt"
    path.write_text(f"# header\nHLV = huấn luyện viên\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        Synonyms.from_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:3: ") and problem in message
    assert "\n" not in message


def test_a_file_that_is_not_utf8_or_missing(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("UBND = Ủy ban nhân dân".encode("utf-16"))
    with pytest.raises(InputError, match="not UTF-8 text; save the synonyms file as UTF-8"):
        Synonyms.from_file(latin)
    with pytest.raises(InputError, match="cannot read synonyms file .*missing.txt"):
        Synonyms.from_file(tmp_path / "missing.txt")


def test_a_byte_order_mark_is_not_part_of_the_first_spelling(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_text("UBND = UB nhân dân\n", encoding="utf-8-sig")
    assert Synonyms.from_file(path).groups == (("UBND", "UB nhân dân"),)


# -- storing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "synonyms",
    [
        PACK,
        Synonyms.from_text(USER_FILE),
        PACK.merged(Synonyms.from_text(USER_FILE)),
        PACK.merged(Synonyms.from_text("! CSGT\nA = B\n")),
    ],
)
def test_to_text_round_trips(synonyms):
    assert Synonyms.from_text(synonyms.to_text()) == synonyms


def test_to_text_format():
    assert Synonyms.from_text("UBND   =  Ủy ban   nhân dân # c\n").to_text() == "UBND = Ủy ban nhân dân\n"
    assert Synonyms.from_text("!CSGT\nA = B\n").to_text() == "A = B\n! CSGT\n"


def test_empty_synonyms_offer_nothing():
    assert Synonyms().alternatives(words("UBND")) == [] and Synonyms.from_text("# nothing\n\n") == Synonyms()
