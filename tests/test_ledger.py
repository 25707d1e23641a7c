"""The ledger of input files (``search.ledger``; whoosh.md G9): a re-run skips the files
whose articles are all committed, and never skips one it should read."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from search import Article, Index, IndexingInterrupted
from search.check import verify
from search.cli import app
from search.ledger import Ledger, ledger_name, reading_context
from search.manifest import latest_generation, read_manifest
from search.models import FileRead
from search.readers import read_files


def run(*arguments: str):
    return CliRunner().invoke(app, list(arguments))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        lines = [json.dumps({"id": f"f{n}-{i}", "title": f"Hậu Giang {n}", "body": f"mưa lớn {i}"}) for i in range(3)]
        (folder / f"{n}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def files_read(index: Path) -> set[str]:
    with Index.open(index) as ix:
        return {Path(path).name for path in ix.file_ledger(reading_context({})).files}


def test_a_rerun_reads_no_file_and_the_ledger_is_part_of_the_commit(tmp_path, corpus):
    index = tmp_path / "ix"
    assert run("index", "--index", str(index), "--batch-size", "5", str(corpus)).exit_code == 0
    assert files_read(index) == {"0.jsonl", "1.jsonl", "2.jsonl", "3.jsonl"}
    generation = latest_generation(index)
    ledger = index / ledger_name("MAIN", generation)
    assert ledger.name in read_manifest(index, "MAIN", generation).files
    assert ledger.stat().st_mode & 0o777 == 0o600 and verify(index) == []
    assert sorted(p.name for p in index.glob("LEDGER-*")) == [ledger_name("MAIN", g) for g in (generation - 1, generation)]
    again = run("index", "--index", str(index), str(corpus))
    assert again.exit_code == 0 and "4 files already in the index as they are (not read again)" in again.stderr
    with Index.open(index) as ix:
        assert ix.count() == 12


def test_a_changed_file_is_read_again(tmp_path, corpus):
    index = tmp_path / "ix"
    run("index", "--index", str(index), str(corpus))
    with open(corpus / "2.jsonl", "a", encoding="utf-8") as file:
        file.write(json.dumps({"id": "new", "title": "Cần Thơ", "body": "nắng"}) + "\n")
    again = run("index", "--index", str(index), str(corpus))
    assert "1 added, 0 replaced, 3 unchanged, 0 skipped from 1 file" in again.stderr
    assert "3 files unchanged since indexed, not read" in again.stderr


def test_a_file_with_a_bad_line_is_read_and_named_again_every_run(tmp_path, corpus):
    (corpus / "bad.jsonl").write_text('{"id": "ok", "title": "Hà Nội", "body": "x"}\n{"id": oops\n', encoding="utf-8")
    index = tmp_path / "ix"
    first = run("index", "--index", str(index), str(corpus))
    second = run("index", "--index", str(index), str(corpus))
    assert first.exit_code == second.exit_code == 1
    skip = [line for line in first.stderr.splitlines() if "bad.jsonl:2" in line]
    assert skip and skip == [line for line in second.stderr.splitlines() if "bad.jsonl:2" in line]
    assert "bad.jsonl" not in files_read(index)


def test_other_field_mappings_read_every_file_again(tmp_path, corpus):
    index = tmp_path / "ix"
    run("index", "--index", str(index), str(corpus))
    remapped = run("index", "--index", str(index), "--field", "category=title", str(corpus))
    assert "not read" not in remapped.stderr and "12 replaced" in remapped.stderr


def test_a_deletion_drops_the_ledger_so_the_next_run_restores_the_article(tmp_path, corpus):
    index = tmp_path / "ix"
    run("index", "--index", str(index), str(corpus))
    assert run("delete", "--index", str(index), "f1-0").exit_code == 0
    assert files_read(index) == set()
    again = run("index", "--index", str(index), str(corpus))
    assert "1 added, 0 replaced, 11 unchanged" in again.stderr
    assert len(files_read(index)) == 4


def test_articles_added_through_the_api_commit_no_ledger(tmp_path, corpus):
    index = tmp_path / "ix"
    run("index", "--index", str(index), str(corpus))
    with Index.open(index) as ix:
        ix.add(Article("f0-0", "Hậu Giang 0", "đã sửa qua API"))
    again = run("index", "--index", str(index), str(corpus))
    assert "0 added, 1 replaced, 11 unchanged" in again.stderr  # the file's version is back


def test_an_interrupted_run_keeps_the_files_committed_before_it(tmp_path, corpus):
    index = tmp_path / "ix"
    context = reading_context({})

    def interrupted():
        for where, item in read_files([corpus], options=None):
            yield item
            if isinstance(item, FileRead) and Path(item.path).name == "2.jsonl":
                raise KeyboardInterrupt

    with Index.create(index) as ix:
        with pytest.raises(IndexingInterrupted):
            ix.add_many(interrupted(), batch_size=4, ledger=ix.file_ledger(context))
        # two batches of 4 committed; 1.jsonl was read whole before the second commit, 2.jsonl after it
        assert ix.count() == 8
    assert files_read(index) == {"0.jsonl", "1.jsonl"}
    resumed = run("index", "--index", str(index), str(corpus))
    assert resumed.exit_code == 0 and "4 added, 0 replaced, 2 unchanged" in resumed.stderr
    assert "2 files unchanged since indexed" in resumed.stderr
    with Index.open(index) as ix:
        assert ix.count() == 12


def test_falling_back_to_the_previous_commit_falls_back_to_its_ledger(tmp_path, corpus):
    index = tmp_path / "ix"
    run("index", "--index", str(index), str(corpus / "0.jsonl"))
    run("index", "--index", str(index), str(corpus / "1.jsonl"))
    toc = index / f"_MAIN_{latest_generation(index)}.toc"
    toc.write_bytes(toc.read_bytes()[:-1] + b"\0")  # the newest commit is damaged
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert files_read(index) == {"0.jsonl"}
    again = run("index", "--index", str(index), str(corpus / "0.jsonl"), str(corpus / "1.jsonl"))
    assert "warning: " in again.stderr and "3 added" in again.stderr and "1 file unchanged since indexed" in again.stderr
    with Index.open(index) as ix:
        assert ix.count() == 6 and not ix.recovered


def test_a_ledger_from_another_context_or_unreadable_is_empty(tmp_path):
    stamp = FileRead(str(tmp_path / "a.jsonl"), 3, 4)
    (tmp_path / ledger_name("MAIN", 1)).write_text(Ledger("one").with_files([stamp]).to_json())
    assert Ledger.load(tmp_path, "MAIN", 1, "one").files and not Ledger.load(tmp_path, "MAIN", 1, "two").files
    (tmp_path / ledger_name("MAIN", 1)).write_text('{"format": 1, "context": "one", "files": [1]}')
    assert not Ledger.load(tmp_path, "MAIN", 1, "one").files
    assert not Ledger.load(tmp_path, "MAIN", 2, "one").files


def test_a_file_is_stamped_before_it_is_read(tmp_path):
    """A file changed while it is read has a newer stamp than the one recorded: read again next time."""
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "a", "title": "Hà Nội", "body": "x"}\n', encoding="utf-8")
    before = os.stat(source)
    items = []
    for _, item in read_files([source]):
        if not isinstance(item, FileRead):
            os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
        items.append(item)
    (stamp,) = [item for item in items if isinstance(item, FileRead)]
    assert stamp.mtime_ns == before.st_mtime_ns
    assert not Ledger("c").with_files([stamp]).unchanged(source)
