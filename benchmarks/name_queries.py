"""Does the query that names a province or an author find the articles about it, or by them?

    python benchmarks/name_queries.py ../shared/data/gold/metadata_dev.jsonl
    python benchmarks/name_queries.py benchmarks/gold/metadata_fresh.labels.jsonl --data ../shared/data

Indexes the gold set's articles with the metadata ``parse_article`` extracts, then queries
each province some article is about (gold ``places``), and each author of some article
(gold ``author``), by the name alone, as written and without marks. Relevant: the articles
whose gold ``places`` (``author``) hold it; an article that only mentions a province (gold
``places_mentioned``) is not. The baseline is the same articles indexed without their place
tags (authors), so ``ranking.place_bonus`` (the ``Tagged`` author branch) never applies.
"contested" keeps the provinces some article mentions without being about them.

The tags come from ``place_tags`` and ``bylines``, whose rules were written against the dev
set: read its gain as what the ranking does with good tags. The second set (labels only, the
texts joined from ``--data`` as ``metadata_eval`` does) was not used to write them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import markdown_table  # noqa: E402
from metadata_eval import load_gold  # noqa: E402
from relevance import ndcg_at_k  # noqa: E402

from search import Index, parse_article  # noqa: E402
from search.normalize import fold  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="a gold JSONL file with places (metadata_dev.jsonl)")
    ap.add_argument("--data", type=Path, help="the shared data folder, for a labels-only gold file")
    args = ap.parse_args()
    items = load_gold(args.gold, args.data)
    articles = [parse_article(i["text"], record_date=i.get("record_date"), id=i["id"]) for i in items]
    rows = []
    for kind, gold, mentions, stripped in [("province", "places", "places_mentioned", "places"), ("author", "author", None, "authors")]:
        named: dict[str, set[str]] = defaultdict(set)
        mentioned: dict[str, set[str]] = defaultdict(set)
        for item in items:
            for name in item["gold"].get(gold) or []:
                named[name].add(item["id"])
            for name in (item["gold"].get(mentions) or []) if mentions else []:
                mentioned[name].add(item["id"])
        contested = {n for n in named if mentioned[n] - named[n]}
        for name, indexed in [(f"without {stripped}", [replace(a, **{stripped: ()}) for a in articles]), (f"with {stripped}", articles)]:
            with Index.in_memory() as ix:
                ix.add_many(indexed)
                for mode, typed in [("as written", str), ("stripped", fold)]:
                    scores = {n: ndcg_at_k([h.id for h in ix.search(typed(n), limit=10).hits], named[n]) for n in named}
                    every = sum(scores.values()) / len(scores)
                    disputed = f"{sum(scores[n] for n in contested) / len(contested):.3f}" if contested else ""
                    rows.append([f"{len(named)} {kind}s", name, mode, f"{every:.3f}", disputed])
    print(f"## Names as queries: {len(items)} articles\n")
    print(markdown_table(["queries", "index", "query", "nDCG@10", "nDCG@10 contested"], rows))

if __name__ == "__main__":
    main()
