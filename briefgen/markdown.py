"""The only module that imports markdown-it-py: a Markdown body → lead, sections, text blocks, as HTML and text.

A body is split at its section headings (H2, or H1 when the article uses H1 and no H2): everything before the
first heading is the lead. What the words *mean* (which kind a heading names, whether a list item starts with
a date, whether a paragraph is an attribution line) is decided by the :class:`BodyRules` passed in, so this
module knows Markdown and nothing about news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote

from briefgen.model import SECTION_KINDS, ImageRef, Section, TextBlock, TocEntry
from briefgen.slugs import anchor_slug

if TYPE_CHECKING:
    from markdown_it.token import Token

# Ids the page templates use themselves; headings never take them by accident.
RESERVED_IDS = frozenset(SECTION_KINDS) | {"top", "main", "sources", "timeline", "quotes", "contents", "updates",
                                           "corrections"}


def _never(_: str) -> bool:
    return False


def _no_kinds(_: str) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class BodyRules:
    kinds_of: Callable[[str], tuple[str, ...]] = _no_kinds  # heading text → section kinds
    is_dated: Callable[[str], bool] = _never  # list item Markdown → starts with a date?
    is_attribution: Callable[[str], bool] = _never  # paragraph text → "— Name, role"?


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
    blocks: tuple[TextBlock, ...] = field(default=())
    word_count: int = 0
    images: tuple[ImageRef, ...] = ()  # the site's own images, numbered as their placeholders


_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_IGNORED_IN_SCHEMES = dict.fromkeys(range(0x21), None)  # browsers skip spaces and control characters there


def is_safe_link(url: str) -> bool:
    """False for links that run code or carry a document (``javascript:``, ``vbscript:``, ``data:``, ``file:``),
    however they are cased, padded or percent-encoded; markdown-it has already decoded entities such as
    ``&#106;``."""
    return not unquote(url).translate(_IGNORED_IN_SCHEMES).lower().startswith(_UNSAFE_SCHEMES)


class MarkdownRenderer:
    """CommonMark with tables, strikethrough, footnotes and definition lists; raw HTML is kept, or cleaned of
    anything dangerous with ``sanitize``."""

    def __init__(self, sanitize: bool = False) -> None:
        # imported here, where parsing starts: a rebuild that reuses every parsed file never loads them
        from markdown_it import MarkdownIt
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.footnote import footnote_plugin

        self._md = (
            MarkdownIt("commonmark", {"html": True})
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)
            .use(deflist_plugin)
        )
        self._md.validateLink = is_safe_link  # markdown-it's own check lets data:image/… through
        self._clean = _html_cleaner() if sanitize else None

    def parse(self, body: str, first_line: int = 1, rules: BodyRules = BodyRules()) -> ParsedBody:
        """Parse a body whose first line is line ``first_line`` of its file."""
        env: dict = {}
        tokens = [t for t in self._md.parse(body, env) if not _is_comment(t)]
        level = _section_level(tokens)
        toc = _assign_heading_ids(tokens, level, rules.kinds_of)
        images = _mark_local_images(tokens, first_line)
        _mark_attributed_quotes(tokens, rules.is_attribution)
        chunks = _split_at_headings(tokens, level)
        blocks = [b for heading, chunk in chunks for b in _text_blocks(chunk, _anchor(heading), first_line)]
        words = len(plain_text(tokens).split())
        chunks = [(heading, _without_dated_lists(chunk, rules.is_dated)) for heading, chunk in chunks]
        lead = self._block(chunks[0][1], first_line, env)
        sections = tuple(self._section(heading, chunk, first_line, env) for heading, chunk in chunks[1:])
        return ParsedBody(lead=lead, sections=sections, toc=toc, blocks=tuple(blocks), word_count=words,
                          images=images)

    def note(self, source: str) -> Block:
        """A short piece of Markdown written in the front matter (a correction, say): its HTML, a single
        paragraph without its ``<p>``, and its plain text."""
        tokens = [t for t in self._md.parse(source, {}) if not _is_comment(t)]
        block = self._block(tokens, 1, {})
        html = block.html.strip()
        if (len(tokens) == 3 and tokens[0].type == "paragraph_open" and html.startswith("<p>")
                and html.endswith("</p>")):
            html = html[3:-4]
        return Block(html=html, text=" ".join(block.text.split()), line=0)

    def inline_text(self, source: str) -> str:
        """The plain text of inline Markdown (a timeline entry, say)."""
        tokens = self._md.parseInline(source, {})
        return _inline_text(tokens[0].children or []) if tokens else ""

    def _block(self, tokens: list[Token], first_line: int, env: dict) -> Block:
        html = self._md.renderer.render(tokens, self._md.options, env) if tokens else ""
        if self._clean is not None:
            html = self._clean(html)
        line = next((t.map[0] for t in tokens if t.map), 0) + first_line
        return Block(html=html, text=plain_text(tokens), line=line)

    def _section(self, heading: list[Token], body: list[Token], first_line: int, env: dict) -> Section:
        opening = heading[0]
        block = self._block(body, first_line, env)
        title = plain_text(heading).strip()
        return Section(
            heading=title,
            anchor=str(opening.attrs["id"]),
            html=block.html,
            text=block.text,
            line=(opening.map[0] if opening.map else 0) + first_line,
            kinds=opening.meta.get("kinds", ()),
            extra_anchors=opening.meta.get("extra_anchors", ()),
        )


