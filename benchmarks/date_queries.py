"""Does a date typed among the words find the articles that mention that day, however written?

    python benchmarks/date_queries.py /work/shared/data --index /tmp/date-ix

Indexes the dated corpora (Dân trí, 24h; their publication dates kept) and finds, with a
regular expression over the raw text, which articles mention which day: written in full
(2/7/2021, 02-07-2021, 2.7.2021, "2 tháng 7 năm 2021") or as a day and month alone ("ngày
2/7"), which means the nearest such day to the publication date (within half a year). For a
sample of the days mentioned, the query is the day alone, typed padded (``02/07/2021``) and
not (``2/7/2021``); relevant: the articles that mention it.

The baseline is the same numbers typed as separate words (``02 07 2021``): what ``search``
did with a typed date before ``date_mentions``, the three numbers scored as words.
Prints precision at R (R = the relevant articles, at most 10) and recall in the top 100.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import iter_records, log, markdown_table, percentile  # noqa: E402

from search import Article, Index  # noqa: E402

CORPORA = ("unc_dantri", "web24h_sample")
_NOT_BEFORE, _NOT_AFTER = r"(?<!\d)(?<!\d[/.-])", r"(?!\d|[/.-]\d)"  # a sentence's full stop may follow
_FULL = re.compile(rf"{_NOT_BEFORE}(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_NOT_AFTER}")
_WORDS = re.compile(r"(?<!\d)(\d{1,2}) tháng (\d{1,2}) năm (\d{4})(?!\d)")
_YEARLESS = re.compile(rf"{_NOT_BEFORE}(\d{{1,2}})/(\d{{1,2}}){_NOT_AFTER}")
NEAR = timedelta(days=182)


def day(d: int, m: int, y: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def mentioned(text: str, published: date | None) -> set[date]:
    found = {day(int(m[1]), int(m[3]), int(m[4])) for m in _FULL.finditer(text)}
    found |= {day(int(m[1]), int(m[2]), int(m[3])) for m in _WORDS.finditer(text)}
    if published is not None:
        for m in _YEARLESS.finditer(text):
            near = [
                d for y in (published.year - 1, published.year, published.year + 1)
                if (d := day(int(m[1]), int(m[2]), y)) is not None and abs(d - published) <= NEAR
            ]  # fmt: skip
            found.update(near[:1])
    return {d for d in found if d is not None}


def articles(data: Path) -> list[Article]:
    out = []
    for corpus in CORPORA:
        for path in sorted((data / corpus).glob("*.jsonl*")):
            for rec in iter_records(path):
                published = date.fromisoformat(rec["date"][:10]) if rec.get("date") else None
                out.append(Article(id=str(rec["id"]), title=rec.get("title") or "", body=rec.get("body") or "", date=published))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the shared data folder")
    ap.add_argument("--index", type=Path, help="index folder to build, or reuse if it exists")
    ap.add_argument("--days", type=int, default=300, help="how many mentioned days to query")
    args = ap.parse_args()

    docs = articles(args.data)
    relevant: dict[date, set[str]] = defaultdict(set)
    for article in docs:
        for d in mentioned(f"{article.title}\n{article.body}", article.date):
            relevant[d].add(article.id)
    if args.index and args.index.exists():
        ix = Index.open(args.index)
    else:
        ix = Index.create(args.index) if args.index else Index.in_memory()
        ix.add_many(docs)
    log(f"{ix.count():,} articles; {len(relevant):,} days mentioned")
    days = sorted(relevant)
    random.Random(13).shuffle(days)
    days = days[: args.days]

    forms = {
        "02 07 2021 (the numbers as words: before)": lambda d: f"{d.day:02d} {d.month:02d} {d.year}",
        "02/07/2021": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
        "2/7/2021": lambda d: f"{d.day}/{d.month}/{d.year}",
    }
    rows = []
    for name, typed in forms.items():
        precision, recall, millis = [], [], []
        for d in days:
            wanted = relevant[d]
            started = time.perf_counter()
            results = ix.search(typed(d), limit=100)
            millis.append((time.perf_counter() - started) * 1000)
            ids = [hit.id for hit in results.hits]
            r = min(len(wanted), 10)
            precision.append(sum(i in wanted for i in ids[:r]) / r)
            recall.append(sum(i in wanted for i in ids) / len(wanted))
        rows.append([
            name, len(days), f"{sum(precision) / len(days):.3f}", f"{sum(recall) / len(days):.3f}",
            f"{percentile(millis, 50):.1f} / {percentile(millis, 95):.1f}",
        ])  # fmt: skip
    print(markdown_table(["typed as", "days", "precision at R", "recall in top 100", "ms p50 / p95"], rows))
    ix.close()


if __name__ == "__main__":
    main()
