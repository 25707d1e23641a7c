"""Input files → articles: every format and encoding, field mapping, bad input."""

from __future__ import annotations

import gzip
import json
import unicodedata
from datetime import date

import pytest

from conftest import DATA, FOUNDING
from search import Article, Index, Skipped
from search.dates import local_date as parse_date
from search.readers import MAX_ARTICLE_BYTES, ReadOptions, ReadStats, read_paths, read_sources
from search.records import FieldMappingError, parse_field_options

# legacy-encoded bytes are what the doc's mojibake looks like when read as cp1252 (§6.4 L3, L4, L6, L8, L9)
TCVN3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n\n§éc lËp - Tù do - H¹nh phóc. Hµ Néi, ngµy 02 th¸ng 7 n¨m 2021".encode("cp1252")
VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\n\nXin chaøo caùc baïn. Ñoäc laäp - Töï do - Haïnh phuùc".encode("cp1252")
TITLE = "Cộng hòa xã hội chủ nghĩa Việt Nam"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def read(*paths, stats=None, **options):
    return list(read_paths(paths, stats if stats is not None else ReadStats(), ReadOptions(**options)))


def one(tmp_path, name, data: bytes):
    (tmp_path / name).write_bytes(data)
    (found,) = read(tmp_path / name)
    return found


def test_plain_text_article_gets_its_metadata_and_a_content_id():
    (found,) = read(FOUNDING)
    assert (found.category, found.date, found.authors, found.dateline) == (
        "Chính trị", date(2021, 7, 2), ("Nguyễn Triệu",), "HG",
    )  # fmt: skip
    assert len(found.id) == 16 and found.id == read(FOUNDING)[0].id


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf8.txt", f"{TITLE}\n\nNội dung.".encode("utf-8")),
        ("bom.txt", f"{TITLE}\n\nNội dung.".encode("utf-8-sig")),
        ("utf16.txt", f"{TITLE}\n\nNội dung.".encode("utf-16")),
        ("utf16be.txt", b"\xfe\xff" + f"{TITLE}\n\nNội dung.".encode("utf-16-be")),
        ("gz.txt.gz", gzip.compress(f"{TITLE}\n\nNội dung.".encode("utf-8"))),
    ],
)  # fmt: skip
def test_unicode_encodings(tmp_path, name, data):
    found = one(tmp_path, name, data)
    assert (found.title, found.body) == (TITLE, "Nội dung.")


def test_windows_1258_is_decoded_and_composed(tmp_path):
    # cp1258 has no precomposed "ộ": the tone comes as a combining byte (§2.1, L1)
    text = f"{TITLE}\n\nHậu Giang mưa lớn, người dân đi làm muộn."
    stats = ReadStats()
    (found,) = read(_write(tmp_path, "a.txt", _cp1258(text)), stats=stats)
    assert found.title == TITLE and found.body == "Hậu Giang mưa lớn, người dân đi làm muộn."
    assert stats.encodings == {"cp1258": 1}


