"""Metadata extraction against a labelled gold set (``gold/metadata_dev.jsonl``).

    python benchmarks/metadata_eval.py ../shared/data/gold/metadata_dev.jsonl [--misses FIELD]
    python benchmarks/metadata_eval.py benchmarks/gold/metadata_fresh.labels.jsonl --data ../shared/data

Runs ``search.parse_article(text, record_date=…)`` on every item and prints a
Markdown table of per-field scores, overall and per corpus:

- ``date``, ``source``, ``dateline``, ``category``: exact match, null counts as a value;
- ``author``, ``places``, ``places_mentioned``: set F1, micro-averaged over items
  (sums of true/false positives and misses). Names are compared after our
  normalization (NFC, tone placement, lowercase), so ``Hoà``/``Hòa`` are one name.

``places_mentioned`` is the mechanical alias scan (``search.places.mentions``).
``--misses FIELD`` lists the items a field got wrong, with gold and found values.

A labels-only file (no ``text``; ours in ``benchmarks/gold/``, so no third-party text is
committed) is joined by id with the corpus records under ``--data``: the text is built as
LABELING.md says (title line, blank line, body; the body alone without a title).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from search import parse_article
from search.normalize import normalize
from search.places import mentions

EXACT = ("date", "source", "dateline", "category")
SETS = ("author", "places", "places_mentioned")
TARGETS = {
    "date": 0.98, "author": 0.90, "source": 0.85, "dateline": 0.95, "places": 0.80, "places_mentioned": 0.97,
}  # fmt: skip


def predict(item: dict) -> dict:
    article = parse_article(item["text"], record_date=item.get("record_date"))
    return {
        "date": article.date.isoformat() if article.date else None,
        "author": list(article.authors),
        "source": article.source,
        "dateline": article.dateline,
        "places": list(article.places),
        "places_mentioned": sorted({m.name for m in mentions(item["text"])}),
        "category": article.category,
    }


def name_set(values: list[str] | None) -> set[str]:
    return {normalize(v) for v in values or ()}


class Score:
    def __init__(self) -> None:
        self.right = self.total = 0
        self.tp = self.fp = self.fn = 0

    def add_exact(self, gold: object, found: object) -> bool:
        self.total += 1
        self.right += gold == found
        return gold == found

    def add_set(self, gold: list[str], found: list[str]) -> bool:
        g, f = name_set(gold), name_set(found)
        self.tp, self.fp, self.fn = self.tp + len(g & f), self.fp + len(f - g), self.fn + len(g - f)
        self.total += 1
        self.right += g == f
        return g == f

    def value(self, kind: str) -> float:
        if kind == "exact":
            return self.right / self.total if self.total else 0.0
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def detail(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return f"P {p:.3f} R {r:.3f}"


def evaluate(items: list[dict], show: str | None) -> tuple[dict, dict, float]:
    overall: dict[str, Score] = defaultdict(Score)
    per_corpus: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    started = time.perf_counter()
    for item in items:
        found, gold = predict(item), item["gold"]
        for field in EXACT + SETS:
            add = "add_exact" if field in EXACT else "add_set"
            ok = getattr(overall[field], add)(gold[field], found[field])
            getattr(per_corpus[item["corpus"]][field], add)(gold[field], found[field])
            if not ok and field == show:
                print(f"- {item['id']}: gold {gold[field]!r} found {found[field]!r}", file=sys.stderr)
    return overall, per_corpus, time.perf_counter() - started


def table(overall: dict, per_corpus: dict, items: int, seconds: float) -> list[str]:
    fields = ("date", "author", "source", "dateline", "places", "places_mentioned", "category")
    kind = {f: "exact" if f in EXACT else "set" for f in fields}
    rows = [
        "| corpus | items | " + " | ".join(fields) + " |",
        "|---|---|" + "---|" * len(fields),
    ]
    for corpus, scores in sorted(per_corpus.items()):
        n = scores["date"].total
        rows.append(f"| {corpus} | {n} | " + " | ".join(f"{scores[f].value(kind[f]):.3f}" for f in fields) + " |")
    rows.append(f"| **all** | {items} | " + " | ".join(f"**{overall[f].value(kind[f]):.3f}**" for f in fields) + " |")
    rows.append("| target | | " + " | ".join(f"≥ {TARGETS[f]}" if f in TARGETS else "" for f in fields) + " |")
    rows.append("")
    rows.append("Set fields (micro): " + "; ".join(f"{f} {overall[f].detail()}" for f in SETS))
    rows.append(f"{items} items in {seconds:.2f} s ({1000 * seconds / max(items, 1):.2f} ms per item)")
    return rows


CORPORA = {  # id prefix → the corpus files holding those records
    "baomoi-": ["baomoi_magizbox/baomoi.jsonl.gz"],
    "vietnews-": [f"vietnews/vietnews-0{n}.jsonl.gz" for n in range(4)],
    "unc-": ["unc_dantri/unc_dantri.jsonl.gz"],
    "vmds-": ["vmds/articles.jsonl"],
    "24h-": ["web24h_sample/24h_articles.jsonl.gz"],
}


def join_texts(items: list[dict], data: Path) -> None:
    """Fill ``text`` and ``record_date`` of labels-only items from the corpus records."""
    wanted = {item["id"]: item for item in items if "text" not in item}
    files = {f for prefix, names in CORPORA.items() if any(i.startswith(prefix) for i in wanted) for f in names}
    for name in sorted(files):
        with (gzip.open if name.endswith(".gz") else open)(data / name, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                item = wanted.pop(str(record.get("id")), None)
                if item is not None:
                    title, body = record.get("title"), record.get("body") or ""
                    item["text"] = f"{title}\n\n{body}" if title else body
                    item["record_date"] = record.get("date")
    if wanted:
        raise SystemExit(f"{len(wanted)} items not found under {data}: {', '.join(list(wanted)[:5])}")


def load_gold(gold: Path, data: Path | None) -> list[dict]:
    """The items of a gold file, the texts of a labels-only one joined from ``data``."""
    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any("text" not in item for item in items):
        if data is None:
            raise SystemExit("this gold file has labels only: give --data ../shared/data to join the texts")
        join_texts(items, data)
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="a gold JSONL file (metadata_dev.jsonl)")
    parser.add_argument("--misses", choices=EXACT + SETS, help="list the items this field got wrong (stderr)")
    parser.add_argument("--data", type=Path, help="the shared data folder, for a labels-only gold file")
    args = parser.parse_args()
    items = load_gold(args.gold, args.data)
    overall, per_corpus, seconds = evaluate(items, args.misses)
    print("\n".join(table(overall, per_corpus, len(items), seconds)))


if __name__ == "__main__":
    main()
