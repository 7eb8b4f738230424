"""One folder per hostile but valid site under tests/hostile/: the build succeeds, and its output (warnings and
report, with the milliseconds blanked) is exactly the case's expected.txt. A case's ``generate.py``, if any,
writes content too large or too odd to keep in the repository.

Regenerate the expectations with ``pytest tests/test_hostile_sites.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())


def _generate(case: Path, site: Path) -> None:
    script = case / "generate.py"
    if script.exists():
        spec = importlib.util.spec_from_file_location(f"hostile_{case.name}", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        (site / "content").mkdir(exist_ok=True)
        module.generate(site / "content")


@pytest.mark.parametrize("case", CASES)
def test_hostile_site_builds_with_exact_output(case, tmp_path, update_golden):
    site = tmp_path / case
    shutil.copytree(HOSTILE / case, site, ignore=shutil.ignore_patterns("expected.txt", "generate.py", "__pycache__"))
    _generate(HOSTILE / case, site)
    result = run_cli("build", cwd=site)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    output = re.sub(r"\d+ ms\b", "… ms", result.output)
    expected_file = HOSTILE / case / "expected.txt"
    if update_golden:
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    assert (site / "site" / "index.html").is_file()
