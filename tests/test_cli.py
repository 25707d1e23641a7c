"""The command line: exit codes, stdout vs stderr, and the JSON schema."""

from __future__ import annotations

import json
import os
from dataclasses import fields

import pytest
from typer.testing import CliRunner

from conftest import DATA, FOUNDING
from search import Hit, Index
from search.cli import app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def index_dir(tmp_path, runner):
    path = tmp_path / "ix"
    result = runner.invoke(app, ["index", "--index", str(path), str(DATA)])
    assert result.exit_code == 0, result.stderr
    return path


def test_index_prints_a_summary_on_stderr_only(tmp_path, runner):
    result = runner.invoke(app, ["index", "--index", str(tmp_path / "ix"), str(DATA)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "13 added, 0 replaced, 0 skipped from 6 files" in result.stderr


def test_indexing_the_same_folder_twice_changes_nothing_and_says_so(tmp_path, runner):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(FOUNDING.read_bytes())
    (folder / "b.jsonl").write_text('{"id": "b", "title": "Hậu Giang", "body": "mưa"}\n', encoding="utf-8")
    ix = str(tmp_path / "ix")
    assert "2 added" in runner.invoke(app, ["index", "--index", ix, str(folder)]).stderr
    again = runner.invoke(app, ["index", "--index", ix, str(folder)])
    assert again.exit_code == 0
    assert again.stderr == "search: nothing changed: 2 files already in the index as they are (not read again)\n"
    os.utime(folder / "b.jsonl", ns=(1, 1))  # touched: read again, its article found unchanged
    touched = runner.invoke(app, ["index", "--index", ix, str(folder)])
    assert touched.exit_code == 0
    assert "nothing changed: 1 file not read again; the 1 articles of the other 1 file are already in the index" in touched.stderr
    (folder / "b.jsonl").write_text('{"id": "b", "title": "Hậu Giang", "body": "nắng"}\n', encoding="utf-8")
    edited = runner.invoke(app, ["index", "--index", ix, str(folder)])
    assert "0 added, 1 replaced, 0 skipped from 1 file" in edited.stderr and "1 file unchanged since indexed, not read" in edited.stderr


def test_index_reads_standard_input(tmp_path, runner):
    ix = str(tmp_path / "ix")
    result = runner.invoke(app, ["index", "--index", ix, "-"], input=FOUNDING.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr
    lines = '{"title": "Một"}\n{"title": "Hai"}\n'
    assert "2 added" in runner.invoke(app, ["index", "--index", ix, "-"], input=lines).stderr
    page = (DATA / "html" / "national_news.html").read_bytes()
    html = runner.invoke(app, ["index", "--dry-run", "-"], input=page)
    assert html.exit_code == 0 and json.loads(html.stdout)["where"] == "<stdin>"


def test_dry_run_prints_what_would_be_extracted_and_writes_nothing(tmp_path, runner):
    result = runner.invoke(app, ["index", "--index", str(tmp_path / "ix"), "--dry-run", str(FOUNDING)])
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    record = json.loads(line)
    assert record["where"] == str(FOUNDING)
    assert {k: record[k] for k in ("date", "authors", "places", "current_places", "dateline", "source", "category")} == {
        "date": "2021-07-02", "authors": ["Nguyễn Triệu"], "places": ["Hậu Giang"], "current_places": ["Cần Thơ"],
        "dateline": "HG", "source": "baohaugiang.com.vn", "category": "Chính trị",
    }  # fmt: skip
    assert record["boilerplate_removed"] is True and "body" not in record
    assert not (tmp_path / "ix").exists()


def test_field_option(tmp_path, runner):
    path = tmp_path / "a.jsonl"
    path.write_text('{"tieude": "Hậu Giang", "noidung": "mưa"}\n', encoding="utf-8")
    result = runner.invoke(app, ["index", "--dry-run", "--field", "title=tieude", "--field", "body=noidung", str(path)])
    assert json.loads(result.stdout)["title"] == "Hậu Giang"
    bad = runner.invoke(app, ["index", "--dry-run", "--field", "colour=x", str(path)])
    assert bad.exit_code == 2 and bad.stderr.startswith("search: --field 'colour=x': unknown field")


def test_index_skips_bad_lines_keeps_the_rest_and_exits_1(tmp_path, runner):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "ok", "title": "Hậu Giang", "body": "mưa", "extra": 1}\n{not json\n{"id": "x"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["index", "--index", str(tmp_path / "ix"), str(bad)])
    assert result.exit_code == 1
    assert f"skipped {bad}:2: invalid JSON" in result.stderr
    assert f"skipped {bad}:3: no title and no body" in result.stderr
    assert "ignored keys: extra (1)" in result.stderr
    found = runner.invoke(app, ["query", "--index", str(tmp_path / "ix"), "hau giang"])
    assert found.exit_code == 0 and "Hậu Giang" in found.stdout


def test_every_kind_of_bad_input_is_named_and_the_good_documents_are_committed(tmp_path, runner):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "lines.jsonl").write_text(
        '{"id": "a", "title": "Hậu Giang mưa lớn"}\n\n[1]\n42\n{"id": "b", "title": "Cần Thơ nắng"}\n{"id": "c", "ti\n',
        encoding="utf-8",
    )
    with open(folder / "huge.txt", "wb") as f:
        f.write(b"Title\n\n")
        f.truncate(50 << 20)
    (folder / "good.txt").write_text("Sóc Trăng mùa lúa\n\nNông dân Sóc Trăng thu hoạch lúa.", encoding="utf-8")
    ix = str(tmp_path / "ix")
    result = runner.invoke(app, ["index", "--index", ix, str(folder)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for where, reason in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary"),
        ("lines.jsonl:3", "a JSON array, not an object"),
        ("lines.jsonl:4", "a JSON number, not an object"),
        ("lines.jsonl:6", "truncated"),
        ("huge.txt", "larger than 10 MB"),
    ]:
        assert any(line.startswith(f"search: skipped {folder / where}:") and reason in line for line in lines), where
    assert "3 added, 0 replaced, 6 skipped" in result.stderr
    for query in ("hau giang", "can tho", "soc trang"):
        assert runner.invoke(app, ["query", "--index", ix, query]).exit_code == 0, query


def test_query_exit_codes(index_dir, runner):
    assert runner.invoke(app, ["query", "--index", str(index_dir), "Hậu Giang"]).exit_code == 0
    none = runner.invoke(app, ["query", "--index", str(index_dir), "xyzzyq"])
    assert (none.exit_code, none.stdout) == (1, "")
    bad = runner.invoke(app, ["query", "--index", str(index_dir), '"hậu giang'])
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith("search: unbalanced quote")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_missing_index_says_how_to_create_one(tmp_path, runner):
    result = runner.invoke(app, ["query", "--index", str(tmp_path / "none"), "x"])
    assert result.exit_code == 2
    assert "search index PATH" in result.stderr
    assert "Traceback" not in result.output


def test_index_dir_from_environment(index_dir, runner):
    result = runner.invoke(app, ["query", "Hau Giang"], env={"SEARCH_INDEX": str(index_dir)})
    assert result.exit_code == 0


def test_plain_output_marks_highlights_when_piped(index_dir, runner):
    result = runner.invoke(app, ["query", "--index", str(index_dir), "hau giang", "-n", "1"])
    assert result.stdout.startswith("1. Cần tiếp tục thực hiện tốt")
    assert "[[Hậu Giang]]" in result.stdout
    assert "\x1b[" not in result.stdout
    assert "hits 1-1 of" in result.stderr
    assert "search: did you mean: Hậu Giang?" in result.stderr.splitlines()


def test_json_output_schema(index_dir, runner):
    result = runner.invoke(app, ["query", "--index", str(index_dir), "--json", "Hau Giang", "--limit", "2"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["query", "total", "suggestion", "understood", "cut_short", "facets", "hits"]
    assert {"typed": "Hau Giang", "meanings": ["Hậu Giang"], "how": "reading"} in data["understood"]
    assert (data["cut_short"], data["facets"]) == (False, {})
    assert data["query"] == "Hau Giang" and data["total"] >= 1 and len(data["hits"]) <= 2
    hit = data["hits"][0]
    assert list(hit) == [f.name for f in fields(Hit)]
    assert hit["title"].startswith("Cần tiếp tục")  # Vietnamese unescaped
    assert '"Cần' in result.stdout
    text = hit["snippet"]["text"]
    assert any(text[s:e] == "Hậu Giang" for s, e in hit["snippet"]["highlights"])


def test_explain_says_what_the_words_were_also_searched_as(index_dir, runner):
    result = runner.invoke(app, ["query", "--index", str(index_dir), "--explain", "UBND hau giang 02/07/2021", "-n", "1"])
    lines = result.stderr.splitlines()
    assert "search: 'UBND' also searched as: Ủy ban nhân dân (synonym)" in lines
    assert any(line.startswith("search: '02/07/2021' also searched as: 2/7/2021, 2 tháng 7 năm 2021") for line in lines)
    assert any(line.lower() == "search: 'ubnd hau giang 02/07/2021' read as: ubnd hậu giang 02/07/2021 (reading)" for line in lines)
    plain = runner.invoke(app, ["query", "--index", str(index_dir), "--explain", "Hậu Giang", "-n", "1"])
    assert "search: no reading, abbreviation, date, author or place: the words only" not in plain.stderr  # a place
    quiet = runner.invoke(app, ["query", "--index", str(index_dir), "UBND hau giang", "-n", "1"])
    assert "also searched as" not in quiet.stderr


def test_json_dates_are_iso(index_dir, runner):
    result = runner.invoke(app, ["query", "--index", str(index_dir), "--json", "date:2013"])
    dates = [h["date"] for h in json.loads(result.stdout)["hits"]]
    assert dates and all(d.startswith("2013-") and len(d) == 10 for d in dates)


def test_offset_and_limit(index_dir, runner):
    def hit_ids(*extra):
        out = runner.invoke(app, ["query", "--index", str(index_dir), "--json", "và", *extra]).stdout
        return [h["id"] for h in json.loads(out)["hits"]]

    full = hit_ids("--limit", "4")
    assert hit_ids("--limit", "2", "--offset", "2") == full[2:]


def test_analyze_shows_normalized_form_and_tokens(runner):
    result = runner.invoke(app, ["analyze", "--json", "Hoà Bình, ĐÀ NẴNG"])
    data = json.loads(result.stdout)
    assert data["normalized"] == "hòa bình, đà nẵng"
    assert [(t["text"], t["folded"], t["start"], t["end"]) for t in data["tokens"]] == [
        ("hòa", "hoa", 0, 3), ("bình", "binh", 4, 8), ("đà", "da", 10, 12), ("nẵng", "nang", 13, 17),
    ]
    plain = runner.invoke(app, ["analyze", "Hoà Bình"])
    assert "normalized: hòa bình" in plain.stdout and "Hoà" in plain.stdout


def test_show_and_info(index_dir, runner):
    hit = json.loads(runner.invoke(app, ["query", "--index", str(index_dir), "--json", "chỉnh đốn Đảng"]).stdout)["hits"][0]
    shown = runner.invoke(app, ["show", "--index", str(index_dir), "--json", hit["id"]])
    assert json.loads(shown.stdout)["category"] == "Chính trị"
    plain = runner.invoke(app, ["show", "--index", str(index_dir), hit["id"]]).stdout
    assert "places:   Hậu Giang (now Cần Thơ)" in plain and "dateline: HG" in plain
    missing = runner.invoke(app, ["show", "--index", str(index_dir), "nope"])
    assert missing.exit_code == 1 and "no article" in missing.stderr
    info = json.loads(runner.invoke(app, ["info", "--index", str(index_dir), "--json"]).stdout)
    assert info["documents"] == 13 and info["schema_version"] >= 1 and info["size_bytes"] > 0


def test_rebuild_starts_from_empty(index_dir, runner):
    result = runner.invoke(app, ["index", "--index", str(index_dir), "--rebuild", str(FOUNDING)])
    assert result.exit_code == 0
    info = json.loads(runner.invoke(app, ["info", "--index", str(index_dir), "--json"]).stdout)
    assert info["documents"] == 1


def test_every_command_has_help(runner):
    for command in ["index", "query", "analyze", "show", "info", "delete"]:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout


@pytest.mark.parametrize("left", [(), ("_MAIN_0.toc",), ("_MAIN_0.toc", "MANIFEST-MAIN-0.json")])
def test_a_creation_a_kill_interrupted_is_started_again_by_the_next_run(tmp_path, runner, left):
    """``Index.create`` writes the first TOC, its manifest, then ``search-index.json``: a kill
    between them leaves files the next run must take for what they are, not a damaged index."""
    whole = tmp_path / "whole"
    Index.create(whole).close()
    path = tmp_path / "ix"
    path.mkdir(mode=0o700)
    (path / "MAIN_WRITELOCK").touch()
    for name in left:
        (path / name).write_bytes((whole / name).read_bytes())
    assert runner.invoke(app, ["query", "--index", str(path), "mưa"]).exit_code == 2  # no index yet
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "title": "Hậu Giang", "body": "mưa"}\n', encoding="utf-8")
    result = runner.invoke(app, ["index", "--index", str(path), str(source)])
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["query", "--index", str(path), "mưa"]).exit_code == 0
    assert Index.check(path) == []
