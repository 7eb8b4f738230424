from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/expected from the current output instead of comparing.")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    """Every build in the tests sees the same "now" (2026-01-01), so future-dated checks are stable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


BASIC_CONFIG = """\
title: Test Briefings
description: Briefings for tests.
base_url: https://example.org/demo/
timezone: Europe/Madrid
author: Test Desk
per_page: 2
"""


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write a whole site declared inline: {relative path: text}; text is dedented."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def image_bytes(size: tuple[int, int] = (64, 48), fmt: str = "PNG", colour=(200, 60, 40), **options) -> bytes:
    """A small real image, made in memory."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA" if len(colour) == 4 else "RGB", size, colour).save(out, fmt, **options)
    return out.getvalue()


def briefing(title: str, date: str, body: str = "Lead.\n\n## Context\n\nSome context.\n", **meta) -> str:
    lines = ["---", f"title: {title!r}" if '"' not in title else f"title: '{title}'", f"date: {date}"]
    for key, value in meta.items():
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def run_cli(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


EXAMPLE_BASE = "https://user.github.io/briefings-demo/"


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The repository's example site, built once under a GitHub Pages sub-path (read-only for tests)."""
    import shutil
    site = tmp_path_factory.mktemp("example")
    shutil.copy(REPO / "briefgen.yaml", site)
    shutil.copytree(REPO / "content", site / "content")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    result = run_cli("build", "--strict", "--base-url", EXAMPLE_BASE, cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


@pytest.fixture
def small_site(tmp_path) -> Path:
    return write_site(tmp_path, {
        "briefgen.yaml": BASIC_CONFIG,
        "content/2025-11-29-airspace.md": briefing(
            "Airspace declared closed", "2025-11-29T18:30:00", tags="[airspace, United States]",
            regions="[venezuela]", body="Lead with a [link](../call/).\n\n## Context\n\nText.\n\n## Impact\n\nMore.\n"),
        "content/2025-11-30-call.md": briefing("The phone call", "2025-11-30", tags="[diplomacy, united states]"),
        "content/2025-09-01-background.md": briefing("Background", "2025-09-01", tags="[sanctions]"),
        "content/draft.md": briefing("A draft", "2025-11-01", draft="true"),
        "content/future.md": briefing("From the future", "2030-01-01"),
    })
