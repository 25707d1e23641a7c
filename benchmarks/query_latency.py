"""Query latency on VietNews: our engine against plain Whoosh, warm, in-process.

Queries are 1-3 consecutive syllables from random titles (fixed seed); every
second one has its diacritics stripped with ``search.normalize.fold``; then quoted
phrases of 2-4 title syllables (``--phrases``), reported on a row of their own. Each
engine gets one warm-up pass over all queries, then one timed pass (the two
engines alternate query by query). Ours is timed around ``ix.search(q, limit=10)``;
the baseline around parse + search + reading the 10 hits' stored title. The
``search query`` CLI is timed as a shell command, cold, 5 runs.

    python benchmarks/query_latency.py /work/shared/data/vietnews \\
        --index-dir /tmp/bench/ours --baseline-dir /tmp/bench/baseline --build
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (  # noqa: E402
    BATCH_SIZE,
    BaselineSearcher,
    Progress,
    baseline_add_many,
    baseline_create,
    baseline_exists,
    baseline_open,
    iter_articles,
    iter_records,
    log,
    markdown_table,
    percentile,
)

from search import Index, IndexVersionError, QueryError  # noqa: E402
from search.normalize import fold  # noqa: E402

TARGET_P50_MS, TARGET_P95_MS, TARGET_CLI_S = 30.0, 150.0, 0.5


def syllables(title: str) -> list[str]:
    """Whitespace-split words with leading/trailing punctuation and symbols removed."""
    out = []
    for word in title.split():
        start, end = 0, len(word)
        while start < end and unicodedata.category(word[start])[0] in "PS":
            start += 1
        while end > start and unicodedata.category(word[end - 1])[0] in "PS":
            end -= 1
        if start < end:
            out.append(word[start:end])
    return out


def sample_queries(titles: list[list[str]], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, query) pairs; kind is "accented" or "stripped" (every second one)."""
    rng = random.Random(seed)
    queries = []
    for i in range(n):
        words = rng.choice(titles)
        k = min(rng.randint(1, 3), len(words))
        start = rng.randrange(len(words) - k + 1)
        text = " ".join(words[start : start + k])
        queries.append(("stripped", fold(text)) if i % 2 else ("accented", text))
    return queries


