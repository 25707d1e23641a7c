"""Input files → articles: JSON Lines, JSON arrays, plain text, bad input."""

from __future__ import annotations

import gzip
import json
from datetime import date

from conftest import FOUNDING
from search import Article, Skipped
from search.readers import ReadStats, parse_date, read_paths


def read(*paths, stats=None):
    return list(read_paths(paths, stats if stats is not None else ReadStats()))


def test_plain_text_title_section_and_body():
    (found,) = read(FOUNDING)
    assert found.id == str(FOUNDING)
    assert found.category == "Chính trị"
    assert found.title == "Cần tiếp tục thực hiện tốt các nghị quyết về xây dựng, chỉnh đốn Đảng"
    assert found.body.startswith("[ Cập nhật vào ngày (02/07/2021) ]")


def test_bare_title_and_body(tmp_path):
    (tmp_path / "a.txt").write_text("Tiêu đề\n\nNội dung bài.\nDòng hai.", encoding="utf-8")
    (found,) = read(tmp_path)
    assert (found.title, found.body, found.category) == ("Tiêu đề", "Nội dung bài.\nDòng hai.", None)


def test_jsonl_fields_and_extra_keys(tmp_path):
    record = {
        "id": 7, "title": "T", "body": "B", "date": "02/07/2021", "author": "Nguyễn Triệu",
        "place": ["Hậu Giang", "Cần Thơ"], "category": "Chính trị", "source": "Báo Hậu Giang",
        "url": "https://example.vn/a", "views": 688, "tags": [],
    }  # fmt: skip
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    stats = ReadStats()
    (found,) = read(path, stats=stats)
    assert found == Article(
        id="7", title="T", body="B", date=date(2021, 7, 2), authors=("Nguyễn Triệu",),
        places=("Hậu Giang", "Cần Thơ"), category="Chính trị", source="Báo Hậu Giang",
        url="https://example.vn/a",
    )  # fmt: skip
    assert stats.extra_keys == {"views": 1, "tags": 1}


def test_gzip_json_array_and_bom(tmp_path):
    with gzip.open(tmp_path / "a.json.gz", "wt", encoding="utf-8") as f:
        json.dump([{"id": "a", "title": "Một"}, {"id": "b", "body": "Hai"}], f)
    (tmp_path / "b.jsonl").write_bytes(b"\xef\xbb\xbf" + json.dumps({"title": "Ba"}).encode())
    found = read(tmp_path)
    assert [a.id for a in found] == ["a", "b", f"{tmp_path / 'b.jsonl'}:1"]


def test_bad_input_is_reported_and_the_rest_is_read(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "1", "title": "ok"}\n[1, 2]\n{"id": "3", "title": "x", "date": "hôm qua"}\n',
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_bytes("Hậu Giang".encode("cp1258", errors="replace") + b"\xff\xfe")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    stats = ReadStats()
    found = read(tmp_path, tmp_path / "missing.jsonl", stats=stats)
    articles = [a.id for a in found if isinstance(a, Article)]
    skipped = [str(s) for s in found if isinstance(s, Skipped)]
    assert articles == ["1", "3"]
    assert skipped == [
        f"{tmp_path / 'a.jsonl'}:2: not a JSON object",
        f"{tmp_path / 'b.txt'}: not UTF-8 text (byte 9); convert it to UTF-8",
        f"{tmp_path / 'missing.jsonl'}: no such file or folder",
    ]
    assert stats.warnings == [f"{tmp_path / 'a.jsonl'}:3: unreadable date 'hôm qua'; indexed without a date"]


def test_dates_are_day_first():
    assert parse_date("02/07/2021") == date(2021, 7, 2)
    assert parse_date("2/7/2021") == date(2021, 7, 2)
    assert parse_date("2021-07-02") == date(2021, 7, 2)
    assert parse_date("2021-07-02T10:30+07:00") == date(2021, 7, 2)
    assert parse_date(None) is None
