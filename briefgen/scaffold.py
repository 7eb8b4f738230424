"""New sites and new briefings from the templates in ``briefgen/scaffold/``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen import __version__
from briefgen.config import CONFIG_NAME, SiteConfig
from briefgen.errors import BriefgenError
from briefgen.slugs import make_slug

SCAFFOLD = Path(__file__).parent / "scaffold"


class ScaffoldError(BriefgenError):
    """A file briefgen would create already exists, or the folder is not empty."""


@dataclass(frozen=True)
class Created:
    paths: tuple[Path, ...]


def _template(name: str) -> str:
    return (SCAFFOLD / name).read_text(encoding="utf-8")


def init_site(folder: Path, *, title: str, timezone: str, now: dt.datetime, force: bool = False) -> Created:
    """A new site: config, one example briefing dated today in the site's zone, the Pages workflow, a .gitignore."""
    try:
        today = now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        raise ScaffoldError(f"--timezone: {timezone!r} is not a known IANA time zone — "
                            "use a name such as UTC, Europe/Madrid or America/Caracas") from None
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file — choose a folder name")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ScaffoldError(f"{folder} is not empty — choose an empty folder, or pass --force to add the site files")
    files = {
        CONFIG_NAME: _template("briefgen.yaml").replace("{title}", json.dumps(title, ensure_ascii=False))
                                               .replace("{timezone}", timezone),
        f"content/{today.isoformat()}-welcome.md": _template("welcome.md").replace("{date}", today.isoformat()),
        ".github/workflows/pages.yml": _template("pages.yml").replace("{version}", __version__),
        ".gitignore": _template("gitignore"),
    }
    created = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return Created(tuple(created))


def new_briefing(config: SiteConfig, title: str, *, story: str | None = None, tags: tuple[str, ...] = (),
                 draft: bool = False, now: dt.datetime | None = None) -> Path:
    """A new briefing file named ``YYYY-MM-DD-<slug>.md`` dated today in the site time zone."""
    if not title.strip():
        raise ScaffoldError("the title is empty — give the briefing a title")
    today = (now or dt.datetime.now(dt.timezone.utc)).astimezone(config.tz).date()
    path = config.content_path / f"{today.isoformat()}-{make_slug(title)}.md"
    if path.exists():
        raise ScaffoldError(f"{config.display(path)} already exists — choose another title, or edit that file")
    text = (_template("briefing.md")
            .replace("{title_yaml}", json.dumps(title.strip(), ensure_ascii=False))
            .replace("{date}", today.isoformat())
            .replace("{tags}", ", ".join(json.dumps(t, ensure_ascii=False) for t in tags))
            .replace("{story}", f"story: {json.dumps(story, ensure_ascii=False)}\n" if story else "")
            .replace("{draft}", "true" if draft else "false"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
