"""Fielded search (issue 4): filters from keywords, flags and the query; the 2025 merger;
facets checked against a brute-force count; date order; prefixes, fuzzy words, time limit."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from search import Article, Index, QueryError
from search.cli import app
from search.places import lookup

AUTHORS = ["NGUYỄN TRIỆU", "Nguyễn Triệu", "Thu Hà", "Minh Tâm", "PV"]
PLACES = ["Hậu Giang", "Sóc Trăng", "Cần Thơ", "Hồ Chí Minh", "Hà Nội", "Huế", "Bình Dương"]
CATEGORIES = ["Chính trị", "Kinh tế", "Thể thao", None]
TOPICS = ["mưa lớn gây ngập", "bầu cử đại biểu", "giá lúa tăng", "giải bóng đá"]
BOUNDARY_DAYS = [date(2020, 12, 31), date(2021, 1, 1), date(2021, 6, 30), date(2021, 7, 1), date(2021, 7, 31),
                 date(2021, 8, 1), date(2025, 6, 30), date(2025, 7, 1), date(2026, 2, 8)]  # fmt: skip


def fixture_articles() -> list[Article]:
    rng = random.Random(4)
    articles = []
    for n in range(80):
        day = BOUNDARY_DAYS[n] if n < len(BOUNDARY_DAYS) else date(2020 + rng.randrange(6), rng.randrange(1, 13), rng.randrange(1, 29))
        topic = TOPICS[n % len(TOPICS)]
        places = tuple(rng.sample(PLACES, rng.choice([0, 1, 1, 2])))
        articles.append(Article(
            id=f"a{n:02}", title=f"Bài {n}: {topic}", body=f"Nội dung về {topic}. Tin số {n}.",
            date=None if n % 17 == 16 else day, authors=(rng.choice(AUTHORS),) if n % 5 else (),
            places=places, category=CATEGORIES[n % len(CATEGORIES)], source=rng.choice(["Báo Hậu Giang", "TTXVN"]),
        ))  # fmt: skip
    return articles


ARTICLES = fixture_articles()


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    path = tmp_path_factory.mktemp("fielded") / "ix"
    with Index.create(path) as index:
        index.add_many(ARTICLES, batch_size=30)  # several segments
        yield index


def ids(results) -> set[str]:
    return {hit.id for hit in results.hits}


def expected(predicate) -> set[str]:
    return {a.id for a in ARTICLES if predicate(a)}


def search_all(ix, text="", **filters) -> set[str]:
    results = ix.search(text, limit=1000, **filters)
    assert results.total == len(results.hits)
    return ids(results)


def is_current_unit(name: str, wanted: str) -> bool:
    return lookup(name).current == wanted


# -- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["nguyen trieu", "Nguyễn Triệu", "NGUYỄN TRIỆU", "  nguyễn   triệu "])
def test_author_ignores_accents_case_and_spacing(ix, spelling):
    assert search_all(ix, author=spelling) == expected(lambda a: "Nguyễn Triệu".lower() in [x.lower() for x in a.authors])


@pytest.mark.parametrize("spelling", ["Hồ Chí Minh", "TP.HCM", "tphcm", "Sài Gòn", "ho chi minh", "TP. Hồ Chí Minh"])
def test_a_place_by_any_of_its_names(ix, spelling):
    assert search_all(ix, place=spelling) == expected(
        lambda a: any(is_current_unit(p, "Hồ Chí Minh") for p in a.places)
    )  # Bình Dương was merged into Hồ Chí Minh: included by default


def test_the_2025_merger_is_included_by_default_and_can_be_excluded(ix):
    merged = expected(lambda a: any(p in ("Cần Thơ", "Hậu Giang", "Sóc Trăng") for p in a.places))
    assert search_all(ix, place="Cần Thơ") == merged
    assert search_all(ix, 'place:"Cần Thơ" OR place:"Cần Thơ"') == merged
    only = expected(lambda a: "Cần Thơ" in a.places)
    assert search_all(ix, place="Cần Thơ", exact_place=True) == only
    assert only < merged
    # a former unit is always that unit only
    assert search_all(ix, place="hau giang") == expected(lambda a: "Hậu Giang" in a.places)


@pytest.mark.parametrize(
    "since, until, low, high",
    [
        ("01/07/2021", "31/07/2021", date(2021, 7, 1), date(2021, 7, 31)),
        ("2021-07-01", "2021-07-31", date(2021, 7, 1), date(2021, 7, 31)),
        ("07/2021", "07/2021", date(2021, 7, 1), date(2021, 7, 31)),
        ("2021", None, date(2021, 1, 1), date.max),
        (None, "2021", date.min, date(2021, 12, 31)),
        (date(2021, 6, 30), date(2021, 7, 1), date(2021, 6, 30), date(2021, 7, 1)),
    ],
)
def test_date_bounds_are_inclusive_and_day_first(ix, since, until, low, high):
    assert search_all(ix, since=since, until=until) == expected(lambda a: a.date is not None and low <= a.date <= high)


@pytest.mark.parametrize(
    "query, low, high",
    [
        ("date:2021-07-01", date(2021, 7, 1), date(2021, 7, 1)),
        ("ngày:01/07/2021", date(2021, 7, 1), date(2021, 7, 1)),
        ("date:7/2021", date(2021, 7, 1), date(2021, 7, 31)),
        ('date:"tháng 7/2021"', date(2021, 7, 1), date(2021, 7, 31)),
        ("date:2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("date:[30/06/2021 TO 01/07/2021]", date(2021, 6, 30), date(2021, 7, 1)),
        ("date:>=2025-07", date(2025, 7, 1), date.max),
        ("date:<2021", date.min, date(2020, 12, 31)),
    ],
)
def test_dates_inside_the_query(ix, query, low, high):
    assert search_all(ix, query) == expected(lambda a: a.date is not None and low <= a.date <= high)


@pytest.mark.parametrize("bad", ["31/02/2021", "13/13/2021", "2021-13"])
def test_impossible_dates_are_errors_not_empty_results(ix, bad):
    with pytest.raises(QueryError, match=bad.split("-")[0].split("/")[0]):
        ix.search("mưa", since=bad)
    with pytest.raises(QueryError):
        ix.search(f"mưa date:{bad}")


def test_category_source_and_combinations(ix):
    assert search_all(ix, category="chinh tri") == expected(lambda a: a.category == "Chính trị")
    assert search_all(ix, source="TTXVN") == expected(lambda a: a.source == "TTXVN")
    combined = search_all(ix, "mưa", author="thu ha", place="Cần Thơ", since="2021", category="Chính trị")
    assert combined == expected(
        lambda a: "mưa" in a.title and "Thu Hà" in a.authors and a.date is not None and a.date.year >= 2021
        and any(is_current_unit(p, "Cần Thơ") for p in a.places) and a.category == "Chính trị"
    )  # fmt: skip
    flags_and_query = search_all(ix, 'mưa tác_giả:"thu ha" nơi:"Cần Thơ" ngày:>=2021 chuyên_mục:"Chính trị"')
    assert flags_and_query == combined


def test_not_and_exclusions_with_filters(ix):
    assert search_all(ix, "mưa -place:\"Hà Nội\"") == expected(lambda a: "mưa" in a.title and "Hà Nội" not in a.places)
    assert search_all(ix, "(mưa OR lúa) AND NOT author:PV") == expected(
        lambda a: ("mưa" in a.title or "lúa" in a.title) and "PV" not in a.authors
    )


# -- sorting, facets --------------------------------------------------------------------


def test_sort_by_date_is_newest_first_and_undated_last(ix):
    hits = ix.search("bài", sort="date", limit=1000).hits
    dates = [h.date for h in hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert None in dates and dates[len(dated):] == [None] * (len(dates) - len(dated))


def test_filters_alone_list_the_newest_first(ix):
    results = ix.search(place="Huế", limit=3)
    assert results.total == len(expected(lambda a: "Huế" in a.places))
    newest = sorted((a for a in ARTICLES if "Huế" in a.places and a.date), key=lambda a: a.date, reverse=True)
    assert [h.id for h in results.hits] == [a.id for a in newest[:3]]


def brute_force_facets(matching: list[Article]) -> dict[str, Counter]:
    return {
        "place": Counter(p for a in matching for p in a.places),
        "province": Counter(c for a in matching for c in dict.fromkeys(lookup(p).current for p in a.places)),
        "author": Counter(x.title() if x.isupper() else x for a in matching for x in dict.fromkeys(a.authors)),
        "category": Counter(a.category for a in matching if a.category),
        "month": Counter(a.date.isoformat()[:7] for a in matching if a.date),
        "year": Counter(str(a.date.year) for a in matching if a.date),
    }


@pytest.mark.parametrize("query, predicate", [
    ("mưa", lambda a: "mưa" in a.title),
    ("bài", lambda a: True),
    ("lúa OR bóng", lambda a: "lúa" in a.title or "bóng" in a.title),
])  # fmt: skip
def test_facet_counts_match_a_brute_force_count(ix, query, predicate):
    names = ("place", "province", "author", "category", "month", "year")
    results = ix.search(query, facets=names, facet_limit=1000, limit=0)
    truth = brute_force_facets([a for a in ARTICLES if predicate(a)])
    for name in names:
        found = results.facets[name]
        if name == "author":  # "NGUYỄN TRIỆU" and "Nguyễn Triệu" are one author
            found = Counter({k.title(): v for k, v in found.items()})
            truth[name] = Counter({k.title(): v for k, v in truth[name].items()})
        assert Counter(found) == truth[name], name
        assert list(found.values()) == sorted(found.values(), reverse=True), name


def test_facet_limit_and_info(ix):
    assert len(ix.search("bài", facets=["month"], facet_limit=3).facets["month"]) == 3
    info = ix.info()
    assert set(info.top) == {"place", "author", "category", "source"}
    assert sum(info.per_year.values()) == sum(1 for a in ARTICLES if a.date)
    assert list(info.per_year) == sorted(info.per_year)


def test_unknown_facet_or_sort_is_an_error(ix):
    with pytest.raises(QueryError, match="unknown facet 'colour'"):
        ix.search("mưa", facets=["colour"])
    with pytest.raises(QueryError, match="unknown sort"):
        ix.search("mưa", sort="alphabet")


# -- prefixes, fuzzy words, the time limit ------------------------------------------------


def test_prefix_and_fuzzy_words(ix):
    assert search_all(ix, "ngậ*") == expected(lambda a: "ngập" in a.title)
    assert search_all(ix, "ngap*") == expected(lambda a: "ngập" in a.title)
    assert search_all(ix, "bongg~") == expected(lambda a: "bóng" in a.title)
    results = ix.search("ngậ*")
    assert any("ngập" in h.snippet.text[s:e] for h in results.hits for s, e in h.snippet.highlights)


def test_a_prefix_that_stands_for_too_many_words_is_refused(ix):
    many = [Article(f"w{n}", f"xy{n:04}", "") for n in range(1001)]
    with Index.in_memory() as small:
        small.add_many(many)
        with pytest.raises(QueryError, match="more than 1000 words"):
            small.search("xy*")


def test_the_time_limit_cuts_a_search_short_and_says_so(ix):
    results = ix.search('"mưa lớn"', timeout=1e-9)
    assert results.cut_short
    assert not ix.search('"mưa lớn"').cut_short


# -- the command line -------------------------------------------------------------------


def test_cli_flags_json_and_facets(ix, tmp_path):
    path = str(ix._path)
    runner = CliRunner()
    args = ["query", "--index", path, "bài", "--place", "Cần Thơ", "--author", "nguyen trieu",
            "--since", "01/01/2021", "--until", "2025-12-31", "--sort", "date", "--facets", "place,month", "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == len(search_all(ix, "bài", place="Cần Thơ", author="nguyen trieu", since="01/01/2021", until="2025-12-31"))
    assert set(data["facets"]) == {"place", "month"}
    plain = runner.invoke(app, ["query", "--index", path, "bài", "--facets", "category", "--limit", "1"])
    assert plain.stdout.splitlines()[-1].startswith("category: ")
    bad = runner.invoke(app, ["query", "--index", path, "mưa", "--since", "31/02/2021"])
    assert bad.exit_code == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
    info = runner.invoke(app, ["info", "--index", path])
    assert "top place:" in info.stdout and "published per year:" in info.stdout


@pytest.mark.parametrize(
    "flags, keywords",
    [
        (["--category", "Kinh tế"], {"category": "Kinh tế"}),
        (["--source", "ttxvn"], {"source": "ttxvn"}),
        (["--place", "Cần Thơ", "--exact-place"], {"place": "Cần Thơ", "exact_place": True}),
        (["--since", "2025-07"], {"since": "2025-07"}),
        (["--until", "30/06/2021"], {"until": "30/06/2021"}),
        (["--author", "PV", "--sort", "date"], {"author": "PV", "sort": "date"}),
    ],
)
def test_every_flag_means_what_its_keyword_means(ix, flags, keywords):
    result = CliRunner().invoke(app, ["query", "--index", str(ix._path), "bài", "--json", "--limit", "100", *flags])
    data = json.loads(result.stdout)
    expected_results = ix.search("bài", limit=100, **keywords)
    assert data["total"] == expected_results.total > 0
    assert [h["id"] for h in data["hits"]] == [h.id for h in expected_results.hits]


def test_timeout_flag_says_the_search_was_cut_short(ix):
    result = CliRunner().invoke(app, ["query", "--index", str(ix._path), '"mưa lớn"', "--timeout", "0.000000001"])
    assert "stopped after" in result.stderr and "--timeout" in result.stderr
