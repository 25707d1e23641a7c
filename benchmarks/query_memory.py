"""The heaviest queries the parser accepts, on a large index: time and extra heap of each
(whoosh.md G5/G8: ≤ 2 s, ≤ 100 MB extra heap per query).

Each query runs once to warm the index's caches (posting arrays, vocabulary, facet
columns: memory the index keeps, not the query), once timed, then once under
``tracemalloc`` (numpy reports its buffers to it): the peak above the heap before that
run is the query's extra heap. Prints a Markdown table:

    .venv/bin/python benchmarks/query_memory.py /tmp/bench/ours
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import log  # noqa: E402

from search import Index, QueryError  # noqa: E402

COMMON = "của và các có là được cho những với trong người không này một đã năm đến khi từ theo".split()
QUERIES = [
    ("one common word", "người", {}),
    ("broad prefix", "ng*", {}),
    ("broad prefix, accented", "nh*", {}),
    ("fuzzy, 2 edits", "nguyễn~2", {}),
    ("60 ORed common words", " OR ".join((COMMON * 3)[:60]), {}),
    ("phrase of common words", '"của các"', {}),
    ("deep nesting", "(" * 7 + "người" + " OR năm)" * 7, {}),
    ("common word, every facet", "người", {"facets": ("place", "author", "province", "category", "source", "month", "year")}),
    ("common word, sorted by date", "người", {"sort": "date"}),
    ("everything since 2000, every facet", "", {"since": "01/01/2000", "facets": ("place", "year")}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", help="an index built by `search index`")
    args = parser.parse_args()
    rows = []
    with Index.open(args.index) as ix:
        log(f"{ix.count():,} articles")
        for name, text, options in QUERIES:
            try:
                ix.search(text, limit=10, **options)  # warm-up
            except QueryError as error:
                rows.append((name, text, "refused", "", "", str(error)))
                continue
            started = time.perf_counter()
            found = ix.search(text, limit=10, **options)
            seconds = time.perf_counter() - started
            tracemalloc.start()  # a second run, traced (tracing slows it down)
            before = tracemalloc.get_traced_memory()[0]
            ix.search(text, limit=10, **options)
            peak = tracemalloc.get_traced_memory()[1] - before
            tracemalloc.stop()
            rows.append((name, text[:40], f"{seconds * 1000:.0f}", f"{peak / 2**20:.1f}", f"{found.total:,}", "cut short" if found.cut_short else ""))
    print("| query | text | ms | extra heap MB | hits | note |")
    print("|---|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
