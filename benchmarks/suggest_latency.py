"""Autocomplete latency (issue 6: p95 ≤ 30 ms in-process on the full VietNews index).

Samples ``--prefixes`` prefixes from the index's own titles (seed 7): the first one to
three syllables of a title with the last one cut to 1–3 letters, half of them with the
marks stripped (``search.normalize.fold_word``), and times ``ix.suggest`` on each after
one warm-up call. It also counts how often the title's own words (case and tone placement
aside) are the first completion, or among the ten. Prints a Markdown table:

    .venv/bin/python benchmarks/suggest_latency.py /tmp/rs/ixfull
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import log  # noqa: E402

from search import Index  # noqa: E402
from search.normalize import WORD, canonical_word, fold_word  # noqa: E402


def prefixes(ix: Index, count: int, seed: int) -> list[tuple[str, str]]:
    """(prefix as typed, the title's words it was cut from)."""
    rng = random.Random(seed)
    searcher = ix._current_searcher()  # the benchmark reads titles straight from the stored fields
    total = searcher.doc_count_all()
    found: list[tuple[str, str]] = []
    while len(found) < count:
        stored = searcher.stored_fields(rng.randrange(total))
        words = WORD.findall((stored or {}).get("title") or "")
        if not words:
            continue
        words = words[: rng.randint(1, 3)]
        whole = _canonical(" ".join(words))
        words[-1] = words[-1][: rng.randint(1, 3)]
        text = " ".join(words)
        found.append((fold_word(text) if len(found) % 2 else text, whole))
    return found


def _canonical(text: str) -> str:
    return " ".join(canonical_word(word) for word in WORD.findall(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index")
    parser.add_argument("--prefixes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with Index.open(args.index) as ix:
        sample = prefixes(ix, args.prefixes, args.seed)
        ix.suggest(sample[0][0])  # opens the statistics once
        times, empty, first, ten = [], 0, 0, 0
        for prefix, whole in sample:
            started = time.perf_counter()
            completions = ix.suggest(prefix)
            times.append((time.perf_counter() - started) * 1000)
            empty += not completions
            texts = [_canonical(c.text) for c in completions]
            first += texts[:1] == [whole]
            ten += whole in texts
        log(f"{ix.count():,} articles")
        times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{len(sample)} prefixes from the index's titles (half without marks), `ix.suggest(prefix)`, warm\n")
    print("| p50 ms | p95 ms | max ms | prefixes with no completion | title's words first | in the top 10 | target |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} | {empty} | {first / len(sample):.3f} "
        f"| {ten / len(sample):.3f} | p95 ≤ 30 ms: {'met' if p95 <= 30 else 'NOT met'} |"
    )


if __name__ == "__main__":
    main()
