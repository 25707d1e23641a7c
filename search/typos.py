"""What a word the index has never seen may have been meant as: keys one typo away.

``hau giag`` finds nothing for ``giag``; the index has ``giang``, ``gia``, ``giai``… one
edit away, and accent restoration (``restore(..., corrections=…)``) weighs their forms in
context against keeping the word as typed (``restore.NEW_WORD``), so ``hau giag`` reads
"hậu giang" and ``Mitterand`` stays if the index has no Mitterrand. Only words of at least
``MIN_LETTERS`` letters whose key no indexed syllable has are corrected, one typed with marks
only to a form with the same marks (``Trọngg`` is "trọng", never "trông"): a word the index
knows is never second-guessed (``Hậu Giag`` corrects ``Giag`` and keeps ``Hậu``). One
edit: a letter left out, added, changed, or two swapped. Keys are folded ASCII
(``search_key``), so the alphabet is a–z. A word written with capitals after its first
letter (``HDI``, ``NaCl``) is taken as written on purpose. A query of one
word has no context, only frequencies: there a word needs ``MIN_LETTERS_ALONE`` letters, so
that ``sad`` is not read "sau" while ``Mitterand`` still reads "Mitterrand" (of the 1,000
English words of ``benchmarks/data/english_words.txt``, 7 were read as another word with 3).

A word the index has seen, even once, is never corrected, though news text has its own
typos (``giag`` occurs once in VietNews). Letting words seen up to ten times be corrected
too (at a typo probability of 1e-3) "corrected" 36 of 200 such words queried alone on the
full VietNews index: ``tokayev`` → tokarev, ``hideo`` → video. A rare name is worth more
than a typo the news made.
"""

from __future__ import annotations

import string
from typing import Callable, Sequence

from search.normalize import canonical_word, search_key
from search.restore import Statistics

MIN_LETTERS = 3
MIN_LETTERS_ALONE = 5  # a word with no other in the query has only its frequency to go by
MAX_LETTERS = 16  # longer is no syllable the statistics count (``syllable_stats.WIDTH`` bytes)
_ALPHABET = string.ascii_lowercase


def one_edit(key: str) -> list[str]:
    """Every key one deletion, transposition, substitution or insertion away from ``key``."""
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    found |= {a + c + b for a, b in splits for c in _ALPHABET}
    found.discard(key)
    return sorted(found)


def corrections(
    words: Sequence[str], stats: Statistics, indexed: Callable[[str], bool] = lambda key: False
) -> dict[int, list[str]]:
    """Position of each word the index has no form of → the keys one edit away it has.
    ``indexed(key)`` says whether the index holds a key all the same (a segment written
    without statistics): such a word is not corrected."""
    unknown = {}
    for i, word in enumerate(words):
        canonical = canonical_word(word)
        acronym = not word[1:].islower()  # HDI, NaCl: written so on purpose
        shortest = MIN_LETTERS if len(words) > 1 else MIN_LETTERS_ALONE
        if canonical.isalpha() and not acronym and shortest <= len(canonical) <= MAX_LETTERS:
            if not indexed(key := search_key(canonical)):
                unknown[i] = key
    if not unknown:
        return {}
    seen = stats.forms_of(list(unknown.values()), 1)
    unknown = {i: key for (i, key), forms in zip(unknown.items(), seen) if not forms}
    found = {}
    for i, key in unknown.items():
        candidates = one_edit(key)
        known = [k for k, forms in zip(candidates, stats.forms_of(candidates, 1)) if forms]
        if known:
            found[i] = known
    return found
