"""``kill -9`` against ``search index`` (issue 5 point 1; ``whoosh.md`` G1 and G9).

A child process runs the real CLI (``search index --batch-size 20``) over a generated
JSON Lines corpus (200 articles: 10 commits, with Whoosh merging segments) and is
killed with SIGKILL; then the index is looked at:

- it is readable: ``Index.check`` finds nothing fatal, ``Index.open`` opens the newest
  commit (no fallback: a process kill damages no commit, ``recovered`` is empty) and a
  search finds every document;
- nothing acknowledged is lost and no batch is half there: the documents are exactly
  the corpus up to the last acknowledged commit, or up to the commit in flight;
- the lock is free: the next run, with ``--lock-timeout 1``, gets it;
- that next run (the same command, run to completion) resumes without duplicates and
  leaves only the files of the commits kept: ``Index.check`` reports no leftover.

Half of the kills land on an exact step of a commit: the child announces every
``fsync``, rename, removal, segment flush and segment merge on stdout and waits for a
byte on stdin before doing it, and the parent kills it at a step picked at random (a
third of them among the steps of merging commits, the rest one kind of step as often as
another). The other half land at a random time, reading and analysis included. Every
other pair of runs starts from an index an earlier run built, and replaces and adds
articles. "Acknowledged" is ``BatchWriter.commit`` having returned: the child says
``ack <n>`` (corpus lines safely in) right after it. Two more tests kill at the steps
before the first commit (creating the index) and, twice over, the run that follows a
kill while it removes that kill's leftovers.

CI runs 40 kills; the soak version runs 500 and prints where they landed:

    SOAK=1 .venv/bin/python -m pytest tests/test_crash.py -q -s

A failure names its run and seed; ``CRASH_RUN=<n>`` runs that run alone (a stepped
kill lands on the same step again, a timed one elsewhere).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pytest
from typer.testing import CliRunner

from search import Index
from search.cli import app
from search.manifest import generations, manifest_name, toc_name

SOAK = bool(os.environ.get("SOAK"))
RUNS = 500 if SOAK else 40
SEED = 20240505
BATCH = 20
CORPUS_SIZE = 200  # 10 commits; Whoosh merges small segments along the way
PRIOR_SIZE = 100  # what an earlier run committed, in the runs that update an index
MERGE_SHARE = 1 / 3  # of the stepped kills, the share aimed at merging commits
TIMED_SHARE = 0.9  # timed kills land in this first part of an unpaused run
INDEX_NAME = "MAIN"
LOCK_FILES = {f"{INDEX_NAME}_WRITELOCK"}
MEMORY_FOLDER = "/dev/shm"

# The child: the real CLI, with sync points added (never behaviour changed). Every
# announced step waits for one byte on stdin when paused; "begin"/"end" bracket each
# commit and "ack <n>" follows each acknowledged one, in both modes.
CHILD = r"""
import os, sys
import search.cli, search.writer
from search.fastwriter import FastSegmentWriter

paused = sys.argv[1] == "paused"
where = {"commit": 0, "merge": 0}

def say(line):
    os.write(1, (line + "\n").encode())

def step(kind):
    if paused:
        say(f"step {kind} {where['commit']} {where['merge']}")
        if os.read(0, 1) != b"g":
            os._exit(70)  # the parent is gone

def announcing(kind, real):
    def announced(*args, **kwargs):
        step(kind)
        return real(*args, **kwargs)
    return announced

KINDS = {"fsync": "fsync", "replace": "rename", "rename": "rename", "remove": "remove", "unlink": "remove"}
for name, kind in KINDS.items():
    setattr(os, name, announcing(kind, getattr(os, name)))
FastSegmentWriter._flush_segment = announcing("flush", FastSegmentWriter._flush_segment)
real_add_reader, real_commit = FastSegmentWriter.add_reader, FastSegmentWriter.commit
real_acknowledge = search.writer.BatchWriter.commit

def add_reader(self, reader):  # Whoosh merging one segment into the new one
    where["merge"] = 1
    step("merge")
    return real_add_reader(self, reader)

def commit(self, *args, **kwargs):
    where["commit"] = 1
    say("begin")
    try:
        return real_commit(self, *args, **kwargs)
    finally:
        where["commit"] = where["merge"] = 0
        say("end")

def acknowledge(self, *args, **kwargs):
    real_acknowledge(self, *args, **kwargs)
    say(f"ack {self.added + self.replaced + self.unchanged}")

