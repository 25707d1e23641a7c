"""Index-and-search round trips on committed fixtures, and the ranking rules of issue 2."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest

from conftest import NEWS, article
from search import Article, QueryError, Understood
from search.results import capitals_of
from search.readers import read_paths

FILLER = [
    article(f"filler-{i}", title, body)
    for i, (title, body) in enumerate(
        [
            ("Giá lúa tăng mạnh", "Nông dân miền Tây vui mừng vì giá lúa tăng trong tháng này."),
            ("Bão số 3 đổ bộ", "Bão gây mưa lớn ở nhiều tỉnh miền Bắc, người dân sơ tán."),
            ("Khai giảng năm học mới", "Học sinh cả nước bước vào năm học mới với nhiều đổi mới."),
            ("Giao thông ùn tắc", "Nhiều tuyến đường ở Hà Nội ùn tắc vào giờ cao điểm."),
        ]
    )
]


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_founding_article_round_trip(any_index, founding):
    report = any_index.add_many([founding, *FILLER])
    assert (report.added, report.replaced, report.skipped) == (5, 0, ())
    for query in [
        "Hậu Giang",
        "hau giang",
        "Hau Giang",
        "HẬU GIANG",
        unicodedata.normalize("NFD", "Hậu Giang"),
        '"chỉnh đốn đảng"',
        "chinh don dang",
        "nghị quyết xây dựng đảng",
        "HĐND",
        "Tỉnh uỷ",
        'author:"nguyen trieu"',
        'author:"Nguyễn Triệu"',
        "place:hau_giang" if False else 'place:"Hậu Giang"',
        "date:02/07/2021",
        "date:2021-07",
        "date:2021-06-01..2021-12-31",
    ]:
        results = any_index.search(query)
        assert ids(results)[:1] == ["founding"], query


def test_every_spelling_finds_the_same_articles(ram_index):
    ram_index.add_many(
        [
            article("hoa", "Hòa bình", "Khát vọng hòa bình"),
            article("thuy", "Thủy lợi", "Công trình thủy lợi"),
            article("khoe", "Sức khỏe", "Giữ gìn sức khỏe"),
            *FILLER,
        ]
    )
    for variants, expected in [
        (["hoà bình", "hòa bình", "HOÀ BÌNH", "hoa binh"], "hoa"),
        (["thuỷ lợi", "thủy lợi", "thuy loi"], "thuy"),
        (["khoẻ", "khỏe", "KHOẺ", "khoe"], "khoe"),
    ]:
        for query in variants + [unicodedata.normalize("NFD", v) for v in variants]:
            assert ids(ram_index.search(query)) == [expected], query


def test_exact_accents_rank_above_bare_above_other_accents(ram_index):
    ram_index.add_many(
        [
            article("other", "Tin Hầu Giang", "Người dân Hầu Giang đón mưa lớn chiều nay."),
            article("bare", "Tin Hau Giang", "Người dân Hau Giang đón mưa lớn chiều nay."),
            article("exact", "Tin Hậu Giang", "Người dân Hậu Giang đón mưa lớn chiều nay."),
            *FILLER,
        ]
    )
    assert ids(ram_index.search("Hậu Giang"))[:3] == ["exact", "bare", "other"]
    assert ids(ram_index.search("Hầu Giang"))[0] == "other"


def test_adjacent_syllables_rank_above_scattered_ones(ram_index):
    ram_index.add_many(
        [
            article("scattered", "Hậu quả của lũ", "Hậu quả nặng nề của lũ ở Kiên Giang, hậu quả kéo dài."),
            article("adjacent", "Mưa lớn", "Chiều qua mưa lớn ở Hậu Giang, nhiều tuyến đường ngập."),
            *FILLER,
        ]
    )
    for query in ["Hậu Giang", "hau giang"]:
        assert ids(ram_index.search(query))[:2] == ["adjacent", "scattered"], query


def test_an_article_about_a_place_ranks_above_one_that_only_mentions_it(ram_index):
    about = (
        "Hội nghị sơ kết công tác xây dựng Đảng. Dự điểm cầu Hậu Giang có lãnh đạo tỉnh. "
        + "Các đại biểu thảo luận về công tác cán bộ, đào tạo và bồi dưỡng đội ngũ. " * 6
        + "Tỉnh ủy Hậu Giang ban hành đề án mới."
    )
    ram_index.add_many(
        [
            article("about", "Cần tiếp tục thực hiện tốt các nghị quyết", about, places=("Hậu Giang",)),
            article("mention", "Xe tải cán người", "Tài xế 30 tuổi, quê ở Hậu Giang.", places=("Bình Dương",)),
            *FILLER,
        ]
    )
    for query in ["Hậu Giang", "hau giang", "tỉnh Hậu Giang"]:
        assert ids(ram_index.search(query))[:2] == ["about", "mention"], query
    assert ids(ram_index.search("diễn biến Hậu Giang"))[0] == "about"


def test_a_query_that_names_an_author_finds_their_articles(ram_index):
    ram_index.add_many(
        [
            article("by", "Hội nghị sơ kết", "Nội dung hội nghị.", authors=("Nguyễn Triệu",)),
            article("other", "Giá vàng", "Giá vàng tăng 2 triệu đồng một lượng.", authors=("Minh Anh",)),
            *[article(f"price-{i}", "Giá xe", f"Xe giá {i} triệu đồng.") for i in range(5)],
            *FILLER,
        ]
    )
    for query in ["Nguyễn Triệu", "nguyen trieu", "hội nghị nguyen trieu", '"Nguyễn Triệu"']:
        assert ids(ram_index.search(query))[0] == "by", query
    assert "by" not in ids(ram_index.search("Nguyễn Triệu", exact=True))  # exact: the words as typed only
    assert "by" not in ids(ram_index.search("triệu"))  # one word is not a name


def test_a_place_is_named_by_its_own_marks(ram_index):
    ram_index.add_many(
        [
            article("tagged", "Tin tỉnh", "Diễn biến thời tiết hôm nay, trời nắng.", places=("Điện Biên",)),
            article("untagged", "Tin", "Diễn biến thời tiết hôm nay."),
            *FILLER,
        ]
    )
    assert ids(ram_index.search("diễn biến"))[0] == "untagged"  # not Điện Biên: no place bonus
    assert ids(ram_index.search("Điện Biên"))[0] == "tagged"


def test_phrase_requires_syllables_in_order(ram_index):
    ram_index.add_many(
        [
            article("in-order", "Chỉnh đốn Đảng", "Tiếp tục xây dựng, chỉnh đốn Đảng."),
            article("reversed", "Đảng và chỉnh đốn", "Đảng bộ tỉnh đã đốn cây, chỉnh sửa."),
            *FILLER,
        ]
    )
    assert ids(ram_index.search('"chỉnh đốn đảng"')) == ["in-order"]
    assert set(ids(ram_index.search("chỉnh đốn đảng"))) == {"in-order", "reversed"}


def test_a_phrase_is_found_in_every_segment_and_past_the_16_bit_positions(any_index):
    filler = " ".join(["lúa"] * 70_000)  # positions past 65,535 are stored 32 bits wide
    any_index.add_many([article("first", "Tin", "Mưa ở Hậu Giang."), article("far", "Dài", f"{filler} Hậu Giang mưa.")])
    any_index.add_many([article("second", "Tin", "Lũ ở Hậu Giang."), article("apart", "Tin", "Giang hồ hậu sự.")])
    any_index.add_many([article("gone", "Tin", "Hậu Giang.")])
    any_index.delete("gone")
    assert set(ids(any_index.search('"hậu giang"'))) == {"first", "far", "second"}
    assert set(ids(any_index.search('"giang mưa"'))) == {"far"}  # the last position of the long text
    assert ids(any_index.search('"lúa lúa hậu"')) == ["far"]


def test_a_suggestion_the_top_hit_does_not_hold_whole_still_gets_its_names_right(ram_index, founding):
    ram_index.add_many([founding, *FILLER])
    assert ram_index.search("ubnd hau giang 02/07/2021").suggestion == "ubnd Hậu Giang 02/07/2021"


def test_capitals_come_from_runs_the_text_writes_in_mid_sentence():
    texts = ["Mưa lớn ở Hậu Giang hôm nay. Nam Định nắng, học sinh nam nghỉ."]
    def shown(read: str) -> str:
        return " ".join(capitals_of(texts, tuple(read.split()), tuple(read.split())))
    assert shown("mưa ở hậu giang") == "mưa ở Hậu Giang"  # a run of two or more, from the text
    assert shown("nam định") == "nam định"  # opening a sentence: its capital says nothing
    assert shown("học sinh nam") == "học sinh nam"  # no capital in the text's run
    assert shown("ở hậu") == "ở Hậu"  # the run's own capitals, wherever they are
    assert shown("nam") == "nam"  # one word alone is not enough


def test_results_say_what_the_words_were_also_searched_as(ram_index, founding):
    ram_index.add_many([founding, *FILLER])
    understood = ram_index.search("nguyen trieu UBND").understood
    assert Understood("nguyen trieu", ("Nguyễn Triệu",), "author") in understood  # the byline's own name
    assert Understood("UBND", ("Ủy ban nhân dân",), "synonym") in understood
    assert Understood("Haauj Giang", ("Hậu Giang",), "keystrokes") in ram_index.search("Haauj Giang").understood
    assert Understood("hau giang", ("Hậu Giang",), "reading") in ram_index.search("hau giang").understood
    assert ram_index.search("chỉnh đốn").understood == ()
    assert ram_index.search("UBND 2/7/2021", exact=True).understood == ()


def test_suggestion_spells_an_unaccented_query_as_the_top_hit_does(ram_index, founding):
    ram_index.add_many([founding, *FILLER])
    assert ram_index.search("hau giang").suggestion == "Hậu Giang"
    assert ram_index.search("chinh don dang").suggestion == "chỉnh đốn Đảng"
    assert ram_index.search("nguyen trieu").suggestion == "Nguyễn Triệu"  # as the byline writes the name
    assert ram_index.search("Hậu Giang").suggestion is None  # typed with marks already
    assert ram_index.search('hau giang author:"nguyen trieu"').suggestion is None
    assert ram_index.search("xyzzy").suggestion is None


def test_snippet_highlights_the_accented_original(ram_index, founding):
    ram_index.add(founding)
    hit = ram_index.search("hau giang").hits[0]
    marked = [hit.snippet.text[s:e] for s, e in hit.snippet.highlights]
    assert "Hậu Giang" in marked
    assert hit.snippet.marked().count("[[Hậu Giang]]") >= 1


def highlighted(ix, query: str, id: str) -> list[str]:
    hit = next(hit for hit in ix.search(query, limit=20).hits if hit.id == id)
    return [hit.snippet.text[s:e] for s, e in hit.snippet.highlights]


def test_a_word_typed_with_marks_is_highlighted_only_as_typed(ram_index):
    ram_index.add_many([
        article("storm", "Tin", "Cảnh báo bão số 3, bao gồm cả mưa lớn; bão vào bờ."),
        article("skill", "Tin", "Kĩ sư Hậu nói hầu hết đã xong ở Hậu Giang."),
        *FILLER,
    ])  # fmt: skip
    assert highlighted(ram_index, "bão", "storm") == ["bão", "bão"]
    assert highlighted(ram_index, "bao", "storm") == ["báo bão", "bao", "bão"]  # typed without marks: any form
    assert highlighted(ram_index, "kỹ sư", "skill") == ["Kĩ sư"]  # i/y spellings are one word
    assert "hầu" not in highlighted(ram_index, "Hậu giang", "skill")
    assert highlighted(ram_index, "hau giang", "skill")[:2] == ["Hậu", "hầu"]  # what was typed, in any form


def test_snippet_offsets_point_into_nfd_text(ram_index):
    body = unicodedata.normalize("NFD", "Mưa lớn ở Hậu Giang, nhiều nhà ngập.")
    ram_index.add(article("nfd", "Mưa", body))
    snip = ram_index.search("Hậu Giang").hits[0].snippet
    assert [snip.text[s:e] for s, e in snip.highlights] == [unicodedata.normalize("NFD", "Hậu Giang")]


def test_same_id_replaces_the_document(any_index):
    any_index.add(article("a", "Bản cũ", "nội dung cũ"))
    report = any_index.add(article("a", "Bản mới", "nội dung mới"))
    assert (report.added, report.replaced) == (0, 1)
    assert any_index.count() == 1
    assert ids(any_index.search("cũ")) == []
    assert ids(any_index.search("mới")) == ["a"]


def test_same_id_twice_in_one_batch_keeps_the_last(ram_index):
    report = ram_index.add_many([article("a", "Một", "thứ nhất"), article("a", "Hai", "thứ hai")])
    assert (report.added, report.replaced) == (1, 1)
    assert ram_index.count() == 1
    assert ram_index.get("a").title == "Hai"


def test_delete(any_index):
    any_index.add_many([article("a", "Một"), article("b", "Hai")])
    assert any_index.delete("a") is True
    assert any_index.delete("a") is False
    assert any_index.count() == 1
    assert any_index.get("a") is None


def test_paging_is_a_window_on_one_ranking(ram_index):
    ram_index.add_many(a for a in read_paths([NEWS]) if isinstance(a, Article))
    full = ids(ram_index.search("và", limit=6))
    assert len(full) == 6
    assert ids(ram_index.search("và", limit=3, offset=3)) == full[3:]
    assert ram_index.search("và", limit=0).hits == ()


def test_get_returns_the_stored_article(any_index, founding):
    any_index.add(founding)
    assert any_index.get("founding") == founding


def test_info_counts_and_date_range(any_index):
    any_index.add_many(
        [
            article("a", "Một", date=date(2021, 7, 2)),
            article("b", "Hai", date=date(2019, 1, 5)),
            article("c", "Ba"),
        ]
    )
    info = any_index.info()
    assert (info.documents, info.first_date, info.last_date) == (3, date(2019, 1, 5), date(2021, 7, 2))


@pytest.mark.parametrize(
    "query",
    ['"hậu giang', "(hậu giang", "hậu giang)", "tacgiaa:x", "-hậu", "", "   ", "hậu AND", "date:31/02/2021", "date:hôm_qua"],
)
def test_unparseable_queries_raise_query_error(ram_index, query):
    with pytest.raises(QueryError):
        ram_index.search(query)


def test_exclusion_and_required_terms(ram_index):
    ram_index.add_many(FILLER)
    assert ids(ram_index.search("mưa -bão")) == []
    assert ids(ram_index.search("mưa lớn")) == ["filler-1"]
    assert set(ids(ram_index.search("lúa OR bão"))) == {"filler-0", "filler-1"}
    assert ids(ram_index.search("+lúa +bão")) == []
    assert ids(ram_index.search("lúa AND giá")) == ["filler-0"]


def test_many_segments_merges_and_deletions_keep_results_exact(tmp_path):
    from search import Index

    with Index.create(tmp_path / "ix") as ix:
        docs = [article(f"d{i}", f"Tin số {i}", f"Mưa lớn ở Hậu Giang lần {i}" if i % 3 == 0 else f"Nắng {i}") for i in range(40)]
        report = ix.add_many(docs, batch_size=3)  # 14 commits: several segments, some merged
        assert report.added == 40
        with_rain = {f"d{i}" for i in range(40) if i % 3 == 0}
        results = ix.search("hau giang", limit=100)
        assert results.total == len(with_rain) and {h.id for h in results.hits} == with_rain
        assert ix.delete("d0") and ix.delete("d3")
        ix.add(article("d6", "Tin mới", "Không còn mưa"))  # replaces d6
        results = ix.search('"hậu giang"', limit=100)
        assert {h.id for h in results.hits} == with_rain - {"d0", "d3", "d6"}
        assert results.total == len(with_rain) - 3
        assert ix.search("nắng").total == 40 - len(with_rain)
        assert ix.count() == 38


def test_interrupted_indexing_keeps_what_was_committed(tmp_path):
    from search import Index, IndexingInterrupted

    def docs():
        for i in range(10):
            if i == 7:
                raise KeyboardInterrupt
            yield article(f"d{i}", f"Tin {i}", "Hậu Giang")

    with Index.create(tmp_path / "ix") as ix:
        with pytest.raises(IndexingInterrupted) as caught:
            ix.add_many(docs(), batch_size=3)
        assert caught.value.report.added == 6  # two full batches; the open one is dropped
        assert ix.count() == 6
        assert ix.search("hau giang").total == 6


def test_a_body_of_too_many_distinct_words_is_indexed_up_to_the_cap(ram_index):
    from search.writer import MAX_DISTINCT_TERMS

    words = [f"w{n:06d}x" for n in range(MAX_DISTINCT_TERMS + 500)]
    ram_index.add(article("dump", "Bảng mã", " ".join(words)))
    assert ram_index.search(words[0]).total == 1
    assert ram_index.search(words[MAX_DISTINCT_TERMS - 1]).total == 1
    assert ram_index.search(words[MAX_DISTINCT_TERMS]).total == 0  # past the cap: not indexed
    assert ram_index.get("dump").body == " ".join(words)  # stored whole


@pytest.mark.parametrize(
    "text, options",
    [("hau giang", {}), ("hau*", {}), ('"hậu giang"', {}), ("nguyen~1", {}), ("mưa -nắng", {}), ("", {"since": "01/01/2020"}),
     ("hau giang", {"facets": ("place", "year")}), ("hau giang", {"sort": "date"}), ("", {"place": "Cần Thơ"})],
)
def test_an_empty_index_answers_every_query_with_no_hits(any_index, text, options):
    results = any_index.search(text, **options)
    assert results.total == 0 and results.hits == ()


def test_an_index_whose_articles_were_all_deleted_answers_with_no_hits(any_index):
    any_index.add(article("a", "Hậu Giang", "mưa lớn"))
    any_index.delete("a")
    assert any_index.search("hau giang").total == 0 and any_index.count() == 0


def test_in_memory_indexes_written_at_once_keep_their_temporary_files_apart():
    """Whoosh puts every in-memory writer's temporary files in one system-wide folder and a
    finishing writer deletes it: concurrent writers (threads, or other processes) broke."""
    import subprocess
    import sys
    import threading

    from search import Index

    script = "from search import Index, Article\nfor n in range(40):\n    Index.in_memory().add_many([Article(f'a{n}', 'Hậu Giang', 'mưa')])\n"
    child = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    failures: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            for n in range(40):
                with Index.in_memory() as ix:
                    ix.add_many([article(f"{prefix}{n}-{i}", "Hậu Giang", "mưa lớn") for i in range(3)])
                    assert ix.count() == 3
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _, stderr = child.communicate(timeout=120)
    assert failures == [] and child.returncode == 0, (failures, stderr[-500:])


def test_the_snippet_window_is_the_one_with_most_distinct_then_adjacent_matches():
    from search.results import CONTEXT_BEFORE, _best_window

    def spelled_out(words, size):  # every window, counted afresh: what the sliding count must equal
        best, score = 0, (-1, -1)
        for start in sorted({max(0, i - CONTEXT_BEFORE) for i, w in enumerate(words) if w[2] is not None}):
            window = words[start : start + size]
            distinct = {w[2] for w in window if w[2] is not None}
            adjacent = sum(1 for a, b in zip(window, window[1:]) if a[2] is not None and b[2] is not None)
            if (len(distinct), adjacent) > score:
                best, score = start, (len(distinct), adjacent)
        return best

    rng = random.Random(7)
    for _ in range(3000):
        share = rng.random()
        words = [(0, 0, rng.choice("abcde") if rng.random() < share else None) for _ in range(rng.randint(0, 90))]
        size = rng.randint(1, 40)
        assert _best_window(words, size) == spelled_out(words, size)


def test_a_segment_forgetting_its_remembered_entries_still_finds_everything(ram_index, founding, monkeypatch):
    ram_index.add_many([founding, *FILLER])
    queries = ["hau giang", '"chỉnh đốn đảng"', "nghị quyết xây dựng", "tỉnh ủy"]
    expected = [[(h.id, h.score) for h in ram_index.search(q).hits] for q in queries]
    monkeypatch.setattr("search.columnar.REMEMBERED_ENTRIES", 2)
    assert [[(h.id, h.score) for h in ram_index.search(q).hits] for q in queries] == expected
