"""An output file in memory: where it goes in the output folder, and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, with "/" separators
    data: bytes
    kind: str  # "page", "feed", "data", "static" or "meta": counted in the build report
    source: str = ""  # the content file it was made from, for error messages
