"""An article's main text, as trafilatura gives it in XML, → Markdown blocks that render it word for word.

trafilatura's XML names a handful of elements: ``head`` (``rend="h2"``), ``p``, ``list`` (``rend="ul"`` or
``"ol"``) with ``item``, ``quote``, ``graphic`` (an image), ``ref`` (a link), ``hi`` (``rend="#b"``, ``"#i"``,
``"#t"``, ``"#sub"``, ``"#sup"``, ``"#u"``), ``del``, ``code``, ``lb`` (a line break) and ``table`` / ``row`` /
``cell``. Each becomes its Markdown; anything else is read for its text. Links and images are made absolute
against the page's address when it is known.

Text is escaped only where Markdown would read it as markup (briefgen's Markdown: CommonMark with raw HTML,
tables, strikethrough, footnotes and definition lists), so ``3.5 million`` or ``well-known`` stay as written
while ``*``, ``[``, a ``#`` or ``1.`` starting a line, ``<b`` or ``&amp;`` are escaped. Emphasis that Markdown
could not close where it ends (``**Note:**text``) is written as HTML instead.
"""

from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

HARD_BREAK = "\\\n"
_LINK_SCHEMES = ("", "http", "https", "mailto", "ftp", "tel")  # "": relative, when the page's address is unknown


@dataclass(frozen=True)
class MarkdownBlock:
    """One top-level block of the body: its Markdown, its plain text (to compare with the title or a byline)."""

    kind: str  # "heading", "paragraph", "image", "list", "quote", "table" or "code"
    markdown: str
    text: str
    level: int = 0  # a heading's level as the page had it (1–6)


def markdown_blocks(main: etree._Element, base_url: str | None = None) -> list[MarkdownBlock]:
    """The blocks of trafilatura's ``<main>`` element (or any container of its blocks), in reading order."""
    return _Converter(base_url).blocks(main)


def join_blocks(blocks: list[MarkdownBlock]) -> str:
    """A Markdown body: blocks separated by blank lines, ending with a newline ("" when there are none)."""
    text = "\n\n".join(block.markdown for block in blocks if block.markdown.strip())
    return text + "\n" if text else ""


def heading_markdown(block: MarkdownBlock, level: int) -> MarkdownBlock:
    """The same heading at another level (the body's own levels start at ``##``)."""
    inline = block.markdown.lstrip("#").lstrip(" ")
    return MarkdownBlock("heading", "#" * level + " " + inline, block.text, block.level)


# --- text escaping -------------------------------------------------------------------------------------------

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;|$)")  # at the end, the next piece of text could finish it
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?]|$)")
_TABLE_DELIMITER_ROW = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")  # under a line, it makes a table
_ORDERED_START = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")