FastSegmentWriter.add_reader, FastSegmentWriter.commit = add_reader, commit
search.writer.BatchWriter.commit = acknowledge
say("ready")
if os.read(0, 1) != b"g":
    os._exit(70)
sys.argv = ["search", *sys.argv[2:]]
try:
    search.cli.main()
except SystemExit as finished:
    say(f"exit {finished.code}")
"""


# -- the corpus and what the index may hold --------------------------------------------


def doc_id(number: int) -> str:
    return f"d{number:04d}"


def record(number: int, version: int) -> str:
    words = ("mưa lớn", "ngập sâu", "giao thông", "thời tiết", "lúa gạo", "kênh rạch", "chợ nổi")
    body = f"Hậu Giang {words[number % 7]} ngày {number}, Cần Thơ {words[number // 7 % 7]}, tin số {number}."
    article = {"id": doc_id(number), "title": f"Bài {number} bản {version}", "body": f"{body} Bản {version}."}
    return json.dumps(article, ensure_ascii=False)


@dataclass(frozen=True)
class Scenario:
    """An index holding ``prior`` (id → version) before the killed run indexes ``corpus``."""

    name: str
    prior: dict[str, int]
    corpus: tuple[tuple[str, int], ...]

    def state_after(self, position: int) -> dict[str, int]:
        """What the index holds once the corpus is in up to ``position``."""
        state = dict(self.prior)
        state.update(self.corpus[:position])
        return state

    def commit_points(self) -> list[int]:
        """Corpus positions after each commit: every ``BATCH`` changed documents, and the end
        (an unchanged document is left alone and counts for no batch)."""
        points, pending = [0], 0
        for position, (id, version) in enumerate(self.corpus, 1):
            if self.prior.get(id) != version:
                pending += 1
                if pending == BATCH:
                    points.append(position)
                    pending = 0
        return points if points[-1] == len(self.corpus) else points + [len(self.corpus)]


FRESH = Scenario("fresh", {}, tuple((doc_id(n), 1) for n in range(CORPUS_SIZE)))
# An earlier run committed the first PRIOR_SIZE; this one changes every third of those and adds the rest.
UPDATE = Scenario(
    "update",
    {doc_id(n): 1 for n in range(PRIOR_SIZE)},
    tuple((doc_id(n), 2 if n % 3 == 0 or n >= PRIOR_SIZE else 1) for n in range(CORPUS_SIZE)),
)


def write_corpus(path: Path, versions: list[tuple[int, int]]) -> Path:
    path.write_text("".join(record(n, v) + "\n" for n, v in versions), encoding="utf-8")
    return path


def index_command(index: Path, corpus: Path) -> list[str]:
    return ["index", "--index", str(index), "--batch-size", str(BATCH), "--lock-timeout", "1", "--quiet", str(corpus)]


def held(ix: Index, ids: list[str]) -> dict[str, int]:
    """id → version of the documents ``ix`` holds among ``ids``."""
    found = {}
    for id in ids:
        article = ix.get(id)
        if article is not None:
            found[id] = int(article.title.rsplit(" ", 1)[1])
    return found


# -- the child process ------------------------------------------------------------------


Step = tuple[str, bool, bool]  # kind, inside a commit, inside a commit that merges segments


@dataclass
class Kill:
    """One run of the child, as the parent saw it until the child died."""

    acknowledged: int  # corpus lines in after the last acknowledged commit
    inside_commit: bool  # killed between a commit's start and its end
    finished: bool  # the run ended before the kill
    exit: str | None  # how it ended then (the CLI's exit code)
    steps: list[Step]  # the steps announced (paused runs), the last one where it was killed


class Child:
    """``search index`` in a child process, started ahead of its run (imports take most of
    its time): it waits for a byte before it starts indexing."""

    def __init__(self, paused: bool, command: list[str], log: Path) -> None:
        self.log = log
        with log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", CHILD, "paused" if paused else "free", *command],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
            )  # fmt: skip

    def start(self) -> None:
        ready = self._line()
        assert ready == "ready", f"the child did not start: {self.stderr()}"
        self._go()

    def run_to_step(self, target: int | None) -> Kill:
        """Let every step go until the ``target``-th (1-based; None: all of them), killing the child there."""
        lines: list[str] = []
        steps: list[Step] = []
        while line := self._line():
            lines.append(line)
            if line.startswith("step "):
                kind, commit, merge = line.split()[1:]
                steps.append((kind, commit == "1", merge == "1"))
                if len(steps) == target:
                    self.kill()
                    break
                self._go()
        return self._seen(lines, steps)

    def run_for(self, seconds: float) -> Kill:
        """Kill the child ``seconds`` after it started indexing (or let it finish first)."""
        time.sleep(seconds)
        self.kill()
        assert self.process.stdout is not None
        return self._seen(self.process.stdout.read().decode().splitlines(), [])

    def kill(self) -> None:
        """SIGKILL, unless it has ended already."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        self.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def _seen(self, lines: list[str], steps: list[Step]) -> Kill:
        self.close()
        acknowledged = [int(line.split()[1]) for line in lines if line.startswith("ack ")]
        brackets = [line for line in lines if line in ("begin", "end")]
        return Kill(
            acknowledged=acknowledged[-1] if acknowledged else 0,
            inside_commit=bool(brackets) and brackets[-1] == "begin",
            finished=any(line.startswith("exit ") for line in lines),
            exit=next((line.split()[1] for line in lines if line.startswith("exit ")), None),
            steps=steps,
        )

    def _go(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"g")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # it died on its own: its stderr says why

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().decode().strip()


