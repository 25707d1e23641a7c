"""The README's promises: its Python example runs, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from search.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (block,) = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "1 0 ()" in out
    assert "**Hậu Giang**" in out
    assert "unbalanced quote" in out


def test_every_command_in_the_readme_exists_and_every_command_is_documented():
    documented = set(re.findall(r"^search (\w+)", README, re.MULTILINE))
    registered = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert documented == registered


def test_readme_options_exist():
    runner = CliRunner()
    for command, option in [("query", "--limit"), ("query", "--offset"), ("query", "--json"),
                            ("index", "--rebuild"), ("index", "--batch-size"), ("query", "--index")]:
        assert option in runner.invoke(app, [command, "--help"]).stdout, (command, option)
