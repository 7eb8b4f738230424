"""Hostile names never write outside the output folder: slugs, tags, regions, stories and actors with path
syntax, reserved or over-long names; symlinks in content/ that leave it or loop; output folders that would
replace the user's files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import BASIC_CONFIG, briefing, run_cli, write_site

HOSTILE_NAMES = ["../../etc/passwd", "/etc/passwd", "..\\\\windows\\\\system32", "C:\\\\Windows", ".", "..",
                 "CON", "nul", "aux.txt", "COM1", "LPT9", "???", "!!!", "\\u0000", "a\\u0000b", "\\u202e\\u200f",
                 "x" * 300, "é" * 200, "中" * 120, "أزمة " * 60, "tags", "page", "index.html", "404", "api"]


def quoted(names: list[str]) -> str:
    return "[" + ", ".join(f'"{name}"' for name in names) + "]"


@pytest.fixture
def hostile_site(tmp_path) -> Path:
    return write_site(tmp_path / "site-folder", {
        "briefgen.yaml": BASIC_CONFIG,
        "content/a.md": briefing("Hostile names", "2025-11-29", tags=quoted(HOSTILE_NAMES),
                                 regions=quoted(HOSTILE_NAMES), actors=quoted(HOSTILE_NAMES),
                                 story='"../../../story"'),
        "content/b.md": briefing("Second", "2025-11-28", tags=quoted(HOSTILE_NAMES[::-1])),
        "content/" + "long-" * 40 + "name.md": briefing("Long file name", "2025-11-27"),
        "content/!!!.md": briefing("Only punctuation", "2025-11-26"),
        "content/CON.md": briefing("Reserved file name", "2025-11-25"),
    })


def test_hostile_names_stay_inside_the_output_folder(hostile_site):
    result = run_cli("build", cwd=hostile_site)
    assert result.exit_code == 0, result.output
    output = (hostile_site / "site").resolve()
    outside = sorted(p for p in hostile_site.parent.rglob("*") if p.is_file()
                     and not p.resolve().is_relative_to(hostile_site.resolve()))
    assert outside == []
    for path in output.rglob("*"):
        relative = path.relative_to(output)
        for part in relative.parts:
            assert len(part.encode("utf-8")) <= 255
            assert part.split(".")[0].lower() not in {"con", "nul", "aux", "prn", "com1", "lpt9"}, relative
            assert "\x00" not in part and "\\" not in part and part not in (".", "..")
    api = json.loads((output / "api" / "briefings.json").read_text(encoding="utf-8"))
    slugs = {entry["slug"] for entry in api["briefings"]}
    assert "con-1" in slugs and any(slug.startswith("x-") for slug in slugs)


def test_long_names_keep_distinct_slugs(tmp_path):
    first, second = "y" * 300 + "a", "y" * 300 + "b"
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG,
                          "content/a.md": briefing("A", "2025-11-29", tags=quoted([first, second]))})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    term_folders = [p for p in (tmp_path / "site" / "tags").iterdir() if p.is_dir()]
    assert len(term_folders) == 2


def test_symlinks_out_of_content_and_loops_are_skipped(tmp_path):
    outside = write_site(tmp_path / "outside", {"secret.md": briefing("Secret file", "2025-11-29"),
                                                "folder/secret.md": briefing("Secret folder", "2025-11-29")})
    site = write_site(tmp_path / "site-folder", {"briefgen.yaml": BASIC_CONFIG,
                                                 "content/ok.md": briefing("Fine", "2025-11-29"),
                                                 "content/sub/inner.md": briefing("Inner", "2025-11-28")})
    content = site / "content"
    os.symlink(outside / "secret.md", content / "linked-file.md")
    os.symlink(outside / "folder", content / "linked-folder")
    os.symlink(content, content / "sub" / "loop")
    os.symlink(content / "self-loop.md", content / "self-loop.md")
    os.symlink(content / "ok.md", content / "inside-link.md")  # inside: allowed
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output
    assert "warning: content/linked-file.md: a symlink that leaves the content folder" in result.output
    assert "warning: content/linked-folder: a symlink that leaves the content folder" in result.output
    assert "warning: content/sub/loop: a symlink that loops back to a folder above it" in result.output
    api = json.loads((site / "site" / "api" / "briefings.json").read_text(encoding="utf-8"))
    titles = sorted(entry["title"] for entry in api["briefings"])
    assert "warning: content/self-loop.md: cannot be read — skipped; remove it" in result.output
    assert titles == ["Fine", "Fine", "Inner"]  # a link that stays inside content/ is followed



@pytest.mark.parametrize("output, message", [
    (".", "the output folder would replace"),
    ("..", "the output folder would replace"),
    ("/", "the output folder would replace"),
    ("content", "the output folder would replace"),
    ("content/sub", "the output folder is inside the content folder"),
    ("HOME", "the output folder would replace"),
    ("HOME/documents", "the output folder is not empty and was not made by briefgen"),
])
def test_output_folders_that_would_destroy_user_files_are_refused(output, message, tmp_path, monkeypatch):
    home = tmp_path / "home"
    site = write_site(tmp_path / "work" / "mine", {"briefgen.yaml": BASIC_CONFIG,
                                                "content/a.md": briefing("A", "2025-11-29")})
    write_site(home, {"documents/thesis.txt": "years of work", "notes.txt": "mine"})
    monkeypatch.setenv("HOME", str(home))
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run_cli("build", "--output", output.replace("HOME", str(home)), cwd=site)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert message in result.output
    assert sorted(p for p in tmp_path.rglob("*") if ".briefgen-cache" not in p.parts) == \
        [p for p in before if ".briefgen-cache" not in p.parts]
