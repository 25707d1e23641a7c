"""Indexing speed, peak memory and index size: our engine against plain Whoosh.

Each build runs in a fresh child process (this script with --child), so the peak
RSS reported is that child's own ru_maxrss. Both engines stream the same first N
VietNews articles from the gzip shards; a third child only reads them, to show
how much of each build is reading and JSON parsing.

    python benchmarks/index_speed.py /work/shared/data/vietnews --docs 20000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (  # noqa: E402
    BATCH_SIZE,
    Progress,
    baseline_add_many,
    baseline_create,
    dir_size_mb,
    iter_articles,
    log,
    markdown_table,
    peak_rss_mb,
)

ENGINES = ("read-only", "baseline", "ours")
TARGET_SPEED = 1.5  # ours docs/s >= 1.5 x baseline
TARGET_RSS_MB = 1024.0
TARGET_SIZE = 2.0  # ours size <= 2 x baseline


def child(engine: str, corpus: str, docs: int, out: str) -> dict:
    """Build one index (or only read) and return its measurements."""
    progress = Progress(engine, every=5_000)
    articles = progress.wrap(iter_articles(corpus, docs))
    started = time.perf_counter()
    if engine == "read-only":
        count = sum(1 for _ in articles)
    elif engine == "baseline":
        ix = baseline_create(out)
        count = baseline_add_many(ix, articles, BATCH_SIZE)
        ix.close()
    else:
        from search import Index

        ix = Index.create(out, overwrite=True)
        report = ix.add_many(articles, batch_size=BATCH_SIZE)
        ix.close()
        count = report.indexed
        if report.skipped:
            log(f"  ours skipped {len(report.skipped)}: {report.skipped[:3]}")
    seconds = time.perf_counter() - started
    return {
        "engine": engine,
        "docs": count,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "size_mb": dir_size_mb(out) if engine != "read-only" else 0.0,
    }


def run_child(engine: str, corpus: str, docs: int, out: str) -> dict:
    log(f"{engine}: building {docs:,} docs in a fresh process ...")
    cmd = [sys.executable, os.path.abspath(__file__), corpus, "--docs", str(docs),
           "--child", engine, "--out", out]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{engine} child failed with exit code {done.returncode}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"{engine}: {result['docs']:,} docs in {result['seconds']:.1f} s, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB, size {result['size_mb']:.1f} MB")
    return result


def verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="VietNews folder of *.jsonl.gz shards (or one JSONL file)")
    ap.add_argument("--docs", type=int, default=20_000, help="index the first N articles (default 20000)")
    ap.add_argument("--workdir", help="where to build the indexes (default: a temp dir, removed after)")
    ap.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.docs, args.out)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-index-", dir=args.workdir) as tmp:
        results = {e: run_child(e, args.corpus, args.docs, str(Path(tmp) / e)) for e in ENGINES}

    rows = []
    for engine in ENGINES:
        r = results[engine]
        rows.append([engine, r["docs"], r["seconds"], r["docs"] / r["seconds"], r["peak_rss_mb"],
                     r["size_mb"] if engine != "read-only" else "-"])
    ours, base = results["ours"], results["baseline"]
    speed = (ours["docs"] / ours["seconds"]) / (base["docs"] / base["seconds"])
    rss = ours["peak_rss_mb"] / base["peak_rss_mb"]
    size = ours["size_mb"] / base["size_mb"]
    rows.append(["**ours / baseline**", "", f"{ours['seconds'] / base['seconds']:.2f}×",
                 f"{speed:.2f}×", f"{rss:.2f}×", f"{size:.2f}×"])
    print(f"## Indexing: first {args.docs:,} VietNews articles, batch {BATCH_SIZE:,}\n")
    print(markdown_table(["engine", "docs", "seconds", "docs/s", "peak RSS MB", "index size MB"], rows))
    print()
    print(markdown_table(["target", "value", "result"], [
        ["ours docs/s ≥ 1.5 × baseline", f"{speed:.2f}×", verdict(speed >= TARGET_SPEED)],
        ["ours peak RSS ≤ 1 GB", f"{ours['peak_rss_mb']:.0f} MB", verdict(ours["peak_rss_mb"] <= TARGET_RSS_MB)],
        ["ours size ≤ 2 × baseline", f"{size:.2f}×", verdict(size <= TARGET_SIZE)],
    ]))
    print("\nSeconds include streaming and JSON-parsing the gzip shards (see the read-only row); "
          "ours replaces by id (delete_by_term per document), the baseline only adds.")


if __name__ == "__main__":
    main()
