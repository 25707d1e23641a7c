"""Typos: ViQuAD questions without marks, one word garbled, read back by ``restore``.

    python benchmarks/typos.py /work/shared/data --index /tmp/rs/ix4 --split dev:
    python benchmarks/typos.py /work/shared/data --index /tmp/rs/ix4 --split dev: --marked

Reuses the index of ``restoration.py`` (ViQuAD passages + VietNews; build it there). In each
question one word of three or more letters is garbled by one random edit (seed 5) into a key
no indexed syllable has, as a user's typo would be; ``restore`` then reads the question with
``typos.corrections``. Reports how often the garbled word comes back as written, and the whole
question; and, on the same questions left clean, how many readings the corrections change
(a question's own typo put right counts as a change, and a loss of exact match).
``--marked`` keeps the questions as written, and garbles a plain letter of a word, its marks
left in place (``trọng`` → ``trọngg``, ``trọg``).
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import markdown_table, percentile  # noqa: E402
from restoration import open_stats, questions  # noqa: E402

from search.normalize import canonical_word, fold_word, search_key  # noqa: E402
from search.restore import restore  # noqa: E402
from search.typos import MIN_LETTERS, corrections, one_edit  # noqa: E402


def marked_edits(word: str) -> list[str]:
    """The word with one plain letter left out, doubled or changed, or two swapped: its marks
    stay where they are, as when a user typing with the input method slips."""
    plain = [i for i, c in enumerate(word) if c in string.ascii_lowercase]
    found = {word[:i] + word[i + 1 :] for i in plain}
    found |= {word[:i] + word[i] + word[i:] for i in plain}
    found |= {word[:i] + c + word[i + 1 :] for i in plain for c in string.ascii_lowercase}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in plain if i + 1 in plain}
    found.discard(word)
    return sorted(found)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the shared data folder (viquad/queries.jsonl)")
    ap.add_argument("--index", type=Path, required=True, help="the index restoration.py built")
    ap.add_argument("--split", default="dev:", help='question ids starting so (default "dev:")')
    ap.add_argument("--limit", type=int, help="only the first N questions")
    ap.add_argument("--marked", action="store_true", help="the questions as written, marks kept; the typo keeps them too")
    args = ap.parse_args()
    stats, _, close = open_stats(args.index)
    rng = random.Random(5)
    garbled = word_back = whole_back = changed = clean_lost = 0
    millis: list[float] = []
    asked = questions(args.data, args.split)[: args.limit]
    for words in asked:
        expected = [canonical_word(w) for w in words]
        typed = list(expected) if args.marked else [fold_word(w) for w in words]
        plain = restore(typed, stats)
        started = time.perf_counter()
        read = restore(typed, stats, corrections=corrections(typed, stats))
        millis.append((time.perf_counter() - started) * 1000)
        changed += read.syllables != plain.syllables
        clean_lost += (list(plain.syllables) == expected) - (list(read.syllables) == expected)
        where = [i for i, w in enumerate(typed) if len(w) >= MIN_LETTERS and w.isalpha()]
        if not where:
            continue
        i = rng.choice(where)
        edits = marked_edits(typed[i]) if args.marked else one_edit(typed[i].lower())
        unknown = [k for k in edits if not stats.forms_of([search_key(k)], 1)[0]]
        if not unknown:
            continue
        typo = list(typed)
        typo[i] = rng.choice(unknown)
        back = restore(typo, stats, corrections=corrections(typo, stats)).syllables
        garbled += 1
        word_back += back[i] == expected[i]
        whole_back += list(back) == expected
    close()
    kind = "as written (marks kept)" if args.marked else "without marks"
    print(f"## Typos: ViQuAD `{args.split}` questions {kind}, one word garbled\n")
    print(markdown_table(
        ["questions", "garbled", "word read back", "question exact", "clean: readings changed", "clean: exact lost", "p50 / p95 ms"],
        [[len(asked), garbled, f"{word_back / garbled:.3f}", f"{whole_back / garbled:.3f}", changed, clean_lost,
          f"{percentile(millis, 50):.1f} / {percentile(millis, 95):.1f}"]],
    ))  # fmt: skip


if __name__ == "__main__":
    main()
