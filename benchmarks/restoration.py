"""Accent restoration from the index's own statistics, against the no-context baseline.

Builds (or reuses) an index of the ViQuAD passages plus VietNews articles, strips the
diacritics from the ViQuAD questions (``normalize.fold_word`` per word, case kept),
restores them with ``search.restore`` and compares each word with the original
(canonical, lowercase: tone placement and case do not count as errors; ``kĩ`` for
``kỹ`` does). A question keeps its question mark, as stripping the diacritics leaves it
(every ViQuAD question has one): ``restore`` then reads it as a question
(``search.sentence_end``). The rows "without the question marks" read the same words as a
user who does not type one.

    python benchmarks/restoration.py /work/shared/data --vietnews-docs 20000 --index /tmp/restore-ix
    python benchmarks/restoration.py /work/shared/data --split dev: --smoothing wb,20,300 --index /tmp/restore-ix

The second form reuses the index and tunes μ on the dev questions (the default split is
``test:``); μ applies to the bigram rows. The trigram row is ``restore``: trigrams and
sentence ends (an index built before they were counted reads as bigrams without them).
The last row is what ``search`` suggests: that reading, read again leaning towards the
topic of the query's top hits (``search.topic_stats``), timed with the search itself.
Targets (issue 6): whole-query exact match ≥ 0.80, syllable accuracy ≥ 0.95.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Progress, iter_articles, iter_records, log, markdown_table, peak_rss_mb, percentile  # noqa: E402

from search import Article, Index  # noqa: E402
from search.normalize import WORD, canonical_word, fold_word, iy_variant, search_key  # noqa: E402
from search.restore import Restoration, is_restorable, restore, restore_baseline  # noqa: E402
from search.syllable_stats import SyllableStats  # noqa: E402
from search.topic_stats import TOPIC_HITS  # noqa: E402

TARGET_EXACT, TARGET_SYLLABLES = 0.80, 0.95


@dataclass
class Score:
    queries: int = 0
    exact: int = 0
    syllables: int = 0
    correct: int = 0
    correct_iy: int = 0  # i/y spelling variants (kì/kỳ) counted as equal
    exact_iy: int = 0
    ambiguous: int = 0  # syllables whose folded key has more than one form in the index
    ambiguous_correct: int = 0
    changed: int = 0  # queries whose restoration differs from the input
    millis: list[float] | None = None


def prefixed(articles: Iterator[Article], prefix: str) -> Iterator[Article]:
    for article in articles:
        yield Article(id=f"{prefix}{article.id}", title=article.title, body=article.body)


def build(path: Path, data: Path, vietnews_docs: int | None) -> None:
    log(f"indexing viquad + {vietnews_docs if vietnews_docs is not None else 'all'} vietnews into {path} ...")
    started = time.perf_counter()
    progress = Progress("indexed", every=10_000)
    with Index.create(path, overwrite=True) as ix:
        ix.add_many(progress.wrap(prefixed(iter_articles(data / "viquad" / "corpus.jsonl"), "viquad:")))
        ix.add_many(progress.wrap(prefixed(iter_articles(data / "vietnews", vietnews_docs), "vietnews:")))
        count = ix.count()
    log(f"  {count:,} documents in {time.perf_counter() - started:.0f} s, peak RSS {peak_rss_mb():.0f} MB")


def open_stats(path: Path) -> tuple[SyllableStats, int, Callable[[], None]]:
    """(the statistics, the number of documents, what closes them) of the index at ``path``."""
    from whoosh import index as whoosh_index

    reader = whoosh_index.open_dir(str(path)).reader()
    return SyllableStats.from_reader(reader), reader.doc_count(), reader.close


def questions(data: Path, split: str) -> list[list[str]]:
    """The words of each question of the split, NFC, as written."""
    return [words for words, _ in asked(data, split)]


def asked(data: Path, split: str) -> list[tuple[list[str], bool]]:
    """(the words, whether it ends with a question mark) of each question of the split."""
    found = []
    for record in iter_records(data / "viquad" / "queries.jsonl"):
        if record["id"].startswith(split):
            text = unicodedata.normalize("NFC", record["text"])
            found.append((WORD.findall(text), text.rstrip().endswith("?")))
    return [(words, mark) for words, mark in found if words]


Method = Callable[[list[str], bool], Restoration]  # (the words typed, typed with a question mark?)


def evaluate(method: Method, queries: list[tuple[list[str], bool]], stats: SyllableStats, marks: bool = True) -> Score:
    """``marks=False``: the question marks are dropped, as a user who does not type them would."""
    score = Score(millis=[])
    for words, question in queries:
        typed = [fold_word(w) for w in words]
        started = time.perf_counter()
        result = method(typed, question and marks)
        score.millis.append((time.perf_counter() - started) * 1000)
        expected = [canonical_word(w) for w in words]
        right = [got == want for got, want in zip(result.syllables, expected)]
        right_iy = [iy_variant(got) == iy_variant(want) for got, want in zip(result.syllables, expected)]
        score.queries += 1
        score.exact += all(right)
        score.exact_iy += all(right_iy)
        score.syllables += len(expected)
        score.correct += sum(right)
        score.correct_iy += sum(right_iy)
        score.changed += result.changed
        for typed_word, ok in zip(typed, right):
            if is_restorable(typed_word) and len(stats.forms(search_key(canonical_word(typed_word)), 2)) > 1:
                score.ambiguous += 1
                score.ambiguous_correct += ok
    return score


def as_search_reads(ix: Index) -> Method:
    """What ``search`` suggests for the words: trigrams, then the topic of its top hits
    (``topic_stats``); the words as typed when it suggests nothing."""

    def read(typed: list[str], question: bool) -> Restoration:
        suggestion = ix.search(" ".join(typed) + ("?" if question else ""), limit=TOPIC_HITS).suggestion
        words = WORD.findall(suggestion) if suggestion else typed
        if len(words) != len(typed):
            words = typed  # a reading of another length counts as wrong
        syllables = tuple(canonical_word(w) for w in words)
        return Restoration(tuple(typed), syllables, (True,) * len(typed), 1.0)

    return read


def row(name: str, score: Score) -> list[object]:
    millis = score.millis or [0.0]
    return [
        name, score.queries, score.syllables,
        f"{score.correct / score.syllables:.4f}",
        f"{score.exact / score.queries:.4f}",
        f"{score.correct_iy / score.syllables:.4f}",
        f"{score.exact_iy / score.queries:.4f}",
        f"{score.ambiguous_correct / max(score.ambiguous, 1):.4f}",
        f"{percentile(millis, 50):.2f}", f"{percentile(millis, 95):.2f}",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="the shared data folder (holds viquad/ and vietnews/)")
    ap.add_argument("--vietnews-docs", type=int, help="index only the first N VietNews articles (default all)")
    ap.add_argument("--index", type=Path, help="index folder to build, or to reuse if it exists (default: a temp dir)")
    ap.add_argument("--split", default="test:", help='question ids starting with this (default "test:")')
    ap.add_argument("--smoothing", default="wb", help='"wb" (Witten-Bell, the default of restore) or a fixed μ, or a comma-separated list of them')
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-restore-") as tmp:
        path = args.index or Path(tmp) / "ix"
        if not (path / "search-index.json").is_file():
            build(path, args.data, args.vietnews_docs)
        stats, documents, close = open_stats(path)
        queries = asked(args.data, args.split)
        log(f"{len(queries):,} questions ({args.split}), {stats.total:,} syllables counted in {len(stats.segments)} segments")
        rows = [row("baseline: most frequent form", evaluate(lambda w, q: restore_baseline(w, stats), queries, stats))]
        for mu in (None if m == "wb" else float(m) for m in args.smoothing.split(",")):
            name = "Witten-Bell" if mu is None else f"μ = {mu:g}"
            rows.append(row(f"bigram Viterbi, {name}", evaluate(lambda w, q: restore(w, stats, mu, order=2, question=q), queries, stats)))
        trigrams: Method = lambda w, q: restore(w, stats, question=q)  # noqa: E731
        rows.append(row("trigram Viterbi, Witten-Bell (`restore`), without the question marks", evaluate(trigrams, queries, stats, marks=False)))
        rows.append(row("trigram Viterbi, Witten-Bell (`restore`)", evaluate(trigrams, queries, stats)))
        with Index.open(path) as ix:
            topic = f"+ the topic of the top {TOPIC_HITS} hits (`search`'s suggestion; time includes the search)"
            rows.append(row(f"{topic}, without the question marks", evaluate(as_search_reads(ix), queries, stats, marks=False)))
            rows.append(row(topic, evaluate(as_search_reads(ix), queries, stats)))
        stats.close()
        close()

    print(f"## Accent restoration: ViQuAD `{args.split}` questions without diacritics; "
          f"index = ViQuAD passages + VietNews, {documents:,} documents\n")
    print(markdown_table(
        ["method", "queries", "syllables", "syllable accuracy", "exact match", "syllable acc., i/y as one",
         "exact, i/y as one", "acc. on ambiguous", "p50 ms", "p95 ms"],
        rows,
    ))
    print(f"\nTargets: exact match ≥ {TARGET_EXACT}, syllable accuracy ≥ {TARGET_SYLLABLES}. "
          "\"Ambiguous\": the folded syllable has more than one accented form in the index; "
          "\"i/y as one\": kì for kỳ is not an error (the search key merges them).")


if __name__ == "__main__":
    main()
