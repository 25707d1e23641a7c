"""Opening an index never runs code from it (issue 5, point 4; ``whoosh.md`` G4).

Hostile pickles are planted where Whoosh reads them, in the format Whoosh's own
code writes: the table of contents (schema, segment list), a compound file's
directory, a posting block and a stored-fields block. Each payload would create a
marker file; the marker must never appear, and the refusal must be one line
(exit 3 from the CLI). Directories others can write into, or that belong to
someone else, are refused before anything is read.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import pickle
import stat
import sys
from datetime import date
from pathlib import Path

import pytest
import whoosh.index
from typer.testing import CliRunner
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.filedb.structfile import BufferFile
from whoosh.system import pack_int, unpack_long
from whoosh.util.varints import varint

from search import Article, Index, IndexUntrustedError
from search.manifest import write_current_manifest
from search.cli import app
from search.fastwriter import FastSegmentWriter
from search.schema import build_schema
from search.trust import ALLOWED_GLOBALS, REPLACED, RestrictedUnpickler, check_directory, restricted_loads
from search.writer import document

# -- payloads --------------------------------------------------------------------


class RunsShell:
    """Unpickling this runs ``touch MARKER`` (pickled as ``posix.system``)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class OpensFile(RunsShell):
    """Unpickling this creates MARKER with ``open`` (pickled as ``io.open``)."""

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


PAYLOADS = [RunsShell, OpensFile]


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "payload-ran"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_payloads_do_run_under_plain_pickle(payload, marker):
    """Otherwise the tests below would prove nothing."""
    pickle.loads(pickle.dumps(payload(marker), 2))
    assert marker.exists()


# -- a real index: several segments, merges, deletions ---------------------------


def articles(start: int, count: int) -> list[Article]:
    return [
        Article(
            id=f"a{i}",
            title=f"Hậu Giang tin số {i}",
            body="Cần Thơ hôm nay mưa to, " * (i % 4 + 1) + f"chuyện thứ {i}",
            date=date(2021, 7, 1 + i % 28),
            authors=("Nguyễn Triệu",) if i % 2 else ("Lê Văn Tám",),
            places=("Hậu Giang",) if i % 3 else ("Cần Thơ",),
            category="Xã hội",
        )
        for i in range(start, start + count)
    ]


def build(path: Path) -> Path:
    with Index.create(path) as ix:
        for batch in range(4):
            ix.add_many(articles(batch * 12, 12), batch_size=5)  # commits of 5: merges
        ix.delete("a3")
        ix.add_many([Article(id="a7", title="Sửa lại", body="bản mới của tin bảy")])
    return path


def answers(ix: Index) -> dict:
    hits = ix.search("hau giang", facets=["place", "author", "month"], limit=50)
    return {
        "count": ix.count(),
        "hits": [(h.id, round(h.score, 6)) for h in hits.hits],
        "total": hits.total,
        "facets": hits.facets,
        "phrase": [h.id for h in ix.search('"mưa to"', limit=50).hits],
        "prefix": ix.search("chuyê*").total,
        "fuzzy": ix.search("giangg~").total,
        "filtered": ix.search("tin", author="Nguyễn Triệu", since="2021-07-10").total,
        "a7": ix.get("a7").title,
        "a3": ix.get("a3"),
        "info": ix.info().to_dict(),
    }


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return build(tmp_path / "ix")


def test_a_legitimate_index_answers_the_same_through_the_allow_list(tmp_path, monkeypatch):
    """Every global its pickles name is on the list, and the answers are the ones an
    index never written to disk gives (no restriction can bite there: no pickles)."""
    asked = set()
    find_class = RestrictedUnpickler.find_class

    def recording(self, module, name):
        asked.add((module, name))
        return find_class(self, module, name)

    path = build(tmp_path / "ix")
    monkeypatch.setattr(RestrictedUnpickler, "find_class", recording)
    with Index.open(path) as ix:
        on_disk = answers(ix)
    assert {("whoosh.fields", "Schema"), ("search.schema", "TermsField"), ("whoosh.codec.whoosh3", "W3Segment")} <= asked
    with Index.in_memory() as ix:
        for batch in range(4):
            ix.add_many(articles(batch * 12, 12), batch_size=5)
        ix.delete("a3")
        ix.add_many([Article(id="a7", title="Sửa lại", body="bản mới của tin bảy")])
        in_memory = answers(ix)
    del on_disk["info"]["path"], in_memory["info"]["path"], on_disk["info"]["size_bytes"], in_memory["info"]["size_bytes"]
    assert on_disk == in_memory
    assert on_disk["count"] == 47 and on_disk["a3"] is None and on_disk["a7"] == "Sửa lại"


