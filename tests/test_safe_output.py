"""Text from documents cannot drive the user's terminal (issue 5, G11)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from search import Article, Index
from search.cli import app
from search.output import safe

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r"


def test_control_characters_are_shown_one_for_one():
    assert safe(f"a{HOSTILE}b\tc\nd") == "a" + "\ufffd" + "]0;pwned" + "\ufffd" * 2 + "[2J" + "\ufffd" + "b\tc\nd"
    assert len(safe(HOSTILE)) == len(HOSTILE)
    assert safe("Hậu Giang\u0301") == "Hậu Giang\u0301"  # combining marks are letters, not controls


def test_query_show_and_facets_print_no_control_characters(tmp_path):
    path = tmp_path / "ix"
    with Index.create(path) as ix:
        ix.add(Article("x", f"Hậu Giang {HOSTILE}", f"Mưa lớn ở Hậu Giang {HOSTILE} kéo dài.",
                       authors=(f"Kẻ {HOSTILE}",), places=("Hậu Giang",)))  # fmt: skip
    runner = CliRunner()
    for args in (["query", "hậu giang", "--facets", "author"], ["show", "x"]):
        result = runner.invoke(app, [*args, "--index", str(path)])
        assert result.exit_code == 0, result.stderr
        assert "Hậu Giang" in result.stdout
        assert not any(c in result.stdout for c in "\x1b\x07\r"), args
    as_json = runner.invoke(app, ["query", "hậu giang", "--json", "--index", str(path)]).stdout
    assert "\x1b" not in as_json and json.loads(as_json)["hits"][0]["title"].endswith(HOSTILE)
