"""Telex and VNI keystrokes: what a word typed with the input method switched off stands for.

A user whose Vietnamese keyboard is off types the keys themselves: ``Haauj Giang`` (Telex)
or ``Ha6u5 Giang`` (VNI) for "Hậu Giang". ``decode_telex`` and ``decode_vni`` read one word
back; ``typed_alternative`` reads a whole query and is what the query side uses, as an
*extra* reading beside the literal query, never a replacement of it.

Design decisions:

* **Structure, not an input-method simulation.** Keys are applied left to right into
  letters (``aa`` → â, ``uow`` → ươ, ``d9`` → đ) and one tone; the letters must then parse as
  onset + rhyme from the tables below (``_RHYMES``, ``_ONSETS`` and the spelling rules
  ``k``/``gh``/``ngh`` before i/e/ê, ``qu``, ``gi``), and a stop-final rhyme (-c -ch -p -t)
  takes only sắc or nặng. Anything else is not a syllable and gives ``None``. The tone
  mark is then placed by ``normalize.canonical_word`` (traditional style: ``hoaf`` → hòa),
  and the typed case pattern is kept letter by letter (``TRIEEUJ`` → TRIỆU).
* **One tone key, anywhere after the first vowel** (``Haauj``, ``Haaju``, ``thafnh``); a
  second tone key (``Sars``, ``Messi``, ``boss``: Telex would undo or replace) means the
  word is not keystrokes. Shape keys act on the letter typed just before them.
* **The literal-query guard** (docs/vietnamese.md §2.2: ``USA`` → ÚA, ``test`` → tét and
  ``Tesla`` → Téla are all "valid Telex"). ``typed_alternative`` never decodes an all-caps
  word of ≤ 5 letters, a word with a digit unless it is read as VNI, or anything that is
  not a well-formed syllable, and it grades the evidence of each word:

  - *strong*: keys English spelling does not produce: ``dd``, ``aa``, ``w`` making ư
    (``uw``, ``uow``, ``twf``), a doubled vowel or ``w`` inside a vowel cluster
    (``tieeng``, ``muoon``, ``hoawc``), a tone key f/r/x/j right after a consonant
    (``thanhf``, ``hocj``) or after vowels English does not end a word with before that
    letter (``naof``, ``cuar``, ``thuyr``; but car, hair, door, box, hoax, chef, raj), a
    tone key before letters English does not put there (``thafnh``), a Vietnamese-only
    onset (ng, ngh, nh, kh, gh), a three-vowel rhyme (oai, uyu…), ``oong``/``aang``, or
    the final nh; in VNI a shape digit 6–9, a tone digit inside the word, or a final tone
    digit on a rhyme codes do not have (``hoa2``, ``bang3``; not co2, i5, top1);
  - *weak*: everything English also spells: ``ee``/``oo``/``ow``/``aw`` after a consonant
    (teen, moon, how, lawn), a tone key after a single vowel or an English vowel pair
    (car, tax, chef, hair), an ``s`` anywhere (plurals: cats, songs, days), a tone key
    before st/sp/rn… (test, born) or before a vowel (Rose, taxi), a word starting with w
    (war, wax, wrong).

  A weak word is read only when another word of the same query has strong evidence of
  the same method: ``tên`` typed ``teen`` is indistinguishable from English "teen" alone,
  but not in ``teen goij ddaayf ddur``. The rules are general: there is no word list here
  (``benchmarks/telex_guard.py`` measures them against 1,925 English words and acronyms
  and on viquad questions re-typed in Telex and VNI).
  The query side adds a second guard: the decoded words must exist in the index.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

from search.normalize import WORD, canonical_word

# -- Vietnamese syllable structure ------------------------------------------------

_VOWELS = frozenset("aăâeêioôơuưy")
_ONSETS = (
    "ngh", "ng", "gh", "gi", "qu", "ch", "kh", "nh", "ph", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "r", "s", "t", "v", "x", "",
)
_RHYMES = frozenset("""
    a ac ach ai am an ang anh ao ap at au ay  ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây  e ec em en eng eo ep et  ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu  iêc iêm iên iêng iêp iêt iêu  yêm yên yêt yêu
    o oc oi om on ong op ot  oa oac oach oai oam oan oang oanh oap oat oay
    oăc oăm oăn oăng oăt  oe oen oeo oet  ô ôc ôi ôm ôn ông ôp ôt  ơ ơi ơm ơn ơp ơt
    u ua uc ui um un ung up ut  uân uâng uât uây  uê uêch uênh
    uôc uôi uôm uôn uông uôt  uơ  uy uya uych uyên uyêt uyn uynh uyp uyt uyu
    ư ưa ưc ưi ưng ưt ưu  ươc ươi ươm ươn ương ươp ươt ươu  y
