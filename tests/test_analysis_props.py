"""Property tests for normalization and tokenizing (docs/vietnamese.md 6.1 invariants)."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import tokenize
from search.normalize import canonical_word, fold, normalize

# The 146 Vietnamese letters (NFC), built from bases, shape marks and tone marks.
_BASES = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b",
          "u", "u\u031b", "y"]
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
_LOWER = [unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES] + ["đ"]
VIETNAMESE_LETTERS = sorted(set(_LOWER + [c.upper() for c in _LOWER]))
assert len(VIETNAMESE_LETTERS) == 146

COMBINING = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
NBSP = "\u00a0"
SHY = "\u00ad"

letters = st.sampled_from(VIETNAMESE_LETTERS)
ascii_letters = st.sampled_from(string.ascii_letters)

# Mixed text: Vietnamese letters weighted up so real syllables appear often.
mixed_text = st.lists(
    st.one_of(
        letters,
        letters,
        ascii_letters,
        st.sampled_from(string.digits),
        st.just(" "),
        st.sampled_from(".,-/:"),
        st.sampled_from([NBSP, SHY]),
        st.sampled_from(COMBINING),
    ),
    max_size=40,
).map("".join)

# Only Vietnamese letters, ASCII letters and spaces.
plain_text = st.lists(
    st.one_of(letters, letters, ascii_letters, st.just(" ")), max_size=40
).map("".join)

# Only Vietnamese letters and spaces.
vietnamese_text = st.lists(st.one_of(letters, letters, letters, st.just(" ")), max_size=40).map(
    "".join
)

PROPS = settings(max_examples=300, deadline=None)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@PROPS
@given(mixed_text)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@PROPS
@given(mixed_text)
def test_nfc_and_nfd_give_the_same_tokens(text):
    a, b = tokenize(nfc(text)), tokenize(nfd(text))
    assert [t.text for t in a] == [t.text for t in b]
    assert [t.folded for t in a] == [t.folded for t in b]


@PROPS
@given(mixed_text)
def test_nfc_and_nfd_give_the_same_normal_form(text):
    assert normalize(nfc(text)) == normalize(nfd(text))
    assert fold(normalize(nfc(text))) == fold(normalize(nfd(text)))


@PROPS
@given(mixed_text)
def test_offsets_slice_the_original_text(text):
    tokens = tokenize(text)
    for i, t in enumerate(tokens):
        assert 0 <= t.start < t.end <= len(text)
        assert canonical_word(text[t.start:t.end]) == t.text
        assert t.position == i
    for a, b in zip(tokens, tokens[1:]):
        assert a.end <= b.start


@PROPS
@given(plain_text)
def test_fold_of_vietnamese_text_is_ascii(text):
    assert fold(normalize(text)).isascii()
    assert all(t.folded.isascii() for t in tokenize(text))


@PROPS
@given(vietnamese_text)
def test_case_does_not_matter(text):
    assert normalize(text.upper()) == normalize(text)
    assert normalize(text.lower()) == normalize(text)


@PROPS
@given(st.text())
def test_tokenize_never_raises(text):
    tokens = tokenize(text)
    assert all(0 <= t.start <= t.end <= len(text) for t in tokens)
    normalize(text)
    fold(text)
