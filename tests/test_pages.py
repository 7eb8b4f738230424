"""Ready for GitHub Pages: the workflow, CNAME, .nojekyll, 404.html at any depth, and the build's self-check."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import BASIC_CONFIG, REPO, briefing, run_cli, write_site
from helpers import internal_urls, soup

from briefgen import __version__

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def test_workflow_validates_against_githubs_schema():
    completed = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                                "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_workflow_builds_with_the_pages_base_url_and_deploys():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    build = next(step["run"] for step in steps if "briefgen build" in step.get("run", ""))
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]["steps"][0]["uses"]
    assert deploy.startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def cache_steps(workflow: dict) -> tuple[dict, dict, dict]:
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", step.get("run", "")) for step in steps]
    restore = next(i for i, name in enumerate(names) if name.startswith("actions/cache/restore@"))
    build = next(i for i, name in enumerate(names) if "briefgen build" in name)
    save = next(i for i, name in enumerate(names) if name.startswith("actions/cache/save@"))
    assert restore < build < save  # restored before the build, saved after it
    return steps[restore], steps[build], steps[save]


@pytest.mark.parametrize("which", ["repository", "init"])
def test_every_deploy_reuses_the_last_build(which, tmp_path):
    if which == "init":
        assert run_cli("init", str(tmp_path / "site-folder")).exit_code == 0
        workflow_file = tmp_path / "site-folder" / ".github" / "workflows" / "pages.yml"
    else:
        workflow_file = WORKFLOW
    restore, _, save = cache_steps(yaml.safe_load(workflow_file.read_text()))
    paths = {".briefgen-cache", "site", ".site.briefgen-spare"}
    assert set(restore["with"]["path"].split()) == paths == set(save["with"]["path"].split())
    assert restore["with"]["key"] == save["with"]["key"] and "github.run_id" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])  # the newest earlier save is found
    for theme_file in ("briefgen.yaml", "templates/**", "static/**", "themes/**"):
        assert theme_file in restore["with"]["key"]
    if which == "init":
        assert f"briefgen-{__version__}-" in restore["with"]["key"]


def test_the_init_workflow_installs_the_briefgen_that_wrote_it(tmp_path):
    assert run_cli("init", str(tmp_path / "site-folder")).exit_code == 0
    workflow = yaml.safe_load((tmp_path / "site-folder" / ".github" / "workflows" / "pages.yml").read_text())
    install = next(step["run"] for step in workflow["jobs"]["build"]["steps"] if "pip install" in step.get("run", ""))
    assert f'"briefgen=={__version__}"' in install


def test_cname_and_nojekyll(small_site):
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "cname: Briefings.Example.org\n")
    assert run_cli("build", cwd=small_site).exit_code == 0
    assert (small_site / "site/CNAME").read_text() == "briefings.example.org\n"
    assert (small_site / "site/.nojekyll").is_file()


def test_bad_cname_is_reported(small_site):
    (small_site / "briefgen.yaml").write_text(BASIC_CONFIG + "cname: https://x.org/\n")
    result = run_cli("build", cwd=small_site)
    assert "cname: 'https://x.org/' is not a domain name — write a bare domain" in result.output


def test_404_page_links_work_at_any_depth(small_site):
    assert run_cli("build", cwd=small_site).exit_code == 0
    page = soup(small_site / "site/404.html")
    urls = internal_urls(page)
    assert urls and all(url.startswith("/demo/") for url in urls)
    assert page.find("link", rel="canonical") is None


def test_root_relative_links_in_content_get_the_base_path(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/a.md": briefing(
        "A", "2025-11-01", body="See [the archive](/archive/) and [tags](/demo/tags/).\n")})
    assert run_cli("build", cwd=tmp_path).exit_code == 0
    links = [a["href"] for a in soup(tmp_path / "site/briefings/a/index.html").select(".briefing__lead a")]
    assert links == ["/demo/archive/", "/demo/tags/"]


def test_self_check_fails_the_build_on_a_link_to_nowhere(tmp_path):
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/a.md": briefing(
        "A", "2025-11-01", body="<p><a href='/elsewhere/'>raw</a></p>\n")})
    (tmp_path / "site").mkdir()
    (tmp_path / "site/.briefgen-output").write_text("")
    result = run_cli("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("error: content/a.md:5: the link /demo/elsewhere/ on /demo/briefings/a/index.html "
                                    "points at a missing file — fix the link, or remove it\n")
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [".briefgen-output"]
