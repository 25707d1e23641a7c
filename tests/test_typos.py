"""Words the index never saw, read as a typo of one it has (``search.typos``, ``restore``)."""

from __future__ import annotations

from typing import Iterator

import pytest
from typer.testing import CliRunner

import search.restore
from conftest import article, stats_of
from search import Index
from search.cli import app
from search.restore import restore
from search.syllable_stats import SyllableStats
from search.typos import corrections, one_edit

NEWS = [
    article("hg", "Hậu Giang mưa lớn", "Tỉnh Hậu Giang có mưa lớn. Người dân Hậu Giang đón mưa."),
    article("party", "Chỉnh đốn Đảng", "Xây dựng, chỉnh đốn Đảng trong sạch."),
    article("fr", "Tổng thống Mitterrand", "Ông Mitterrand thăm Paris."),
    article("price", "Giá lúa tăng", "Giá lúa và giá gạo."),
]


@pytest.fixture(scope="module")
def stats() -> Iterator[SyllableStats]:
    with Index.in_memory() as ix:
        ix.add_many(NEWS)
        with stats_of(ix) as found:
            yield found


def test_one_edit_is_a_letter_left_out_added_changed_or_two_swapped():
    edits = one_edit("giag")
    assert {"gia", "giang", "gixg", "igag", "giga"} <= set(edits)
    assert "giag" not in edits and "gaing" not in edits  # two edits away
    assert len(one_edit("ab")) == len(set(one_edit("ab")))


def test_only_words_the_index_never_saw_are_corrected(stats):
    found = corrections(["hau", "giag", "Mitterand", "gi", "Giảg", "Giả", "2021", "GIAG", "gIag"], stats)
    assert set(found) == {1, 2, 4}  # not known words (a key the index has), short ones, numbers, capitals inside
    assert "giang" in found[1] and found[2] == ["mitterrand"] and "giang" in found[4]
    assert corrections(["hau", "giag"], stats, indexed=lambda key: key == "giag") == {}
    assert corrections(["giag"], stats) == {}  # alone, a short word has no context to go by
    assert corrections(["Mitterand"], stats) == {0: ["mitterrand"]}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hau giag", "hậu giang"),
        ("Hau Giag", "Hậu Giang"),
        ("chinh donn dang", "chỉnh đốn đảng"),
        ("tong thong Mitterand", "tổng thống Mitterrand"),
        ("zzzz", "zzzz"),  # nothing one edit away: kept
    ],
)
def test_a_typo_is_read_as_the_word_the_context_wants(stats, typed, expected):
    words = typed.split()
    assert restore(words, stats, corrections=corrections(words, stats)).text == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Hậu Giangg", "Hậu Giang"),
        ("chỉnh đốnn Đảng", "chỉnh đốn Đảng"),
        ("chỉnh đốn Đảngg", "chỉnh đốn Đảng"),
        ("Hậu Giàng", "Hậu Giàng"),  # a key the index has: not a typo, kept
        ("giá lúaa", "giá lúa"),
        ("giá lùaa", "giá lùaa"),  # no indexed form has its marks: kept
    ],
)
def test_a_typo_in_a_word_typed_with_marks_keeps_its_marks(stats, typed, expected):
    words = typed.split()
    assert restore(words, stats, corrections=corrections(words, stats)).text == expected


def test_a_word_meant_as_typed_stays_when_new_words_are_likely(stats, monkeypatch):
    words = ["hau", "giag"]
    monkeypatch.setattr(search.restore, "NEW_WORD", 1.0)
    assert restore(words, stats, corrections=corrections(words, stats)).words[1] == "giag"


def test_search_reads_a_typo_and_says_so(any_index):
    any_index.add_many(NEWS)
    results = any_index.search("hau giag")
    assert results.suggestion == "Hậu Giang" and results.hits[0].id == "hg"
    assert any_index.search("Mitterand").hits[0].id == "fr"
    assert any_index.search("hau giag", exact=True).suggestion is None
    assert any_index.search("Hậu Giangg").suggestion == "Hậu Giang"


def test_the_cli_says_did_you_mean_for_a_typo(tmp_path):
    path = str(tmp_path / "ix")
    with Index.create(path) as ix:
        ix.add_many(NEWS)
    said = CliRunner().invoke(app, ["query", "--index", path, "hau giag"])
    assert said.exit_code == 0 and "search: did you mean: Hậu Giang?" in said.stderr.splitlines()
