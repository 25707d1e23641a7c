"""A write the system refuses (disk full, permissions) while indexing: exit 74, one line,
the previous commit kept, the lock free, and the next run cleans up (issue 5 point 7;
``whoosh.md`` G10).

Beyond the first test (one refused segment), ``storage_faults.StorageLayer`` refuses
the k-th write call of a run of ``search index`` (creating a file or writing to it) and
every one after it, the disk staying full, for k = 1 … K stepped to at most 60 runs; a
few points refuse opening a file instead (EACCES). Every run must exit 74 with one line,
leave the previous commit with all its articles, free the lock, and the next run must
succeed and leave no problem at all (no leftover either). Every k is run with ``SOAK=1``:

    SOAK=1 .venv/bin/python -m pytest tests/test_io_errors.py -q -p no:cacheprovider

Last, a real one: a child process under a small ``RLIMIT_FSIZE`` gets ``EFBIG`` from the
kernel while writing a segment.
"""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import search.fastwriter
from search import Index
from search.cli import app
from storage_faults import OPENS, Refusal, Step, StorageLayer

SOAK = bool(os.environ.get("SOAK"))
MAX_CASES = 60


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


# -- every write call of a run refused in turn ---------------------------------------------

FIRST, LATER = 5, 7  # articles of the commit kept, and of the run that fails


