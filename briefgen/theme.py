"""Themes: where templates and static files come from, and the Jinja environment built over them.

Lookup order: the site's own ``templates/`` (overrides) → the configured theme → the built-in default theme.
A template can extend the one it overrides with the ``default/`` prefix (``{% extends "default/base.html" %}``).
Static files are fingerprinted with a content hash in the query string, so browsers never keep a stale copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen.errors import BuildFailed, Problem
from briefgen.i18n import check_message_files, message_files, message_folders

PACKAGE_THEMES = Path(__file__).parent / "themes"  # inside an installed wheel
SOURCE_THEMES = Path(__file__).parent.parent / "themes"  # in a source checkout


def builtin_theme(name: str = "default") -> Path | None:
    for folder in (PACKAGE_THEMES, SOURCE_THEMES):
        if (folder / name / "templates").is_dir():
            return folder / name
    return None


@dataclass(frozen=True)
class StaticFile:
    source: Path
    route: str  # e.g. static/style.css
    fingerprint: str


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # most specific first: site overrides, chosen theme, built-in default
    static_files: tuple[StaticFile, ...]
    i18n_folders: tuple[Path, ...] = ()  # message files (i18n/<lang>.yaml), most specific first like the templates

    def environment(self, bytecode_cache: Path | None = None) -> jinja2.Environment:
        default = builtin_theme()
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(f) for f in self.folders])]
        if default is not None:
            loaders.append(jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(default / "templates"))}))
        return jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_cache)) if bytecode_cache else None,
        )

    def fingerprint(self) -> str:
        """A hash of every template, message file and static file: caches depend on it."""
        hasher = hashlib.blake2b(digest_size=16)
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
        for path in message_files(self.i18n_folders):
            hasher.update(b"i18n\0" + path.name.encode() + b"\0" + path.read_bytes())
        for static in self.static_files:
            hasher.update(f"{static.route}\0{static.fingerprint}".encode())
        return hasher.hexdigest()

    def asset_paths(self) -> dict[str, str]:
        """Static file name → its route with a cache-busting query, for the templates' ``asset()``."""
        return {f.route.removeprefix("static/"): f"{f.route}?v={f.fingerprint}" for f in self.static_files}


def load_theme(site_root: Path, name: str, config_shown: str = "briefgen.yaml") -> Theme:
    chosen = _find_theme(site_root, name, config_shown)
    default = builtin_theme()
    theme_roots = [chosen] + ([default] if default is not None and default != chosen else [])
    template_folders = [site_root / "templates"] if (site_root / "templates").is_dir() else []
    template_folders += [root / "templates" for root in theme_roots if (root / "templates").is_dir()]
    i18n_folders = message_folders(site_root, theme_roots)
    check_message_files(i18n_folders, shown=lambda path: _shown(path, site_root))
    return Theme(folders=tuple(template_folders), static_files=_static_files(reversed(theme_roots)),
                 i18n_folders=i18n_folders)


def _shown(path: Path, site_root: Path) -> str:
    """A message file as problems name it: relative to the site folder when it is in it."""
    try:
        return path.relative_to(site_root).as_posix()
    except ValueError:
        return str(path)


def _find_theme(site_root: Path, name: str, config_shown: str) -> Path:
    candidates = [site_root / name, site_root / "themes" / name]
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate.resolve()
    found = builtin_theme(name)
    if found is not None:
        return found
    raise BuildFailed([Problem(config_shown, key="theme", message=f"no theme named {name!r} was found",
                               hint=f"create themes/{name}/templates/, or use `theme: default`")])


def _static_files(roots) -> tuple[StaticFile, ...]:
    """Later roots override earlier ones file by file (the default theme's files first)."""
    files: dict[str, Path] = {}
    for root in roots:
        static = root / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["static/" + path.relative_to(static).as_posix()] = path
    return tuple(StaticFile(source=path, route=route, fingerprint=_fingerprint(path))
                 for route, path in sorted(files.items()))


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]