def sample_phrases(titles: list[list[str]], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` quoted phrases of 2-4 consecutive title syllables (their own seed: the other
    queries stay the same whatever ``n`` is)."""
    rng = random.Random(seed + 1)
    long_enough = [words for words in titles if len(words) >= 2]
    queries = []
    for _ in range(n):
        words = rng.choice(long_enough)
        k = min(rng.randint(2, 4), len(words))
        start = rng.randrange(len(words) - k + 1)
        queries.append(("quoted", '"' + " ".join(words[start : start + k]) + '"'))
    return queries


def prepare_ours(path: str, corpus: str, docs: int | None, expected: int, build: bool) -> Index:
    if Index.exists(path):
        try:
            ix = Index.open(path)
        except IndexVersionError as error:
            if not build:
                raise SystemExit(f"{error} (or pass --build)") from None
        else:
            if ix.count() == expected:
                log(f"ours: reusing {path} ({expected:,} docs)")
                return ix
            ix.close()
            if not build:
                raise SystemExit(f"{path} holds a different number of docs than {expected:,}; pass --build")
    elif not build:
        raise SystemExit(f"no index at {path}; pass --build to make one")
    log(f"ours: building {expected:,} docs into {path} ...")
    ix = Index.create(path, overwrite=True)
    report = ix.add_many(Progress("ours").wrap(iter_articles(corpus, docs)), batch_size=BATCH_SIZE)
    log(f"ours: {report.indexed:,} docs in {report.seconds:.0f} s")
    return ix


def prepare_baseline(path: str, corpus: str, docs: int | None, expected: int, build: bool):
    if baseline_exists(path):
        ix = baseline_open(path)
        if ix.doc_count() == expected:
            log(f"baseline: reusing {path} ({expected:,} docs)")
            return ix
        ix.close()
        if not build:
            raise SystemExit(f"{path} holds a different number of docs than {expected:,}; pass --build")
    elif not build:
        raise SystemExit(f"no baseline index at {path}; pass --build to make one")
    log(f"baseline: building {expected:,} docs into {path} ...")
    started = time.perf_counter()
    ix = baseline_create(path)
    baseline_add_many(ix, Progress("baseline").wrap(iter_articles(corpus, docs)), BATCH_SIZE)
    log(f"baseline: built in {time.perf_counter() - started:.0f} s")
    return baseline_open(path)


def time_cli(index_dir: str, query: str, runs: int) -> tuple[str, str]:
    """(median seconds or "-", note) for ``search query --index DIR query``."""
    exe = Path(sys.executable).parent / "search"
    if not exe.exists():
        return "-", f"skipped: {exe} is missing"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([str(exe), "query", "--index", index_dir, query],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):  # 1 = nothing found
            last = (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
            return "-", f"skipped: exit {done.returncode}: {last}"
    return f"{statistics.median(times):.3f}", f"median of {runs} runs, query {query!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="VietNews folder of *.jsonl.gz shards (or one JSONL file)")
    ap.add_argument("--index-dir", required=True, help="our index (reused if it holds the right doc count)")
    ap.add_argument("--baseline-dir", help="baseline index; omit to time ours only")
    ap.add_argument("--build", action="store_true", help="build missing or stale indexes")
    ap.add_argument("--docs", type=int, help="use only the first N articles (default: all)")
    ap.add_argument("--queries", type=int, default=300, help="number of queries (default 300)")
    ap.add_argument("--seed", type=int, default=13, help="sampling seed (default 13)")
    ap.add_argument("--phrases", type=int, default=100, help="quoted phrase queries, timed apart (default 100)")
    ap.add_argument("--cli-runs", type=int, default=5, help="runs of the search CLI (default 5)")
    args = ap.parse_args()

    log("reading titles ...")
    titles, count = [], 0
    for rec in iter_records(args.corpus, args.docs):
        count += 1
        words = syllables(rec.get("title") or "")
        if words:
            titles.append(words)
    queries = sample_queries(titles, args.queries, args.seed) + sample_phrases(titles, args.phrases, args.seed)
    log(f"{count:,} articles, {len(titles):,} usable titles, {len(queries)} queries")

    ours = prepare_ours(args.index_dir, args.corpus, args.docs, count, args.build)
    base = None
    if args.baseline_dir:
        base = BaselineSearcher(prepare_baseline(args.baseline_dir, args.corpus, args.docs, count, args.build))

    errors: list[tuple[str, str]] = []
    usable = []
    log("warm-up pass ...")
    for kind, q in queries:
        try:
            ours.search(q, limit=10)
            usable.append((kind, q))
        except QueryError as error:
            errors.append((q, str(error)))
        if base:
            base.search(q, limit=10)

    log("timed pass ...")
    times: dict[tuple[str, str], list[float]] = {}
    for kind, q in usable:
        started = time.perf_counter()
        ours.search(q, limit=10)
        times.setdefault(("ours", kind), []).append((time.perf_counter() - started) * 1000)
        if base:
            started = time.perf_counter()
            base.search(q, limit=10)
            times.setdefault(("baseline", kind), []).append((time.perf_counter() - started) * 1000)
    ours.close()
    if base:
        base.close()

    rows, stats = [], {}
    for engine in ("ours", "baseline") if base else ("ours",):
        for kind in ("accented", "stripped", "all", "quoted"):
            ms = times.get((engine, kind), []) if kind != "all" else (
                times.get((engine, "accented"), []) + times.get((engine, "stripped"), []))
            if not ms:
                continue
            stats[engine, kind] = (percentile(ms, 50), percentile(ms, 95), max(ms))
            rows.append([engine, kind, len(ms), *stats[engine, kind]])
    print(f"## Query latency: {count:,} VietNews articles, {len(usable)} queries, limit 10, warm\n")
    print(markdown_table(["engine", "queries", "n", "p50 ms", "p95 ms", "max ms"], rows))

    cli_median, cli_note = time_cli(args.index_dir, usable[0][1] if usable else "Hậu Giang", args.cli_runs)
    print(f"\n`search query --index DIR \"…\"` wall time: {cli_median} s ({cli_note})\n")

    p50, p95, _ = stats["ours", "all"]
    targets = [["ours p50 ≤ 30 ms", f"{p50:.1f} ms", "met" if p50 <= TARGET_P50_MS else "**MISSED**"],
               ["ours p95 ≤ 150 ms", f"{p95:.1f} ms", "met" if p95 <= TARGET_P95_MS else "**MISSED**"]]
    if base:
        ratio = p95 / stats["baseline", "all"][1]
        targets.append(["ours p95 ≤ 1/3 baseline p95", f"{ratio:.2f}×", "met" if ratio <= 1 / 3 else "**MISSED**"])
    if cli_median != "-":
        ok = float(cli_median) <= TARGET_CLI_S
        targets.append(["CLI median ≤ 0.5 s", f"{cli_median} s", "met" if ok else "**MISSED**"])
    else:
        targets.append(["CLI median ≤ 0.5 s", "-", "not measured"])
    print(markdown_table(["target", "value", "result"], targets))
    if errors:
        print(f"\nOurs raised QueryError on {len(errors)} queries (left out of both engines' timings):")
        for q, message in errors:
            print(f"- `{q}`: {message}")


if __name__ == "__main__":
    main()