def _html_cleaner() -> Callable[[str], str]:
    from briefgen.sanitize import clean_html  # nh3 is loaded only by sites that ask for it

    return clean_html


def _is_comment(token: Token) -> bool:
    """An HTML comment on its own (writing hints in a new briefing) is not published."""
    content = token.content.strip()
    return token.type == "html_block" and content.startswith("<!--") and content.endswith("-->") \
        and content.count("<!--") == 1


IMAGE_PLACEHOLDER = "#briefgen-image-"  # + the image's number: replaced by its picture when a page is made
_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def is_remote(src: str) -> bool:
    """An address with a scheme (``https:``) or a host (``//``): not a file of the site."""
    return bool(_REMOTE.match(src))



def _mark_local_images(tokens: list[Token], first_line: int) -> tuple[ImageRef, ...]:
    """Each image of the site's own (not a remote URL) becomes a numbered placeholder, to be replaced by a
    responsive picture once the image file is known: its variants and size are not the parser's business."""
    images = []
    for token in tokens:
        if token.type != "inline":
            continue
        for child in token.children or []:
            src = str(child.attrs.get("src") or "") if child.type == "image" else ""
            if not src or is_remote(src) or src.startswith("#"):
                continue
            line = (token.map[0] if token.map else 0) + first_line
            images.append(ImageRef(src=unquote(src), alt=" ".join(_inline_text(child.children or []).split()),
                                   line=line, title=str(child.attrs.get("title") or "")))
            child.attrSet("src", f"{IMAGE_PLACEHOLDER}{len(images) - 1}")
    return tuple(images)


def _anchor(heading: list[Token]) -> str:
    return str(heading[0].attrs["id"]) if heading else ""


def _section_level(tokens: list[Token]) -> int:
    levels = {int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0}
    if 2 in levels:
        return 2
    return 1 if 1 in levels else 2


def _assign_heading_ids(tokens: list[Token], section_level: int,
                        kinds_of: Callable[[str], tuple[str, ...]]) -> tuple[TocEntry, ...]:
    """Unique ids for every heading; the first section of each kind takes the kind's name as its id."""
    used: dict[str, int] = {name: 1 for name in RESERVED_IDS}
    kinds_taken: set[str] = set()
    toc = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = plain_text([tokens[index + 1]]).strip()
        kind_ids: list[str] = []
        if token.tag == f"h{section_level}" and token.level == 0:
            kinds = kinds_of(text)
            kind_ids = [kind for kind in kinds if kind not in kinds_taken]
            kinds_taken.update(kind_ids)
            token.meta = {"kinds": kinds, "extra_anchors": tuple(kind_ids[1:])}
        anchor = kind_ids[0] if kind_ids else _unique(anchor_slug(text), used)
        token.attrSet("id", anchor)
        if token.level == 0:
            toc.append(TocEntry(level=int(token.tag[1]), text=text, anchor=anchor))
    return tuple(toc)


def _unique(anchor: str, used: dict[str, int]) -> str:
    if anchor not in used:
        used[anchor] = 1
        return anchor
    count = used[anchor]
    candidate = f"{anchor}-{count + 1}"
    while candidate in used:
        count += 1
        candidate = f"{anchor}-{count + 1}"
    used[anchor] = count + 1
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


