"""Bringing content made elsewhere into a briefing site.

Each importer is a pure function from one source (raw text, a saved web page, a file of another generator) to
an :class:`Imported` article: briefgen front matter, a Markdown body, and notes on what was guessed or converted.
The command around them (``briefgen.importers.run``) does the file system, the validation and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GENERATORS = ("jekyll", "hugo", "eleventy", "pelican")
KINDS = ("auto", "text", "html", *GENERATORS)  # what `briefgen import --from` accepts


class Skip(Exception):
    """This source cannot become a briefing; the message says why in words a user can act on."""


@dataclass
class Imported:
    """One article, ready to be written as a briefgen Markdown file.

    ``front_matter`` holds briefgen keys in the order they are written (``title`` and ``date`` first; ``date`` a
    ``datetime.date`` or ``datetime.datetime``); anything with no briefgen meaning is under ``extra``.
    ``notes`` say, one short sentence each, what was guessed or converted ("date taken from the dateline
    'November 30, 2025'"); ``old_paths`` are the article's addresses in the old site (paths, "/a/b/").
    """

    front_matter: dict[str, Any]
    body: str
    notes: list[str] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    converted: int = 0  # pieces of template code turned into Markdown
    kept_as_notes: int = 0  # pieces of template code with no Markdown equivalent, kept visibly