def test_our_schema_pickles_with_listed_globals_only():
    schema = restricted_loads(pickle.dumps(build_schema(), 2), "test")
    assert sorted(schema.names()) == sorted(build_schema().names())


@pytest.mark.parametrize(
    "module, name",
    [
        ("os", "system"),
        ("posix", "system"),
        ("subprocess", "Popen"),
        ("builtins", "eval"),
        ("builtins", "exec"),
        ("builtins", "getattr"),
        ("builtins", "__import__"),
        ("builtins", "open"),
        ("io", "open"),
        ("functools", "partial"),
        ("operator", "attrgetter"),
        ("importlib", "import_module"),
        ("whoosh.util", "random_name"),
        ("whoosh.index", "open_dir"),
        ("shutil", "rmtree"),
    ],
)
def test_dangerous_globals_are_refused_before_they_are_imported(module, name):
    with pytest.raises(IndexUntrustedError, match=f"names {module}.{name}, which no index of ours contains"):
        restricted_loads(f"c{module}\n{name}\n.".encode(), "test")
    assert (module, name) not in ALLOWED_GLOBALS


def test_bytes_from_text_only_through_latin1():
    assert restricted_loads(pickle.dumps(b"\x00\xff", 2), "test") == b"\x00\xff"
    rot13 = b"c_codecs\nencode\n(Vabc\nVrot13\ntR."
    with pytest.raises(IndexUntrustedError, match="_codecs.encode with 'rot13'"):
        restricted_loads(rot13, "test")


# -- planting, in Whoosh's formats -----------------------------------------------


def newest_toc(path: Path) -> Path:
    return max(path.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))


def toc_parts(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """A TOC (``whoosh.index.TOC.write``): sizes, check number, version and release,
    the schema pickle as a string, generation and an unused int, the segment list pickle."""
    toc = BufferFile(data)
    for _ in range(3):
        toc.read_varint()
    toc.read_int(), toc.read_int()
    for _ in range(3):
        toc.read_varint()
    head = toc.tell()
    toc.read_string()
    schema_end = toc.tell()
    toc.read_int(), toc.read_int()
    segments = toc.tell()
    return data[:head], data[head:schema_end], data[schema_end:segments], data[segments:]


def plant_in_toc_schema(path: Path, payload: object) -> None:
    toc = newest_toc(path)
    head, _, middle, segments = toc_parts(toc.read_bytes())
    hostile = pickle.dumps(payload, 2)
    toc.write_bytes(head + varint(len(hostile)) + hostile + middle + segments)
    write_current_manifest(path)  # the attacker also rewrites the (unsigned) manifest


def plant_in_toc_segments(path: Path, payload: object) -> None:
    toc = newest_toc(path)
    head, schema, middle, _ = toc_parts(toc.read_bytes())
    toc.write_bytes(head + schema + middle + pickle.dumps([payload], -1))
    write_current_manifest(path)


def add_compound_segment(path: Path) -> Path:
    """A segment written by Whoosh's own writer, which makes compound files by default."""
    ix = whoosh.index.open_dir(str(path))
    writer = ix.writer()
    writer.add_document(id="compound", title="written by someone else")
    writer.commit(merge=False)
    ix.close()
    write_current_manifest(path)  # plain Whoosh writes no manifest
    (segment,) = path.glob("*.seg")
    return segment


def plant_in_compound_directory(segment: Path, payload: object) -> None:
    """``CompoundStorage``: a long (where the directory starts) and an int (its length),
    the files, then the directory and the options, two pickles."""
    data = segment.read_bytes()
    start = unpack_long(data[:8])[0]
    directory = pickle.dumps(payload, -1) + pickle.dumps({}, -1)
    segment.write_bytes(data[:8] + pack_int(len(directory)) + data[12:start] + directory)


def add_segment(path: Path, fields: dict) -> None:
    with Index.open(path) as ix:
        writer = FastSegmentWriter(ix._whoosh)
        writer.add_prepared(fields)
        writer.commit(merge=False)


def plant_in_posting_blocks(path: Path, payload: object, monkeypatch) -> None:
    """A segment whose posting blocks (``W3PostingsWriter._write_block``: the pickled
    tuple of ids, weights and values) carry the payload as their values."""
    with monkeypatch.context() as patch:
        patch.setattr(W3PostingsWriter, "_mini_values", lambda self: payload)
        add_segment(path, document(Article(id="evil", title="Hậu Giang", body="tin độc")))


def plant_in_stored_fields(path: Path, payload: object) -> None:
    """A document whose stored title is the payload: Whoosh pickles it into the
    segment's stored-fields column, as an index written by anyone could."""
    fields = document(Article(id="evil", title="Hậu Giang", body="tin độc"))
    fields["title"] = payload
    add_segment(path, fields)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_refused(result, path: Path, marker: Path, what: str) -> None:
    assert result.exit_code == 3, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"search: refusing to open index {path}: ")
    assert what in line
    assert not marker.exists()