def escape_text(text: str, in_link: bool = False, pipes: bool = False) -> str:
    """Text that Markdown renders as exactly ``text`` (inline: its place at the start of a line is seen later)."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if _needs_escape(char, before, after, in_link, pipes):
            out.append("\\")
        out.append(char)
    escaped = "".join(out)
    escaped = _ENTITY_LIKE.sub("\\\\&", escaped)
    return _TAG_LIKE.sub("\\\\<", escaped)


def _needs_escape(char: str, before: str, after: str, in_link: bool, pipes: bool) -> bool:
    if char in "`[":
        return True
    if char == "\\":
        return not after.isalnum()  # before punctuation it would escape it; spaces may move away
    if char == "*":
        return not (before.isspace() and after.isspace())
    if char == "_":
        return not (before.isalnum() and after.isalnum()) and not (before.isspace() and after.isspace())
    if char == "~":
        return before in ("~", "") or after in ("~", "")
    if char == "]":
        return in_link
    if char == "|":
        return pipes  # in a table cell, or in a paragraph of several lines (which could read as a table)
    return False


def escape_line_starts(markdown: str) -> str:
    """Escape what would start a heading, list, quote, rule, fence or definition at the start of each line."""
    lines = [_escape_line_start(line) for line in markdown.split("\n")]
    return "\n".join(lines[:1] + ["\\" + line if _TABLE_DELIMITER_ROW.match(line) else line for line in lines[1:]])


def _escape_line_start(line: str) -> str:
    ordered = _ORDERED_START.match(line)
    if ordered:
        return ordered.group(1) + "\\" + line[ordered.end(1):]
    first, rest = line[:1], line[1:]
    if first == ">":
        return "\\" + line
    if re.match(r"#{1,6}(?:[ \t]|$)", line) or (first and first in "+-*_:" and rest[:1] in ("", " ", "\t")):
        return "\\" + line  # a heading, list item, rule or definition
    if first and first in "#-=*_" and set(line.replace(" ", "")) == {first}:
        return "\\" + line  # a rule or a setext underline
    return line


def _is_punctuation(char: str) -> bool:
    return char in _ASCII_PUNCTUATION or unicodedata.category(char).startswith("P")


# --- emphasis: written with markers, checked once the whole line is known -------------------------------------

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around emphasis until it is resolved
_CODE_OPEN, _CODE_CLOSE = "\ue002", "\ue003"  # and around code spans
_MARKERS = frozenset(_OPEN + _CLOSE + _CODE_OPEN + _CODE_CLOSE)
_NO_SENTINELS = dict.fromkeys(map(ord, _OPEN + _CLOSE + _CODE_OPEN + _CODE_CLOSE))
_MARKED_CODE = re.compile(f"{_CODE_OPEN}([^{_CODE_CLOSE}]*){_CODE_CLOSE}")
_STYLES = {"b": ("**", "strong"), "i": ("*", "em"), "s": ("~~", "del")}


def _emphasis(style: str, inner: str) -> str:
    """``inner`` marked for a style; leading and trailing spaces stay outside the markers, the same style inside
    is dropped (bold within bold is bold)."""
    inner = inner.replace(_OPEN + style, "").replace(_CLOSE + style, "")
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[:len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")):]
    return f"{lead}{_OPEN}{style}{stripped}{_CLOSE}{style}{trail}"


def _resolve_emphasis(markdown: str) -> str:
    """Markers where CommonMark opens and closes them (flanking rules), HTML tags where it would not."""
    for style in _STYLES:  # **a****b** is **ab**
        markdown = markdown.replace(_CLOSE + style + _OPEN + style, "")
    pairs = _emphasis_pairs(markdown)
    if not pairs:
        return markdown
    replacements: dict[int, str] = {}
    for start, end, style in pairs:
        marker, tag = _STYLES[style]
        before, first = _char_at(markdown, start - 1), _char_at(markdown, start + 2)
        last, after = _char_at(markdown, end - 1), _char_at(markdown, end + 2)
        if _can_open(before, first) and _can_close(last, after) and not _clashes(markdown, start, end, marker[0]):
            replacements[start], replacements[end] = marker, marker
        else:
            replacements[start], replacements[end] = f"<{tag}>", f"</{tag}>"
    out = []
    index = 0
    while index < len(markdown):
        if index in replacements:
            out.append(replacements[index])
            index += 2  # the sentinel and its style letter
        else:
            out.append(markdown[index])
            index += 1
    return "".join(out)


def _emphasis_pairs(markdown: str) -> list[tuple[int, int, str]]:
    pairs, stack = [], []
    for index, char in enumerate(markdown):
        if char == _OPEN:
            stack.append((index, markdown[index + 1]))
        elif char == _CLOSE and stack:
            start, style = stack.pop()
            pairs.append((start, index, style))
    return pairs


def _clashes(markdown: str, start: int, end: int, char: str) -> bool:
    """Whether markers at ``start`` and ``end`` would run into other markers or a literal marker character:
    ``**a***b*``, ``*\\**a*``."""
    inside = markdown[start + 2:end]
    after_sibling = start >= 2 and markdown[start - 2] == _CLOSE
    literal_next = markdown[start - 1:start] == char or markdown[end + 2:end + 3] == char
    return after_sibling or literal_next or inside.startswith("\\" + char) or inside.endswith(char)


def _char_at(markdown: str, index: int) -> str:
    """The character next to a marker: "" at either end; another marker (or its letter) counts as punctuation,
    since it becomes one (``*``, ``~``) or an HTML tag."""
    if not 0 <= index < len(markdown):
        return ""
    if markdown[index] in _MARKERS or (index > 0 and markdown[index - 1] in (_OPEN, _CLOSE)):
        return "*"
    return markdown[index]


def _can_open(before: str, first: str) -> bool:
    """Whether a run of markers between ``before`` and ``first`` can open emphasis and nothing else: it is
    left-flanking and not right-flanking (a run that could also close would be read either way)."""
    if not first or first.isspace():
        return False
    if not before or before.isspace():
        return True
    return _is_punctuation(before) and not _is_punctuation(first)


def _can_close(last: str, after: str) -> bool:
    """The mirror of :func:`_can_open`: right-flanking and not left-flanking."""
    return _can_open(after, last)


# --- the converter ---------------------------------------------------------------------------------------------

_HEADING_LEVEL = re.compile(r"h([1-6])")
_CONTAINERS = frozenset({"doc", "main", "div", "section", "article", "body", "span", "note"})


class _Converter:
    def __init__(self, base_url: str | None):
        self.base_url = base_url

    # blocks

    def blocks(self, container: etree._Element) -> list[MarkdownBlock]:
        found: list[MarkdownBlock] = []
        loose: list[etree._Element | str] = []  # inline content met between blocks
        if container.text and container.text.strip():
            loose.append(container.text)
        for child in container:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            block = self.block(child)
            if child.tag == "list" and found and found[-1].kind == "list" and not loose:
                block = [self.listing(child, alternate=not found[-1].markdown.startswith(("* ", "1) ")))]
            if block is None and child.tag not in _CONTAINERS:
                loose.append(child)
            else:
                found.extend(self._loose_paragraph(loose))
                loose = []
                found.extend(self.blocks(child) if block is None else block)
            if child.tail and child.tail.strip():
                loose.append(child.tail)
        found.extend(self._loose_paragraph(loose))
        return [block for block in found if block.markdown.strip()]

    def block(self, element: etree._Element) -> list[MarkdownBlock] | None:
        """The element's blocks, or None for inline content and containers (read by the caller)."""
        tag = element.tag
        if tag == "head":
            return [self.heading(element)]
        if tag == "p":
            return self.paragraph(element)
        if tag == "list":
            return [self.listing(element)]
        if tag == "quote":
            return [self.quote(element)]
        if tag == "table":
            return [self.table(element)]
        if tag == "code" and self._is_code_block(element):
            return [self.code_block(element)]
        if tag == "graphic":
            return [MarkdownBlock("image", self.image(element), element.get("alt", ""))]
        return None

    def _loose_paragraph(self, pieces: list[etree._Element | str]) -> list[MarkdownBlock]:
        if not pieces:
            return []
        wrapper = etree.Element("p")
        for piece in pieces:
            if isinstance(piece, str):
                _append_text(wrapper, piece)
            else:
                copy = deepcopy(piece)
                copy.tail = None
                wrapper.append(copy)
        return self.paragraph(wrapper)

    def heading(self, element: etree._Element) -> MarkdownBlock:
        match = _HEADING_LEVEL.fullmatch(element.get("rend", ""))
        level = int(match.group(1)) if match else 3
        inline = self.inline(element).replace(HARD_BREAK, " ")
        inline = re.sub(r"(^| )(#+)$", r"\1\\\2", inline)  # a closing run of #s would vanish
        markdown = "#" * min(level, 6) + " " + inline if inline else ""
        return MarkdownBlock("heading", markdown, _plain(element), level)

    def paragraph(self, element: etree._Element) -> list[MarkdownBlock]:
        if _only_images(element):
            return [MarkdownBlock("image", self.image(image), image.get("alt", "")) for image in element]
        markdown = escape_line_starts(self.inline(element, pipes=_has_break(element)))
        return [MarkdownBlock("paragraph", markdown, _plain(element))]

    def listing(self, element: etree._Element, alternate: bool = False) -> MarkdownBlock:
        """A list; ``alternate`` markers (``*``, ``1)``) keep it apart from a list just before it."""
        ordered = element.get("rend", "").startswith("ol")
        items = [markdown for markdown in map(self.item, (c for c in element if c.tag == "item")) if markdown]
        lines = []
        for number, markdown in enumerate(items, start=1):
            marker = (f"{number})" if alternate else f"{number}.") if ordered else ("*" if alternate else "-")
            lines.append(_indent_after_first(marker + " ", markdown))
        return MarkdownBlock("list", "\n".join(lines), _plain(element))

    def item(self, item: etree._Element) -> str:
        """An item's Markdown: its inline text, then any nested lists, paragraphs or quotes."""
        parts, inline = [], etree.Element("p")
        _append_text(inline, item.text)
        for child in item:
            nested = self.block(child) if child.tag in ("list", "p", "quote", "table", "code") else None
            if nested is None:
                inline.append(deepcopy(child))
                continue
            parts.append(escape_line_starts(self.inline(inline, pipes=_has_break(inline))))
            parts.extend(block.markdown for block in nested)
            inline = etree.Element("p")
            _append_text(inline, child.tail)
        parts.append(escape_line_starts(self.inline(inline, pipes=_has_break(inline))))
        return "\n\n".join(part for part in parts if part.strip()) or ""

    def quote(self, element: etree._Element) -> MarkdownBlock:
        text = "\n\n".join(block.markdown for block in self.blocks(element))
        quoted = "\n".join("> " + line if line else ">" for line in text.split("\n")) if text else ""
        return MarkdownBlock("quote", quoted, _plain(element))

    def table(self, element: etree._Element) -> MarkdownBlock:
        rows = [[self.cell(cell) for cell in row if cell.tag == "cell"] for row in element.iter("row")]
        rows = [row for row in rows if row]
        if not rows:
            return MarkdownBlock("table", "", "")
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return MarkdownBlock("table", "\n".join(lines), _plain(element))

    def cell(self, cell: etree._Element) -> str:
        return self.inline(cell, pipes=True).replace(HARD_BREAK, "<br>")

    def code_block(self, element: etree._Element) -> MarkdownBlock:
        code = "".join(element.itertext()).strip("\n")
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return MarkdownBlock("code", f"{fence}\n{code}\n{fence}", code)

    @staticmethod
    def _is_code_block(element: etree._Element) -> bool:
        return "\n" in "".join(element.itertext()).strip() or element.getparent().tag in _CONTAINERS

    # inline

    def inline(self, element: etree._Element, pipes: bool = False) -> str:
        """The element's content as one line of Markdown (hard breaks aside), spaces collapsed."""
        markdown = re.sub(r" {2,}", " ", self._content(element, False, pipes))
        markdown = re.sub(r" ?\\\n ?", lambda _: HARD_BREAK, markdown).strip(" ")
        while markdown.endswith(HARD_BREAK):
            markdown = markdown[:-len(HARD_BREAK)].rstrip(" ")
        while markdown.startswith(HARD_BREAK):
            markdown = markdown[len(HARD_BREAK):].lstrip(" ")
        return _resolve_code_spans(_resolve_emphasis(markdown))

    def _content(self, element: etree._Element, in_link: bool, pipes: bool) -> str:
        """The element's text and children (not its tail) as Markdown, outer spaces kept."""
        pieces = [self._text(element.text, in_link, pipes)]
        for child in element:
            if isinstance(child.tag, str):
                piece = self._inline_element(child, in_link, pipes)
                if _SENTINELS_AT_START.sub("", piece).startswith("["):
                    pieces = [_without_image_bang("".join(pieces))]
                pieces.append(piece)
            pieces.append(self._text(child.tail, in_link, pipes))
        return "".join(pieces)

    def _text(self, text: str | None, in_link: bool, pipes: bool) -> str:
        if not text:
            return ""
        return escape_text(_without_sentinels(re.sub(r"\s+", " ", text)), in_link=in_link, pipes=pipes)

    def _inline_element(self, element: etree._Element, in_link: bool, pipes: bool) -> str:
        tag = element.tag
        if tag == "lb":
            return HARD_BREAK
        if tag == "graphic":
            return self.image(element)
        if tag == "ref" and not in_link:
            return self.link(element, pipes)
        if _is_code_span(element):
            return _code_span("".join(element.itertext()))
        inner = self._content(element, in_link, pipes)
        if tag == "del":
            return _emphasis("s", inner)
        if tag == "hi":
            return self._formatted(element.get("rend", ""), inner)
        if tag in ("p", "head", "list", "item", "quote", "row", "cell"):
            return f" {inner} "  # a block where only a line fits: its words kept apart
        return inner

    @staticmethod
    def _formatted(rend: str, inner: str) -> str:
        if rend == "#b":
            return _emphasis("b", inner)
        if rend == "#i":
            return _emphasis("i", inner)
        if rend in ("#sub", "#sup"):
            return f"<{rend[1:]}>{inner}</{rend[1:]}>" if inner.strip() else inner
        return inner  # underline and unknown styles: the words alone

    def link(self, element: etree._Element, pipes: bool) -> str:
        text = self._content(element, True, pipes)
        url = self.absolute(element.get("target", ""))
        if not text.strip():
            return text
        if not url or urlsplit(url).scheme.lower() not in _LINK_SCHEMES:
            return self._content(element, False, pipes)
        lead = text[:len(text) - len(text.lstrip(" "))]
        trail = text[len(text.rstrip(" ")):]
        return f"{lead}[{text.strip(' ')}]({_destination(url)}){trail}"

    def image(self, element: etree._Element) -> str:
        src = self.absolute(element.get("src", ""))
        if not src:
            return ""
        alt = escape_text(re.sub(r"\s+", " ", element.get("alt", "")).strip(), in_link=True)
        title = re.sub(r"\s+", " ", element.get("title", "")).strip()
        title = _ENTITY_LIKE.sub("\\\\&", title.replace("\\", "\\\\").replace('"', '\\"'))
        title_part = f' "{title}"' if title else ""
        return f"![{alt}]({_destination(src)}{title_part})"

    def absolute(self, url: str) -> str:
        url = url.strip()
        if not url or not self.base_url:
            return url
        return urljoin(self.base_url, url)


