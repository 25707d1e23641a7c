"""Fielded search latency: the engine benchmark's queries with and without filters, and facets.

Needs an index built by ``search index`` over the shared data (so that places and dates come
from the records and from extraction), and the VietNews titles the engine benchmark draws its
queries from (same sampler, same seed):

    search index --index /tmp/full ../shared/data/vietnews ../shared/data/baomoi_magizbox \\
        ../shared/data/unc_dantri ../shared/data/vmds/articles.jsonl ../shared/data/web24h_sample
    python benchmarks/filters.py /tmp/full ../shared/data/vietnews

Each query runs four ways, one after the other so the machine's noise hits all alike: no
filter, a place filter (the index's ten commonest places in turn, merged units included), a
date range (one year, the commonest years in turn), and both. One warm-up pass, then one
timed pass. Then facet counting: each query's first syllable is searched with and without
``facets=place,author,category,month`` (limit 10); the difference is what facets cost.
Targets: filtered p95 ≤ 1.2 × unfiltered p95; facet counting p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import iter_records, log, markdown_table, percentile  # noqa: E402
from query_latency import sample_queries, syllables  # noqa: E402

from search import Index, QueryError  # noqa: E402

FACETS = ("place", "author", "category", "month")
TARGET_RATIO, TARGET_FACET_MS = 1.2, 300.0


def timed(ix: Index, query: str, **options: object) -> float | None:
    started = time.perf_counter()
    try:
        ix.search(query, limit=10, **options)
    except QueryError:
        return None
    return 1000 * (time.perf_counter() - started)


def variants(ix: Index) -> list[tuple[str, list[dict]]]:
    """The filter settings to cycle through, from the index's own commonest values."""
    top = ix.facets(["place", "year"], limit=10)
    places = [{"place": p} for p in top["place"]]
    years = [{"since": f"01/01/{y}", "until": f"31/12/{y}"} for y in top["year"]]
    both = [p | y for p, y in zip(places, years * 10)]
    return [("none", [{}]), ("place", places), ("date range", years), ("place + date", both)]


def run(ix: Index, queries: list[str], settings: list[tuple[str, list[dict]]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name, _ in settings}
    for n, query in enumerate(queries):
        for name, options in settings:
            ms = timed(ix, query, **options[n % len(options)])
            if ms is not None:
                times[name].append(ms)
    return times


def facet_times(ix: Index, queries: list[str]) -> tuple[list[float], list[float], list[int]]:
    plain, faceted, totals = [], [], []
    for query in queries:
        started = time.perf_counter()
        results = ix.search(query, limit=10)
        plain.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        ix.search(query, limit=10, facets=FACETS)
        faceted.append(1000 * (time.perf_counter() - started))
        totals.append(results.total)
    return plain, faceted, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", help="an index built by `search index` over the shared data")
    parser.add_argument("titles", help="VietNews folder, for the engine benchmark's query sampler")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    titles = [syllables(r["title"]) for r in iter_records(args.titles) if r.get("title")]
    queries = [q for _, q in sample_queries([t for t in titles if t], args.queries, args.seed)]
    with Index.open(args.index) as ix:
        log(f"{ix.count():,} documents; {len(queries)} queries")
        settings = variants(ix)
        log("filters: " + "; ".join(f"{name}: {opts[0]}" for name, opts in settings))
        ix.facets(FACETS)  # build the facet columns once, as a long-running process would have
        run(ix, queries, settings)  # warm-up
        times = run(ix, queries, settings)
        base = percentile(times["none"], 95)
        rows = [
            [name, len(t), f"{percentile(t, 50):.1f}", f"{percentile(t, 95):.1f}", f"{max(t):.0f}",
             f"{percentile(t, 95) / base:.2f}×"]
            for name, t in times.items()
        ]  # fmt: skip
        print(markdown_table(["filter", "queries", "p50 ms", "p95 ms", "max ms", "p95 / none"], rows))
        print(f"\ntarget: every filtered p95 ≤ {TARGET_RATIO} × the unfiltered p95\n")
        one = [q.split()[0] for q in queries]
        facet_times(ix, one)  # warm-up
        plain, faceted, totals = facet_times(ix, one)
        extra = [f - p for f, p in zip(faceted, plain)]
        rows = [
            ["search, no facets", f"{percentile(plain, 50):.1f}", f"{percentile(plain, 95):.1f}"],
            [f"search + facets {','.join(FACETS)}", f"{percentile(faceted, 50):.1f}", f"{percentile(faceted, 95):.1f}"],
            ["facet counting (difference)", f"{percentile(extra, 50):.1f}", f"{percentile(extra, 95):.1f}"],
        ]  # fmt: skip
        print(markdown_table(["one-syllable queries", "p50 ms", "p95 ms"], rows))
        print(f"\nmatches per query: median {sorted(totals)[len(totals) // 2]:,}, max {max(totals):,}; "
              f"target: facet counting p95 ≤ {TARGET_FACET_MS:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
