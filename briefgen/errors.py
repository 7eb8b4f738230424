"""The one exception family of briefgen, and the collector that gathers problems from every file.

Every user-facing problem is a :class:`Problem`: where it is (file, line, column), which key it concerns, what
is wrong and what to do. Stages append problems to a :class:`Problems` collector instead of raising, so one
build reports every mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None = None
    column: int | None = None
    key: str | None = None
    message: str = ""
    hint: str | None = None

    def __str__(self) -> str:
        location = self.path
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        text = f"{location}: "
        if self.key:
            text += f"{self.key}: "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class BriefgenError(Exception):
    """Base of every error briefgen reports to a user (never shown with a traceback)."""


class BuildFailed(BriefgenError):
    """One or more problems stopped the build; all of them are carried, sorted by place."""

    def __init__(self, problems: list[Problem], site_replaced: bool = False):
        self.problems = sorted(problems, key=_problem_sort_key)
        self.site_replaced = site_replaced  # the new site is in place; what failed came after
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # travels back from worker processes intact
        return (BuildFailed, (self.problems, self.site_replaced))


def _problem_sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.column or 0, problem.key or "", problem.message)


@dataclass
class Problems:
    """Collects errors and warnings of one stage; nothing global."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, problem: Problem) -> None:
        self.errors.append(problem)

    def warn(self, problem: Problem) -> None:
        self.warnings.append(problem)

    def extend(self, other: Problems) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_if_errors(self, strict: bool = False) -> None:
        found = list(self.errors)
        if strict:
            found.extend(self.warnings)
        if found:
            raise BuildFailed(found)


def display_path(path: Path, root: Path) -> str:
    """A path as the user knows it: relative to the site folder when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
