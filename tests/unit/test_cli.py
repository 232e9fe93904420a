"""Every CLI command has help with an example; errors become messages and exit codes, not traces."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app

pytestmark = pytest.mark.unit
runner = CliRunner()


def _commands(group, prefix=()):
    import typer.main

    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, cmd in click_group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_and_an_example():
    names = []
    for path, cmd in _commands(app):
        names.append(" ".join(path))
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example:" in (cmd.help or ""), f"carnet {' '.join(path)} has no example in its help"
    assert {"ingest", "ask", "documents", "serve", "eval"} <= set(names)


def test_unknown_patient_exits_3_with_a_message(tmp_path):
    result = runner.invoke(app, ["documents", "--patient", "NOBODY", "--home", str(tmp_path)])
    assert result.exit_code == 3
    assert "Unknown patient" in result.output


def test_single_file_needs_a_patient(tmp_path):
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["ingest", str(f), "--home", str(tmp_path / "h"), "--embedder", "hashing"])
    assert result.exit_code == 2
    assert "--patient" in result.output


def test_bad_patient_identifier_is_refused(tmp_path):
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["ingest", str(f), "--patient", "../etc", "--home", str(tmp_path / "h"),
                                 "--embedder", "hashing"])
    assert result.exit_code == 2
    assert "Invalid patient identifier" in result.output
