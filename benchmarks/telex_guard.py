"""Telex/VNI keystroke reading: the literal-query guard and the share decoded back.

Two measures of ``search.typing_keys``:

* **Guard.** Every word of ``benchmarks/data/english_words.txt`` (common English words,
  names, brands and acronyms, written out by hand), typed as-is, in Capitals and in
  CAPITALS, is given to ``typed_alternative`` alone: how many are rewritten (target 0).
* **Decoding.** A sample of ``viquad`` test questions is re-typed in Telex and in VNI by a
  small encoder (tone key at the end of the syllable; ươ typed ``uwow`` or ``uow``, ``u7o7``
  or ``uo7`` at random), then read back word by word (``decode_telex``/``decode_vni``,
  no guard) and question by question (``typed_alternative``, with the guard). Reported:
  the share of syllables with diacritics decoded back exactly, in the canonical tone
  placement and the typed case (target ≥ 0.99), and the words without diacritics that
  the guard rewrote anyway. The one-word line shows what the guard costs a query of a
  single weakly evidenced word (``phoos`` alone is not read; see typing_keys).

    .venv/bin/python benchmarks/telex_guard.py /work/shared/data/viquad --questions 1000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.normalize import WORD, has_marks, place_tone  # noqa: E402
from search.typing_keys import decode_telex, decode_vni, typed_alternative  # noqa: E402

ENGLISH = Path(__file__).parent / "data" / "english_words.txt"
TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
TELEX_TONE_KEYS = " sfrxj"
# letter -> (base, Telex shape keys, VNI shape digit)
SHAPES = {"â": ("a", "a", "6"), "ê": ("e", "e", "6"), "ô": ("o", "o", "6"),
          "ă": ("a", "w", "8"), "ơ": ("o", "w", "7"), "ư": ("u", "w", "7"), "đ": ("d", "d", "9")}


def split_tone(word: str) -> tuple[str, int]:
    """(letters without the tone mark, tone number 0-5) of an NFC word."""
    tone, letters = 0, []
    for char in word:
        parts = unicodedata.normalize("NFD", char)
        for mark, number in TONES.items():
            if mark in parts:
                tone, parts = number, parts.replace(mark, "")
        letters.append(unicodedata.normalize("NFC", parts))
    return "".join(letters), tone


def encode(word: str, method: str, rng: random.Random) -> str:
    """``word`` as typed with the input method off (Telex or VNI), tone key last."""
    letters, tone = split_tone(word)
    shout = word.isupper() and len(word) > 1  # keys typed with caps lock: TRIEEUJ
    short_uo = "ươ" in letters.lower() and rng.random() < 0.5  # uow / uo7
    keys = []
    for index, char in enumerate(letters):
        lower = char.lower()
        if lower not in SHAPES:
            keys.append(char)
            continue
        base, telex, vni = SHAPES[lower]
        keys.append(base.upper() if char.isupper() else base)
        if not (short_uo and lower == "ư" and letters[index + 1 : index + 2].lower() == "ơ"):
            key = telex if method == "telex" else vni
            keys.append(key.upper() if shout else key)
    if tone:
        key = TELEX_TONE_KEYS[tone] if method == "telex" else str(tone)
        keys.append(key.upper() if shout else key)
    return "".join(keys)


def sample_questions(folder: Path, count: int, seed: int) -> list[str]:
    questions = []
    with open(folder / "queries.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"].startswith("test:"):
                questions.append(unicodedata.normalize("NFC", record["text"]))
    rng = random.Random(seed)
    return rng.sample(questions, min(count, len(questions)))


def english_words() -> list[str]:
    lines = ENGLISH.read_text(encoding="utf-8").splitlines()
    return sorted({line.strip() for line in lines if line.strip() and not line.startswith("#")})


def guard_rows() -> list[tuple[str, str, str]]:
    words = english_words()
    rows = []
    for name, shape in (("as listed", str), ("Capitalised", str.capitalize), ("UPPER", str.upper)):
        rewritten = [w for w in words if typed_alternative(shape(w)) is not None]
        rows.append((f"English words {name}", f"{len(rewritten)} / {len(words)}", "0"))
        for word in rewritten[:20]:
            print(f"rewritten: {shape(word)} -> {typed_alternative(shape(word))}", file=sys.stderr)
    return rows


def decoding_counts(questions: list[str], method: str, seed: int) -> Counter:
    """Syllables with marks decoded back alone / as a one-word query / in their question;
    words without marks that the reading rewrote."""
    rng = random.Random(seed)
    decode = decode_telex if method == "telex" else decode_vni
    counts: Counter = Counter()
    for question in questions:
        words = [m.group() for m in WORD.finditer(question)]
        typed = [encode(w, method, rng) if has_marks(w) else w for w in words]
        alternative = typed_alternative(" ".join(typed)) or " ".join(typed)
        read = alternative.split(" ")
        for word, keys, back in zip(words, typed, read):
            if has_marks(word):
                expected = place_tone(word)
                counts["marked"] += 1
                counts["alone"] += decode(keys) == expected
                counts["one-word query"] += typed_alternative(keys) == expected
                counts["in query"] += back == expected
                if back != expected:
                    print(f"{method}: {word} typed {keys} read {back}", file=sys.stderr)
            else:
                counts["plain"] += 1
                counts["plain rewritten"] += back != word
        counts["questions"] += 1
        counts["questions exact"] += read == [place_tone(w) for w in words]
    return counts


def share(count: int, total: int) -> str:
    return f"{count / total:.4f} ({count}/{total})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("viquad", type=Path, help="the viquad folder (queries.jsonl)")
    parser.add_argument("--questions", type=int, default=1000, help="test questions sampled")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rows = guard_rows()
    questions = sample_questions(args.viquad, args.questions, args.seed)
    for method in ("telex", "vni"):
        c = decoding_counts(questions, method, args.seed)
        rows += [
            (f"{method}: syllables with marks decoded alone", share(c["alone"], c["marked"]), "≥ 0.99"),
            (f"{method}: … as a one-word query (guarded)", share(c["one-word query"], c["marked"]), ""),
            (f"{method}: … in their question (guarded)", share(c["in query"], c["marked"]), "≥ 0.99"),
            (f"{method}: questions read back whole", share(c["questions exact"], c["questions"]), ""),
            (f"{method}: words without marks rewritten", f"{c['plain rewritten']} / {c['plain']}", "0"),
        ]
    print("| measure | value | target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
