"""Issue 4: for ANY string, ``parse_query`` returns a ``ParsedQuery`` or raises ``QueryError``.

Three sources of input: text from an alphabet weighted towards the syntax characters, "operator
soups" built from the tokens of the grammar, and arbitrary unicode. ``derandomize`` keeps CI
reproducible; together they run a few thousand examples in a few seconds.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import Article, Index
from search.errors import QueryError
from search.query import ParsedQuery, filter_plan, parse_query

FUZZ = settings(
    max_examples=1500, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

SYNTAX = list('()[]:*~<>=-+ "“”./\t\n\x00\\_') + ["..", ">=", "<=", "ゃ", "\u0301", "\ufeff", "\ud800"]
LETTERS = list("aăâbcdđeêghiklmnoôơpqrstuưvxy" "àáảãạằắẳẵặầấẩẫậèéẻẽẹếềểễệìíỉĩịòóỏõọốồổỗộớờởỡợùúủũụứừửữựỳýỷỹỵ")
WORDS = ["AND", "OR", "NOT", "TO", "to", "đến", "tháng", "năm"]
FIELDS = ["date:", "ngày:", "author:", "tác_giả:", "place:", "nơi:", "category:", "source:", "id:", "Foo:"]
DIGITS = list("0123456789/") + ["2021", "01/06/2021", "7/2021", "2021-07", "31/02/2021", "13"]

weighted_text = st.lists(
    st.one_of(
        st.sampled_from(SYNTAX), st.sampled_from(SYNTAX),  # twice: syntax is what breaks parsers
        st.sampled_from(LETTERS), st.sampled_from(WORDS), st.sampled_from(FIELDS), st.sampled_from(DIGITS),
    ),
    max_size=40,
).map("".join)

TOKENS = [
    "bão", "hậu", "gia*", "*ang", "h*", "bão~", "bão~2", "bão~3", "ba~", '"hậu giang"', '"hậu gi*"', '"',
    "(", ")", "((", "))", "AND", "OR", "NOT", "-", "+", "-bão", "+lũ", "-(", "date:", "date:2021",
    "date:[", "date:[01/06/2021", "TO", "*]", "2021]", "date:>=2021-06", "date:<", "date:31/02/2021",
    "date:2021-06..", "author:", 'author:"Nguyễn Triệu"', "place:TP.HCM", "nơi:", "place:[a TO b]",
    "id:x", "x:", "Nội:", ":", "~", "*", "[", "]", "<", ">", "=", '""', "“", "”",
]
soup = st.lists(st.sampled_from(TOKENS), max_size=25).flatmap(
    lambda tokens: st.lists(st.sampled_from(["", " ", "  "]), min_size=len(tokens), max_size=len(tokens)).map(
        lambda gaps: "".join(gap + token for gap, token in zip(gaps, tokens))
    )
)


def returns_or_raises_query_error(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(parsed, ParsedQuery)


@FUZZ
@given(weighted_text)
def test_syntax_heavy_text(text):
    returns_or_raises_query_error(text)


@FUZZ
@given(soup)
def test_operator_soups(text):
    returns_or_raises_query_error(text)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.text())
def test_arbitrary_text(text):
    returns_or_raises_query_error(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(weighted_text, st.text()), st.one_of(weighted_text, st.text()))
def test_filter_values(since, place):
    try:
        filter_plan(author=place, place=place, since=since, until=since)
    except QueryError:
        pass


# -- end to end: the engine too (expansions, filters, facets, date order) ----------------------

SMALL = Index.in_memory()
SMALL.add_many(
    Article(f"d{n}", f"Bão số {n} đổ bộ vào Hậu Giang", "Mưa lớn, gió giật mạnh ở Cần Thơ và TP.HCM.",
            date=date(2021, 1 + n % 12, 1 + n % 28), authors=("Nguyễn Triệu",), places=("Hậu Giang",))
    for n in range(40)
)  # fmt: skip


@settings(max_examples=5000, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(soup, weighted_text, st.text(max_size=60)), st.sampled_from(["relevance", "date"]))
def test_searching_returns_results_or_raises_query_error(text, sort):
    """Issue 5 point 5: 5,000 seeded random queries through the whole engine."""
    try:
        results = SMALL.search(text, sort=sort, facets=("place", "month"), limit=5)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert results.total >= len(results.hits) and not results.cut_short
