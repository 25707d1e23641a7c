"""Writers refuse an index on a network file system (whoosh.md G7): there the flock of the
write lock and fsync cannot be trusted. Readers never mind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import search.filesystems
from search import Article, Index, IndexOnNetworkError
from search.cli import app
from search.filesystems import mount_type, network_filesystem


def mounts_file(tmp_path: Path, *lines: str) -> Path:
    table = tmp_path / "mounts"
    table.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return table


def test_the_longest_mount_point_above_a_path_gives_its_type(tmp_path):
    share = tmp_path / "my share"
    (share / "ix").mkdir(parents=True)
    table = mounts_file(
        tmp_path,
        "/dev/sda1 / ext4 rw 0 0",
        f"server:/export {str(share).replace(' ', chr(92) + '040')} nfs4 rw 0 0",
        "tmpfs /dev/shm tmpfs rw 0 0",
    )
    assert mount_type(share / "ix", table) == "nfs4" and network_filesystem(share / "ix", table) == "nfs4"
    assert mount_type(share / "not yet" / "ix", table) == "nfs4"  # a folder to be created
    assert mount_type(tmp_path, table) == "ext4" and network_filesystem(tmp_path, table) is None
    assert mount_type(tmp_path, tmp_path / "no such table") is None


@pytest.fixture
def on_nfs(tmp_path, monkeypatch) -> Path:
    """``tmp_path / "share"`` as if it were an NFS mount."""
    share = tmp_path / "share"
    share.mkdir()
    with Index.create(share / "ix") as ix:  # written while it was local
        ix.add(Article("a", "Hậu Giang", "mưa lớn"))
    monkeypatch.setattr(search.filesystems, "MOUNTS", mounts_file(tmp_path, "/dev/sda1 / ext4 rw 0 0", f"srv:/x {share} nfs rw 0 0"))
    return share


def test_writers_refuse_a_network_file_system_and_readers_do_not(on_nfs, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "b", "title": "Cần Thơ", "body": "nắng"}\n', encoding="utf-8")
    runner = CliRunner()
    for command in (["index", str(source)], ["index", "--rebuild", str(source)], ["delete", "a"]):
        refused = runner.invoke(app, [command[0], "--index", str(on_nfs / "ix"), *command[1:]])
        assert refused.exit_code == 2, command
        (line,) = refused.stderr.splitlines()
        assert "is on a network file system (nfs)" in line and "--allow-network-fs" in line
    new = runner.invoke(app, ["index", "--index", str(on_nfs / "new"), str(source)])
    assert new.exit_code == 2 and not (on_nfs / "new").exists()
    found = runner.invoke(app, ["query", "--index", str(on_nfs / "ix"), "mưa"])
    assert found.exit_code == 0 and "Hậu Giang" in found.stdout
    allowed = runner.invoke(app, ["index", "--index", str(on_nfs / "ix"), "--allow-network-fs", str(source)])
    assert allowed.exit_code == 0 and "1 added" in allowed.stderr


def test_the_api_refuses_too_unless_allowed(on_nfs):
    with Index.open(on_nfs / "ix") as ix:
        with pytest.raises(IndexOnNetworkError):
            ix.add(Article("b", "Cần Thơ", "nắng"))
        assert ix.count() == 1
    with Index.open(on_nfs / "ix", allow_network_fs=True) as ix:
        ix.add(Article("b", "Cần Thơ", "nắng"))
        assert ix.count() == 2
