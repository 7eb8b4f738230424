"""Public archives of three generators, imported and built as a new user would (slow: thousands of files).

They live in ../shared/realworld beside the repository, not in it; without that folder these tests skip."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from briefgen.config import load_config
from briefgen.importers.run import ImportOptions, run_import
from conftest import run_cli, write_site

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
ARCHIVES = {"18f": ("18f/source/posts", "eleventy"), "digitalgov": ("digitalgov/source/news", "hugo"),
            "bitcoinops": ("bitcoinops/source/_posts", "jekyll")}
NOT_ARTICLES = ("no text: front matter only", "a redirect to", "no title", "a section index page")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REALWORLD.is_dir(), reason=f"the real-world archives are not at {REALWORLD}")]


@pytest.mark.parametrize("name", ARCHIVES)
def test_archive_imports_and_builds(name, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # built today: the archives' latest articles are not in the future
    folder, generator = ARCHIVES[name]
    site = write_site(tmp_path, {"briefgen.yaml": "title: Archive\nbase_url: https://example.org/\n",
                                 "content/.keep": ""})
    report = run_import(load_config(site / "briefgen.yaml"), ImportOptions(sources=(str(REALWORLD / folder),)))
    assert list(report.archives.values()) == [generator]
    for outcome in report.skipped:
        assert outcome.skipped  # every skip has its reason
    articles = [o for o in report.outcomes if not (o.skipped or "").startswith(NOT_ARTICLES)]
    imported = [o for o in articles if o.skipped is None]
    assert len(imported) >= 0.99 * len(articles), [o.skipped for o in articles if o.skipped][:10]

    built = run_cli("build", cwd=site)
    assert built.exit_code == 0, built.output[-3000:]
    assert "Traceback" not in built.output
    published = len(list((site / "site/api/briefings").glob("*.json")))
    drafts = sum("imported as a draft" in note for o in imported for note in o.notes)
    assert published >= 0.99 * (len(imported) - drafts)
    index = json.loads((site / "site/api/briefings.json").read_text())
    assert index and published > 100


def test_bitcoinops_builds_as_one_multilingual_site(tmp_path, monkeypatch):
    """The Optech newsletters in nine languages: each version in its language's folder, the versions of one
    newsletter (the same file name in each language's folder) linked by reciprocal hreflang."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    languages = ["en", "cs", "de", "es", "fr", "hi", "ja", "pt", "zh"]
    site = write_site(tmp_path, {"briefgen.yaml": "title: Optech\nbase_url: https://example.org/optech/\n"
                                                  f"languages: [{', '.join(languages)}]\n", "content/.keep": ""})
    run_import(load_config(site / "briefgen.yaml"),
               ImportOptions(sources=(str(REALWORLD / "bitcoinops/source/_posts"),)))
    built = run_cli("build", cwd=site)
    assert built.exit_code == 0, built.output[-3000:]
    output = site / "site"
    for code in languages:
        folder = output / ("" if code == "en" else code)
        assert (folder / "index.html").is_file() and (folder / "feed.xml").is_file(), code
    alternates = {}
    for page in output.glob("**/briefings/*/index.html"):
        found = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', page.read_text("utf-8"))
        if found:
            alternates[page.relative_to(output).as_posix()] = dict(found)
    assert len(alternates) > 1500
    for path, versions in alternates.items():  # reciprocal: every version names the same set
        own = "https://example.org/optech/" + path.removesuffix("index.html")
        assert own in map(unquote, versions.values())
        assert versions["x-default"] == versions.get("en", versions["x-default"])
        for lang, url in versions.items():
            other = unquote(url.removeprefix("https://example.org/optech/")) + "index.html"
            assert alternates.get(other) == versions, (path, other)
