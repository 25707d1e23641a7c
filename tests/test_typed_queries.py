"""Queries typed with the input method off (Telex, VNI): read as one more branch and offered
as "did you mean", never instead of the words typed (issue 6 item 2; vietnamese.md T1–T4)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import article
from search.cli import app

ARTICLES = [
    article("hg", "Hậu Giang mưa lớn", "Tỉnh Hậu Giang."),
    article("ct", "Thành phố Cần Thơ", "Người dân đi trên đường phố."),
    article("en", "USA test bus tax", "Messi và Facebook."),
    article("dang", "Đảng bộ tỉnh", "Đại hội Đảng."),
]


@pytest.fixture
def ix(any_index):
    any_index.add_many(ARTICLES)
    return any_index


@pytest.mark.parametrize(
    "typed, reading, found",
    [
        ("Haauj Giang", "Hậu Giang", "hg"),  # T1
        ("Ha6u5 Giang", "Hậu Giang", "hg"),  # T3
        ("D9a3ng", "Đảng", "dang"),  # T3
        ("ddangr", "Đảng", "dang"),  # as the hit writes it: "Đại hội Đảng"
        ("thanhf phoos", "thành phố", "ct"),
        ("nguwowif dduwowngf", "người đường", "ct"),  # T2
    ],
)
def test_keystrokes_find_the_words_they_stand_for_and_are_suggested(ix, typed, reading, found):
    results = ix.search(typed)
    assert results.suggestion == reading
    assert results.hits and results.hits[0].id == found


@pytest.mark.parametrize("literal", ["USA", "test", "bus", "tax", "Messi", "Facebook"])  # T4
def test_ordinary_words_are_never_read_as_keystrokes(ix, literal):
    results = ix.search(literal)
    assert results.suggestion is None and [h.id for h in results.hits] == ["en"]


def test_a_reading_into_words_the_index_does_not_hold_is_not_offered(ix):
    assert ix.search("Nguyeenx Vaawn").suggestion is None  # Nguyễn Văn: in no article here


def test_exact_turns_keystroke_reading_off(ix):
    assert ix.search("Haauj Giang", exact=True).suggestion is None


def test_the_cli_says_did_you_mean(tmp_path):
    import json

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a.id, "title": a.title, "body": a.body}) + "\n" for a in ARTICLES))
    path = str(tmp_path / "ix")
    runner = CliRunner()
    runner.invoke(app, ["index", "--index", path, str(source)])
    said = runner.invoke(app, ["query", "--index", path, "Haauj Giang"])
    assert said.exit_code == 0 and "search: did you mean: Hậu Giang?" in said.stderr.splitlines()
    as_json = runner.invoke(app, ["query", "--index", path, "--json", "Haauj Giang"])
    assert json.loads(as_json.stdout)["suggestion"] == "Hậu Giang"