# --- helpers -----------------------------------------------------------------------------------------------------

def _append_text(element: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _indent_after_first(marker: str, markdown: str) -> str:
    lines = markdown.split("\n")
    pad = " " * len(marker)
    return marker + lines[0] + "".join("\n" + (pad + line if line else "") for line in lines[1:])


def _plain(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _has_break(element: etree._Element) -> bool:
    return any(True for _ in element.iter("lb"))


def _only_images(element: etree._Element) -> bool:
    images = [child for child in element if child.tag == "graphic"]
    others = [child for child in element if child.tag not in ("graphic", "lb")]
    texts = [element.text] + [child.tail for child in element]
    return bool(images) and not others and not any(text and text.strip() for text in texts)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(run) for run in runs), default=0)


def _code_span(code: str) -> str:
    """A code span, marked until its neighbours are known; spaces at its ends go outside it (Markdown would
    trim them)."""
    code = _without_sentinels(re.sub(r"\s+", " ", code))
    stripped = code.strip(" ")
    if not stripped:
        return code
    lead = " " if code.startswith(" ") else ""
    trail = " " if code.endswith(" ") else ""
    return f"{lead}{_CODE_OPEN}{stripped}{_CODE_CLOSE}{trail}"


def _resolve_code_spans(markdown: str) -> str:
    """Marked code spans → backticks, or HTML right after a backtick (two runs of backticks would merge)."""
    out: list[str] = []
    position = 0
    for match in _MARKED_CODE.finditer(markdown):
        out.append(markdown[position:match.start()])
        code = match.group(1)
        if "".join(out).endswith("`"):
            out.append("<code>" + escape_text(code, in_link=True) + "</code>")
        else:
            ticks = "`" * (_longest_run(code, "`") + 1)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            out.append(f"{ticks}{pad}{code}{pad}{ticks}")
        position = match.end()
    out.append(markdown[position:])
    return "".join(out)


def _is_code_span(element: etree._Element) -> bool:
    return element.tag == "code" or (element.tag == "hi" and element.get("rend") == "#t")


def _without_sentinels(text: str) -> str:
    return text.translate(_NO_SENTINELS)


_SENTINELS_AT_START = re.compile(f"^(?:[{_OPEN}{_CLOSE}].)+")
_BANG_AT_END = re.compile(f"(?<!\\\\)((?:\\\\\\\\)*)!((?:[{_OPEN}{_CLOSE}].)*)$")


def _without_image_bang(markdown: str) -> str:
    """Markdown ending with "!" escaped, when a link follows (``![`` would make it an image)."""
    return _BANG_AT_END.sub(lambda m: m.group(1) + "\\!" + m.group(2), markdown)


def _destination(url: str) -> str:
    """A link destination Markdown reads back unchanged: spaces, brackets and parentheses percent-encoded."""
    table = {" ": "%20", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29", "\\": "%5C", "\n": ""}
    return re.sub(r"&(?=#?[0-9A-Za-z]+;)", "%26", "".join(table.get(char, char) for char in url))