def _matching_close(tokens: list[Token], start: int) -> int:
    """Index of the token that closes ``tokens[start]``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _text_blocks(tokens: list[Token], section: str, first_line: int) -> list[TextBlock]:
    """Top-level paragraphs, block quotes and list items (their first paragraph), in order."""
    blocks = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = (token.map[0] if token.map else 0) + first_line
        if token.type == "blockquote_open":
            end = _matching_close(tokens, index)
            blocks.append(TextBlock("blockquote", plain_text(tokens[index + 1:end], softbreak="\n"), "", line,
                                    section))
            index = end + 1
            continue
        if token.type == "list_item_open":
            end = _matching_close(tokens, index)
            inline = next((t for t in tokens[index:end] if t.type == "inline"), None)
            if inline is not None:
                blocks.append(TextBlock("list_item", _inline_text(inline.children or []),
                                        _item_source(tokens, index), line, section))
            index = end + 1
            continue
        if token.type == "inline" and index > 0 and tokens[index - 1].type == "paragraph_open" \
                and not tokens[index - 1].hidden:
            blocks.append(TextBlock("paragraph", _inline_text(token.children or []), "", line, section))
        index += 1
    return blocks


def _item_source(tokens: list[Token], opening: int) -> str:
    """The Markdown of a list item's first paragraph. "- 2. Juli 2026 – …" is read by Markdown as a numbered
    list inside the item; its number is given back, so a German date stays a date."""
    end = _matching_close(tokens, opening)
    inline = next((t for t in tokens[opening:end] if t.type == "inline"), None)
    if inline is None:
        return ""
    nested = tokens[opening + 1] if opening + 1 < end else None
    if nested is not None and nested.type == "ordered_list_open":
        return f"{nested.attrGet('start') or 1}{nested.markup} {inline.content}"
    return inline.content


def _without_dated_lists(tokens: list[Token], is_dated: Callable[[str], bool]) -> list[Token]:
    """Drop top-level lists whose every item starts with a date: they are shown as the timeline instead."""
    kept: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open") and token.level == 0:
            end = _matching_close(tokens, index)
            items = [_item_source(tokens, i) for i in range(index, end)
                     if tokens[i].type == "list_item_open" and tokens[i].level == token.level + 1]
            if items and all(is_dated(item) for item in items):
                index = end + 1
                continue
        kept.append(token)
        index += 1
    return kept


def _mark_attributed_quotes(tokens: list[Token], is_attribution: Callable[[str], bool]) -> None:
    """Give block quotes that end with an attribution line classes, so themes can show them as quote cards.
    An attribution on the last line of the last paragraph (no blank ``>`` line before it) becomes a
    paragraph of its own first."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "blockquote_open":
            end = _matching_close(tokens, index)
            paragraphs = [i for i in range(index, end) if tokens[i].type == "paragraph_open"
                          and tokens[i].level == token.level + 1]
            if paragraphs and _split_attribution_line(tokens, paragraphs[-1], is_attribution):
                paragraphs.append(paragraphs[-1] + 3)
            if len(paragraphs) >= 2 and is_attribution(plain_text([tokens[paragraphs[-1] + 1]])):
                token.attrJoin("class", "quote")
                tokens[paragraphs[-1]].attrJoin("class", "quote__by")
        index += 1


def _split_attribution_line(tokens: list[Token], opening: int, is_attribution: Callable[[str], bool]) -> bool:
    """``> "…"`` then ``> — Name, role`` in one paragraph: split the last line into a paragraph of its own."""
    inline = tokens[opening + 1]
    children = inline.children or []
    breaks = [i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")]
    if not breaks or not is_attribution(_inline_text(children[breaks[-1] + 1:])):
        return False
    from markdown_it.token import Token as MarkdownToken

    head, tail = children[:breaks[-1]], children[breaks[-1] + 1:]
    level = tokens[opening].level
    line_map = [inline.map[1] - 1, inline.map[1]] if inline.map else None
    tail_inline = MarkdownToken("inline", "", 0, level=level + 1, children=tail, map=line_map,
                                content=_inline_text(tail), block=True)
    inline.children = head
    inline.content = _inline_text(head)
    tokens[opening + 2:opening + 2] = [
        MarkdownToken("paragraph_close", "p", -1, level=level, block=True),
        MarkdownToken("paragraph_open", "p", 1, level=level, block=True, map=line_map),
        tail_inline,
    ]
    return True


_BLOCK_BREAKS = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "th_close",
                 "td_close", "code_block", "fence", "dt_close", "dd_close"}


def plain_text(tokens: list[Token], softbreak: str = " ") -> str:
    """The readable text of tokens: inline text joined, blocks separated by blank lines."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token.children or [], softbreak))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content.rstrip("\n"))
        if token.type in _BLOCK_BREAKS:
            parts.append("\n\n")
    text = "".join(parts)
    return "\n\n".join(chunk.strip() for chunk in text.split("\n\n") if chunk.strip())


def _inline_text(children: list[Token], softbreak: str = " ") -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(softbreak)
        elif child.type == "image":
            out.append(_inline_text(child.children or [], softbreak))
    return "".join(out)
