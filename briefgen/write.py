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
from functools import lru_cache
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


def spare_path(output: Path) -> Path:
    """Where the previous build's site waits to become the next one."""
    return output.parent / f".{output.name}.briefgen-spare"


class OutputSession:
    """One build's writing. Three ways to get the new site into place:

    - *spare* (an incremental build): the build before last's site, kept beside the output with known
      fingerprints, is brought up to date file by file and swapped in: only changed files are touched;
    - *staging* (a first build, or no usable spare): a fresh folder, unchanged files hard-linked from the site;
    - *in place* (the development server): the output folder itself, each changed file replaced atomically.
    In the first two, the site being replaced becomes the next spare.
    """

    def __init__(self, output: Path, previous: dict[str, str], *, spare: dict[str, str] | None = None,
                 in_place: bool = False):
        self.output = output.resolve()
        self.previous = previous  # path → fingerprint of the files in the output folder now
        self.in_place = in_place
        self.report = WriteReport()
        self.fingerprints: dict[str, str] = {}
        self._folded: set[str] = set()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.spare = spare_path(self.output)
        if in_place:
            self.mode, self.target, self.present = "in place", self.output, previous
            self.target.mkdir(exist_ok=True)
        else:
            _remove_leftovers(self.output)
            if spare and self.spare.is_dir():
                self.mode, self.target, self.present = "spare", self.spare, spare
            else:
                self.mode, self.present = "staging", {}
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
        if self.present.get(path) == fingerprint and os.path.isfile(target):
            self.report.kept += 1
            return
        self._ensure_parent(target)
        if self.mode == "staging":
            with open(target, "wb") as handle:
                handle.write(data)
        else:  # never write through an existing file: it may be shared with the live site
            temporary = f"{target}.briefgen-new"
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        self.report.written += 1
        self.report.bytes += len(data)

    def can_keep(self, path: str, fingerprint: str) -> bool:
        """Whether a file with this fingerprint already exists, in the folder being written (the spare, whose
        files are briefgen's own, is trusted without a look) or in the site."""
        if self.present.get(path) == fingerprint:
            return self.mode == "spare" or os.path.isfile(os.path.join(self._target, safe_relative_path(path)))
        return (self.previous.get(path) == fingerprint
                and os.path.isfile(os.path.join(self._output, safe_relative_path(path))))

    def version_of(self, path: str, base: str) -> str | None:
        """The fingerprint of a file that can be carried over and was made from ``base`` (``base`` itself, or
        ``base`` plus what was filled in afterwards), or None."""
        for known in (self.present.get(path), self.previous.get(path)):
            if known and (known == base or known.startswith(base + "+")) and self.can_keep(path, known):
                return known
        return None

    def read(self, path: str) -> bytes:
        """The bytes of a file this session has already put or kept."""
        with open(os.path.join(self._target, safe_relative_path(path)), "rb") as handle:
            return handle.read()

    def rewrite(self, path: str, data: bytes, fingerprint: str) -> None:
        """New bytes for a file this session has already put or kept (never written through: a kept file may be
        a link to the live site's)."""
        target = os.path.join(self._target, safe_relative_path(path))
        temporary = f"{target}.briefgen-new"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
        self.fingerprints[path] = fingerprint
        self.report.written += 1
        self.report.bytes += len(data)

    def keep(self, path: str, kind: str, fingerprint: str, source: str = "") -> bool:
        """Carry an unchanged file over instead of rendering it; False when there is none to carry."""
        if not self.can_keep(path, fingerprint):
            return False
        in_target = self.present.get(path) == fingerprint
        target = self._claim(path, kind, fingerprint, source)
        if not in_target:
            self._link(os.path.join(self._output, path), target)
        self.report.kept += 1
        return True

    def _link(self, current: str, target: str) -> None:
        self._ensure_parent(target)
        temporary = f"{target}.briefgen-new" if self.mode != "staging" else target
        try:
            os.link(current, temporary)
        except OSError:
            shutil.copy2(current, temporary)
        if temporary != target:
            os.replace(temporary, target)

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
        for path in sorted(set(self.present) - set(self.fingerprints)):
            try:
                os.unlink(os.path.join(self._target, safe_relative_path(path)))
                self._remove_empty_parents(path)
            except (OSError, BuildFailed):
                pass
        marker = f"This folder is generated by briefgen; it is replaced on every build.\nbuild: {token}\n"
        (self.target / MARKER).write_text(marker, encoding="utf-8")
        self.report.removed = len(self.removed_paths())
        if self.mode != "in place":
            _swap(self.target, self.output, self.spare)
        return self.report

    def _remove_empty_parents(self, path: str) -> None:
        parent = os.path.dirname(path)
        while parent:
            try:
                os.rmdir(os.path.join(self._target, parent))
            except OSError:
                return  # not empty
            parent = os.path.dirname(parent)

    def abort(self) -> None:
        if self.mode == "staging":
            shutil.rmtree(self.target, ignore_errors=True)


def replace_file(output: Path, path: str, data: bytes) -> None:
    """Replace one file of an output folder atomically (for the development server's quick page updates)."""
    target = os.path.join(str(output), safe_relative_path(path))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = f"{target}.briefgen-new"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


@lru_cache(maxsize=65536)
def safe_relative_path(path: str) -> str:
    """A relative path that stays inside the output folder (returned as it is), or a clear error."""
    parts = path.split("/")
    if (not path or "\x00" in path or "\\" in path or path.startswith("/")
            or any(part in ("..", "", ".") for part in parts)
            or any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in parts)):
        raise BuildFailed([Problem(repr(path), message="an output path would leave the output folder",
                                   hint="use plain names for slugs, tags and files")])
    return path


def _swap(new: Path, output: Path, spare: Path) -> None:
    """Make ``new`` the output; the replaced site becomes the spare. Each step is a rename; a build killed
    between them is repaired by the next one (see :func:`_remove_leftovers`)."""
    if not output.exists():
        os.rename(new, output)
        return
    old = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX + output.name + "-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    os.rename(new, output)
    if new != spare and spare.exists():
        _remove(spare)
    os.rename(old, spare)


def _remove(folder: Path) -> None:
    """Remove a folder; a large one is first renamed aside and removed by a background process, so that a
    build does not wait for tens of thousands of unlinks."""
    doomed = Path(tempfile.mkdtemp(prefix=_OLD_PREFIX + "trash-", dir=folder.parent))
    os.rmdir(doomed)
    os.rename(folder, doomed)
    if sum(1 for _ in zip(range(BACKGROUND_CLEANUP_FILES), doomed.rglob("*"))) < BACKGROUND_CLEANUP_FILES:
        shutil.rmtree(doomed, ignore_errors=True)
        return
    subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(doomed)],
                     start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


def _remove_leftovers(output: Path) -> None:
    """Clean up after a build that was killed before it finished.

    A build killed between the two renames of :func:`_swap` leaves no output but a complete old one: restore it.
    """
    old_outputs = sorted(output.parent.glob(_OLD_PREFIX + output.name + "-*"))
    if not output.exists() and old_outputs:
        os.rename(old_outputs.pop(), output)
    spare = spare_path(output)
    if old_outputs and not spare.exists():
        os.rename(old_outputs.pop(), spare)
    trash = sorted(output.parent.glob(_OLD_PREFIX + "trash-*"))
    stale = [old for old in old_outputs + trash if time.time() - old.stat().st_mtime > STALE_SECONDS]
    for leftover in stale + sorted(output.parent.glob(_TEMP_PREFIX + output.name + "-*")):
        shutil.rmtree(leftover, ignore_errors=True)
