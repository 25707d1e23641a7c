"""Autocomplete and accent restoration read from the index's own syllable statistics
(issue 6 items 1 and 5): ``ix.suggest``, ``search suggest``, and an unaccented query ranked
and suggested as its most likely accented reading."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import article
from search.cli import app

ARTICLES = [
    article("hg1", "Hậu Giang mưa lớn", "Tỉnh Hậu Giang có mưa lớn kéo dài."),
    article("hg2", "Hậu Giang xây cầu", "Người dân Hậu Giang vui mừng."),
    article("bed", "Chọn mua giường ngủ", "Một chiếc giường ở hậu giường của khách sạn."),
    article("most", "Hầu hết các tỉnh có mưa", "Hầu hết người dân đều biết."),
    article("ct", "Thành phố Cần Thơ", "Cần Thơ là thành phố lớn."),
]


@pytest.fixture
def ix(any_index):
    any_index.add_many(ARTICLES)
    return any_index


def test_completions_come_with_their_marks_commonest_first(ix):
    assert [c.text for c in ix.suggest("hau gi")] == ["hậu giang", "hậu giường"]
    completions = ix.suggest("hau gi")
    assert completions[0].count > completions[1].count


def test_the_case_typed_is_kept(ix):
    assert ix.suggest("Hau Gi")[0].text == "Hậu Giang"
    assert ix.suggest("HAU GI")[0].text == "HẬU GIANG"


def test_a_first_word_and_a_next_word_are_completed(ix):
    assert ix.suggest("can")[0].text == "cần"
    assert [c.text for c in ix.suggest("thanh ")] == ["thành phố"]
    assert ix.suggest("zzz") == [] and ix.suggest("") == [] and ix.suggest("hau gi", limit=1)[0].text == "hậu giang"


def test_suggestions_follow_the_documents_added(ix):
    assert all(c.text != "hậu giới" for c in ix.suggest("hau gi"))
    ix.add_many([article(f"new{i}", "Hậu giới tuyến", "hậu giới") for i in range(5)])
    assert ix.suggest("hau gi")[0].text == "hậu giới"


@pytest.mark.parametrize(
    "typed, reading, first",
    [
        ("hau giang", "Hậu Giang", {"hg1", "hg2"}),
        ("hau het", "hầu hết", {"most"}),  # the hit writes "Hầu hết" only opening a sentence: the capital is not its own
        ("can tho", "Cần Thơ", {"ct"}),
    ],
)
def test_an_unaccented_query_ranks_and_suggests_its_likeliest_reading(ix, typed, reading, first):
    results = ix.search(typed)
    assert results.suggestion == reading
    assert results.hits[0].id in first


def test_exact_and_accented_queries_are_not_restored(ix):
    assert ix.search("hau", exact=True).total == 0 and ix.search("hau giang", exact=True).suggestion is None
    assert ix.search("Hậu Giang").suggestion is None


def test_search_suggest_on_the_command_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a.id, "title": a.title, "body": a.body}) + "\n" for a in ARTICLES))
    path = str(tmp_path / "ix")
    runner = CliRunner()
    runner.invoke(app, ["index", "--index", path, str(source)])
    said = runner.invoke(app, ["suggest", "--index", path, "hau gi"])
    assert said.exit_code == 0 and said.stdout.splitlines() == ["hậu giang", "hậu giường"]
    as_json = json.loads(runner.invoke(app, ["suggest", "--index", path, "--json", "hau gi"]).stdout)
    assert as_json["completions"][0] == {"text": "hậu giang", "count": 4}
    none = runner.invoke(app, ["suggest", "--index", path, "zzz"])
    assert none.exit_code == 1 and none.stdout == "" and "no completion" in none.stderr


def test_the_word_being_typed_decides_how_the_last_word_is_read(any_index):
    any_index.add_many(
        [article(f"gov{i}", "Chính phủ họp", "Chính phủ và chính quyền.") for i in range(3)]
        + [article(f"party{i}", "Chỉnh đốn Đảng", "Xây dựng, chỉnh đốn Đảng.") for i in range(2)]
    )
    assert any_index.suggest("chinh ")[0].text == "chính phủ"  # alone, chinh reads chính
    assert any_index.suggest("chinh d")[0].text == "chỉnh đốn"  # but only chỉnh is followed by d…
    assert any_index.suggest("xay dung chinh d")[0].text == "xây dựng chỉnh đốn"
    assert [c.text for c in any_index.suggest("chinh p")] == ["chính phủ"]


def test_completions_keep_the_i_or_y_typed(any_index):
    any_index.add_many(
        [article(f"ky{i}", "Kỹ thuật mới", "Thời kỳ mới của kỹ thuật. Kiểm tra kỹ thuật.") for i in range(3)]
        + [article("ki", "Kĩ thuật", "Thời kì đổi mới, kĩ thuật.")]
    )
    assert any_index.suggest("ki th")[0].text == "kĩ thuật"  # the index's commoner "kỹ", spelled as typed
    assert any_index.suggest("ky th")[0].text == "kỹ thuật"
    assert any_index.suggest("thoi ki")[0].text == "thời kì"
    assert "kiểm" not in " ".join(c.text for c in any_index.suggest("ky"))  # "ky" is not the start of "kiểm"
    assert "kiểm" in " ".join(c.text for c in any_index.suggest("ki"))
    texts = [c.text for c in any_index.suggest("ky")]
    assert len(texts) == len(set(texts))  # two spellings never show one completion twice


def test_the_next_word_is_read_after_the_two_words_before_it(any_index):
    any_index.add_many(
        [article(f"nd{i}", "Nội dung", "Nội dung bài. Nội dung mới. Nội dung chính.") for i in range(3)]
        + [article(f"hn{i}", "Hà Nội mưa", "Hà Nội mưa to.") for i in range(2)]
    )
    assert any_index.suggest("noi ")[0].text == "nội dung"  # after "nội" alone, "dung" is commonest
    assert any_index.suggest("ha noi ")[0].text == "hà nội mưa"  # after "hà nội", only "mưa" was seen
    assert [c.text for c in any_index.suggest("ha noi d")] == ["hà nội dung"]  # the pairs still count
