"""Relevance (nDCG@10, recall@10) on a query set: our engine against plain Whoosh.

DATASET_DIR holds corpus.jsonl {"id","title","body"}, queries.jsonl {"id","text"}
and qrels.tsv (query_id TAB doc_id TAB 1). Every query runs as written and with
its diacritics stripped (``search.normalize.fold``); ``--modes`` adds the same
questions re-typed in Telex or VNI keystrokes (issue 6). Both engines get the same
text with query-syntax characters replaced by spaces (``common.sanitize``), so
both evaluate a plain OR of the question's words.

    python benchmarks/relevance.py /work/shared/data/vmds
    python benchmarks/relevance.py /work/shared/data/viquad --split test:
    python benchmarks/relevance.py /work/shared/data/viquad --split test: --engine ours \
        --modes "as written,stripped,telex,vni"
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (  # noqa: E402
    BaselineSearcher,
    baseline_add_many,
    baseline_create,
    iter_articles,
    iter_records,
    log,
    markdown_table,
    sanitize,
)

from search import Index, QueryError  # noqa: E402
from search.normalize import WORD, fold  # noqa: E402
from telex_guard import encode  # noqa: E402
from search.query import parse_query  # noqa: E402

K = 10
TARGETS = {  # dataset folder name -> (as written, stripped) nDCG@10 targets for ours
    "viquad": (0.78, 0.70),
    "vmds": (0.93, 0.93),
}


def ndcg_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def recall_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def load(dataset: Path, split: str | None, limit: int | None) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    qrels: dict[str, set[str]] = defaultdict(set)
    with open(dataset / "qrels.tsv", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and (len(parts) < 3 or float(parts[2]) > 0):
                qrels[parts[0]].add(parts[1])
    queries = [(r["id"], r["text"]) for r in iter_records(dataset / "queries.jsonl")
               if (split is None or r["id"].startswith(split)) and r["id"] in qrels]
    return queries[:limit] if limit else queries, qrels


class Ours:
    name = "ours"

    def __init__(self, corpus: Path) -> None:
        self.ix = Index.in_memory()
        report = self.ix.add_many(iter_articles(corpus))
        log(f"ours: {report.indexed:,} docs in {report.seconds:.1f} s, skipped {len(report.skipped)}")

    def search(self, text: str) -> list[str]:
        return [hit.id for hit in self.ix.search(text, limit=K).hits]


class Baseline:
    name = "baseline"

    def __init__(self, corpus: Path) -> None:
        started = time.perf_counter()
        ix = baseline_create(None)  # RamStorage
        count = baseline_add_many(ix, iter_articles(corpus))
        log(f"baseline: {count:,} docs in {time.perf_counter() - started:.1f} s")
        self.searcher = BaselineSearcher(ix)

    def search(self, text: str) -> list[str]:
        return [doc_id for doc_id, _title in self.searcher.search(text, limit=K)]


MODES = ("as written", "stripped", "telex", "vni")


def as_typed(text: str, mode: str) -> str:
    """The question as a user would type it: as written, without marks, or every word in Telex
    or VNI keystrokes (``telex_guard.encode``, tone key last)."""
    if mode == "stripped":
        return fold(text)
    if mode in ("telex", "vni"):
        rng = random.Random(text)
        return WORD.sub(lambda m: encode(m.group(), mode, rng), text)
    return text


def evaluate(engine, queries, qrels, mode: str, failures: list) -> tuple[float, float, float, int]:
    """Mean nDCG@10, mean recall@10, mean ms per query and error count; a failing query scores 0."""
    ndcg = recall = 0.0
    errors = 0
    started = time.perf_counter()
    for qid, text in queries:
        q = sanitize(as_typed(text, mode))
        try:
            ranked = engine.search(q)
        except QueryError as error:
            errors += 1
            failures.append((engine.name, mode, qid, q, f"QueryError: {error}"))
            continue
        except Exception:  # an engine crash: report it with its traceback, count the query as 0
            errors += 1
            failures.append((engine.name, mode, qid, q, traceback.format_exc()))
            continue
        ndcg += ndcg_at_k(ranked, qrels[qid])
        recall += recall_at_k(ranked, qrels[qid])
    ms = (time.perf_counter() - started) * 1000 / max(1, len(queries))
    n = max(1, len(queries))
    return ndcg / n, recall / n, ms, errors


def raw_query_errors(queries) -> list[tuple[str, str, str]]:
    """Queries that our parser rejects when given unsanitized (for information only)."""
    bad = []
    for qid, text in queries:
        for q in (text, fold(text)):
            try:
                parse_query(q)
            except QueryError as error:
                bad.append((qid, q, str(error)))
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dataset", type=Path, help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    ap.add_argument("--split", help='only queries whose id starts with this (viquad: "test:"); default all')
    ap.add_argument("--engine", choices=("ours", "baseline", "both"), default="both")
    ap.add_argument("--limit-queries", type=int, help="evaluate only the first N queries")
    ap.add_argument("--modes", default="as written,stripped",
                    help=f"comma-separated, of: {', '.join(MODES)} (telex/vni: every word re-typed in keystrokes)")
    args = ap.parse_args()

    queries, qrels = load(args.dataset, args.split, args.limit_queries)
    corpus = args.dataset / "corpus.jsonl"
    log(f"{len(queries):,} queries with judgements")
    engines = []
    if args.engine in ("baseline", "both"):
        engines.append(Baseline(corpus))
    if args.engine in ("ours", "both"):
        engines.append(Ours(corpus))

    rows, failures, results = [], [], {}
    for engine in engines:
        for mode in args.modes.split(","):
            log(f"{engine.name}, {mode} ...")
            results[engine.name, mode] = evaluate(engine, queries, qrels, mode, failures)
            ndcg, recall, ms, errors = results[engine.name, mode]
            rows.append([engine.name, mode, len(queries), f"{ndcg:.4f}", f"{recall:.4f}", f"{ms:.1f}", errors])

    split = f", split `{args.split}`" if args.split else ""
    print(f"## Relevance: {args.dataset.name}{split}, {len(queries):,} queries, top {K}\n")
    print(markdown_table(["engine", "query", "n", f"nDCG@{K}", f"recall@{K}", "ms/query", "errors"], rows))

    targets = TARGETS.get(args.dataset.name)
    if targets and ("ours", "as written") in results:
        print()
        print(markdown_table(["target (ours nDCG@10)", "value", "result"], [
            [f"{mode} ≥ {goal}", f"{results['ours', mode][0]:.4f}",
             "met" if results["ours", mode][0] >= goal else "**MISSED**"]
            for mode, goal in zip(("as written", "stripped"), targets)
        ]))

    written = results.get(("ours", "as written"))
    if written and len(results) > 1:
        print("\n" + markdown_table(["ours, query typed", "nDCG@10 / as written"], [
            [mode, f"{results['ours', mode][0] / written[0]:.3f}"]
            for (name, mode) in results if name == "ours" and mode != "as written"
        ]))

    if failures:
        print(f"\n{len(failures)} query failures (scored 0):\n")
        for name, mode, qid, q, message in failures:
            print(f"- {name}, {mode}, `{qid}` `{q}`:\n```\n{message.strip()}\n```")
    if any(e.name == "ours" for e in engines):
        bad = raw_query_errors(queries)
        print(f"\nUnsanitized, our parser would reject {len(bad)} of {2 * len(queries):,} query texts"
              + (":" if bad else "."))
        for qid, q, message in bad[:20]:
            print(f"- `{qid}` `{q}`: {message}")
        if len(bad) > 20:
            print(f"- … and {len(bad) - 20} more")


if __name__ == "__main__":
    main()
