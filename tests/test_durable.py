"""Durable commits (issue 5 point 2, first part): every file a commit names reaches the disk
before the commit point (the rename of its table of contents), and the folder after it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search import Article, Index


def articles(start: int, count: int) -> list[Article]:
    return [Article(f"a{n}", f"Bài {n}", f"Hậu Giang mưa lớn, tin số {n}.") for n in range(start, start + count)]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name what an fsync flushes")
def test_a_commit_flushes_every_file_it_names_before_its_commit_point(tmp_path, monkeypatch):
    path = tmp_path / "ix"
    with Index.create(path) as ix:
        ix.add_many(articles(0, 20), batch_size=10)
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    def replace(source, target, *args, **kwargs) -> None:
        events.append(("rename", str(target)))
        real_replace(source, target, *args, **kwargs)

    def rename(source, target, *args, **kwargs) -> None:
        events.append(("rename", str(target)))
        real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    with Index.open(path) as ix:
        ix.add_many(articles(20, 10))
    monkeypatch.undo()
    toc = max(path.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))
    manifest = json.loads((path / f"MANIFEST-MAIN-{toc.stem.rsplit('_', 1)[1]}.json").read_text())
    commit_point = events.index(("rename", str(toc)))
    flushed = {Path(target).name for kind, target in events[:commit_point] if kind == "fsync"}
    named = set(manifest["files"]) - {toc.name}
    assert named and named <= flushed, named - flushed
    assert any(name.startswith(toc.name) for name in flushed)  # the TOC's own temp file
    assert ("fsync", str(path)) in events[commit_point + 1 :]  # the rename itself made durable
    assert events.index(("rename", str(path / f"MANIFEST-MAIN-{toc.stem.rsplit('_', 1)[1]}.json"))) < commit_point
