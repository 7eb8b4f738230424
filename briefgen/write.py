"""The writer: the only code that touches the output folder.

A build opens an :class:`OutputSession`. In the normal, atomic mode every file goes into a fresh staging folder
beside the output: new bytes are written, unchanged files (same fingerprint as last build) are hard-linked from
the current output, and the staging folder is swapped in at the end, so a failed or killed build leaves the
previous site as it was. The development server uses the in-place mode instead: only changed files are
replaced (each atomically) and files no longer produced are removed.

The writer refuses duplicate paths, paths outside the output folder, and an output folder that holds someone
else's files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from briefgen.errors import BuildFailed, Problem

MARKER = ".briefgen-output"
_TEMP_PREFIX = ".briefgen-tmp-"
_OLD_PREFIX = ".briefgen-old-"
BACKGROUND_CLEANUP_FILES = 2000  # an old site with more files than this is removed by a background process
STALE_SECONDS = 600  # an old site still there after this long lost its background cleaner


@dataclass
class WriteReport:
    counts: dict[str, int] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)
    written: int = 0  # files with new bytes
    kept: int = 0  # unchanged files carried over from the previous build
    removed: int = 0  # files of the previous build that this one no longer produces
    bytes: int = 0


def check_output_folder(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would overwrite the user's own files."""
    output = output.resolve()
    for folder in protected:
        folder = folder.resolve()
        if output == folder or folder.is_relative_to(output):
            raise BuildFailed([Problem(str(output), key="output_dir",
                                       message=f"the output folder would replace {folder}",
                                       hint="choose a separate folder such as `site`")])
    if output.exists() and not output.is_dir():
        raise BuildFailed([Problem(str(output), key="output_dir", message="the output path is a file",
                                   hint="remove it or choose another output folder")])
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise BuildFailed([Problem(str(output), key="output_dir",
                                   message="the output folder is not empty and was not made by briefgen",
                                   hint="empty it, or choose another output folder")])


def read_marker(output: Path) -> str:
    """The build token recorded in the output folder's marker file ("" when there is none)."""
    try:
        lines = (output / MARKER).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("build:")), "")


class OutputSession:
    def __init__(self, output: Path, previous: dict[str, str], *, in_place: bool = False):
        self.output = output.resolve()
        self.previous = previous  # path → fingerprint of the last build (empty: nothing can be reused)
        self.in_place = in_place
        self.report = WriteReport()
        self.fingerprints: dict[str, str] = {}
        self._folded: set[str] = set()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if in_place:
            self.target = self.output
            self.target.mkdir(exist_ok=True)
        else:
            _remove_leftovers(self.output)
            self.target = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX + self.output.name + "-",
                                                dir=self.output.parent))
        self._output, self._target = str(self.output), str(self.target)
        self._dirs: set[str] = {self._target}

    # ---- adding files -----------------------------------------------------------------------------------

    def has(self, path: str) -> bool:
        return path in self.fingerprints

    def put(self, path: str, data: bytes, kind: str, fingerprint: str, source: str = "") -> None:
        """New bytes for ``path``."""
        target = self._claim(path, kind, fingerprint, source)
        if self.in_place and self.previous.get(path) == fingerprint and os.path.isfile(target):
            self.report.kept += 1
            return
        self._ensure_parent(target)
        if self.in_place:
            temporary = f"{target}.briefgen-new"
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        else:
            with open(target, "wb") as handle:
                handle.write(data)
        self.report.written += 1
        self.report.bytes += len(data)

    def can_keep(self, path: str, fingerprint: str) -> bool:
        """Whether the previous build's file has this fingerprint and is still there."""
        return (self.previous.get(path) == fingerprint
                and os.path.isfile(os.path.join(self._output, safe_relative_path(path))))

    def keep(self, path: str, kind: str, fingerprint: str, source: str = "") -> bool:
        """Carry the previous build's file over when its fingerprint is unchanged; False when it cannot."""
        if not self.can_keep(path, fingerprint):
            return False
        current = os.path.join(self._output, path)
        target = self._claim(path, kind, fingerprint, source)
        if not self.in_place:
            self._ensure_parent(target)
            try:
                os.link(current, target)
            except OSError:
                shutil.copy2(current, target)
        self.report.kept += 1
        return True

    def _claim(self, path: str, kind: str, fingerprint: str, source: str) -> str:
        key = safe_relative_path(path)
        folded = key.casefold()  # case-insensitive file systems (macOS, Windows) would merge such paths
        if folded in self._folded:
            raise BuildFailed([Problem(source or path, message=f"two outputs were generated for {path}",
                                       hint="rename one of the files that produce it")])
        self._folded.add(folded)
        self.fingerprints[key] = fingerprint
        self.report.paths.add(key)
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        return os.path.join(self._target, key)

    def _ensure_parent(self, target: str) -> None:
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)

    # ---- finishing --------------------------------------------------------------------------------------

    def removed_paths(self) -> set[str]:
        return set(self.previous) - set(self.fingerprints)

    def read(self, path: str) -> bytes:
        with open(os.path.join(self._target, safe_relative_path(path)), "rb") as handle:
            return handle.read()

    def commit(self, token: str) -> WriteReport:
        """Write the marker and make the new site the site."""
        marker = f"This folder is generated by briefgen; it is replaced on every build.\nbuild: {token}\n"
        (self.target / MARKER).write_text(marker, encoding="utf-8")
        self.report.removed = len(self.removed_paths())
        if self.in_place:
            for path in sorted(self.removed_paths()):
                try:
                    os.unlink(os.path.join(self._output, safe_relative_path(path)))
                except OSError:
                    pass
        else:
            _swap(self.target, self.output, large=len(self.fingerprints) > BACKGROUND_CLEANUP_FILES)
        return self.report

    def abort(self) -> None:
        if not self.in_place:
            shutil.rmtree(self.target, ignore_errors=True)


def safe_relative_path(path: str) -> str:
    """A relative path that stays inside the output folder (returned as it is), or a clear error."""
    parts = path.split("/")
    if (not path or "\x00" in path or "\\" in path or path.startswith("/")
            or any(part in ("..", "", ".") for part in parts)
            or any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in parts)):
        raise BuildFailed([Problem(repr(path), message="an output path would leave the output folder",
                                   hint="use plain names for slugs, tags and files")])
    return path


def _swap(staging: Path, output: Path, large: bool) -> None:
    """Replace ``output`` with ``staging`` in two renames; the old folder is removed afterwards."""
    if not output.exists():
        os.rename(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX + output.name + "-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    os.rename(staging, output)
    if large:
        # removing tens of thousands of files would double a small rebuild's time: a detached process does it
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(old)],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Clean up after a build that was killed before it finished.

    A build killed between the two renames of :func:`_swap` leaves no output but a complete old one: restore it.
    """
    old_outputs = sorted(output.parent.glob(_OLD_PREFIX + output.name + "-*"))
    if not output.exists() and old_outputs:
        os.rename(old_outputs.pop(), output)
    stale = [old for old in old_outputs if time.time() - old.stat().st_mtime > STALE_SECONDS]
    for leftover in stale + sorted(output.parent.glob(_TEMP_PREFIX + output.name + "-*")):
        shutil.rmtree(leftover, ignore_errors=True)