def _cp1258(text: str) -> bytes:
    """Encode like Windows does: the letter where cp1258 has it, else base letter + tone byte."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in TONE_MARKS)
            out += unicodedata.normalize("NFC", marks.replace(tone, "")).encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def _write(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    return tmp_path / name


@pytest.mark.parametrize("data, encoding", [(TCVN3, "tcvn3"), (VNI, "vni")])
def test_legacy_vietnamese_encodings_are_converted(tmp_path, data, encoding):
    stats = ReadStats()
    (found,) = read(_write(tmp_path, "a.txt", data), stats=stats)
    assert found.title in (TITLE, "Cộng hoà xã hội chủ nghĩa Việt Nam")
    assert "Độc lập - Tự do - Hạnh phúc" in found.body
    assert stats.encodings == {encoding: 1}


def test_double_encoded_utf8_is_repaired(tmp_path):
    text = f"{TITLE}\n\nHậu Giang mưa lớn, người dân đi làm muộn."
    mojibake = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    found = one(tmp_path, "a.txt", mojibake)
    assert found.title == TITLE and "Hậu Giang" in found.body


def test_mojibake_in_json_values_is_repaired(tmp_path):
    record = {"title": "Háº­u Giang mÆ°a lá»›n", "body": "Céng hoµ x· héi chñ nghÜa ViÖt Nam. Hµ Néi, ngµy 02 th¸ng 7"}
    stats = ReadStats()
    (found,) = read(_write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False).encode()), stats=stats)
    assert found.title == "Hậu Giang mưa lớn"
    assert found.body.startswith("Cộng hoà xã hội chủ nghĩa Việt Nam. Hà Nội")
    assert stats.encodings == {"double-utf-8": 1, "tcvn3": 1}


def test_jsonl_fields_and_extra_keys(tmp_path):
    record = {
        "id": 7, "title": "T", "body": "B", "date": "02/07/2021", "author": "Nguyễn Triệu",
        "place": ["Hậu Giang", "TP.HCM"], "category": "Chính trị", "source": "Báo Hậu Giang",
        "url": "https://example.vn/a", "views": 688, "tags": [],
    }  # fmt: skip
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    stats = ReadStats()
    (found,) = read(path, stats=stats)
    assert found == Article(
        id="7", title="T", body="B", date=date(2021, 7, 2), authors=("Nguyễn Triệu",),
        places=("Hậu Giang", "Hồ Chí Minh"), category="Chính trị", source="Báo Hậu Giang",
        url="https://example.vn/a",
    )  # fmt: skip
    assert stats.extra_keys == {"views": 1, "tags": 1}


def test_common_key_spellings_and_explicit_mapping(tmp_path):
    path = tmp_path / "a.jsonl"
    records = [
        {"headline": "Mưa lớn", "content": "Cần Thơ - Sáng 2/7, mưa lớn.\nMinh Tâm", "published_at": "2021-07-02T20:00:00Z",
         "link": "https://x.vn/1"},
        {"Tiêu đề": "Nắng nóng", "Nội dung": "Nắng.", "Ngày": "03/07/2021", "Tác giả": "Thu Hà"},
        {"name": "Không phải tiêu đề", "heading": "Tiêu đề thật", "text": "Thân."},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    first, second, third = read(path, fields=parse_field_options(["title=heading"]))
    assert (first.title, first.date, first.url, first.id) == ("Mưa lớn", date(2021, 7, 3), "https://x.vn/1", "https://x.vn/1")
    assert first.places == ("Cần Thơ",)
    assert (second.title, second.date, second.authors) == ("Nắng nóng", date(2021, 7, 3), ("Thu Hà",))
    assert third.title == "Tiêu đề thật"


def test_given_fields_win_over_extraction(tmp_path):
    body = "(HG) - Chiều 1-7, hội nghị diễn ra.\nTin, ảnh: NGUYỄN TRIỆU\nTheo baohaugiang.com.vn"
    records = [{"title": "T", "body": body}, {"title": "T2", "body": body, "author": "Ai Đó", "source": "Báo X", "place": "Sài Gòn"}]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    extracted, given = read(path)
    assert (extracted.authors, extracted.source, extracted.places) == (("Nguyễn Triệu",), "baohaugiang.com.vn", ("Hậu Giang",))
    assert (given.authors, given.source, given.places) == (("Ai Đó",), "Báo X", ("Hồ Chí Minh",))


@pytest.mark.parametrize("option", ["title", "title=", "colour=hue", "=x"])
def test_bad_field_options(option):
    with pytest.raises(FieldMappingError, match="--field"):
        parse_field_options([option])


def test_json_array_object_and_wrapped_array(tmp_path):
    with gzip.open(tmp_path / "a.json.gz", "wt", encoding="utf-8") as f:
        json.dump([{"id": "a", "title": "Một"}, {"id": "b", "body": "Hai"}], f)
    (tmp_path / "b.json").write_text(json.dumps({"id": "c", "title": "Ba"}), encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"articles": [{"id": "d", "title": "Bốn"}]}), encoding="utf-8")
    assert [a.id for a in read(tmp_path)] == ["a", "b", "c", "d"]


def test_bad_input_is_named_with_its_line_and_the_rest_is_read(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "1", "title": "ok"}\n\n[1, 2]\n"chuỗi"\n{"id": "3", "title": "x", "date": "hôm qua"}\n{"id": "4", "tit\n',
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "d.json").write_text('[{"id": "5", "title": "ok"}, 3', encoding="utf-8")
    (tmp_path / "e.png").write_bytes(b"\x89PNG")
    stats = ReadStats()
    found = read(tmp_path, tmp_path / "missing.jsonl", tmp_path / "e.png", stats=stats)
    assert [a.id for a in found if isinstance(a, Article)] == ["1", "3"]
    skipped = {s.where: s.reason for s in found if isinstance(s, Skipped)}
    a = tmp_path / "a.jsonl"
    assert skipped[f"{a}:3"].startswith("a JSON array, not an object")
    assert skipped[f"{a}:4"].startswith("a JSON string, not an object")
    assert "truncated" in skipped[f"{a}:6"]
    assert skipped[str(tmp_path / "b.txt")] == "empty file"
    assert "binary" in skipped[str(tmp_path / "c.txt")]
    assert skipped[f"{tmp_path / 'd.json'}:1"].startswith("invalid JSON")
    assert skipped[str(tmp_path / "missing.jsonl")] == "no such file or folder"
    assert "not a .jsonl, .json, .txt or .html file" in skipped[str(tmp_path / "e.png")]
    assert stats.warnings == [f"{a}:5: unreadable date 'hôm qua'; indexed without a date"]
    assert stats.ignored_files == 1  # e.png inside the folder


def test_fields_of_the_wrong_type_are_dropped_not_fatal(tmp_path):
    record = {"id": 12, "title": {"vi": "x"}, "body": ["Đoạn một.", "Đoạn hai."], "date": 20210702,
              "author": {"name": "A"}, "place": [None, "Hà Nội", {"x": 1}], "url": ["u"]}  # fmt: skip
    stats = ReadStats()
    (found,) = read(_write(tmp_path, "a.jsonl", json.dumps(record, ensure_ascii=False).encode()), stats=stats)
    assert (found.id, found.title, found.body, found.date, found.authors, found.places, found.url) == (
        "12", "Đoạn một.", "Đoạn hai.", None, (), ("Hà Nội",), None,
    )  # fmt: skip
    assert stats.warnings == [f"{tmp_path / 'a.jsonl'}:1: unreadable date 20210702; indexed without a date"]


def test_a_huge_text_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.write("Tiêu đề\n\n".encode())
        f.truncate(50 << 20)  # 50 MB, sparse
    (skip,) = read(path)
    assert isinstance(skip, Skipped) and f"larger than {MAX_ARTICLE_BYTES >> 20} MB" in skip.reason


def test_undecodable_text_is_reported_not_indexed(tmp_path):
    # random high bytes are not UTF-8, and no legacy decoding of them looks like Vietnamese
    data = bytes([0x9F, 0x81, 0x8D, 0x90, 0x9D]) * 50
    (skip,) = read(_write(tmp_path, "x.txt", data))
    assert isinstance(skip, Skipped) and skip.reason


def test_html_page(tmp_path):
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Mưa lớn ở Cần Thơ</title>
    <meta property="article:published_time" content="2021-07-02T23:30:00+00:00"></head>
    <body><nav>Trang chủ | Thời sự</nav><article><h1>Mưa lớn ở Cần Thơ</h1>
    <p>Cần Thơ - Chiều 2/7, mưa lớn kéo dài khiến nhiều tuyến đường ngập sâu, người dân đi lại khó khăn.</p>
    <p>Theo đài khí tượng, mưa còn kéo dài đến hết tuần, các quận trung tâm cần chủ động phòng chống ngập.</p>
    <p>MINH TÂM</p></article><footer>Bản quyền thuộc về báo</footer></body></html>"""
    found = one(tmp_path, "a.html", page.encode("utf-8"))
    assert found.title == "Mưa lớn ở Cần Thơ"
    assert found.date == date(2021, 7, 3)
    assert "Cần Thơ" in found.places
    assert "Bản quyền" not in found.body


