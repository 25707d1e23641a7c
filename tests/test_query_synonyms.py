"""Abbreviations and synonyms at query time, and ``--exact`` (issue 6 items 3, 4 and 6)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import article
from search import Index, Synonyms
from search.cli import app

ARTICLES = [
    article("full", "Ủy ban nhân dân tỉnh Hậu Giang họp phiên thường kỳ", "Nội dung phiên họp."),
    article("short", "UBND tỉnh Cần Thơ công bố kế hoạch", "Kế hoạch năm 2024."),
    article("school", "Trường THPT Chuyên Vị Thanh khai giảng", "Học sinh trung học phổ thông."),
    article("gov", "Chính phủ ban hành nghị định mới", "Nghị định về đất đai."),
    article("company", "Công ty cổ phần Bình Minh", "Doanh nghiệp tư nhân."),
    article("ky", "Kỹ sư trẻ", "Ngành kỹ thuật."),
    article("ki", "Kĩ sư trẻ", "Ngành kĩ thuật."),
    article("hau", "Hầu hết các tỉnh", "mưa lớn"),
]


@pytest.fixture
def ix(any_index):
    any_index.add_many(ARTICLES)
    return any_index


def ids(results) -> set[str]:
    return {hit.id for hit in results.hits}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("UBND", {"full", "short"}),
        ("ủy ban nhân dân", {"full", "short"}),
        ("uy ban nhan dan", {"full", "short"}),
        ("Uỷ Ban Nhân Dân", {"full", "short"}),
        ("trung học phổ thông", {"school"}),
        ("THPT", {"school"}),
    ],
)
def test_an_abbreviation_and_its_expansion_find_each_other(ix, query, expected):
    assert expected <= ids(ix.search(query, limit=20))


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"UBND tỉnh Hậu Giang"', {"full"}),
        ('"ủy ban nhân dân tỉnh Cần Thơ"', {"short"}),
        ('"uy ban nhan dan tinh can tho"', {"short"}),
        ('"UBND tỉnh"', {"full", "short"}),
        ('+"trường trung học phổ thông" chuyên', {"school"}),
    ],
)
def test_a_quoted_phrase_is_also_matched_with_its_abbreviations_swapped(ix, query, expected):
    assert ids(ix.search(query, limit=20)) == expected


def test_a_swapped_phrase_is_still_a_phrase(ix):
    ix.add(article("apart", "Ủy ban xã họp, nhân dân tỉnh Hậu Giang dự", "x"))
    assert ids(ix.search('"UBND tỉnh Hậu Giang"')) == {"full"}
    assert ids(ix.search('"UBND tỉnh Hậu Giang"', exact=True)) == set()
    assert ids(ix.search('"CP ban hành"')) == set()  # ambiguous: not swapped inside quotes either


@pytest.mark.parametrize("query, never", [("CP", {"gov", "company"}), ("cổ phần", {"gov"}), ("chính phủ", {"company"})])
def test_ambiguous_abbreviations_are_not_expanded(ix, query, never):
    assert not never & ids(ix.search(query, limit=20))


def test_exact_matches_words_only_as_typed(ix):
    assert ids(ix.search("Kỹ", exact=True)) == {"ky"}
    assert ids(ix.search("Kĩ", exact=True)) == {"ki"}
    assert {"ky", "ki"} <= ids(ix.search("Kỹ"))  # i/y spellings match each other otherwise
    assert ids(ix.search("UBND", exact=True)) == {"short"}
    assert ids(ix.search('"Hậu Giang"', exact=True)) == {"full"}
    assert "hau" not in ids(ix.search("Hậu", exact=True))
    assert ix.search("hau", exact=True).total == 0  # typed without marks: only unmarked words match


def test_user_synonyms_are_kept_with_the_index_and_used(tmp_path):
    path = tmp_path / "ix"
    with Index.create(path) as ix:
        ix.add_many(ARTICLES)
        assert "gov" not in ids(ix.search("CP"))
        ix.store_synonyms(Synonyms.from_text("CP = Chính phủ\n"))
        assert "gov" in ids(ix.search("CP"))
    with Index.open(path) as ix:
        assert "gov" in ids(ix.search("CP")) and "full" in ids(ix.search("UBND"))


def test_a_stored_removal_turns_a_built_in_abbreviation_off(tmp_path):
    path = tmp_path / "ix"
    with Index.create(path) as ix:
        ix.add_many(ARTICLES)
        ix.store_synonyms(Synonyms.from_text("! UBND\n"))
        assert ids(ix.search("UBND")) == {"short"}
        assert "short" not in ids(ix.search("ủy ban nhân dân"))
    with Index.open(path) as ix:
        assert ids(ix.search("UBND")) == {"short"}
        assert ids(ix.search("THPT")) == {"school"}  # the rest of the pack stays


def test_no_synonyms_at_all_for_one_search(ix):
    assert ids(ix.search("UBND", synonyms=Synonyms())) == {"short"}
    assert ids(ix.search("UBND")) == {"full", "short"}


def test_the_cli_takes_synonyms_and_exact(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": a.id, "title": a.title, "body": a.body}) + "\n" for a in ARTICLES))
    mine = tmp_path / "mine.txt"
    mine.write_text("# my archive\nCP = Chính phủ\n", encoding="utf-8")
    path = str(tmp_path / "ix")
    runner = CliRunner()
    assert runner.invoke(app, ["index", "--index", path, "--synonyms", str(mine), str(source)]).exit_code == 0
    found = runner.invoke(app, ["query", "--index", path, "--json", "CP"])
    assert "gov" in {h["id"] for h in json.loads(found.stdout)["hits"]}
    exact = runner.invoke(app, ["query", "--index", path, "--json", "--exact", "Kĩ"])
    assert {h["id"] for h in json.loads(exact.stdout)["hits"]} == {"ki"}
    bad = tmp_path / "bad.txt"
    bad.write_text("UBND\n", encoding="utf-8")
    refused = runner.invoke(app, ["query", "--index", path, "--synonyms", str(bad), "mưa"])
    assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1 and f"{bad}:1" in refused.stderr


def test_an_expansion_is_highlighted_whole_never_its_words_alone(ram_index):
    ram_index.add_many([article("decree", "Tin", "Ban tổ chức cho biết Ủy ban nhân dân tỉnh đã ban hành quyết định.")])
    snippet = ram_index.search("UBND").hits[0].snippet
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["Ủy ban nhân dân"]
