"""Does an article about a province rank above articles that only mention it?

    python benchmarks/place_queries.py ../shared/data/gold/metadata_dev.jsonl
    python benchmarks/place_queries.py benchmarks/gold/metadata_fresh.labels.jsonl --data ../shared/data

Indexes the gold set's articles with the metadata ``parse_article`` extracts, then queries
each province that some article is about (gold ``places``) by its name, as written and
without marks. Relevant: the articles whose gold ``places`` hold it; an article that only
mentions it (gold ``places_mentioned``) is not. The baseline is the same articles indexed
without their place tags, so ``ranking.place_bonus`` never applies. "contested" keeps the
provinces that some article mentions without being about it.

The place tags come from ``place_tags``, whose rules were written against the dev set: read
its gain as what the bonus does with good tags. The second set (labels only, the texts joined
from ``--data`` as ``metadata_eval`` does) was not used to write them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import markdown_table  # noqa: E402
from metadata_eval import join_texts  # noqa: E402
from relevance import ndcg_at_k  # noqa: E402

from search import Index, parse_article  # noqa: E402
from search.normalize import fold  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", type=Path, help="a gold JSONL file with places (metadata_dev.jsonl)")
    ap.add_argument("--data", type=Path, help="the shared data folder, for a labels-only gold file")
    args = ap.parse_args()
    items = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any("text" not in item for item in items):
        if args.data is None:
            raise SystemExit("this gold file has labels only: give --data ../shared/data to join the texts")
        join_texts(items, args.data)
    articles = [parse_article(i["text"], record_date=i.get("record_date"), id=i["id"]) for i in items]
    about: dict[str, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for place in item["gold"].get("places") or []:
            about[place].add(item["id"])
        for place in item["gold"].get("places_mentioned") or []:
            mentioned[place].add(item["id"])
    contested = {p for p in about if mentioned[p] - about[p]}
    rows = []
    for name, indexed in [("without place tags", [replace(a, places=()) for a in articles]), ("with place tags", articles)]:
        with Index.in_memory() as ix:
            ix.add_many(indexed)
            for mode, typed in [("as written", str), ("stripped", fold)]:
                scores = {p: ndcg_at_k([h.id for h in ix.search(typed(p), limit=10).hits], about[p]) for p in about}
                every = sum(scores.values()) / len(scores)
                disputed = sum(scores[p] for p in contested) / max(1, len(contested))
                rows.append([name, mode, every, disputed])
    print(f"## Place queries: {len(about)} provinces ({len(contested)} contested), {len(items)} articles\n")
    print(markdown_table(["index", "query", "nDCG@10 all", "nDCG@10 contested"], [[a, b, f"{c:.3f}", f"{d:.3f}"] for a, b, c, d in rows]))


if __name__ == "__main__":
    main()
