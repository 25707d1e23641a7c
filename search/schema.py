"""What is in the index: field names, field types and the schema version.

Text is indexed two ways, each in its own field (see ARCHITECTURE.md):

``text``      canonical syllables, accents kept
``folded``    their search keys (folded to ASCII, i/y merged), with positions
              (kept in the posting arrays): phrases and the "syllables in order"
              ranking read them

In both, a title term weighs ``TITLE_WEIGHT`` body terms.

Metadata fields (``author``, ``place``, ``province``, ``category``, ``source``)
hold folded keys of whole names plus their syllables; ``province`` is the unit
each place belongs to since the 2025 merger. ``published`` holds ISO dates,
which sort as strings. The ``*_label`` fields hold the same names as written
(``Nguyễn Triệu``), for facet counts. ``fingerprint`` is a hash of the article's content, so
re-indexing an unchanged article can be skipped. Originals are stored for
display and snippets.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from functools import lru_cache
from typing import Iterable, Mapping, Union

from whoosh import formats
from whoosh.fields import ID, STORED, FieldType, Schema
from whoosh.system import pack_uint

from search.analysis import ACCENTED, FOLDED

SCHEMA_VERSION = 8  # 8: *_label fields for facets
ANALYZER_NAME = "vi-syllable-3"

TITLE_WEIGHT = 3

TEXT, FOLDED_TEXT = "text", "folded"
KEY_FIELDS = ("author", "place", "province", "category", "source")
LABEL_FIELDS = tuple(f"{name}_label" for name in KEY_FIELDS)  # display names, for facets
STORED_FIELDS = (
    "title", "body", "url", "date", "authors", "places", "category_name", "source_name",
    "dateline", "reposted_by", "original",
)

TermCounts = Union[Mapping[bytes, int], Iterable[bytes]]
# term → (weight, positions): what a positional field is fed
Positional = Mapping[bytes, tuple[int, list[int]]]


_BIG_ENDIAN = sys.byteorder == "big"


def encode_positions(positions: list[int]) -> bytes:
    """A width byte, then the (ascending) positions as little-endian 16-bit
    integers, or 32-bit past 65,535."""
    packed = array("H" if positions[-1] < 0x10000 else "I", positions)
    if _BIG_ENDIAN:
        packed.byteswap()  # the files are little-endian everywhere
    return bytes((packed.itemsize,)) + packed.tobytes()


def decode_positions(encoded: bytes) -> list[int]:
    packed = array("H" if encoded[0] == 2 else "I", encoded[1:])
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tolist()


class TermsField(FieldType):
    """An indexed field fed with ready-made UTF-8 terms instead of a string.

    The writer analyzes each article once and hands every field its terms (a
    list, or a mapping term → count); running one Whoosh analyzer chain per
    field would tokenize every text again. The analyzer is kept for Whoosh's
    own tools and for plain strings.

    With ``positions``, the field is fed term → (weight, positions); the
    positions go to the posting arrays only (``columnar``), not to Whoosh's
    postings, which nothing reads them from.
    """

    def __init__(self, analyzer: object, scorable: bool = True, positions: bool = False) -> None:
        self.analyzer = analyzer
        self.format = formats.Existence() if positions else formats.Frequency()
        self.positions = positions
        self.vector = None
        self.scorable = scorable
        self.stored = False
        self.unique = False

    def index(self, value: TermCounts | Positional | str, **kwargs: object) -> Iterable[tuple]:
        """(term, frequency, weight, encoded value) for each distinct term."""
        if isinstance(value, str):
            return super().index(value, **kwargs)
        if self.positions:
            encode = _encode_positions
            return [
                (term, len(positions), float(weight), encode(positions))
                for term, (weight, positions) in value.items()  # type: ignore[union-attr]
            ]
        counts = value if isinstance(value, Mapping) else Counter(value)
        return [(term, freq, float(freq), encode_frequency(freq)) for term, freq in counts.items()]


@lru_cache(maxsize=4096)
def _encode_single_position(position: int) -> bytes:
    return encode_positions([position])


def _encode_positions(positions: list[int]) -> bytes:
    # most terms occur once in a document: those encodings are shared
    if len(positions) == 1:
        return _encode_single_position(positions[0])
    return encode_positions(positions)


@lru_cache(maxsize=4096)
def encode_frequency(freq: int) -> bytes:
    """Whoosh's value of a posting in a frequency field."""
    return pack_uint(freq)


def build_schema() -> Schema:
    fields: dict[str, FieldType] = {
        "id": ID(stored=True, unique=True),
        TEXT: TermsField(ACCENTED),
        FOLDED_TEXT: TermsField(FOLDED, positions=True),
        "published": ID(),
        "fingerprint": ID(),
    }
    for name in KEY_FIELDS + LABEL_FIELDS:
        fields[name] = TermsField(FOLDED, scorable=False)
    for name in STORED_FIELDS:
        fields[name] = STORED()
    return Schema(**fields)
