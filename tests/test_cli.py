"""The command line through click's CliRunner: exit codes, help texts, the module entry point."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from briefgen import __version__
from briefgen.cli import main
from conftest import run_cli


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [()] + [path for path, _ in all_commands(main)], ids=lambda p: " ".join(p) or "main")
def test_every_command_has_help(path):
    result = run_cli(*path, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command = main
    for name in path:
        command = command.commands[name]
    assert command.help and len(command.help) > 20
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden and param.name not in ("help", "version"):
            assert param.help, f"{' '.join(path)} {param.opts} has no help"


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_missing_config_is_a_clear_error(tmp_path):
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "briefgen.yaml: no site config found — run briefgen in a folder with briefgen.yaml" in result.output
    assert "Traceback" not in result.output


def test_build_prints_a_report(small_site):
    result = run_cli("build", cwd=small_site)
    assert result.exit_code == 0
    assert "Briefings" in result.output and "Pages" in result.output and "Feeds" in result.output
    assert "Built 'Test Briefings' into site/" in result.output


def test_quiet_prints_nothing_on_success(small_site):
    result = run_cli("build", "--quiet", cwd=small_site)
    assert result.exit_code == 0 and result.output == ""


def test_bad_base_url_option(small_site):
    result = run_cli("build", "--base-url", "not-a-url", cwd=small_site)
    assert result.exit_code == 1
    assert "--base-url: 'not-a-url' is not an absolute http(s) URL" in result.output


def test_python_dash_m(small_site):
    completed = subprocess.run([sys.executable, "-m", "briefgen", "build", "-q"], cwd=small_site,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert (small_site / "site/index.html").is_file()
