"""What durable commits cost (issue 5 point 2: commit time grows by ≤ 25 %).

Two indexes get the same batches of VietNews articles, in alternating order each round
so that the machine's noise falls on both:

- **durable**: our commit (every file the commit names fsynced, the manifest written and
  fsynced, the TOC's temp file fsynced, renamed, the folder fsynced, the commit before
  kept, leftovers removed);
- **plain**: the same writer with Whoosh's own ``_commit_toc`` (TOC written and renamed,
  older files deleted; no fsync, no manifest): what Whoosh gives.

Only ``commit()`` is timed (segment flush, merges and the commit protocol). Prints a
Markdown table. About a minute with the defaults:

    .venv/bin/python benchmarks/commit_cost.py /work/shared/data/vietnews --batches 60 --batch-size 200
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh.writing import SegmentWriter

sys.path.insert(0, str(Path(__file__).parent))
from common import corpus_files, iter_records, log  # noqa: E402

from search import Article, Index  # noqa: E402
from search.fastwriter import FastSegmentWriter  # noqa: E402

DURABLE_COMMIT_TOC = FastSegmentWriter._commit_toc


@contextmanager
def commits_timed(seconds: list[float], durable: bool) -> Iterator[None]:
    real_commit = FastSegmentWriter.commit

    def commit(self: FastSegmentWriter, *args: object, **kwargs: object) -> None:
        started = time.perf_counter()
        real_commit(self, *args, **kwargs)
        seconds.append(time.perf_counter() - started)

    FastSegmentWriter.commit = commit  # type: ignore[method-assign]
    FastSegmentWriter._commit_toc = DURABLE_COMMIT_TOC if durable else SegmentWriter._commit_toc  # type: ignore[method-assign]
    try:
        yield
    finally:
        FastSegmentWriter.commit = real_commit  # type: ignore[method-assign]
        FastSegmentWriter._commit_toc = DURABLE_COMMIT_TOC  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vietnews", help="folder of VietNews *.jsonl.gz shards")
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    wanted = args.batches * args.batch_size
    records = [r for path in corpus_files(args.vietnews) for r in iter_records(path, wanted)][:wanted]
    articles = [Article(r["id"], r.get("title") or "", r.get("body") or "") for r in records]
    batches = [articles[i : i + args.batch_size] for i in range(0, len(articles), args.batch_size)]
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as temp:
        indexes = {durable: Index.create(Path(temp) / ("durable" if durable else "plain")) for durable in (True, False)}
        for round_number, batch in enumerate(batches):
            for durable in (True, False) if round_number % 2 == 0 else (False, True):
                with commits_timed(times[durable], durable):
                    indexes[durable].add_many(batch, batch_size=len(batch))
            if round_number % 10 == 9:
                log(f"{round_number + 1} of {len(batches)} rounds")
        for ix in indexes.values():
            ix.close()
    print(f"{len(batches)} commits of {args.batch_size} VietNews articles into each index (merges included)\n")
    print("| commit | median ms | p95 ms | total s |")
    print("|---|---:|---:|---:|")
    for durable, name in ((False, "plain (Whoosh's commit)"), (True, "durable (ours)")):
        found = sorted(times[durable])
        p95 = found[int(0.95 * (len(found) - 1))]
        print(f"| {name} | {statistics.median(found) * 1000:.0f} | {p95 * 1000:.0f} | {sum(found):.2f} |")
    ratio = sum(times[True]) / sum(times[False])
    print(f"\ndurable / plain, total commit time: {ratio:.2f} (target ≤ 1.25)")


if __name__ == "__main__":
    main()
