"""The golden test: build tests/golden/site and compare every output file with tests/golden/expected.

After an intended change, regenerate with ``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_cli
from helpers import tree

GOLDEN = Path(__file__).parent / "golden"


def test_golden_site(tmp_path, update_golden):
    site = tmp_path / "site-src"
    shutil.copytree(GOLDEN / "site", site)
    result = run_cli("build", "--quiet", cwd=site)
    assert result.exit_code == 0, result.output
    actual = {path: data for path, data in tree(site / "site").items() if path != ".briefgen-output"}
    expected_folder = GOLDEN / "expected"
    if update_golden:
        shutil.rmtree(expected_folder, ignore_errors=True)
        shutil.copytree(site / "site", expected_folder)
    (expected_folder / ".briefgen-output").unlink(missing_ok=True)  # the build marker is briefgen's own business
    expected = tree(expected_folder)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/expected/{name}"
