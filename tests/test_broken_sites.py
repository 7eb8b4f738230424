"""One folder per broken site under tests/broken/; each asserts the exact messages in its expected.txt.

Regenerate the expectations with ``pytest tests/test_broken_sites.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_cli

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_broken_site_reports_exact_errors(case, tmp_path, update_golden):
    site = tmp_path / case
    shutil.copytree(BROKEN / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    (site / "site").mkdir()
    (site / "site" / ".briefgen-output").write_text("")
    (site / "site" / "index.html").write_text("previous site")
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected_file = BROKEN / case / "expected.txt"
    if update_golden:
        expected_file.write_text(result.output, encoding="utf-8")
    assert result.output == expected_file.read_text(encoding="utf-8")
    assert (site / "site" / "index.html").read_text() == "previous site"
    assert sorted(p.name for p in site.iterdir() if p.name not in (".briefgen-cache", ".site.briefgen-lock")) == sorted(
        p.name for p in (BROKEN / case).iterdir() if p.name != "expected.txt") + ["site"]