def jsonl(path: Path, count: int, words: int = 2, seed: int = 0) -> Path:
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        body = " ".join(f"từ{rng.randrange(1_000_000)}" for _ in range(words)) if words > 2 else "Hậu Giang"
        lines.append(json.dumps({"id": f"a{n}", "title": f"Bài {n}", "body": body}, ensure_ascii=False) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def index_run(path: Path, source: Path) -> object:
    return CliRunner().invoke(app, ["index", "--index", str(path), "--batch-size", "1000", str(source)])


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An index holding one commit of ``FIRST`` articles, and a file of those and ``LATER`` more."""
    folder = tmp_path_factory.mktemp("committed")
    path = folder / "ix"
    assert index_run(path, jsonl(folder / "first.jsonl", FIRST)).exit_code == 0
    return path, jsonl(folder / "all.jsonl", FIRST + LATER)


@pytest.fixture(scope="module")
def run_steps(committed: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> list[Step]:
    """The I/O steps of the second run when nothing is refused."""
    path, source = committed
    copy = tmp_path_factory.mktemp("clean") / "ix"
    shutil.copytree(path, copy)
    layer = StorageLayer(copy)
    with pytest.MonkeyPatch.context() as patch:
        layer.install(patch)
        assert index_run(copy, source).exit_code == 0
    assert layer.files_not_seen == set()
    return layer.steps


def refused_run(
    committed: tuple[Path, Path], folder: Path, refusal: Refusal, patch: pytest.MonkeyPatch
) -> list[str]:
    """Run ``search index`` with ``refusal`` in place, then check everything; the problems found."""
    path, source = committed
    copy = folder / f"ix-{refusal.code}-{refusal.at}"
    shutil.copytree(path, copy)
    with patch.context() as refusing:
        StorageLayer(copy, refusal).install(refusing)
        result = index_run(copy, source)
    refused = refusal.refused[0] if refusal.refused else "never reached"
    case = f"{errno.errorcode[refusal.code]} from write call {refusal.at} ({refused})"
    said = {errno.ENOSPC: "the disk is full", errno.EACCES: "writing is not permitted"}[refusal.code]
    lines = result.stderr.splitlines()
    expected = f"search: cannot write the index {copy}: {said}"
    if result.exit_code != 74 or len(lines) != 1 or not lines[0].startswith(expected):
        return [f"{case}: exit {result.exit_code}, stderr {result.stderr!r}, {result.exception!r}"]
    return [f"{case}: {problem}" for problem in problems_after_refusal(copy, source)]


def problems_after_refusal(path: Path, source: Path) -> list[str]:
    """The previous commit intact and the lock free; the next run succeeds and leaves no problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the previous commit is the newest intact one: no fallback
        with Index.open(path) as ix:
            kept = [id for id in (f"a{n}" for n in range(FIRST + LATER)) if ix.get(id)]
            count = ix.count()
            ix.add_many([], lock_timeout=0)  # the lock is free
    if count != FIRST or kept != [f"a{n}" for n in range(FIRST)]:
        return [f"{count} articles after the failed run: {kept}"]
    again = index_run(path, source)
    if again.exit_code != 0 or f"{LATER} added, 0 replaced, {FIRST} unchanged" not in again.stderr:
        return [f"the next run exits {again.exit_code}: {again.stderr!r}"]
    left = [str(p) for p in Index.check(path)]
    return [f"after the next run, Index.check says {left}"] if left else []


def calls_to_refuse(writes: list[Step]) -> list[int]:
    """Which write calls to refuse (counted from 1): with ``SOAK``, all; else every create and
    every write outside the segment files (the holder file, the manifest, the TOC), and
    evenly spaced segment writes up to ``MAX_CASES`` in all."""
    count = len(writes)
    if SOAK or count <= MAX_CASES:
        return list(range(1, count + 1))
    chosen = {n for n, step in enumerate(writes, 1) if step.kind == "create" or not step.name.startswith("MAIN_")}
    spaced = max(2, MAX_CASES - len(chosen))
    chosen |= {1 + round(i * (count - 1) / (spaced - 1)) for i in range(spaced)}
    return sorted(chosen)


def test_a_full_disk_at_any_write_call_exits_74_and_keeps_the_previous_commit(
    committed, run_steps, tmp_path, monkeypatch
):
    writes = [s for s in run_steps if s.kind in ("create", "write")]
    assert len(writes) > 100  # the holder file, every file of the new segment, the manifest, the TOC
    cases = calls_to_refuse(writes)
    assert len(cases) <= (len(writes) if SOAK else MAX_CASES)
    problems = [p for at in cases for p in refused_run(committed, tmp_path, Refusal(errno.ENOSPC, at), monkeypatch)]
    print(f"ENOSPC at {len(cases)} of {len(writes)} write calls: {len(problems)} problems")
    assert not problems, "\n".join(problems[:10])


def test_a_refused_open_exits_74_and_keeps_the_previous_commit(committed, run_steps, tmp_path, monkeypatch):
    opens = [s for s in run_steps if s.kind in OPENS]
    # the lock file, the holder file, the first segment file, the manifest's temp file, the TOC's temp file
    chosen = {1, 2}
    for prefix in ("MAIN_", "MANIFEST-", "_MAIN_"):
        chosen.add(1 + next(n for n, s in enumerate(opens) if s.kind == "create" and s.name.startswith(prefix)))
    assert len(chosen) == 5, opens
    refusals = [Refusal(errno.EACCES, at, OPENS) for at in sorted(chosen)]
    problems = [p for refusal in refusals for p in refused_run(committed, tmp_path, refusal, monkeypatch)]
    assert not problems, "\n".join(problems)


# -- a real limit: RLIMIT_FSIZE in a child process ------------------------------------------

FILE_SIZE_LIMIT = 16 * 1024  # bytes: above every file of the first commit, below the new segment's


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing us


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX resource limits")
def test_a_real_file_size_limit_exits_74_and_keeps_the_previous_commit(tmp_path):
    path = tmp_path / "ix"
    assert index_run(path, jsonl(tmp_path / "first.jsonl", FIRST)).exit_code == 0
    assert max(f.stat().st_size for f in path.iterdir()) < FILE_SIZE_LIMIT
    big = jsonl(tmp_path / "big.jsonl", 40, words=400, seed=1)  # new articles a5 … a39 of 400 random words
    command = [sys.executable, "-c", "from search.cli import main; main()", "index", "--index", str(path), str(big)]
    child = subprocess.run(
        command, preexec_fn=_limit_file_size, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    lines = child.stderr.splitlines()
    assert child.returncode == 74, child.stderr
    assert len(lines) == 1, lines
    said = "the disk is full (or a quota or file-size limit was hit)"
    assert lines[0].startswith(f"search: cannot write the index {path}: {said}"), lines
    with Index.open(path) as ix:
        assert ix.count() == FIRST and [ix.get(f"a{n}").body for n in range(FIRST)] == ["Hậu Giang"] * FIRST
    again = CliRunner().invoke(app, ["index", "--index", str(path), str(big)])
    assert again.exit_code == 0 and "35 added, 5 replaced" in again.stderr, again.stderr
    assert Index.check(path) == []
