"""Manifests and ``search check`` (whoosh.md G3): every damaged file is found and named, nothing hangs."""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from search import Article, Index
from search.check import Problem, commit_problems, load_manifest, verify
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
    """``file`` named: as fatal when the newest commit uses it, as a damaged fallback otherwise."""
    newest = load_manifest(file.parent, None)
    fatal = isinstance(newest, list) or file.name in newest.files or file.name == manifest_name("MAIN", newest.generation)
    return any(p.file == file.name and (p.fatal or not fatal) for p in problems)


# -- a clean index ---------------------------------------------------------------


def test_a_clean_index_verifies_with_no_problems(fixture_index):
    assert verify(fixture_index) == []
    assert commit_problems(fixture_index, latest_generation(fixture_index)) == []


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
    previous = read_manifest(fixture_index, "MAIN", generation - 1)
    on_disk = {f.name for f in fixture_index.iterdir() if f.name.startswith(("MAIN_", "_MAIN_", "search-index"))}
    assert set(data["files"]) | set(previous.files) == on_disk - {"MAIN_WRITELOCK"}
    assert f"_MAIN_{generation - 1}.toc" not in data["files"]
    assert {name.rsplit(".", 1)[1] for name in data["files"]} >= {"toc", "vpa", "vpd", "pst", "trm", "col"}


def test_the_commit_before_the_newest_is_kept_and_older_ones_go(fixture_index):
    newest = latest_generation(fixture_index)
    manifests = sorted(f.name for f in fixture_index.glob("MANIFEST-*"))
    tocs = sorted(f.name for f in fixture_index.glob("_MAIN_*"))
    assert manifests == [manifest_name("MAIN", newest - 1), manifest_name("MAIN", newest)]
    assert tocs == [f"_MAIN_{newest - 1}.toc", f"_MAIN_{newest}.toc"]
    assert commit_problems(fixture_index, newest - 1) == []


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


@pytest.mark.parametrize("which", [0, 1])
def test_a_missing_table_of_contents_is_named(fixture_index, tmp_path, which):
    """The newest TOC missing is a commit that never reached its commit point: the one before
    it is the index (not fatal). The one before missing is a lost fallback (not fatal either)."""
    copy = _damaged_copy(fixture_index, tmp_path / "notoc")
    toc = copy / f"_MAIN_{latest_generation(copy) - which}.toc"
    toc.unlink()
    problems = verify(copy)
    assert [p.file for p in problems if not p.fatal and p.what.startswith("missing")] == [toc.name]
    assert not any(p.fatal for p in problems)


def test_a_flipped_table_of_contents_is_caught_before_whoosh_reads_it(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "toc")
    toc = copy / f"_MAIN_{latest_generation(copy)}.toc"
    data = bytearray(toc.read_bytes())
    data[len(data) // 2] ^= 0x10
    toc.write_bytes(bytes(data))
    assert commit_problems(copy, latest_generation(copy)) == [Problem(toc.name, "checksum differs: the file is damaged")]


def test_an_index_without_a_manifest_says_how_to_fix_it(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "old")
    for manifest in copy.glob("MANIFEST-*"):
        manifest.unlink()
    (problem,) = commit_problems(copy, latest_generation(copy))
    assert "older version" in problem.what and "--rebuild" in problem.what


def test_leftover_files_are_reported_but_not_fatal(fixture_index, tmp_path):
    copy = _damaged_copy(fixture_index, tmp_path / "left")
    (copy / "MAIN_zzzz.pst").write_bytes(b"junk")
    assert verify(copy) == [Problem("MAIN_zzzz.pst", verify(copy)[0].what, fatal=False)]
    assert verify(copy)[0].what.startswith("left over (4 bytes)")


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
    for toc in sorted(path.glob("_MAIN_*.toc")):  # the newest and the one kept before it
        data = bytearray(toc.read_bytes())
        data[len(data) // 2] ^= 1
        toc.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match="is damaged: _MAIN_"):
        Index.open(path)
    refused = runner.invoke(app, ["query", "--index", str(path), "mưa"])
    assert refused.exit_code == 3 and len(refused.stderr.splitlines()) == 1


# -- the commit before the newest: kept, and opened when the newest is damaged ---------------


def _three_commits(path: Path) -> None:
    with Index.create(path) as ix:
        ix.add_many([Article(f"a{n}", f"Bài {n}", "Hậu Giang mưa lớn.") for n in range(30)], batch_size=10)


def _new_files(path: Path, generation: int) -> list[Path]:
    """The files commit ``generation`` added (its new segment and its TOC)."""
    new = set(read_manifest(path, "MAIN", generation).files) - set(read_manifest(path, "MAIN", generation - 1).files)
    return [path / name for name in sorted(new)]


def _flip_middle(file: Path) -> None:
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 1
    file.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path, n: _flip_middle(path / f"_MAIN_{n}.toc"),
        lambda path, n: (path / f"MANIFEST-MAIN-{n}.json").unlink(),
        lambda path, n: _flip_middle(path / f"MANIFEST-MAIN-{n}.json"),
        lambda path, n: _new_files(path, n)[0].unlink(),
        lambda path, n: os.truncate(_new_files(path, n)[-2], 3),
    ],
    ids=["toc flipped", "manifest missing", "manifest flipped", "new segment file missing", "file truncated"],
)
def test_a_damaged_newest_commit_opens_the_one_before_with_a_warning(tmp_path, damage):
    from typer.testing import CliRunner

    from search import IndexRecoveredWarning
    from search.cli import app

    path = tmp_path / "ix"
    _three_commits(path)
    newest = latest_generation(path)
    damage(path, newest)
    with pytest.warns(IndexRecoveredWarning, match="the newest commit is damaged"):
        ix = Index.open(path)
    with ix:
        assert ix.recovered and ix.count() == 20  # the commit before the last batch
        assert ix.search("mưa", limit=100).total == 20
    said = CliRunner().invoke(app, ["query", "--index", str(path), "--json", "mưa"])
    assert said.exit_code == 0 and json.loads(said.stdout)["total"] == 20
    (warning,) = said.stderr.splitlines()
    assert warning.startswith(f"search: warning: index {path}: the newest commit is damaged")
    checked = CliRunner().invoke(app, ["check", "--index", str(path)])
    assert checked.exit_code == 3 and "the commit before it is intact" in checked.stderr
    with _quietly_open(path) as ix:
        ix.add_many([Article("b0", "Cần Thơ", "nắng")])  # the next commit writes over the damaged one
    assert latest_generation(path) == newest and verify(path) == []
    with Index.open(path) as ix:
        assert not ix.recovered and ix.count() == 21


def _quietly_open(path: Path) -> Index:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Index.open(path)


def test_a_reader_on_the_fallback_sees_the_commit_that_replaces_the_damaged_one(tmp_path):
    path = tmp_path / "ix"
    _three_commits(path)
    _flip_middle(path / f"_MAIN_{latest_generation(path)}.toc")
    reader = _quietly_open(path)
    with reader, _quietly_open(path) as writer:
        assert reader.count() == 20
        writer.add_many([Article("b0", "Cần Thơ", "nắng")])
        assert reader.count() == 21