# -- (a), (b) the table of contents ----------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_schema_pickle_is_refused(index_dir, marker, payload):
    plant_in_toc_schema(index_dir, payload(marker))
    toc = newest_toc(index_dir).name
    with pytest.raises(IndexUntrustedError, match=f"{toc} holds a pickle that names (posix.system|io.open)"):
        Index.open(index_dir)
    assert not marker.exists()
    assert_refused(run("query", "--index", str(index_dir), "giang"), index_dir, marker, f"{toc} holds a pickle")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_segment_list_is_refused(index_dir, marker, payload):
    plant_in_toc_segments(index_dir, payload(marker))
    with pytest.raises(IndexUntrustedError, match="it may be hostile"):
        Index.open(index_dir)
    # Whoosh skips the schema pickle when given a schema, never the segment list (whoosh.md §3.4)
    with pytest.raises(IndexUntrustedError):
        whoosh.index.open_dir(str(index_dir), schema=build_schema())
    assert_refused(run("info", "--index", str(index_dir)), index_dir, marker, ".toc holds a pickle")
    assert_refused(run("index", "--index", str(index_dir), "-"), index_dir, marker, ".toc holds a pickle")


def test_without_a_forged_manifest_a_planted_toc_is_never_read(index_dir, marker):
    """Defence in depth: a TOC changed behind our back no longer matches its manifest, so
    Whoosh never parses it; the unpickler is the next wall (the tests above forge the manifest).
    The commit kept before it is opened instead, with a warning; without one, exit 3."""
    plant_in_toc_schema(index_dir, RunsShell(marker))
    newest_toc(index_dir).write_bytes(newest_toc(index_dir).read_bytes() + b"\0")  # after the forgery
    result = run("query", "--index", str(index_dir), "x")
    assert result.exit_code in (0, 1) and "the newest commit is damaged" in result.stderr and not marker.exists()
    for previous in [toc for toc in index_dir.glob("_MAIN_*.toc") if toc != newest_toc(index_dir)]:
        previous.unlink()
    result = run("query", "--index", str(index_dir), "x")
    assert result.exit_code == 3 and "is damaged" in result.stderr and not marker.exists()


def test_a_legacy_table_of_contents_is_not_read(index_dir, marker):
    """Whoosh reads older TOC formats with an unrestricted unpickler; they are switched off."""
    plant_in_toc_schema(index_dir, RunsShell(marker))
    toc = newest_toc(index_dir)
    data = toc.read_bytes()
    version_at = len(varint(4)) + len(varint(8)) + len(varint(4)) + 4  # after the sizes and -12345
    toc.write_bytes(data[:version_at] + pack_int(-110) + data[version_at + 4 :])
    write_current_manifest(index_dir)
    with pytest.raises(Exception, match="Can't read format -110"):
        Index.open(index_dir)
    assert not marker.exists()


# -- (c) a compound file's directory ---------------------------------------------


def test_a_compound_segment_of_a_legitimate_index_opens(index_dir):
    add_compound_segment(index_dir)
    with Index.open(index_dir) as ix:
        assert ix.count() == 48
        assert ix.get("compound").title == "written by someone else"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_compound_directory_is_refused(index_dir, marker, payload):
    segment = add_compound_segment(index_dir)
    plant_in_compound_directory(segment, payload(marker))
    with pytest.raises(IndexUntrustedError, match=f"{segment.name} holds a pickle"):
        Index.open(index_dir)
    assert_refused(run("query", "--index", str(index_dir), "giang"), index_dir, marker, f"{segment.name} holds")


