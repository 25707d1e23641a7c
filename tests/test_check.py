"""Manifests and ``search check`` (whoosh.md G3): every damaged file is found and named, nothing hangs."""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from search import Article, Index
from search.check import Problem, verify, verify_toc
from search.manifest import latest_generation, manifest_name, read_manifest, write_current_manifest

FLIPS = 200
TIME_LIMIT = 10.0  # seconds per damaged copy
WORDS = "Hậu Giang Cần Thơ kinh tế xã hội nông dân lúa gạo tỉnh thành phố Việt Nam học sinh bệnh viện".split()


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory) -> Path:
    """Several segments, merges (many small commits) and deletions; a few hundred short articles."""
    path = tmp_path_factory.mktemp("check") / "ix"
    rng = random.Random(5)
    with Index.create(path) as ix:
        articles = [
            Article(id=f"a{i}", title=" ".join(rng.choices(WORDS, k=4)), body=" ".join(rng.choices(WORDS, k=30)))
            for i in range(240)
        ]
        ix.add_many(articles, batch_size=12)
        for i in range(0, 240, 17):
            ix.delete(f"a{i}")
        assert ix.count() == 240 - len(range(0, 240, 17))
    return path


def _index_files(path: Path) -> list[Path]:
    """Every file of the index with content (the lock file is empty)."""
    return sorted(f for f in path.iterdir() if f.is_file() and f.stat().st_size > 0)


def _verify_within_limit(path: Path) -> tuple[list[Problem], float]:
    """``verify`` in a thread: a case that hangs fails the test instead of stalling it."""
    outcome: list[object] = []
    start = time.monotonic()
    thread = threading.Thread(target=lambda: outcome.append(verify(path)), daemon=True)
    thread.start()
    thread.join(TIME_LIMIT)
    assert outcome, f"verify({path}) still running after {TIME_LIMIT} s"
    return outcome[0], time.monotonic() - start  # type: ignore[return-value]


def _damaged_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    target.chmod(0o700)
    return target


def _named(problems: list[Problem], file: Path) -> bool:
    return any(p.fatal and p.file == file.name for p in problems)


# -- a clean index ---------------------------------------------------------------


def test_a_clean_index_verifies_with_no_problems(fixture_index):
    assert verify(fixture_index) == []
    assert verify_toc(fixture_index) == []


def test_the_fixture_has_several_segments_merges_and_deletions(fixture_index):
    manifest = read_manifest(fixture_index, "MAIN", latest_generation(fixture_index))
    segments = {name.split(".")[0] for name in manifest.files if name.startswith("MAIN_")}
    commits = 240 // 12 + len(range(0, 240, 17))
    assert 1 < len(segments) < 240 // 12  # several segments, but fewer than commits: merged
    assert manifest.generation == commits
    assert manifest.documents == 240 - len(range(0, 240, 17))


def test_the_manifest_is_json_private_and_names_every_file_of_the_commit(fixture_index):
    generation = latest_generation(fixture_index)
    path = fixture_index / manifest_name("MAIN", generation)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_mode & 0o777 == 0o600
    assert {"format", "generation", "documents", "versions", "files", "sha256"} <= set(data)
    assert {"schema_version", "analyzer", "search", "whoosh"} <= set(data["versions"])
    on_disk = {f.name for f in fixture_index.iterdir() if f.name.startswith(("MAIN_", "_MAIN_", "search-index"))}
    assert set(data["files"]) == on_disk - {"MAIN_WRITELOCK"}
    assert {name.rsplit(".", 1)[1] for name in data["files"]} >= {"toc", "vpa", "vpd", "pst", "trm", "col"}


def test_old_manifests_go_with_their_tables_of_contents(fixture_index):
    manifests = sorted(f.name for f in fixture_index.glob("MANIFEST-*"))
    assert manifests == [manifest_name("MAIN", latest_generation(fixture_index))]


def test_a_new_index_has_its_first_manifest(tmp_path):
    with Index.create(tmp_path / "new"):
        pass  # Whoosh wrote the first table of contents; Index.create describes it
    assert verify(tmp_path / "new") == []
    (tmp_path / "new" / "MANIFEST-MAIN-0.json").unlink()
    assert verify(tmp_path / "new")[0].what.startswith("missing")
    write_current_manifest(tmp_path / "new")
    assert verify(tmp_path / "new") == []


def test_an_in_memory_index_commits_without_a_manifest(ram_index):
    ram_index.add(Article(id="x", title="Cần Thơ", body=""))
    assert ram_index.count() == 1


# -- damage ----------------------------------------------------------------------


