"""A 10 MB briefing (a realistic article repeated: sections, quotes, dated lists), written at test time."""

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
import corpus  # noqa: E402

SIZE = 10_000_000


def generate(content: Path) -> None:
    _, article = corpus.briefing(1, random.Random(1), dt.datetime(2025, 1, 1))
    front, body = article.split("---\n", 2)[1:]
    text = "---\n" + front + "---\n" + body * (SIZE // len(body) + 1)
    (content / "huge.md").write_text(text, encoding="utf-8")