# -- (d) posting blocks and stored fields ----------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_posting_block_is_refused_when_read(index_dir, marker, payload, monkeypatch):
    plant_in_posting_blocks(index_dir, payload(marker), monkeypatch)
    with Index.open(index_dir) as ix:  # opening reads no posting block ...
        with pytest.raises(IndexUntrustedError, match="a posting block holds a pickle that names"):
            ix.get("evil")  # ... looking a document up by id does
        # searching scores on our posting arrays: Whoosh's blocks are never unpickled
        assert "evil" in [h.id for h in ix.search("tin độc").hits]
        with pytest.raises(IndexUntrustedError):
            ix.delete("evil")  # deleting by id reads them too
    assert not marker.exists()
    result = run("show", "--index", str(index_dir), "evil")
    assert result.exit_code == 3 and not marker.exists()
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"search: refusing to open index {index_dir}: a posting block holds a pickle that names")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_stored_fields_block_is_refused_when_read(index_dir, marker, payload):
    plant_in_stored_fields(index_dir, payload(marker))
    with Index.open(index_dir) as ix:
        with pytest.raises(IndexUntrustedError, match="a stored-fields block holds a pickle"):
            ix.search("tin độc")
        assert ix.get("a5").title  # other documents still read
    assert not marker.exists()
    result = run("show", "--index", str(index_dir), "evil")
    assert result.exit_code == 3 and not marker.exists()
    assert len(result.stderr.splitlines()) == 1


# -- the directory ---------------------------------------------------------------


def test_a_world_writable_index_is_refused(index_dir, marker):
    index_dir.chmod(0o777)
    result = run("query", "--index", str(index_dir), "giang")
    assert_refused(result, index_dir, marker, "it is writable by other users (mode 0777)")
    assert f"run: chmod -R go-w {index_dir}" in result.stderr
    with pytest.raises(IndexUntrustedError):
        Index.create(index_dir, overwrite=True)


def test_a_group_writable_file_is_refused_when_the_group_can_reach_it(index_dir):
    toc = newest_toc(index_dir)
    toc.chmod(0o664)
    check_directory(index_dir)  # 0700: nobody else gets to the file
    index_dir.chmod(0o750)
    with pytest.raises(IndexUntrustedError, match=f"{toc.name} is writable by other users \\(mode 0664\\)"):
        Index.open(index_dir)
    toc.chmod(0o644)
    Index.open(index_dir).close()


def pretend_someone_else_owns(path: Path, monkeypatch) -> None:
    if os.geteuid() == 0:
        os.chown(path, 54321, 54321)
    else:
        monkeypatch.setattr(os, "geteuid", lambda: 54321)


def test_an_index_of_another_user_is_refused(index_dir, marker, monkeypatch):
    pretend_someone_else_owns(index_dir, monkeypatch)
    result = run("query", "--index", str(index_dir), "giang")
    assert_refused(result, index_dir, marker, "belongs to")
    assert "not to you; copy the articles and index them into a folder of your own" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs files owned by root")
def test_an_index_owned_by_root_opens_for_everyone(index_dir, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 54321)
    Index.open(index_dir).close()


def test_new_indexes_are_private_whatever_the_umask(tmp_path):
    previous = os.umask(0)
    try:
        path = build(tmp_path / "new" / "ix")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.iterdir() if "LOCK" not in p.name}
    assert set(modes.values()) == {0o600}, modes
    Index.open(path).close()


def test_in_memory_indexes_have_no_directory_to_check():
    with Index.in_memory() as ix:
        ix.add_many(articles(0, 3))
        assert ix.search("hau giang").total == 3


# -- guard: the Whoosh code these patches rely on --------------------------------

