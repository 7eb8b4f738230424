"""Faults of the machine, in plain words: what briefgen was doing, where, why, and what to do.

An operating-system error (a full disk, a read-only folder, a file briefgen may not read, too many open files)
is not a bug in the content: :func:`doing` turns one raised inside a stage into a :class:`BuildFailed` whose
problem names the activity, the path, the cause and a remedy. :class:`SiteLock` keeps two builds from writing
one output folder or one cache at the same time.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from briefgen.errors import BuildFailed, Problem

# errno → (the cause in plain words, what to do)
_CAUSES: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space on that disk, or build to another one with --output"),
    errno.EROFS: ("the file system is read-only",
                  "build on a writable disk: choose another folder with --output, or copy the site folder"),
    errno.EACCES: ("permission denied", "give your user the right to read and write it (chmod/chown), or build as "
                   "the folder's owner"),
    errno.EPERM: ("the operation is not permitted", "check the folder's owner and permissions"),
    errno.EMFILE: ("too many files are open", "raise the limit (ulimit -n 4096) or build with fewer --jobs"),
    errno.ENFILE: ("the system has too many files open", "close some programs, or build with fewer --jobs"),
    errno.ENAMETOOLONG: ("the path is too long", "move the site to a shorter folder, or shorten long slugs"),
    errno.EXDEV: ("the output folder and the folder beside it are on different disks",
                  "the new site is made beside the output and swapped in: use an output folder that is not a mount "
                  "point, e.g. a folder inside the mounted disk"),
    errno.EIO: ("the disk reported an input/output error", "check the disk (it may be failing or unplugged)"),
    errno.ENOENT: ("it disappeared while briefgen was using it", "make sure nothing else deletes files there, "
                   "then build again"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "remove or rename that file"),
    errno.EISDIR: ("it is a folder, not a file", "remove or rename that folder"),
    errno.ELOOP: ("it loops through symbolic links", "fix the symbolic links"),
}
if hasattr(errno, "EDQUOT"):
    _CAUSES[errno.EDQUOT] = ("your disk quota is used up", "free some space, or ask for a larger quota")


def cause(error: OSError) -> tuple[str, str]:
    """The cause of an operating-system error in plain words, and what to do."""
    if error.errno in _CAUSES:
        return _CAUSES[error.errno]
    reason = (error.strerror or str(error) or type(error).__name__).rstrip(".").lower()
    return reason, "fix the cause and build again"


def os_problem(error: OSError, activity: str, path: Path | str | None = None, otherwise: str = "") -> Problem:
    """One clear problem for an operating-system error raised while ``activity`` ("writing the site") was going
    on; the path is the error's own file when it names one. ``otherwise`` is another way out ("or build with
    --no-cache")."""
    where = error.filename if error.filename else path
    reason, remedy = cause(error)
    return Problem(str(where) if where is not None else "briefgen", message=f"{activity} failed: {reason}",
                   hint=f"{remedy}{'; ' + otherwise if otherwise else ''}")


@contextlib.contextmanager
def doing(activity: str, path: Path | str | None = None, otherwise: str = "") -> Iterator[None]:
    """Turn an operating-system error inside the block into a :class:`BuildFailed` naming ``activity``."""
    try:
        yield
    except OSError as error:
        raise BuildFailed([os_problem(error, activity, path, otherwise)]) from None


class SiteLock:
    """An exclusive lock on what one build writes (its output folder, its cache), held in a small file.

    The lock is an ``flock`` on that file, so the system releases it when a build exits or is killed: a lock
    left by a killed build is simply free, and is taken over. A second build waits for the first (telling the
    user which process it waits for) up to ``timeout`` seconds, then stops with a message naming it.
    """

    def __init__(self, path: Path, what: str, timeout: float = 120.0,
                 on_wait: Callable[[str], None] | None = None, otherwise: str = ""):
        self.path = path
        self.what = what
        self.otherwise = otherwise
        self.timeout = timeout
        self.on_wait = on_wait
        self._handle = None

    def __enter__(self) -> SiteLock:
        with doing(f"locking {self.what}", self.path, self.otherwise):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+", encoding="utf-8")
        try:
            self._wait(handle)
        except BaseException:
            handle.close()
            raise
        self._handle = handle
        with contextlib.suppress(OSError):  # who holds the lock is a courtesy to a waiting build: a full disk
            handle.seek(0)  # must not stop this one
            handle.truncate()
            handle.write(f"pid: {os.getpid()}\nsince: {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            handle.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.truncate(0)
            self._handle.close()  # closing releases the lock
            self._handle = None

    def _wait(self, handle) -> None:
        deadline = time.monotonic() + self.timeout
        told = False
        while not _try_lock(handle):
            holder = _holder(self.path)
            if time.monotonic() >= deadline:
                raise BuildFailed([Problem(str(self.path), message=f"another briefgen ({holder}) is still writing "
                                           f"{self.what}", hint="wait for it to finish or stop it, then build again")])
            if not told and self.on_wait is not None:
                self.on_wait(f"Waiting for another briefgen ({holder}) to finish writing {self.what}…")
                told = True
            time.sleep(0.1)


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: one byte locked with msvcrt
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise BuildFailed([os_problem(error, "locking the site", handle.name)]) from None


def _holder(path: Path) -> str:
    """Who holds the lock, as its file says: "process 1234, since 2026-11-30 10:02:03"."""
    try:
        fields = dict(line.split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines() if ": " in line)
    except OSError:
        fields = {}
    if "pid" not in fields:
        return "another process"
    return f"process {fields['pid']}, since {fields.get('since', '?')}"