""".split())
_STOP_FINALS = ("c", "ch", "p", "t")
_FRONT = "ieêy"  # vowels that take k/gh/ngh, not c/g/ng
_VIETNAMESE_ONLY_ONSETS = frozenset({"ng", "ngh", "nh", "kh", "gh"})

# Combining marks of the tones 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
_TONE_MARKS = {1: "\u0301", 2: "\u0300", 3: "\u0309", 4: "\u0303", 5: "\u0323"}
_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5}
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"a": "ă", "o": "ơ", "u": "ư"}
_VNI_SHAPES = {"6": _HAT, "7": {"o": "ơ", "u": "ư"}, "8": {"a": "ă"}}
# Letters that may follow a tone key in English spelling (test, born, Rose, taxi).
_ENGLISH_AFTER_TONE_KEY = frozenset({"t", "p", "c", "ch", "m", "n"})
# Vowels English ends a word with before r, x, f or j: car, hair, door, box, hoax, chef, beef,
# chief, raj. Other runs are Vietnamese rhymes: naof (nào), cuar (của), nayf (này), thuyr.
_ENGLISH_BEFORE_TONE_KEY = {
    key: frozenset("aeiouy") | frozenset(runs.split())
    for key, runs in {
        "r": "ai ea ee oo ou oa ie ia ei oi ui oe eu",
        "x": "oa au ou eu",
        "f": "ee oo ea oa ie ai",
        "j": "",
    }.items()
}


def _rhyme_fits(onset: str, rhyme: str) -> bool:
    """Vietnamese spelling rules tying an onset to the rhyme that follows it."""
    if onset == "gi":
        # giếng, giết: the i of iê is written once
        if rhyme[0] == "ê":
            return "i" + rhyme in _RHYMES
        return rhyme in _RHYMES and rhyme[0] not in "iy"
    if onset == "g" and rhyme in ("i", "in"):
        return True  # gì, gìn: the i is the vowel
    if rhyme not in _RHYMES:
        return False
    if rhyme.startswith("yê"):
        return onset in ("", "qu")
    if rhyme.startswith("iê") and not onset:
        return False
    if onset == "qu":
        return rhyme[0] in "aăâeêiyơô" and not rhyme.startswith(("oa", "oe"))
    if onset == "k":
        return rhyme[0] in _FRONT
    if onset in ("gh", "ngh"):
        return rhyme[0] in "ieê"
    if onset in ("c", "g", "ng"):
        return rhyme[0] not in _FRONT
    return True


def split_syllable(letters: str) -> tuple[str, str] | None:
    """(onset, rhyme) of a toneless lowercase syllable, or None if it is not well formed."""
    for onset in _ONSETS:
        rhyme = letters[len(onset):]
        if letters.startswith(onset) and rhyme and _rhyme_fits(onset, rhyme):
            return onset, rhyme
    return None


def _tone_fits(rhyme: str, tone: int) -> bool:
    return not rhyme.endswith(_STOP_FINALS) or tone in (1, 5)


# -- applying keys ------------------------------------------------------------------


@dataclass
class _Keys:
    """Letters made so far from the keys of one word, and what the keys showed."""

    letters: list[str]
    upper: list[bool]
    tone: int = 0
    tone_at: int = -1  # index in ``letters`` where the tone key was typed
    bare_w: int = -1  # index of an ư typed as a lone w
    tone_key: str = ""
    strong: bool = False

    def has_vowel(self) -> bool:
        return any(letter in _VOWELS for letter in self.letters)

    def add(self, letter: str, upper: bool) -> None:
        self.letters.append(letter)
        self.upper.append(upper)

    def in_cluster(self, index: int) -> bool:
        """True if letter ``index`` follows another vowel of the rhyme (not qu's u, gi's i)."""
        if index == 0 or self.letters[index - 1] not in _VOWELS:
            return False
        onset = "".join(self.letters[: index - 1]).lower()
        return not (onset in ("q", "g") and self.letters[index - 1] in "ui")


def _set_tone(keys: _Keys, tone: int) -> bool:
    """Record a tone key; False if there already is one (Telex would undo or replace it)."""
    if keys.tone or not keys.has_vowel():
        return False
    keys.tone, keys.tone_at = tone, len(keys.letters)
    return True


def _telex_shape(keys: _Keys, key: str, previous: str, upper: bool) -> bool | None:
    """Apply ``key`` as a Telex shape key if it is one: True done, False not Vietnamese,
    None when the key is an ordinary letter here."""
    last = keys.letters[-1] if keys.letters else ""
    if key == "d" and keys.letters == ["d"] and previous == "d":
        keys.letters[0], keys.strong = "đ", True
        return True
    if key in _HAT and previous == key and last == key:
        keys.letters[-1] = _HAT[key]
        keys.strong = keys.strong or key == "a" or keys.in_cluster(len(keys.letters) - 1)
        return True
    if key in _HAT and previous == key and last == _HAT[key]:
        return False  # aaa: Telex undoes the hat
    if key == "w":
        return _telex_w(keys, previous, upper)
    return None


def _telex_w(keys: _Keys, previous: str, upper: bool) -> bool:
    """w: ă ơ ư on the vowel typed just before, ươ on a uo typed earlier, else a bare ư."""
    letters = keys.letters
    last = letters[-1] if letters else ""
    if last in ("ă", "ơ", "ư"):
        return False  # ww: Telex undoes the horn
    if last in _HORN and previous == last:
        index = len(letters) - 1
        # Inside a vowel cluster (uow, oaw) it is strong; after a lone-w ư (wow) it is not.
        in_cluster = keys.in_cluster(index) and letters[index - 1] != "ư"
        letters[index] = _HORN[last]
        if last == "o" and in_cluster and letters[index - 1] == "u":
            letters[index - 1] = "ư"  # uow → ươ
        keys.strong = keys.strong or last == "u" or in_cluster
        return True
    joined = "".join(letters)
    at = joined.rfind("uo")
    if at > 0 and keys.in_cluster(at + 1):
        letters[at : at + 2] = ["ư", "ơ"]  # nguoiw → ngươi
        keys.strong = True
        return True
    keys.bare_w = len(letters)
    keys.add("ư", upper)
    return True


def _telex_keys(word: str) -> _Keys | None:
    keys = _Keys([], [])
    previous = ""
    for char in word:
        key = char.lower()
        if not ("a" <= key <= "z"):
            return None
        if key in _TELEX_TONES and keys.has_vowel():
            if not _set_tone(keys, _TELEX_TONES[key]):
                return None
            keys.tone_key = key
        elif key == "z" and keys.has_vowel():
            return None
        else:
            shaped = _telex_shape(keys, key, previous, char.isupper())
            if shaped is False:
                return None
            if shaped is None:
                keys.add(key, char.isupper())
        previous = key
    return keys


def _vni_digit(keys: _Keys, digit: str) -> bool:
    """Apply one VNI digit to the last letter it fits; False if it has nothing to act on."""
    if digit in "12345":
        return _set_tone(keys, int(digit))
    keys.strong = True  # shape digits: nothing but VNI puts a 6-9 inside a word
    if digit == "9":
        if keys.letters[:1] != ["d"]:
            return False
        keys.letters[0] = "đ"
        return True
    shapes = _VNI_SHAPES.get(digit, {})
    for index in range(len(keys.letters) - 1, -1, -1):
        letter = keys.letters[index]
        if letter in shapes:
            keys.letters[index] = shapes[letter]
            horn_both = digit == "7" and letter == "o" and keys.in_cluster(index)
            if horn_both and keys.letters[index - 1] == "u":
                keys.letters[index - 1] = "ư"  # uo7 → ươ
            return True
    return False


def _vni_keys(word: str) -> _Keys | None:
    keys = _Keys([], [])
    for char in word:
        if char.isdigit():
            if not keys.letters or not _vni_digit(keys, char):
                return None
        elif "a" <= char.lower() <= "z":
            if keys.tone and keys.tone_at == len(keys.letters):
                keys.strong = True  # a tone digit inside the word: Ca1c, D9a3ng
            keys.add(char.lower(), char.isupper())
        else:
            return None
    return keys


# -- from keys to a syllable ------------------------------------------------------------


def _fix_horns(letters: str) -> str:
    """ưo before more letters is ươ (nguwoi); ươ with nothing after is uơ (thuowr → thuở)."""
    if "ưo" in letters and not letters.endswith("ưo"):
        letters = letters.replace("ưo", "ươ")
    if letters.endswith("ươ"):
        letters = letters[:-2] + "uơ"
    return letters


def _compose(keys: _Keys) -> tuple[str, str, str] | None:
    """(decoded word in the typed case, onset, rhyme), or None if not a syllable."""
    letters = _fix_horns("".join(keys.letters))
    parts = split_syllable(letters)
    if parts is None or not _tone_fits(parts[1], keys.tone):
        return None
    onset, rhyme = parts
    if keys.tone:
        at = len(onset)  # any vowel will do: canonical_word puts the mark in its place
        marked = unicodedata.normalize("NFC", letters[at] + _TONE_MARKS[keys.tone])
        letters = letters[:at] + marked + letters[at + 1:]
    canonical = canonical_word(letters)
    cased = "".join(c.upper() if up else c for c, up in zip(canonical, keys.upper))
    return cased, onset, rhyme


def _decode(word: str, keys: _Keys | None) -> tuple[str, str, str] | None:
    if keys is None:
        return None
    composed = _compose(keys)
    if composed is None or composed[0] == word:
        return None
    return composed


def decode_telex(word: str) -> str | None:
    """The syllable a word typed in Telex stands for (``Haauj`` → Hậu), or None."""
    composed = _decode(word, _telex_keys(word))
    return composed[0] if composed else None


def decode_vni(word: str) -> str | None:
    """The syllable a word typed in VNI stands for (``Ha6u5`` → Hậu), or None."""
    if not any(char.isdigit() for char in word):
        return None
    composed = _decode(word, _vni_keys(word))
    return composed[0] if composed else None


# -- the guard and the whole query ---------------------------------------------------------


class Method(Enum):
    TELEX = "telex"
    VNI = "vni"


@dataclass(frozen=True)
class TypedWord:
    """One word read as keystrokes: the syllable, the input method, how sure we are."""

    decoded: str
    method: Method
    strong: bool


def _telex_is_strong(keys: _Keys, onset: str, rhyme: str) -> bool:
    """Is this Telex reading evidenced by something English spelling does not produce?"""
    if keys.strong or onset in _VIETNAMESE_ONLY_ONSETS or rhyme.endswith("nh"):
        return True
    if keys.bare_w == 0:
        return False  # a word that starts with w is English-looking: war, wax, wow, wrong
    if rhyme.endswith("ng") and any(letter in "âêôă" for letter in rhyme):
        return True  # oong, aawng: English has no -oong
    if sum(letter in _VOWELS for letter in rhyme) >= 3:
        return True  # oai, uyu, iêu, ươi
    # A lone w after a consonant with more typed after it (twf, nhwngx); not war, wow, mw.
    if 0 < keys.bare_w < len(keys.letters) - 1 or (keys.bare_w > 0 and keys.tone):
        return True
    return keys.tone > 0 and _tone_key_is_strong(keys, onset)


def _tone_key_is_strong(keys: _Keys, onset: str) -> bool:
    """thanhf, hocj, thafnh, naof, cuar: yes. bus, cats, car, hair, test, born, Rose, imf: no."""
    after = "".join(keys.letters[keys.tone_at:])
    if after:
        return after[0] not in _VOWELS and after not in _ENGLISH_AFTER_TONE_KEY
    if keys.tone_key == "s":
        return False  # plurals and -s words: cats, songs, days, Laos, bus
    before = keys.letters[keys.tone_at - 1]
    if before in _VOWELS:
        return _vowels_before(keys) not in _ENGLISH_BEFORE_TONE_KEY[keys.tone_key]
    if not onset:
        return False  # acronyms: imf, emf
    return not (keys.tone_key == "x" and before == "n")  # minx, lynx, jinx


def _vowels_before(keys: _Keys) -> str:
    """The vowel keys typed just before the tone key (ô and ê as typed: oo, ee)."""
    run = []
    for letter in reversed(keys.letters[: keys.tone_at]):
        if letter not in _VOWELS:
            break
        run.append({"ô": "oo", "ê": "ee"}.get(letter, letter))
    return "".join(reversed(run))


def _vni_is_strong(keys: _Keys, onset: str, rhyme: str) -> bool:
    """A shape digit or a tone digit inside the word is VNI; a lone final tone digit is VNI
    only on a rhyme codes do not have (co2, a4, i5, top1: no; hoa2, cua3, bang3: yes)."""
    if keys.strong or onset in _VIETNAMESE_ONLY_ONSETS:
        return True
    return rhyme.endswith(("nh", "ng", "ch")) or sum(letter in _VOWELS for letter in rhyme) >= 2


def read_word(word: str) -> TypedWord | None:
    """``word`` read as Telex or VNI keystrokes, guarded; None when it stays literal."""
    letters = sum(char.isalpha() for char in word)
    if word.isupper() and letters <= 5:
        return None  # USA, NATO, COVID: acronyms, not keystrokes
    if any(char.isdigit() for char in word):
        method, keys, is_strong = Method.VNI, _vni_keys(word), _vni_is_strong
    else:
        method, keys, is_strong = Method.TELEX, _telex_keys(word), _telex_is_strong
    composed = _decode(word, keys)
    if composed is None:
        return None
    decoded, onset, rhyme = composed
    return TypedWord(decoded, method, is_strong(keys, onset, rhyme))


def typed_alternative(text: str) -> str | None:
    """The query re-read as Telex/VNI keystrokes word by word, or None if nothing changes.

    Words that are not keystrokes stay as typed. A weakly evidenced word is read only when
    another word of the query is strong evidence of the same input method.
    """
    readings = {match.start(): read_word(match.group()) for match in WORD.finditer(text)}
    methods = {r.method for r in readings.values() if r is not None and r.strong}
    if not methods:
        return None

    def replace(match) -> str:
        reading = readings[match.start()]
        return reading.decoded if reading and reading.method in methods else match.group()

    alternative = WORD.sub(replace, text)
    return alternative if alternative != text else None
