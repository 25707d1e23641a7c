"""A write the system refuses (disk full, permissions) while indexing: exit 74, one line,
the previous commit kept, the lock free (issue 5 point 7, first part)."""

from __future__ import annotations

import errno

import pytest
from typer.testing import CliRunner

import search.fastwriter
from search import Index
from search.cli import app


@pytest.mark.parametrize(
    "code, said",
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "writing is not permitted"), (errno.EIO, "the system refused a write")],
)
def test_a_refused_write_exits_74_and_keeps_the_previous_commit(tmp_path, monkeypatch, code, said):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(f'{{"id": "a{n}", "title": "Bài {n}", "body": "Hậu Giang"}}\n' for n in range(12)))
    real = search.fastwriter.write_segment_arrays
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second batch's segment
            raise OSError(code, "refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(search.fastwriter, "write_segment_arrays", failing)
    path = tmp_path / "ix"
    result = CliRunner().invoke(app, ["index", "--index", str(path), "--batch-size", "5", str(source)])
    assert result.exit_code == 74
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"search: cannot write the index {path}: {said}") and "previous commit is kept" in line
    monkeypatch.undo()
    assert [p for p in Index.check(path) if p.fatal] == []
    with Index.open(path) as ix:
        assert ix.count() == 5  # the first batch, committed before the failure
        ix.add_many([], lock_timeout=0.5)  # the lock is free
    again = CliRunner().invoke(app, ["index", "--index", str(path), str(source)])
    assert again.exit_code == 0 and "7 added, 0 replaced, 5 unchanged" in again.stderr
