"""The package as users get it: a wheel with the theme inside, installed into a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, REPO, briefing, write_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(REPO)], check=True)
    return next(dist.glob("briefgen-*.whl"))


def test_wheel_ships_the_default_theme(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefgen/themes/default/templates/base.html" in names
    assert "briefgen/themes/default/static/style.css" in names
    assert "briefgen/scaffold/briefgen.yaml" in names and "briefgen/scaffold/pages.yml" in names
    assert "briefgen/assets/live.js" in names and "briefgen/schemas/briefing.schema.json" in names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_fresh_venv_install_builds_a_site_anywhere(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    site = write_site(tmp_path / "elsewhere" / "my-site", {
        "briefgen.yaml": BASIC_CONFIG,
        "content/2025-11-29-first.md": briefing("First", "2025-11-29"),
    })
    completed = subprocess.run([str(env_dir / "bin" / "briefgen"), "build"], cwd=site, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert (site / "site/briefings/first/index.html").is_file()
    assert (site / "site/static/style.css").is_file()
    completed = subprocess.run([str(python), "-m", "briefgen", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0 and "briefgen" in completed.stdout
    fresh = tmp_path / "fresh-site"
    subprocess.run([str(env_dir / "bin" / "briefgen"), "init", str(fresh)], check=True, capture_output=True)
    completed = subprocess.run([str(env_dir / "bin" / "briefgen"), "build", "--strict"], cwd=fresh,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
