"""Simulated power loss: an index opens at an acknowledged commit, whatever I/O step the
power was lost at (issue 5 point 2; ``whoosh.md`` G2 tests (b) and (c)).

A workload (create, ten commits: one replaces articles, one deletes one and merges
segments) runs on ``storage_faults.StorageLayer``, which loses power
at I/O step k and rebuilds the folder from what was durable: the listing as of the
last fsync of the folder plus a random subset of the changes since, each file as of
its last fsync, never-synced files cut to a random length. The rebuilt index must
open (falling back to the commit before the newest with a warning, or intact) with
exactly the articles of the last acknowledged commit or of the one in flight, and the
next commit must leave it with no problem at all, leftovers included. Power lost
before the first commit is acknowledged (``Index.create`` included) is a test of its
own: the next run must then find an empty index, or none, and go on. (The index
folder itself is made before the layer is installed: its entry in the parent folder
is not simulated.)

Three quarters of the crash points fall on steps other than ``write`` calls (creates,
fsyncs, renames, removals: where commits differ), the rest on writes. Each point has
its own seed for the rebuild; a failure prints both. CI runs 200 points (four fifths
after the first commit, one fifth before it; ~15 s), the soak run 2,000:

    SOAK=1 .venv/bin/python -m pytest tests/test_power_loss.py -q -p no:cacheprovider

and one point is replayed with ``POWER_LOSS=<step>:<seed>`` (the same command, with
``-k first_commit`` or ``-k after_the_first``). The workload runs once per test: each
power loss happens in a child process forked at its step (``ForkedPowerLosses``); a
replay runs the plain way instead, the error handling unwinding under a dead layer. The
order in which Whoosh deletes files follows Python's string hashing, so an exact
replay of a removal step also needs the failing run's ``PYTHONHASHSEED``.

The five power-loss shapes of ``whoosh.md`` §3.4 (newest TOC empty or cut in half,
newest segment file cut in half, empty or missing) are fixed regression tests.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NoReturn

import pytest

from search import Article, Index, IndexRecoveredWarning
from search.manifest import latest_generation, read_manifest
from storage_faults import PowerLoss, PowerLossAt, Step, StorageLayer

SOAK = bool(os.environ.get("SOAK"))
CRASH_POINTS = 2_000 if SOAK else 200
SEED = 20250705
CHILD_SECONDS = 60  # for one power loss to be examined; more is a hang
State = dict[str, str]  # id → title of every live article


def articles(start: int, stop: int, version: str = "v1") -> list[Article]:
    return [
        Article(f"a{n}", f"Bài {n} {version}", f"Hậu Giang mưa lớn, tin số {n}. Cần Thơ ngập. " * 3)
        for n in range(start, stop)
    ]


@dataclass(frozen=True)
class Commit:
    """One acknowledged step of the workload and the articles it leaves."""

    name: str
    run: Callable[[Index], object]
    state: State


def _workload() -> list[Commit]:
    """Eight commits of five articles (the sixth also replaces two), a deletion (whose commit
    merges the eight small segments: ``search.merging``), then one more commit (which removes
    the merged segments, kept until then for the commit before it)."""
    commits, state = [], {}
    for batch in range(9):
        added = articles(5 * batch, 5 * batch + 5)
        if batch == 5:
            added += articles(3, 4, "v2") + articles(7, 8, "v2")
        state = {**state, **{a.id: a.title for a in added}}
        commits.append(Commit(f"add batch {batch}", lambda ix, a=added: ix.add_many(a, batch_size=1_000), state))
        if batch == 7:
            state = {k: v for k, v in state.items() if k != "a10"}
            commits.append(Commit("delete a10", lambda ix: ix.delete("a10"), state))
    return commits


WORKLOAD = _workload()
STATES: list[State] = [{}] + [c.state for c in WORKLOAD]  # [0]: the new, empty index
EVERY_ID = sorted({id for state in STATES for id in state} | {"after"})


def run_workload(path: Path, acknowledging: Callable[[], None] = lambda: None) -> int:
    """Run the workload on ``path`` until it ends or the power goes; returns how many of
    ``STATES`` were acknowledged (``acknowledging`` is called at each)."""
    acknowledged = 0
    try:
        with Index.create(path) as ix:
            acknowledged = 1
            acknowledging()
            for commit in WORKLOAD:
                commit.run(ix)
                acknowledged += 1
                acknowledging()
    except PowerLoss:
        pass
    return acknowledged


def live_articles(ix: Index) -> State:
    found = {id: ix.get(id) for id in EVERY_ID}
    return {id: article.title for id, article in found.items() if article is not None}


def problems_after_power_loss(path: Path, acknowledged: int) -> list[str]:
    """What is wrong with the rebuilt index at ``path`` (empty: nothing)."""
    allowed = [STATES[acknowledged - 1] if acknowledged else {}] + STATES[acknowledged : acknowledged + 1]
    fatal = [str(p) for p in Index.check(path) if p.fatal] if Index.exists(path) else []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with Index.open_or_create(path) as ix:  # what the next `search index` does
            state, count, recovered = live_articles(ix), ix.count(), ix.recovered
            if state in allowed and count == len(state):
                ix.add_many([Article("after", "Sau khi mất điện", "Hậu Giang")], lock_timeout=0)
    said = [str(w.message) for w in caught if issubclass(w.category, IndexRecoveredWarning)]
    if state not in allowed or count != len(state):
        return [f"opened {count} articles {_diff(state, allowed[-1])}, not an acknowledged commit"]
    if bool(said) != bool(recovered):
        return [f"recovered from {list(map(str, recovered))} but warned {said}"]
    if fatal and not recovered:
        return [f"opened without a warning, but Index.check says {fatal}"]
    after = [str(p) for p in Index.check(path)]
    return [f"after the next commit, Index.check says {after}"] if after else []


def _diff(state: State, expected: State) -> str:
    missing, extra = sorted(expected.keys() - state.keys()), sorted(state.keys() - expected.keys())
    changed = sorted(k for k in state.keys() & expected.keys() if state[k] != expected[k])
    return f"(vs the commit in flight: missing {missing}, extra {extra}, changed {changed})"


def examine(layer: StorageLayer, acknowledged: int, step: int, seed: int, folder: Path) -> list[str]:
    """Rebuild in ``folder`` what the disk holds after the power loss at ``step`` (seed
    ``seed``), then check it; the problems found, each naming the case."""
    rebuilt = folder / f"rebuilt-{step}-{seed}"
    decided = layer.rebuild(rebuilt, random.Random(seed))
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "fsync", lambda descriptor: None)  # how durable the rebuilt folder is is not tested
            problems = problems_after_power_loss(rebuilt, acknowledged)
    except Exception as error:  # noqa: BLE001 - every failure is reported with its case
        problems = [f"{type(error).__name__}: {error}"]
    if not problems:
        shutil.rmtree(rebuilt)
    case = f"POWER_LOSS={step}:{seed} at {layer.lost_power_at}, {acknowledged} states acknowledged"
    return [f"{case}: {p}; the rebuild: {'; '.join(decided[-12:])}" for p in problems]


def crash_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int, seed: int) -> list[str]:
    """One power loss the plain way: the workload runs until ``step``, every later I/O call
    fails, the error handling unwinds, then the rebuild is examined."""
    path = tmp_path / f"ix-{step}-{seed}"
    path.mkdir(mode=0o700)
    layer = StorageLayer(path, PowerLossAt(step))
    with monkeypatch.context() as patch:
        layer.install(patch)
        acknowledged = run_workload(path)
    return examine(layer, acknowledged, step, seed, tmp_path) if layer.lost_power_at else []


class ForkedPowerLosses:
    """A fault that loses the power at many steps of one run of the workload.

    At each chosen step a child process (``os.fork``) loses the power, rebuilds, examines
    and reports on a pipe, while this process goes on with the workload, so the workload
    runs once, not once per point (SQLite runs its crash tests in child processes too).
    The child never returns into the code it interrupted: a dead machine runs no error
    handling, and unwinding would flush buffers into file descriptions it shares with
    this process.
    """

    def __init__(self, points: list[tuple[int, int]], folder: Path) -> None:
        self.seeds: dict[int, list[int]] = {}
        for step, seed in points:
            self.seeds.setdefault(step, []).append(seed)
        self.folder = folder
        self.layer: StorageLayer | None = None
        self.acknowledged = 0
        self.failures: list[str] = []

    def acknowledging(self) -> None:
        self.acknowledged += 1

    def __call__(self, step: Step) -> BaseException | None:
        for seed in self.seeds.get(step.number, ()):
            read, write = os.pipe()
            child = os.fork()
            if child == 0:
                self._examine_in_child(step, seed, write)
            os.close(write)
            self.failures += self._answer(child, read, f"POWER_LOSS={step.number}:{seed}")
        return None

    def _examine_in_child(self, step: Step, seed: int, pipe: int) -> NoReturn:
        answer = [f"POWER_LOSS={step.number}:{seed}: the examination did not finish"]
        try:
            assert self.layer is not None
            self.layer.lose_power(step)
            self.layer.uninstall()
            answer = examine(self.layer, self.acknowledged, step.number, seed, self.folder)
        except BaseException as error:  # noqa: BLE001 - reported, never raised into the workload
            answer = [f"POWER_LOSS={step.number}:{seed}: {error!r}"]
        finally:
            data = json.dumps(answer).encode()
            while data:
                data = data[os.write(pipe, data) :]
            os._exit(0)

    @staticmethod
    def _answer(child: int, pipe: int, case: str) -> list[str]:
        with open(pipe, "rb") as answer:
            ready, _, _ = select.select([answer], [], [], CHILD_SECONDS)
            data = answer.read() if ready else None
        if data is None:
            os.kill(child, signal.SIGKILL)  # a hang is a failure of its own
        os.waitpid(child, 0)
        if data is None:
            return [f"{case}: no answer in {CHILD_SECONDS} s"]
        return json.loads(data) if data else [f"{case}: the child process died"]


def power_losses(points: list[tuple[int, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """Lose the power at each (step, seed) of ``points``; fail naming every failing point."""
    started = time.perf_counter()
    if replay := os.environ.get("POWER_LOSS"):
        step, seed = map(int, replay.split(":"))
        failures = crash_once(tmp_path, monkeypatch, step, seed)
    else:
        forked = ForkedPowerLosses(points, tmp_path)
        path = tmp_path / "ix"
        path.mkdir(mode=0o700)
        forked.layer = StorageLayer(path, forked)
        with monkeypatch.context() as patch:
            forked.layer.install(patch)
            assert run_workload(path, forked.acknowledging) == len(STATES)
        failures = forked.failures
    seconds = time.perf_counter() - started
    print(f"{what}: {len(points)} power losses, {len(failures)} failures, {seconds:.1f} s")
    assert not failures, f"{len(failures)} of {len(points)} power losses:\n" + "\n".join(failures[:10])


@dataclass(frozen=True)
class Run:
    """The I/O steps of one run of the workload with no fault, and the number of the step
    at which each state was acknowledged."""

    steps: list[Step]
    acknowledged_at: list[int]


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    path = tmp_path_factory.mktemp("clean") / "ix"
    path.mkdir(mode=0o700)
    layer = StorageLayer(path)
    marks: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        layer.install(patch)
        assert run_workload(path, lambda: marks.append(len(layer.steps))) == len(STATES)
    assert layer.files_not_seen == set()
    return Run(layer.steps, marks)


def crash_points(steps: list[Step], count: int, rng: random.Random) -> list[tuple[int, int]]:
    """``count`` (step number, seed) pairs among ``steps``: three quarters on steps other than writes."""
    others = [s.number for s in steps if s.kind != "write"]
    writes = [s.number for s in steps if s.kind == "write"]
    at_others = count * 3 // 4
    chosen = [rng.choice(others) for _ in range(at_others)] + [rng.choice(writes) for _ in range(count - at_others)]
    return [(step, rng.randrange(1 << 30)) for step in sorted(chosen)]


# -- the layer sees what it must ---------------------------------------------------------


def test_the_layer_sees_every_file_and_the_workload_merges_and_deletes(clean_run):
    steps = clean_run.steps
    kinds = {s.kind for s in steps}
    assert kinds == {"create", "open", "write", "fsync", "sync-folder", "rename", "remove"}
    renamed = [s.name for s in steps if s.kind == "rename"]
    assert sum(name.endswith(".toc") for name in renamed) == len(STATES)  # a commit point per commit and Index.create
    # a merge: segment files removed (a commit whose segments stay removes only old TOCs and manifests)
    assert any(s.kind == "remove" and s.name.endswith(".vpa") for s in steps)
    assert any(s.kind == "write" and s.name.startswith("MANIFEST-") for s in steps)


def test_a_rebuild_keeps_synced_content_and_cuts_what_was_never_synced(tmp_path, monkeypatch):
    path = tmp_path / "folder"
    path.mkdir()
    layer = StorageLayer(path, PowerLossAt(10))
    with monkeypatch.context() as patch:
        layer.install(patch)
        (path / "synced").write_bytes(b"durable")  # steps 1 create, 2 write
        with open(path / "synced", "rb+") as file:  # 3 open
            os.fsync(file.fileno())  # 4 fsync
        descriptor = os.open(path, os.O_RDONLY)
        os.fsync(descriptor)  # 5 sync-folder
        os.close(descriptor)
        (path / "synced").write_bytes(b"rewritten, never synced")  # 6 open, 7 write
        (path / "unsynced").write_bytes(b"x" * 100)  # 8 create, 9 write
        with pytest.raises(PowerLoss):
            os.remove(path / "synced")  # 10: the power goes
        with pytest.raises(PowerLoss):
            os.rename(path / "unsynced", path / "renamed")  # the machine is off: nothing more happens
    assert [s.kind for s in layer.steps] == [
        "create", "write", "open", "fsync", "sync-folder", "open", "write", "create", "write", "remove", "rename"
    ]  # fmt: skip
    assert (path / "synced").exists() and not (path / "renamed").exists()
    outcomes = set()
    for seed in range(40):
        rebuilt = tmp_path / f"after-{seed}"
        layer.rebuild(rebuilt, random.Random(seed))
        assert (rebuilt / "synced").read_bytes() == b"durable"
        unsynced = (rebuilt / "unsynced").read_bytes() if (rebuilt / "unsynced").exists() else None
        assert unsynced is None or unsynced == b"x" * len(unsynced)
        outcomes.add(None if unsynced is None else len(unsynced))
    assert None in outcomes and 0 in outcomes and len(outcomes) > 3  # lost, emptied, cut at various lengths


# -- power loss at random I/O steps -------------------------------------------------------


def test_power_loss_after_the_first_commit_leaves_an_acknowledged_commit(clean_run, tmp_path, monkeypatch):
    later = clean_run.steps[clean_run.acknowledged_at[1] :]
    points = crash_points(later, CRASH_POINTS * 4 // 5, random.Random(SEED))
    power_losses(points, tmp_path, monkeypatch, "later commits")


def test_power_loss_while_a_new_index_gets_its_first_commit_leaves_it_usable(clean_run, tmp_path, monkeypatch):
    """From the first I/O step of ``Index.create`` to the first commit acknowledged: the
    next run must open the folder empty (or create the index anew), never refuse it."""
    first = clean_run.steps[: clean_run.acknowledged_at[1]]
    points = crash_points(first, CRASH_POINTS // 5, random.Random(SEED + 1))
    power_losses(points, tmp_path, monkeypatch, "first commit")


# -- the five shapes of whoosh.md §3.4 ----------------------------------------------------


def _two_commits(path: Path) -> tuple[State, State]:
    with Index.create(path) as ix:
        ix.add_many(articles(0, 6))
        ix.add_many(articles(6, 12))
    return {a.id: a.title for a in articles(0, 6)}, {a.id: a.title for a in articles(0, 12)}


def _newest_segment_file(path: Path) -> Path:
    """The largest file the newest commit added (its new segment's)."""
    newest = latest_generation(path)
    added = set(read_manifest(path, "MAIN", newest).files) - set(read_manifest(path, "MAIN", newest - 1).files)
    return max((path / name for name in added if name.startswith("MAIN_")), key=lambda p: p.stat().st_size)


def _newest_toc(path: Path) -> Path:
    return path / f"_MAIN_{latest_generation(path)}.toc"


SHAPES = {
    "newest TOC 0 bytes": (_newest_toc, lambda data: b""),
    "newest TOC cut in half": (_newest_toc, lambda data: data[: len(data) // 2]),
    "newest segment file cut in half": (_newest_segment_file, lambda data: data[: len(data) // 2]),
    "newest segment file 0 bytes": (_newest_segment_file, lambda data: b""),
    "newest segment file missing": (_newest_segment_file, None),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_damaged_newest_commit_falls_back_to_the_one_before(tmp_path, shape):
    path = tmp_path / "ix"
    first, second = _two_commits(path)
    target, damage = SHAPES[shape]
    victim = target(path)
    if damage is None:
        victim.unlink()
    else:
        victim.write_bytes(damage(victim.read_bytes()))
    with pytest.warns(IndexRecoveredWarning) as said:
        ix = Index.open(path)
    with ix:
        assert live_articles(ix) == first and ix.count() == len(first)
        assert any(p.file == victim.name for p in ix.recovered), ix.recovered
        ix.add_many(articles(6, 12))  # the next commit writes the newest generation again
    assert len(said) == 1 and str(path) in str(said[0].message)
    assert Index.check(path) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with Index.open(path) as again:
            assert live_articles(again) == second and again.recovered == ()