# -- one run: kill, look, run again, look again -----------------------------------------


@dataclass(frozen=True)
class Calibration:
    """A whole run of a scenario: every step it announces, and how long it takes unpaused."""

    steps: list[Step]
    seconds: float
    commits: int


@dataclass(frozen=True)
class Case:
    number: int
    scenario: Scenario
    target: int | None  # the step to kill at, or None: a kill after ``delay`` seconds
    delay: float
    expected: Step | None = None  # the step the calibration saw there

    def describe(self) -> str:
        how = f"at step {self.target}" if self.target else f"after {self.delay:.3f} s"
        return f"run {self.number} (seed {SEED}, {self.scenario.name}, killed {how})"


def plan(number: int, calibrations: dict[str, Calibration]) -> Case:
    """Even runs are killed at a step, odd ones at a time; every other pair updates an index."""
    rng = random.Random(f"{SEED}:{number}")
    scenario = UPDATE if (number // 2) % 2 else FRESH
    calibration = calibrations[scenario.name]
    if number % 2:
        return Case(number, scenario, None, rng.uniform(0, TIMED_SHARE * calibration.seconds))
    # inside commits (the steps before one are the next test's)
    numbered = [(n, step) for n, step in enumerate(calibration.steps, 1) if step[1]]
    if rng.random() < MERGE_SHARE:
        candidates = [n for n, (_, _, merge) in numbered if merge]
    else:  # every kind of step as often, however many fsyncs there are
        kind = rng.choice(sorted({kind for _, (kind, _, _) in numbered}))
        candidates = [n for n, (other, _, _) in numbered if other == kind]
    target = rng.choice(candidates)
    return Case(number, scenario, target, 0.0, calibration.steps[target - 1])


class Workspace:
    """The corpora and the index an earlier run built, written once; one folder per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corpus = {
            FRESH.name: write_corpus(root / "fresh.jsonl", [(n, 1) for n in range(CORPUS_SIZE)]),
            UPDATE.name: write_corpus(root / "update.jsonl", [(int(i[1:]), v) for i, v in UPDATE.corpus]),
        }
        self.prior = root / "prior"
        prior_corpus = write_corpus(root / "prior.jsonl", [(int(i[1:]), v) for i, v in UPDATE.prior.items()])
        built = CliRunner().invoke(app, index_command(self.prior, prior_corpus))
        assert built.exit_code == 0, built.stderr

    def folder(self, number: int | str) -> Path:
        return self.root / f"run-{number}"

    def command(self, scenario: Scenario, number: int | str) -> list[str]:
        return index_command(self.folder(number) / "ix", self.corpus[scenario.name])

    def child(self, scenario: Scenario, number: int | str, paused: bool) -> Child:
        folder = self.folder(number)
        folder.mkdir(mode=0o700)
        if scenario.prior:
            shutil.copytree(self.prior, folder / "ix")
        return Child(paused, self.command(scenario, number), folder / "stderr")


def calibrate(workspace: Workspace, scenario: Scenario) -> Calibration:
    """Run the scenario whole, paused (to list its steps) and free (to time it)."""
    stepped = workspace.child(scenario, f"{scenario.name}-steps", paused=True)
    stepped.start()
    whole = stepped.run_to_step(None)
    assert whole.finished and whole.acknowledged == CORPUS_SIZE, stepped.stderr()
    timed = workspace.child(scenario, f"{scenario.name}-time", paused=False)
    timed.start()
    started = time.perf_counter()
    timed.process.wait()
    seconds = time.perf_counter() - started
    timed.close()
    assert timed.process.returncode == 0, timed.stderr()
    commits = len(scenario.commit_points()) - 1
    return Calibration(whole.steps, seconds, commits)


def look_after_kill(scenario: Scenario, kill: Kill, path: Path) -> tuple[list[str], int]:
    """What is wrong with the index right after the kill, and how many leftovers it holds."""
    points = scenario.commit_points()
    if kill.acknowledged not in points:
        return [f"acknowledged {kill.acknowledged} documents, not a commit point of {points}"], 0
    in_flight = [p for p in points if p > kill.acknowledged][:1]
    allowed = [scenario.state_after(cut) for cut in [kill.acknowledged, *in_flight]]
    if not Index.exists(path):
        return ([] if allowed[0] == {} else ["the index is gone"]), 0
    problems = Index.check(path)
    failures = [f"check: {p}" for p in problems if p.fatal]
    with Index.open(path) as ix:
        recovered = getattr(ix, "recovered", ())
        if recovered:
            failures.append(f"opened the previous commit: {'; '.join(map(str, recovered))}")
        state = held(ix, [id for id, _ in scenario.corpus])
        count = ix.count()
        # every document says "Hậu Giang" (an empty index is not searched: Whoosh gives it no segment)
        total = ix.search("hau giang", limit=1).total if count else 0
    if state not in allowed:
        holds = describe_state(scenario, state, allowed[0])
        failures.append(f"holds {holds}; acknowledged {kill.acknowledged}, in flight {in_flight}")
    if not count == total == len(state):
        failures.append(f"{count} documents, {total} found by a search, {len(state)} distinct ids")
    return failures, sum(1 for p in problems if not p.fatal)


def describe_state(scenario: Scenario, state: dict[str, int], expected: dict[str, int]) -> str:
    """Which part of the corpus the index holds, or how it differs from ``expected``."""
    for cut in range(len(scenario.corpus) + 1):
        if scenario.state_after(cut) == state:
            return f"the corpus up to line {cut}"
    differ = sorted(id for id in state.keys() | expected.keys() if state.get(id) != expected.get(id))
    return f"{len(state)} documents, no prefix of the corpus ({len(differ)} not as expected, e.g. {differ[:5]})"


def look_after_next_run(scenario: Scenario, path: Path, command: list[str]) -> list[str]:
    """Run the same command to completion; it must resume, and leave only kept commits."""
    started = time.monotonic()
    result = CliRunner().invoke(app, command)
    if result.exit_code != 0:
        seconds = time.monotonic() - started
        return [f"the next run exited {result.exit_code} after {seconds:.1f} s: {result.stderr.strip()}"]
    failures = [f"check after the next run: {p}" for p in Index.check(path)]
    if extra := sorted(set(os.listdir(path)) - kept_files(path)):
        failures.append(f"files no kept commit names: {extra}")
    with Index.open(path) as ix:
        state = held(ix, [id for id, _ in scenario.corpus])
        count = ix.count()
    whole = scenario.state_after(len(scenario.corpus))
    if state != whole or count != CORPUS_SIZE:
        failures.append(f"after the next run: {count} documents, {describe_state(scenario, state, whole)}")
    return failures


def kept_files(path: Path) -> set[str]:
    """The files of the newest commit and the one before it, the lock and the schema file."""
    kept = generations(path)
    names = {"search-index.json", *LOCK_FILES}
    for generation in kept:
        if generation < kept[0] - 1:
            continue  # an older commit: its files are not kept
        manifest = json.loads((path / manifest_name(INDEX_NAME, generation)).read_text(encoding="utf-8"))
        names |= {toc_name(INDEX_NAME, generation), manifest_name(INDEX_NAME, generation), *manifest["files"]}
    return names


@dataclass
class Tally:
    """The figures of a series of kills."""

    runs: int = 0
    inside_commit: int = 0
    finished: int = 0
    where: Counter[str] = field(default_factory=Counter)
    leftovers: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, case: Case, kill: Kill, leftovers: int, failures: list[str]) -> None:
        self.runs += 1
        self.inside_commit += kill.inside_commit
        self.finished += kill.finished
        if kill.finished:
            self.where["finished first"] += 1
        elif case.target is not None and kill.steps:
            kind, commit, merge = kill.steps[-1]
            self.where[f"step {kind}" + (" (merging)" if merge else "" if commit else " (outside a commit)")] += 1
        else:
            self.where["timed, " + ("inside a commit" if kill.inside_commit else "outside a commit")] += 1
        self.leftovers.append(leftovers)
        self.failures += [f"{case.describe()}: {failure}" for failure in failures]

    def merges(self) -> int:
        return sum(count for where, count in self.where.items() if "merging" in where)

    def table(self, seconds: float) -> str:
        rows = [
            ("runs", self.runs),
            ("kills inside a commit", self.inside_commit),
            ("kills in merging commits", self.merges()),
            ("runs that finished first", self.finished),
            ("non-fatal problems after a kill (max)", max(self.leftovers, default=0)),
            ("failures", len(self.failures)),
            ("seconds", f"{seconds:.1f}"),
        ] + sorted(self.where.items(), key=lambda item: -item[1])
        return "\n".join(f"  {label:<46} {value}" for label, value in rows)


def kill_and_look(
    workspace: Workspace, case: Case, child: Child, spawn_next: Callable[[], None]
) -> tuple[Kill, int, list[str]]:
    """Run ``case`` in ``child`` (started ahead), kill it, look, run again, look again."""
    child.start()
    kill = child.run_to_step(case.target) if case.target else child.run_for(case.delay)
    spawn_next()  # its imports overlap with the looking below
    path = workspace.folder(case.number) / "ix"
    try:
        failures, leftovers = look_after_kill(case.scenario, kill, path)
    except Exception as error:  # noqa: BLE001 - counted, reported with the run
        failures, leftovers = [f"after the kill: {raised(error)}"], 0
    try:
        failures += look_after_next_run(case.scenario, path, workspace.command(case.scenario, case.number))
    except Exception as error:  # noqa: BLE001
        failures.append(f"after the next run: {raised(error)}")
    if case.target is not None and kill.steps[-1:] != [case.expected]:
        failures.append(f"killed at {kill.steps[-1:]}, the calibration had {case.expected}: steps vary between runs")
    if kill.finished and kill.exit not in ("0", "None"):
        failures.append(f"the run exited {kill.exit}: {child.stderr()}")
    elif not kill.finished and child.process.returncode != -signal.SIGKILL:
        failures.append(f"the child died by itself ({child.process.returncode}): {child.stderr()}")
    if not failures:
        shutil.rmtree(workspace.folder(case.number))
    return kill, leftovers, failures


def raised(error: Exception) -> str:
    where = " < ".join(f"{f.name}:{f.lineno}" for f in reversed(traceback.extract_tb(error.__traceback__)[-4:]))
    return f"{type(error).__name__}: {error} (at {where})"


# -- the tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Iterator[Workspace]:
    """In memory when the system has a memory file system: a process kill leaves the same
    files there, and the commits' fsyncs cost nothing (they are for power losses)."""
    if Path(MEMORY_FOLDER).is_dir() and os.access(MEMORY_FOLDER, os.W_OK):
        root = Path(tempfile.mkdtemp(prefix="search-crash-", dir=MEMORY_FOLDER))
        yield Workspace(root)
        shutil.rmtree(root, ignore_errors=True)
    else:
        yield Workspace(tmp_path_factory.mktemp("crash"))


@pytest.fixture(scope="module")
def calibrations(workspace) -> dict[str, Calibration]:
    return {scenario.name: calibrate(workspace, scenario) for scenario in (FRESH, UPDATE)}


def test_the_child_announces_every_step_of_commits_and_merges(calibrations):
    for name, calibration in calibrations.items():
        kinds = Counter(kind for kind, _, _ in calibration.steps)
        assert calibration.commits >= (10 if name == FRESH.name else 5), name
        assert kinds["flush"] == calibration.commits, name  # one new segment per commit
        assert kinds["merge"] >= 3, name  # Whoosh merged segments, each announced
        assert kinds["fsync"] > 3 * calibration.commits and kinds["rename"] >= calibration.commits, name
        inside = sum(commit for _, commit, _ in calibration.steps)
        assert inside >= 0.9 * len(calibration.steps), name


def test_kill_9_loses_nothing_acknowledged_and_the_next_run_resumes(workspace, calibrations):
    only = os.environ.get("CRASH_RUN")
    numbers = [int(only)] if only else list(range(RUNS))
    cases = [plan(number, calibrations) for number in numbers]
    def spawn(case: Case) -> Child:
        return workspace.child(case.scenario, case.number, paused=case.target is not None)

    tally, started = Tally(), time.perf_counter()
    children = [spawn(cases[0])]
    try:
        for position, case in enumerate(cases):
            following = cases[position + 1 : position + 2]
            kill, leftovers, failures = kill_and_look(
                workspace, case, children[-1], lambda: children.extend(spawn(c) for c in following)
            )
            tally.add(case, kill, leftovers, failures)
    finally:
        for child in children:
            child.close()
    print(f"\nkill -9 against search index ({'soak' if SOAK else 'CI'}):\n{tally.table(time.perf_counter() - started)}")
    assert tally.failures == [], "\n".join(tally.failures[:20])
    if not only:
        assert tally.inside_commit >= tally.runs / 2
        assert tally.merges() >= (20 if SOAK else 3)


def test_a_kill_while_the_first_run_creates_the_index_blocks_no_later_run(workspace, calibrations):
    """Killed at each step before its first commit (Whoosh's first table of contents,
    ``search-index.json``, the first manifest): nothing was acknowledged, so there may be
    no index or an empty one, never one that is refused, and the next run indexes all."""
    steps = calibrations[FRESH.name].steps
    creating = range(1, next(n for n, (_, commit, _) in enumerate(steps, 1) if commit))
    assert len(creating) >= 2
    failures = []
    for target in creating:
        name = f"create-{target}"
        child = workspace.child(FRESH, name, paused=True)
        child.start()
        kill = child.run_to_step(target)
        path = workspace.folder(name) / "ix"
        try:
            failures += [f"step {target} {kill.steps[-1]}: {f}" for f in look_after_kill(FRESH, kill, path)[0]]
        except Exception as error:  # noqa: BLE001 - reported with the step
            failures.append(f"step {target} {kill.steps[-1]}, after the kill: {raised(error)}")
        failures += [f"step {target}: {f}" for f in look_after_next_run(FRESH, path, workspace.command(FRESH, name))]
    assert failures == [], "\n".join(failures)


def test_a_kill_while_the_next_run_removes_the_leftovers_loses_nothing(workspace, calibrations):
    """A run killed in a merging commit just before its manifest's rename leaves a new
    segment and a manifest's temp file; the next run, killed while it removes them (on
    taking the lock), leaves the first run's last acknowledged commit, and a third finishes."""
    steps = enumerate(calibrations[FRESH.name].steps, 1)
    target = next(n for n, (kind, _, merge) in steps if kind == "rename" and merge)
    first = workspace.child(FRESH, "leftovers", paused=True)
    first.start()
    kill = first.run_to_step(target)
    folder = workspace.folder("leftovers")
    corpus = workspace.corpus[FRESH.name]
    listed = run_paused(folder / "ix", folder / "listed", corpus, None)
    before_commits = listed.steps[: next(n for n, (_, commit, _) in enumerate(listed.steps) if commit)]
    removals = [n for n, (kind, _, _) in enumerate(before_commits, 1) if kind == "remove"]
    assert len(removals) >= 2, "the next run removed no leftovers before its first commit"
    failures = []
    for removal in (removals[0], removals[-1]):
        copy = folder / f"killed-at-{removal}"
        second = run_paused(folder / "ix", copy, corpus, removal)
        assert second.acknowledged == 0 and not second.inside_commit
        found = look_after_kill(FRESH, kill, copy)[0] + look_after_next_run(FRESH, copy, index_command(copy, corpus))
        failures += [f"killed at removal {removal}: {f}" for f in found]
    assert failures == [], "\n".join(failures)


def run_paused(original: Path, copy: Path, corpus: Path, target: int | None) -> Kill:
    """``search index`` of ``corpus`` on a copy of the index ``original``, killed at step ``target``."""
    shutil.copytree(original, copy)
    child = Child(True, index_command(copy, corpus), copy.parent / f"{copy.name}.stderr")
    child.start()
    return child.run_to_step(target)
