"""Ctrl-C (SIGINT) against ``search index`` (issue 5 point 7): exit 130, one line on stderr,
every commit made before it kept, no half batch, the lock free, and the next run resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search import Index
from search.manifest import latest_generation

SEARCH = [sys.executable, "-c", "from search.cli import main; main()"]
BATCH = 50


@pytest.fixture
def corpus(tmp_path) -> Path:
    source = tmp_path / "in.jsonl"
    lines = (
        json.dumps({"id": f"a{n:04d}", "title": f"Hậu Giang tin {n}", "body": "Cần Thơ mưa lớn. " * 20})
        for n in range(1_000)
    )
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def _default_sigint() -> None:
    """A child started from a background job inherits SIGINT ignored; a terminal's Ctrl-C is not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupted_run(index: Path, corpus: Path, after_commits: int) -> subprocess.CompletedProcess[str]:
    """``search index`` sent SIGINT once the index holds ``after_commits`` commits (0: as soon
    as its folder exists, while the index is being created or the first batch read)."""
    child = subprocess.Popen(
        SEARCH + ["index", "--index", str(index), "--batch-size", str(BATCH), "--quiet", str(corpus)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_sigint,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if index.is_dir() and (not after_commits or (latest_generation(index) or 0) >= after_commits):
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=60)
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


@pytest.mark.parametrize("after_commits", [0, 3])
def test_ctrl_c_exits_130_and_keeps_every_commit(tmp_path, corpus, after_commits):
    index = tmp_path / "ix"
    result = interrupted_run(index, corpus, after_commits)
    assert result.returncode == 130, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("search: interrupted") and "Traceback" not in result.stderr
    if index.exists() and Index.exists(index):
        assert [p for p in Index.check(index) if p.fatal] == []
        with Index.open(index) as ix:
            kept = ix.count()
            assert kept % BATCH == 0  # whole batches only
            assert f"{kept} documents committed before are kept" in line or kept == 0
            ix.add_many([], lock_timeout=0.5)  # the lock is free
    resumed = subprocess.run(SEARCH + ["index", "--index", str(index), "--quiet", str(corpus)], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    with Index.open(index) as ix:
        assert ix.count() == 1_000
    assert Index.check(index) == []


def test_ctrl_c_just_after_a_commit_landed_counts_it(tmp_path, monkeypatch):
    """The interruption can come after the TOC is renamed into place but before the commit
    returns: that batch is kept, and the report must say so (a race CI once caught)."""
    from search import Article, IndexingInterrupted
    from search.fastwriter import FastSegmentWriter

    commit_toc = FastSegmentWriter._commit_toc
    landed = []

    def interrupted_after_the_second(self, segments):
        commit_toc(self, segments)
        landed.append(self.generation)
        if len(landed) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(FastSegmentWriter, "_commit_toc", interrupted_after_the_second)
    articles = [Article(id=f"a{n}", title=f"Tin {n}", body="Cần Thơ mưa lớn.") for n in range(12)]
    with Index.create(tmp_path / "ix") as ix:
        with pytest.raises(IndexingInterrupted) as raised:
            ix.add_many(articles, batch_size=5)
        assert raised.value.report.added == 10 == ix.count()