def test_a_folder_of_ten_thousand_files(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10_000):
        (folder / f"{n:05}.txt").write_text(f"Bài số {n}\n\nNội dung bài {n} ở Hậu Giang.", encoding="utf-8")
    with Index.in_memory() as ix:
        report = ix.add_many(read_paths([folder]))
        assert (report.added, report.skipped, ix.count()) == (10_000, (), 10_000)
        assert ix.search('"bài số 9999"').hits[0].title == "Bài số 9999"


def test_sources_name_where_each_article_came_from(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "Một"}\n{"title": "Hai"}\n', encoding="utf-8")
    assert [where for where, _ in read_sources([path])] == [f"{path}:1", f"{path}:2"]


def test_dates_are_day_first():
    assert parse_date("02/07/2021") == date(2021, 7, 2)
    assert parse_date("2/7/2021") == date(2021, 7, 2)
    assert parse_date("2021-07-02") == date(2021, 7, 2)
    assert parse_date("2021-07-02T10:30+07:00") == date(2021, 7, 2)
    assert parse_date(None) is None


def test_fixture_data_reads_cleanly():
    stats = ReadStats()
    found = read(DATA, stats=stats)
    assert all(isinstance(a, Article) for a in found) and len(found) == 13


def test_symbolic_links_are_followed_only_inside_the_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Một\n\nNội dung một.", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Bí mật\n\nKhông được đọc.", encoding="utf-8")
    (folder / "sub" / "inside.txt").symlink_to(folder / "a.txt")
    (folder / "out.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    found = read(folder)
    assert [a.title for a in found if isinstance(a, Article)] == ["Một", "Một"]
    skipped = {s.where: s.reason for s in found if isinstance(s, Skipped)}
    assert skipped[str(folder / "out.txt")].startswith(f"a symbolic link out of {folder}")
    for name in ("loop1.txt", "loop2.txt", "dangling.txt"):
        assert skipped[str(folder / name)] == "a broken or looping symbolic link; fix or remove it"


def test_a_file_name_that_is_not_utf8_is_shown_printably(tmp_path):
    import os

    raw = os.fsencode(tmp_path) + b"/bad\xffname.txt"
    with open(raw, "wb") as handle:
        handle.write("Tên lạ\n\nNội dung.".encode())
    ((where, article),) = list(read_sources([tmp_path]))
    assert where == f"{tmp_path}/bad\ufffdname.txt" and article.title == "Tên lạ"
    where.encode("utf-8")  # printable