def test_200_random_bit_flips_are_all_detected_and_named(fixture_index, tmp_path):
    rng = random.Random(20240605)
    files = [f.name for f in _index_files(fixture_index)]
    slowest = 0.0
    missed = []
    for case in range(FLIPS):
        copy = _damaged_copy(fixture_index, tmp_path / f"flip{case}")
        target = copy / rng.choice(files)
        data = bytearray(target.read_bytes())
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << (bit % 8)
        target.write_bytes(bytes(data))
        problems, seconds = _verify_within_limit(copy)
        slowest = max(slowest, seconds)
        if not _named(problems, target):
            missed.append((case, target.name, bit, problems))
        shutil.rmtree(copy)
    assert missed == [], f"{len(missed)} of {FLIPS} flips not named: {missed[:3]}"
    print(f"{FLIPS}/{FLIPS} flips detected; slowest verify {slowest:.2f} s")


@pytest.mark.parametrize("seed", range(10))
def test_truncated_files_are_detected_and_named(fixture_index, tmp_path, seed):
    rng = random.Random(seed)
    copy = _damaged_copy(fixture_index, tmp_path / "cut")
    target = copy / rng.choice([f.name for f in _index_files(fixture_index)])
    data = target.read_bytes()
    target.write_bytes(data[: rng.randrange(len(data))])
    problems, _ = _verify_within_limit(copy)
    assert _named(problems, target), problems


@pytest.mark.parametrize("seed", range(10))
def test_missing_files_are_detected_and_named(fixture_index, tmp_path, seed):
    rng = random.Random(seed)
    copy = _damaged_copy(fixture_index, tmp_path / "gone")
    target = copy / rng.choice([f.name for f in _index_files(fixture_index)])
    target.unlink()
    problems, _ = _verify_within_limit(copy)
    assert _named(problems, target), problems


def test_a_missing_table_of_contents_is_named(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "notoc")
    toc = next(copy.glob("_MAIN_*.toc"))
    toc.unlink()
    assert _named(verify(copy), toc)


def test_a_flipped_table_of_contents_is_caught_before_whoosh_reads_it(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "toc")
    toc = next(copy.glob("_MAIN_*.toc"))
    data = bytearray(toc.read_bytes())
    data[len(data) // 2] ^= 0x10
    toc.write_bytes(bytes(data))
    assert verify_toc(copy) == [Problem(toc.name, "checksum differs: the file is damaged")]


def test_an_index_without_a_manifest_says_how_to_fix_it(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "old")
    for manifest in copy.glob("MANIFEST-*"):
        manifest.unlink()
    (problem,) = verify_toc(copy)
    assert "older version" in problem.what and "--rebuild" in problem.what


def test_leftover_files_are_reported_but_not_fatal(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "left")
    (copy / "MAIN_zzzz.pst").write_bytes(b"junk")
    assert verify(copy) == [Problem("MAIN_zzzz.pst", verify(copy)[0].what, fatal=False)]


def test_a_segment_file_the_manifest_does_not_list_is_reported(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "extra")
    segment = next(copy.glob("MAIN_*.vpa")).name.split(".")[0]
    (copy / f"{segment}.extra").write_bytes(b"x")
    assert _named(verify(copy), copy / f"{segment}.extra")


# -- wired in: Index.create, Index.open, search check ------------------------------------------


def test_search_check_and_opening_a_damaged_index(tmp_path):
    from typer.testing import CliRunner

    from search import Article, Index, IndexDamagedError
    from search.cli import app

    path = tmp_path / "ix"
    with Index.create(path) as ix:
        assert Index.check(path) == []  # a new, empty index has a manifest too
        ix.add_many([Article(f"a{n}", f"Bài {n}", "Hậu Giang mưa lớn.") for n in range(30)], batch_size=10)
    (path / "README.md").write_text("what this folder is\n")  # not an index file: not judged
    runner = CliRunner()
    clean = runner.invoke(app, ["check", "--index", str(path)])
    assert (clean.exit_code, clean.stdout) == (0, "") and "intact" in clean.stderr
    arrays = sorted(path.glob("*.vpa"))[0]
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 1
    arrays.write_bytes(bytes(data))
    damaged = runner.invoke(app, ["check", "--index", str(path)])
    assert damaged.exit_code == 3
    assert damaged.stdout == f"{arrays.name}: checksum differs: the file is damaged\n"
    assert damaged.stderr.startswith(f"search: index {path} is damaged (1 problem)")
    toc = sorted(path.glob("_MAIN_*.toc"))[-1]
    data = bytearray(toc.read_bytes())
    data[len(data) // 2] ^= 1
    toc.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match="is damaged: _MAIN_"):
        Index.open(path)
    refused = runner.invoke(app, ["query", "--index", str(path), "mưa"])
    assert refused.exit_code == 3 and len(refused.stderr.splitlines()) == 1
