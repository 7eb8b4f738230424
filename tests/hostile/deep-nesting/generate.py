"""Bodies nested 10,000 levels deep (block quotes, lists, brackets, emphasis, raw HTML), written at test time."""

from pathlib import Path

HEAD = "---\ntitle: {}\ndate: 2025-11-29\n---\n"
BODIES = {
    "blockquotes": ">" * 10000 + " deep\n\n" + "".join("> " * 50 + "line\n" for _ in range(10)),
    "blockquote-lines": "".join(">" * depth + " x\n" for depth in range(1, 2001)),
    "lists": "- " * 10000 + "deep\n\n" + "1. " * 10000 + "deep\n",
    "brackets-and-emphasis": "[" * 10000 + "x" + "]" * 10000 + "\n\n" + "*" * 10000 + "x" + "*" * 10000 + "\n",
    "raw-html": "<div>" * 10000 + "x" + "</div>" * 10000 + "\n",
    "indented-lists": "".join("  " * depth + "- item\n" for depth in range(1000)),
}


def generate(content: Path) -> None:
    for name, body in BODIES.items():
        (content / f"{name}.md").write_text(HEAD.format(name) + body, encoding="utf-8")