# sha256[:16] of inspect.getsource(...) on whoosh-reloaded 2.7.5, then whoosh3 3.54.
# A mismatch means Whoosh changed: re-read the function, check that it still reads
# its pickles through the name search.trust patches (or, for the functions our
# subclasses replace or rely on, that they still do what ours assume), and update the hash.
GUARDED = {
    # replaced: reads the TOC's segment list, compound directories, block headers
    "whoosh.filedb.structfile.StructFile.read_pickle": ("7562937a29b6ae96", "d1221468c89cac2d"),
    # wrapped: files made 0600
    "whoosh.filedb.filestore.FileStorage.create_file": ("008c12fa827c1f3c",),
    # reads the schema with the module's ``pickle.loads``; legacy formats through ``toc_loaders``
    "whoosh.index.TOC.read": ("11d4127982324cdf", "907b1ee63d503432"),
    "whoosh.filedb.compound.CompoundStorage.__init__": ("c4328c7f8823791e", "12692559ba5a308f"),
    # read with the module's ``loads``
    "whoosh.codec.whoosh3.W3LeafMatcher._read_data": ("150a9642f8b55013",),
    "whoosh.codec.whoosh3.W3TermInfo.from_bytes": ("f93d2058cb0cad09",),
    "whoosh.columns.PickleColumn.Reader": ("15c45b09a72d9d87",),
    "whoosh.formats.Positions.decode_positions": ("d0255a38b2e51d08", "e66cf9e080f3b478"),
    "whoosh.formats.Characters.decode_characters": ("802888ed0b111dca", "15dbb7be97bc172a"),
    "whoosh.formats.Characters.decode_positions": ("f7efacbee61754c9", "182c6865626b50c3"),
    "whoosh.formats.PositionBoosts.decode_position_boosts": ("7b377ec76e57088b", "92540ed1bb34abf0"),
    "whoosh.formats.PositionBoosts.decode_positions": ("f86269484e47e4f8", "e2c35abcdb345026"),
    "whoosh.formats.CharacterBoosts.decode_character_boosts": ("de40e05621408da7", "e4c1db801b038b58"),
    # replaced by FastSegmentWriter._commit_toc (fsyncs, manifest, the previous commit kept)
    "whoosh.writing.SegmentWriter._commit_toc": ("05a77e1839a61845",),
    "whoosh.index.TOC.write": ("bd80ee87ea852cab", "98afd7fd561cd816"),  # fastwriter._toc_bytes
    # FastSegmentWriter.commit passes our merge policy, which merges through add_reader
    "whoosh.writing.SegmentWriter.commit": ("87ba9b634dd0e9f0", "449759a90970fa4f"),
    "whoosh.writing.SegmentWriter.add_reader": ("83c2691bb6490477", "cfaf2abf0549c9b3"),
    # commits.FallbackIndex sets FileIndex's attributes itself and reads a chosen generation
    "whoosh.index.FileIndex.__init__": ("dbd2dfe4c50a38f7", "94801837fae97882"),
    "whoosh.index.FileIndex._read_toc": ("5775e33661b0e359",),
    "whoosh.index.FileIndex.latest_generation": ("9d34ea1c8e2759b2",),
    # index._PrivateRamStorage gives each in-memory writer its own temporary folder
    "whoosh.filedb.filestore.RamStorage.temp_storage": ("053c48e5e9ba97b1", "47242569c2a18ac2"),
}


def resolve(qualified: str) -> object:
    parts = qualified.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    for part in parts[cut:]:
        found = getattr(found, part)
    return inspect.unwrap(found)


@pytest.mark.parametrize("qualified", sorted(GUARDED))
def test_whoosh_patch_guard(qualified):
    source = inspect.getsource(REPLACED.get(qualified) or resolve(qualified))
    assert hashlib.sha256(source.encode()).hexdigest()[:16] in GUARDED[qualified], qualified


# Whoosh modules that keep an unrestricted loader, and why it is never reached from an index.
UNREACHED = {
    "whoosh.compat": "a namespace: modules copied its names at import, before install()",
    "whoosh.filedb.structfile": "only read_pickle used load_pickle, and read_pickle is replaced",
    "whoosh.externalsort": "reads the sort runs a writer made itself, in a temporary folder",
    "whoosh.legacy": "older TOC formats: whoosh.index.toc_loaders is emptied",
    "whoosh.util.loading": "RenamingUnpickler, used by whoosh.legacy only",
    "whoosh.multiproc": "MpWriter's own temporary files; we never use MpWriter",
}


def test_no_other_whoosh_module_unpickles(index_dir):
    """Fails when a Whoosh version adds a module that unpickles on the read path."""
    with Index.open(index_dir) as ix:
        answers(ix)
    unpicklers = (pickle, pickle.loads, pickle.load, pickle.Unpickler, pickle._loads, pickle._load)
    found = {
        name
        for name, module in list(sys.modules.items())
        if name.startswith("whoosh") and module is not None
        for value in vars(module).values()
        if any(value is u for u in unpicklers) or (isinstance(value, type) and issubclass(value, pickle.Unpickler))
    }
    assert found <= set(UNREACHED), found - set(UNREACHED)
