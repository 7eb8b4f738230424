"""The only module that imports markdown-it-py: Markdown body → lead and sections, as HTML and plain text.

A body is split at its section headings (H2, or H1 when the article uses H1 and no H2): everything before the
first heading is the lead. Every heading gets a unique id, so sections and the table of contents can link to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.model import Section, TocEntry
from briefgen.slugs import anchor_slug


@dataclass(frozen=True)
class Block:
    """A run of block tokens rendered to HTML, with its plain text and first source line."""

    html: str
    text: str
    line: int


@dataclass(frozen=True)
class ParsedBody:
    lead: Block
    sections: tuple[Section, ...]
    toc: tuple[TocEntry, ...]
    word_count: int


class MarkdownRenderer:
    """CommonMark with tables, strikethrough, footnotes and definition lists; raw HTML is kept."""

    def __init__(self) -> None:
        self._md = (
            MarkdownIt("commonmark", {"html": True})
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)
            .use(deflist_plugin)
        )

    def parse(self, body: str, first_line: int = 1) -> ParsedBody:
        """Parse a body whose first line is line ``first_line`` of its file."""
        env: dict = {}
        tokens = self._md.parse(body, env)
        level = _section_level(tokens)
        toc = _assign_heading_ids(tokens)
        chunks = _split_at_headings(tokens, level)
        lead = self._block(chunks[0][1], first_line, env)
        sections = tuple(
            self._section(heading_tokens, body_tokens, first_line, env)
            for heading_tokens, body_tokens in chunks[1:]
        )
        words = len(lead.text.split()) + sum(
            len(section.heading.split()) + len(section.text.split()) for section in sections
        )
        return ParsedBody(lead=lead, sections=sections, toc=toc, word_count=words)

    def render_inline(self, text: str) -> str:
        """Inline Markdown (a title or a timeline entry) to HTML without a wrapping paragraph."""
        return self._md.renderInline(text)

    def _block(self, tokens: list[Token], first_line: int, env: dict) -> Block:
        html = self._md.renderer.render(tokens, self._md.options, env) if tokens else ""
        line = next((t.map[0] for t in tokens if t.map), 0) + first_line
        return Block(html=html, text=plain_text(tokens), line=line)

    def _section(self, heading: list[Token], body: list[Token], first_line: int, env: dict) -> Section:
        opening = heading[0]
        block = self._block(body, first_line, env)
        return Section(
            heading=plain_text(heading).strip(),
            anchor=str(opening.attrs["id"]),
            html=block.html,
            text=block.text,
            line=(opening.map[0] if opening.map else 0) + first_line,
        )


def _section_level(tokens: list[Token]) -> int:
    levels = {int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0}
    if 2 in levels:
        return 2
    return 1 if 1 in levels else 2


def _assign_heading_ids(tokens: list[Token]) -> tuple[TocEntry, ...]:
    used: dict[str, int] = {}
    toc = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = plain_text([tokens[index + 1]]).strip()
        anchor = _unique(anchor_slug(text), used)
        token.attrSet("id", anchor)
        if token.level == 0:
            toc.append(TocEntry(level=int(token.tag[1]), text=text, anchor=anchor))
    return tuple(toc)


def _unique(anchor: str, used: dict[str, int]) -> str:
    if anchor not in used:
        used[anchor] = 1
        return anchor
    used[anchor] += 1
    candidate = f"{anchor}-{used[anchor]}"
    while candidate in used:
        used[anchor] += 1
        candidate = f"{anchor}-{used[anchor]}"
    used[candidate] = 1
    return candidate


def _split_at_headings(tokens: list[Token], level: int) -> list[tuple[list[Token], list[Token]]]:
    """[(heading tokens, body tokens)], the first entry being the lead with no heading."""
    tag = f"h{level}"
    chunks: list[tuple[list[Token], list[Token]]] = [([], [])]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.tag == tag and token.level == 0:
            chunks.append((tokens[index:index + 3], []))
            index += 3
            continue
        chunks[-1][1].append(token)
        index += 1
    return chunks


_BLOCK_BREAKS = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "th_close",
                 "td_close", "code_block", "fence", "dt_close", "dd_close"}


def plain_text(tokens: list[Token]) -> str:
    """The readable text of tokens: inline text joined, blocks separated by blank lines."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content.rstrip("\n"))
        if token.type in _BLOCK_BREAKS:
            parts.append("\n\n")
    text = "".join(parts)
    return "\n\n".join(chunk.strip() for chunk in text.split("\n\n") if chunk.strip())


def _inline_text(children: list[Token]) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)
