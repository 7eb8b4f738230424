"""Template code in the Markdown bodies of other generators (Hugo, Jekyll, Eleventy, Pelican) → Markdown.

briefgen never runs template code. :func:`convert_template_code` reads it as text and turns each piece into its
Markdown equivalent (an image, a link, a fenced code block, a block quote), or keeps it visibly as inline code when
there is none, so that nothing is lost without a count. It is pure and reads every body once per kind of syntax.

How a body is read:

1. Code is set aside first and never converted: fenced and indented code blocks, inline code spans, and the
   content of Liquid ``{% raw %}`` regions (whose markers are removed). The escapes that authors used to show
   template code *inside* code (``{% raw %}…{% endraw %}``, Hugo's ``{{</* name */>}}``) are undone there, since
   the original site showed the code without them.
2. kramdown extensions (``{::comment}``, ``{::options /}``, ``{::nomarkdown}``) are handled.
3. Hugo shortcodes and Liquid/Nunjucks tags and outputs are read in document order into a small tree (paired
   shortcodes, ``comment``, ``highlight`` and ``capture`` blocks) and rendered innermost first. Liquid variables
   given a plain literal by ``assign``/``capture``/``set`` are substituted where they are used; values of the
   page (``{{ page.title }}``, ``{{< param "x" >}}``) come from the article's front matter.
4. Pelican's ``{filename}``/``{static}``/``{attach}`` link targets are resolved; kramdown attribute lists
   (``{:.class}``, ``{:#id}``, ``{:toc}`` with its placeholder list) and ``{#id}`` after headings are removed.

Every piece is counted: ``converted`` when it became Markdown (or was removed as having no meaning here, such as an
attribute list or an ``assign``), ``kept`` when it is shown as inline code or, being malformed, left as it was.

Links to other pages (Hugo ``ref``/``relref``, Liquid ``link``/``post_url``, a Markdown file path given to an
unknown shortcode in a link target) become ``../<slug>/``: the address of a sibling briefing, whose slug is the one
briefgen gives a file of that name (date prefix and extension dropped; ``_index.md`` names its folder).
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, Union

from briefgen.slugs import slug_from_filename

__all__ = ["Converted", "convert_template_code", "ref_target"]


@dataclass(frozen=True)
class Converted:
    body: str
    converted: int  # pieces turned into Markdown equivalents
    kept: int  # pieces with no Markdown equivalent, kept visibly
    kinds: tuple[str, ...]  # sorted distinct names seen, for the import report


# ---------------------------------------------------------------------------------------------------------------
# Patterns

_MARKERS = ("{{", "{%", "{:", "{#", "{.", "{filename}", "{static}", "{attach}", "|filename|", "|static|", "|attach|")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_NEWLINES = re.compile(r"[ \t]*\r?\n\s*")
_BRACE = re.compile(r"\{[{%]")
_TAG_PART = re.compile(r'"(?:[^"{}%]|\{(?![{%])|\}(?!\})|%(?!\}))*"|[^"%>}{]+|.', re.S)
_CLOSERS = {"{{<": (">}}", "%}}"), "{{%": ("%}}", ">}}"), "{%": ("%}",), "{{": ("}}",)}

_FENCE = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>[ \t]?)*")
_LIST_ITEM = re.compile(r"([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FOOTNOTE_DEF = re.compile(r"[ \t]*\[\^[^\]\n]+\]:")
_DEFINITION_LINE = re.compile(r"[ \t]*\{%-?\s*(?:assign|capture|set|comment)\b.*%\}[ \t]*$")  # outputs nothing

_INLINE = re.compile(r"[`\\{]")  # one character class: alternatives would make every search slow
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}")
_TICKS = re.compile(r"`+")
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_SIMPLE_SPAN = re.compile(r"(`+)[^`].*?\1")
_HIDDEN_OPEN = re.compile(r"\{%-?\s*(comment|raw)\s*-?%\}")
_HIDDEN_END = {"comment": re.compile(r"\{%-?\s*endcomment\s*-?%\}"), "raw": _ENDRAW}
_RAW_PAIR = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_HUGO_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

_KRAMDOWN_BLOCK = re.compile(r"\{::(comment|nomarkdown)\b[^}\n]*\}(.*?)\{:/(?:\1)?\}", re.S)
_KRAMDOWN_EMPTY = re.compile(r"(^[ \t]*)?\{::(\w+)[^}\n]*/\}(?(1)[ \t]*(?:\n|$))", re.M)  # with its line if alone
_TOC_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+[^\n]*\n[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$\n?", re.M)
_IAL = re.compile(r"[ \t]*\{:(?!:)[^}\n]*\}")
_HEADING_ATTRIBUTES = re.compile(r"^([ \t]{0,3}#{1,6}[ \t].*?)[ \t]+\{[#.][^}\n]*\}[ \t]*$", re.M)
_IAL_LINE = re.compile(r"[ \t]*(?:\{:(?!:)[^}\n]*\}[ \t]*)+")

_SHORTCODE = re.compile(r"\{\{[<%]\s*(?P<close>/)?\s*(?P<name>\w[\w.\-/]*)(?P<args>.*?)\s*(?P<self>/)?\s*[>%]\}\}",
                        re.S)
_LIQUID = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}", re.S)
_ARG = re.compile(r"""\s*,?\s*(?:([\w-]+)\s*(?:=|:(?=\s))\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`,]+)""")
_ASSIGN = re.compile(r"""\s*([\w-]+)\s*=\s*("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|true|false)\s*""")
_OUTPUT = re.compile(r"""\s*("[^"]*"|'[^']*'|[\w.\-\[\]]+)\s*((?:\|.*)?)""", re.S)
_FILTER = re.compile(r"""\s*(\w+)\s*(?::\s*("[^"]*"|'[^']*'|[^,|]+))?""")
_LINK_CONTEXT = re.compile(r"""(?:\]\(\s*<?|\b(?:href|src)\s*=\s*["']?|^\s*\[[^\]]+\]:\s*)$""")
_OCTOPRESS_IMG = re.compile(r"\s*(?:[\w-]+\s+)*?(?P<src>(?:https?:/)?/\S+|\S+\.\w{2,5})(?:\s+\d+%?){0,2}(?P<rest>.*)",
                            re.S)
_PELICAN_LINK = re.compile(r"""(\]\(\s*<?|\b(?:href|src)\s*=\s*["']|^[ \t]*\[[^\]\n]+\]:[ \t]*)"""
                           r"""(?:\{(filename|static|attach)\}|\|(filename|static|attach)\|)([^\s)"'>]+)""", re.M)
_BLOCK_START = re.compile(r"\s*(?:[#>|<\x00]|[-*+](?:\s|$)|\d+[.)](?:\s|$)|`{3}|~{3}|\[\^)")
_CONTENT_INDENT = re.compile(r"[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)?")

# ---------------------------------------------------------------------------------------------------------------
# What each name means

IMAGE_WORDS = frozenset({"figure", "img", "image"})  # a shortcode named so, or with one as a part: legacy-img
ADMONITIONS = frozenset({"note", "warning", "tip", "alert", "callout", "admonition", "box", "notice", "info",
                         "caution", "important", "danger", "hint"})
TYPED_ADMONITIONS = frozenset({"alert", "callout", "admonition", "notice"})  # their first argument is the type
DISCLOSURES = frozenset({"details", "collapse"})
LINK_TAGS = frozenset({"ref", "relref"})
INCLUDE_TAGS = frozenset({"include", "include_relative", "render"})
LIQUID_PAIRS = frozenset({"comment", "highlight", "capture", "set"})
# standard filters that change only how a value looks (a URL prefix, escaping, a date format, a shortening): the
# value stands for them. Any other filter (a count, a sort, a site's own filter) keeps the output visibly.
LOOKS_FILTERS = frozenset({"url", "relative_url", "absolute_url", "escape", "escape_once", "xml_escape", "e", "safe",
                           "strip", "lstrip", "rstrip", "trim", "strip_html", "striptags", "strip_newlines",
                           "normalize_whitespace", "markdownify", "smartify", "date", "date_to_string",
                           "date_to_long_string", "date_to_xmlschema", "date_to_rfc822", "truncate", "truncatewords",
                           "join", "array_to_sentence_string"})
CASE_FILTERS = {"upcase": str.upper, "upper": str.upper, "downcase": str.lower, "lower": str.lower,
                "capitalize": str.capitalize}
PATH_KEYS = ("src", "file", "path", "href", "url", "link")
LOOK_BACK = 2000  # characters of the output read back to learn where a tag stands on its line
MAX_NESTING = 64  # paired tags deeper than this stand alone (and the rendering stays shallow)
PAGE_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".html", ".htm", ".adoc", ".rst", ".org", ".txt"})


class _Tag(NamedTuple):
    syntax: str  # "shortcode", "liquid", "output" ({{ … }}), "escaped" ({{</* … */>}}) or "unknown"
    name: str
    args: str  # the text after the name, as written
    source: str  # the whole tag, as written
    closing: bool
    start: int  # where the tag starts and ends in the text being read
    end: int


class _Pair(NamedTuple):
    open: _Tag
    children: list
    close: _Tag


class _Block(NamedTuple):
    text: str  # Markdown that stands as its own block, on its own lines


_Node = Union[str, _Tag, _Pair]


class _Args:
    """Arguments of a shortcode or tag: positional ones in order, named ones by lower-case key."""

    def __init__(self, text: str) -> None:
        self.positional: list[str] = []
        self.named: dict[str, str] = {}
        pos = 0
        while (match := _ARG.match(text, pos)) and match.end() > pos:
            value = _unquote(match.group(2))
            if match.group(1):
                self.named[match.group(1).lower()] = value
            else:
                self.positional.append(value)
            pos = match.end()

    def get(self, key: str, index: int | None = None, default: str = "") -> str:
        if key in self.named:
            return self.named[key]
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return default


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1]
        return re.sub(r'\\(["\\])', r"\1", value) if value and "\\" in value else value
    return value


# ---------------------------------------------------------------------------------------------------------------
# Small Markdown builders


def _one_line(text: str) -> str:
    return _NEWLINES.sub(" ", text.strip())


def _code_span(text: str) -> str:
    """``text`` on one line as an inline code span, with enough backticks around it."""
    text = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fenced(code: str, language: str = "") -> str:
    code = code.strip("\n")
    longest = max((len(run) for run in re.findall(r"^[ \t]*(`{3,})", code, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def _link_text(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", _one_line(text))


def _destination(url: str) -> str:
    url = _one_line(url)
    if not url or re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _image(src: str, alt: str = "", title: str = "") -> str:
    title = _one_line(title).replace('"', '\\"')
    title = f' "{title}"' if title else ""
    return f"![{_link_text(alt)}]({_destination(src)}{title})"


def _link(text: str, url: str) -> str:
    return f"[{_link_text(text)}]({_destination(url)})"


def _html_comment(text: str) -> str:
    text = text.strip()
    if text.startswith("<!--") and text.endswith("-->") and "--" not in text[4:-3]:
        return text  # already a comment
    return "<!-- " + re.sub(r"-(?=-)", "- ", text).rstrip("-") + " -->"


@lru_cache(maxsize=4096)
def ref_target(path: str) -> str:
    """The address of the briefing another page's path stands for: ``../<slug>/``, keeping any ``#anchor``."""
    path, _, anchor = path.strip().partition("#")
    anchor = "#" + anchor if anchor else ""
    path = path.strip().rstrip("/")
    if not path:
        return anchor or "./"
    stem, extension = posixpath.splitext(posixpath.basename(path))
    if extension.lower() not in PAGE_EXTENSIONS:
        stem += extension
    if stem in ("_index", "index"):
        stem = posixpath.basename(posixpath.dirname(path))
    slug = slug_from_filename(stem) if stem else ""
    return f"../{slug}/{anchor}" if slug else anchor or "./"


def _is_page_path(path: str) -> bool:
    return posixpath.splitext(path.split("#")[0].rstrip("/"))[1].lower() in PAGE_EXTENSIONS


def _plain(value: Any) -> str | None:
    """A front-matter value as plain text, or None when it has none (missing, a mapping)."""
    if value is None or isinstance(value, Mapping):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        parts = [_plain(item) for item in value]
        return None if None in parts else ", ".join(parts)  # type: ignore[arg-type]
    return _one_line(str(value))


def _lookup(page: Mapping[str, Any], dotted: str) -> str | None:
    value: Any = page
    for key in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        if key in value:
            value = value[key]
            continue
        folded = {str(k).lower(): v for k, v in value.items()}
        if key.lower() not in folded:
            return None
        value = folded[key.lower()]
    return _plain(value)


def _lookup_param(page: Mapping[str, Any], dotted: str) -> str | None:
    """A front-matter value, at the top or (as newer Hugo sites write them) under ``params``."""
    value = _lookup(page, dotted)
    return _lookup(page, "params." + dotted) if value is None else value


# ---------------------------------------------------------------------------------------------------------------
# Output bookkeeping: what has been written on the current line


def _current_line(out: list[str]) -> str:
    """What has been written on the current line; of a very long one, its end after "…" (not its start)."""
    parts, size = [], 0
    for piece in reversed(out):
        if "\n" in piece:
            parts.append(piece.rsplit("\n", 1)[1])
            break
        parts.append(piece)
        size += len(piece)
        if size > LOOK_BACK:
            parts.append("…")
            break
    return "".join(reversed(parts))


def _previous_line_blank(out: list[str]) -> bool:
    """Whether the line before the current one is blank (or there is none)."""
    parts, newlines, size = [], 0, 0
    for piece in reversed(out):
        parts.append(piece)
        newlines += piece.count("\n")
        size += len(piece)
        if newlines >= 2 or size > LOOK_BACK:
            break
    lines = "".join(reversed(parts)).split("\n")
    if len(lines) < 2:
        return size <= LOOK_BACK  # the start of the text, unless the look back stopped short of it
    return not lines[-2].strip()


def _drop_tail(out: list[str], count: int) -> None:
    while count and out:
        last = out.pop()
        if len(last) > count:
            out.append(last[:-count])
            return
        count -= len(last)


def _indent(text: str, prefix: str) -> str:
    empty = prefix.rstrip()
    return "\n".join(prefix + line if line.strip() else empty for line in text.split("\n"))


def _after_block(text: str, indent: str) -> str:
    """The text that follows a block, starting after a blank line."""
    stripped = text.lstrip(" \t")
    if not stripped:
        return text
    if not stripped.startswith("\n"):
        return "\n\n" + indent + stripped
    rest = stripped[1:]
    return "\n\n" + rest if rest.split("\n", 1)[0].strip() else stripped


# ---------------------------------------------------------------------------------------------------------------
# The conversion of one body


class _Conversion:
    def __init__(self, page: Mapping[str, Any] | None) -> None:
        self.page: Mapping[str, Any] = page or {}
        self.store: list[str] = []
        self.converted = 0
        self.kept = 0
        self.kinds: set[str] = set()
        self.variables: dict[str, str] = {}
        self.opened: set[str] = set()  # Liquid block tags met: their end tags are part of the same piece
        self.unmatched: dict[int, int] = {}  # backtick run length (0: raw) → a position after which none closes
        self.text = ""  # the text whose tags are being rendered (pairs take their inner source from it)

    # bookkeeping ------------------------------------------------------------------------------------------------

    def count(self, kind: str, kept: bool = False) -> None:
        self.kinds.add(kind)
        if kept:
            self.kept += 1
        else:
            self.converted += 1

    def count_many(self, kind: str, number: int) -> None:
        if number:
            self.kinds.add(kind)
            self.converted += number

    def mask(self, text: str) -> str:
        """``text`` set aside line by line: later steps see only placeholders (and the line breaks)."""
        return "\n".join(self._mask_line(line) for line in text.split("\n"))

    def _mask_line(self, line: str) -> str:
        if not line.strip():
            return line
        self.store.append(line)
        return f"\x00{len(self.store) - 1}\x00"

    def restore(self, text: str) -> str:
        while "\x00" in text:
            text = _PLACEHOLDER.sub(lambda m: self.store[int(m.group(1))], text)
        return text

    def touching(self, before: str, after: str) -> bool:
        """Whether ``after`` written right after ``before`` would join two code spans into one broken span."""
        return bool(before and after) and self.restore(before).endswith("`") and self.restore(after).startswith("`")

    def joined(self, *pieces: str) -> str:
        text = ""
        for piece in pieces:
            text += (" " if self.touching(text, piece) else "") + piece
        return text

    def visible(self, source: str, kind: str, line: str = "", count: bool = True) -> str:
        """Template code kept as it was written, as inline code (one line; pipes escaped in a table row)."""
        if count:
            self.count(kind, kept=True)
        span = _code_span(source)
        if line.lstrip().startswith("|"):
            span = span.replace("|", "\\|")
        return self.mask(span)

    # 1. code is set aside -----------------------------------------------------------------------------------------

    def mask_code_blocks(self, text: str) -> str:
        """Set aside fenced and indented code blocks (in block quotes, only fenced ones), line by line."""
        lines = text.split("\n")
        columns: list[int] = []  # content columns of the list items (and footnotes) still open
        index, previous_blank = 0, True
        hidden: re.Pattern | None = None  # the end of the Liquid comment or raw region the line is in
        while index < len(lines):
            line = lines[index]
            inside = hidden is not None
            if inside or "{%" in line:  # Liquid removed these regions before Markdown saw their lines
                hidden = _hidden_region(line, hidden)
                inside = inside or hidden is not None
            if inside or not line or line[0] not in _SPECIAL_STARTS:  # most lines: blank, or text at the margin
                if line and previous_blank and not inside:
                    columns.clear()
                previous_blank = not line.strip()
                index += 1
                continue
            if not previous_blank and line[0] == " " and line.lstrip(" ")[:1] not in _SPECIAL_STARTS:
                index += 1  # an indented line that continues a paragraph: it starts nothing
                continue
            index, previous_blank = self._block_line(lines, index, columns, previous_blank)
        return "\n".join(lines)

    def _block_line(self, lines: list[str], index: int, columns: list[int], previous_blank: bool) -> tuple[int, bool]:
        """Read the line at ``index``: code starts there, or it may open or close list items."""
        line = lines[index]
        quoted = _QUOTE_PREFIX.match(line).end() if line.lstrip(" \t").startswith(">") else 0
        content = line[quoted:]
        stripped = content.lstrip(" \t")
        if not stripped:
            return index + 1, True
        width = _width(content, stripped)
        base = columns[-1] if columns and not quoted else 0
        fence = _FENCE.fullmatch(content) if stripped[:3] in ("```", "~~~") else None
        if fence and width < base + 4 and not (fence["fence"][0] == "`" and "`" in fence["info"]):
            return self._fenced_block(lines, index, fence["fence"]), False
        if width >= base + 4 and previous_blank and not quoted:
            return self._indented_block(lines, index, base + 4), False
        if not quoted:
            _track_lists(content, width, previous_blank, columns)
        return index + 1, False

    def _fenced_block(self, lines: list[str], start: int, fence: str) -> int:
        closing = re.compile(rf"(?:[ \t]*>[ \t]?)*[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        end = start + 1
        while end < len(lines) and not closing.fullmatch(lines[end]):
            end += 1
        end = min(end + 1, len(lines))  # an unclosed fence runs to the end, as in CommonMark
        lines[start:end] = self.mask(self._unescape_code("\n".join(lines[start:end]))).split("\n")
        return end

    def _indented_block(self, lines: list[str], start: int, width: int) -> int:
        end = start
        while end < len(lines) and (not lines[end].strip() or _width(lines[end], lines[end].lstrip()) >= width):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        block = lines[start:end]
        if not all(not line.strip() or _DEFINITION_LINE.match(line) for line in block):
            lines[start:end] = self.mask(self._unescape_code("\n".join(block))).split("\n")
        # else: Liquid definitions indented for alignment, which left nothing for Markdown to see: not code
        return end

    def _unescape_code(self, code: str) -> str:
        """Undo the escapes that made template code show literally in the original site."""
        if "{" not in code:
            return code

        def raw(match: re.Match) -> str:
            self.count("raw")
            return match.group(1)

        def hugo(match: re.Match) -> str:
            name = re.match(r"\s*/?\s*([\w.\-/]*)", match.group(2)).group(1)
            self.count(name or "shortcode")
            return "{{" + match.group(1) + match.group(2) + match.group(3) + "}}"

        return _HUGO_ESCAPED.sub(hugo, _RAW_PAIR.sub(raw, code))

    def mask_inline(self, text: str) -> str:
        """Set aside code spans and raw regions, skipping over template tags (their arguments may hold backticks)."""
        out, pos, done = [], 0, 0
        while match := _INLINE.search(text, pos):
            start, char = match.start(), match.group()
            if char == "\\":
                pos = start + 2  # an escaped backtick opens no code span
            elif char == "`":
                ticks = _TICKS.match(text, start).end()
                end = self._code_span_end(text, ticks, ticks - start)
                if end is not None:
                    out += [text[done:start], self.mask(self._unescape_code(text[start:end]))]
                    done = end
                pos = end or ticks
            elif (raw := _RAW.match(text, start)) and (end_raw := self._end_of_raw(text, raw.end())):
                self.count("raw")
                out += [text[done:start], self.mask(text[raw.end():end_raw.start()])]
                pos = done = end_raw.end()
            elif opener := _opener(text, start):
                pos = _tag_end(text, start, opener) or start + len(opener)
            else:
                pos = start + 1
        out.append(text[done:])
        return "".join(out)

    def _end_of_raw(self, text: str, start: int) -> re.Match | None:
        if self.unmatched.get(0, len(text)) <= start:  # (0: raw regions) none ends later
            return None
        end = _ENDRAW.search(text, start)
        if not end:
            self.unmatched[0] = start
        return end

    def _code_span_end(self, text: str, start: int, length: int) -> int | None:
        """The end of the code span whose opening backticks end at ``start``; None when they open none."""
        if self.unmatched.get(length, len(text)) <= start:
            return None  # no run of this length comes later: searching again would read to the end once more
        closing = _closing_ticks(length).search(text, start)
        if not closing:
            self.unmatched[length] = start
            return None
        return None if _BLANK_LINE.search(text, start, closing.start()) else closing.end()

    # 2. kramdown extensions ---------------------------------------------------------------------------------------

    def kramdown_extensions(self, text: str) -> str:
        if "{::" not in text:
            return text

        def block(match: re.Match) -> str:
            self.count("kramdown-" + match.group(1))
            if match.group(1) == "comment":
                return self.mask(_html_comment(self.restore(match.group(2))))
            return match.group(2)

        def empty(match: re.Match) -> str:
            self.count("kramdown-" + match.group(2))
            return ""

        return _KRAMDOWN_EMPTY.sub(empty, _KRAMDOWN_BLOCK.sub(block, text))

    # 3. templates: read into a tree, then rendered ----------------------------------------------------------------

    def read_tags(self, text: str) -> list[_Node]:
        """The text and the template tags in it, in order, with paired tags joined into a tree."""
        nodes: list[_Node] = []
        pos = done = 0
        while match := _BRACE.search(text, pos):
            start = match.start()
            opener = _opener(text, start)
            end = _tag_end(text, start, opener)
            if end is None:
                self._unclosed(text, start + len(opener), opener)  # left as it is, as text
                pos = start + len(opener)
                continue
            nodes.append(text[done:start])
            nodes.append(self._tag(text, start, end, opener))
            pos = done = end
        nodes.append(text[done:])
        return _build_tree(nodes)

    def _unclosed(self, text: str, after: int, opener: str) -> None:
        if opener == "{{":
            return  # doubled braces are common in prose; only the block openers are template code for sure
        name = re.match(r"\s*/?\s*([\w.\-/]+)", text[after:after + 60])
        self.count(name.group(1) if name else "unclosed", kept=True)

    def _tag(self, text: str, start: int, end: int, opener: str) -> _Tag:
        source = self.restore(text[start:end])
        if opener in ("{{<", "{{%"):
            if _HUGO_ESCAPED.fullmatch(source):
                return _Tag("escaped", "", "", source, False, start, end)
            match = _SHORTCODE.fullmatch(source)
            if match:
                args = match.group("args") + (match.group("self") or "")
                closing = bool(match.group("close"))
                return _Tag("shortcode", match.group("name"), args, source, closing, start, end)
        elif opener == "{%":
            match = _LIQUID.fullmatch(source)
            if match:
                name = match.group("name")
                return _Tag("liquid", name, match.group("args"), source, name.startswith("end"), start, end)
        else:
            return _Tag("output", "variable", source[2:-2], source, False, start, end)
        return _Tag("unknown", "unknown", "", source, False, start, end)

    def render(self, nodes: list[_Node]) -> str:
        """The Markdown for ``nodes``; blocks go on lines of their own, a tag that leaves nothing takes its line."""
        out: list[str] = []
        pending: str | None = None  # the indentation of the block just written, when one was
        line_gone = False  # a tag alone on its line left nothing: its line break goes too
        for index, node in enumerate(nodes):
            if isinstance(node, str):
                if line_gone:
                    node = re.sub(r"^[ \t]*\n?", "", node, count=1)
                out.append(node if pending is None else _after_block(node, pending))
                pending, line_gone = None, False
                continue
            if pending is not None:
                out.append("\n\n" + pending)
                pending = None
            following = nodes[index + 1] if index + 1 < len(nodes) else ""
            rest = following.split("\n", 1)[0] if isinstance(following, str) else "…"
            line = _current_line(out)
            result = self.node(node, line, rest)
            if isinstance(result, _Block):
                pending = _place_block(out, line, result.text)
            elif not result and not rest.strip() and isinstance(following, str):
                _drop_tail(out, len(line) - len(line.rstrip()) if line.strip() else len(line))
                line_gone = not line.strip()
            else:
                if out and self.touching(out[-1], result):
                    out.append(" ")
                out.append(result)
        return "".join(out)

    def node(self, node: _Node, line: str, rest: str) -> str | _Block:
        if isinstance(node, _Pair):
            if node.open.syntax == "shortcode":
                return self.shortcode_pair(node, line)
            return self.liquid_pair(node, line)
        if node.syntax == "shortcode":
            return self.shortcode(node, line)
        if node.syntax == "liquid":
            return self.liquid(node, line, rest)
        if node.syntax == "output":
            return self.output(node, line)
        if node.syntax == "escaped":  # written to show a shortcode: shown, as code
            return self.mask(_code_span(self._unescape_code(node.source)))
        return self.visible(node.source, "unknown", line)

    # Hugo shortcodes -------------------------------------------------------------------------------------------------

    def shortcode(self, tag: _Tag, line: str) -> str | _Block:
        args = _Args(tag.args.rstrip().rstrip("/"))
        name = tag.name.lower()
        if tag.closing:
            return self.visible(tag.source, name, line)
        result = self._known_shortcode(name, args)
        if result is None:
            return self._unknown_shortcode(tag, args, line)
        self.count(name)
        return result

    def _known_shortcode(self, name: str, args: _Args) -> str | _Block | None:
        if name in LINK_TAGS:
            target = args.get("path", 0)
            return self.mask(ref_target(target)) if target else None
        if name == "param":
            key = args.get("name", 0)
            value = _lookup_param(self.page, key) if key else None
            return None if value is None else self.mask(value)
        if IMAGE_WORDS.intersection(name.split("-")):
            return self._figure(args)
        embed = _embed(name, args)
        return None if embed is None else self.mask(embed)

    def _figure(self, args: _Args) -> str | _Block | None:
        src = args.get("src", 0)
        if not src:
            return None
        image = _image(src, args.get("alt", 1), args.get("title"))
        if args.get("link"):
            image = f"[{image}]({_destination(args.get('link'))})"
        caption = _one_line(args.get("caption"))
        attribution = _one_line(args.get("attr"))
        if attribution and args.get("attrlink"):
            attribution = _link(attribution, args.get("attrlink"))
        caption = " — ".join(part for part in (caption and f"*{caption}*", attribution) if part)
        if not caption:
            return self.mask(image)
        return _Block(self.mask(image) + "\n" + self.mask(caption))

    def _unknown_shortcode(self, tag: _Tag, args: _Args, line: str) -> str:
        named = [args.named[key] for key in PATH_KEYS if key in args.named]
        target = named[0] if named else args.get("", 0)
        if target and _LINK_CONTEXT.search(line) and re.fullmatch(r"[^\s<>\"']+", target):
            self.count(tag.name.lower())  # in a link target: the page or file it names is what the link wants
            return self.mask(ref_target(target) if _is_page_path(target) else target)
        return self.visible(tag.source, tag.name.lower(), line)

    def shortcode_pair(self, pair: _Pair, line: str) -> str | _Block:
        name, args = pair.open.name.lower(), _Args(pair.open.args)
        if name == "highlight":
            return self._highlight(pair, args.get("lang", 0), line)
        inner = self.render(pair.children)
        if name in ADMONITIONS:
            self.count(name)
            return _Block(_admonition(name, args, _dedent(inner)))
        if name in DISCLOSURES:
            self.count(name)
            summary = args.get("summary", None, args.get("title", 0))
            body = _dedent(inner)
            return _Block(f"**{_one_line(summary)}**\n\n{body}" if summary else body)
        known = self._known_shortcode(name, args)
        if known is not None:  # a shortcode that needs no inner text, given some: both are kept
            self.count(name)
            return _Block(known.text + "\n\n" + _dedent(inner)) if isinstance(known, _Block) else known + inner
        return self._unknown_pair(pair, inner, line)

    def _highlight(self, pair: _Pair, language: str, line: str) -> str | _Block:
        code = self.restore(self._source_between(pair))
        self.count(pair.open.name.lower())
        if not language and "\n" not in code.strip("\n") and line.strip():
            return code  # a marker around words in a sentence, not code: the words stay
        return _Block(self.mask(_fenced(textwrap.dedent(code), _one_line(language).split(" ")[0])))

    def _unknown_pair(self, pair: _Pair, inner: str, line: str) -> str | _Block:
        name = pair.open.name.lower()
        opening = self.visible(pair.open.source, name, line)
        closing = self.visible(pair.close.source, name, line, count=False)
        if line.strip() and "\n" not in inner:
            return self.joined(opening, inner, closing)  # used inside a sentence: it stays there
        return _Block(f"{opening}\n\n{_dedent(inner)}\n\n{closing}".replace("\n\n\n\n", "\n\n"))

    def _source_between(self, pair: _Pair) -> str:
        return self.text[pair.open.end:pair.close.start]

    # Liquid and Nunjucks ---------------------------------------------------------------------------------------------

    def liquid(self, tag: _Tag, line: str, rest: str) -> str | _Block:
        name, args = tag.name, tag.args.strip()
        if name in INCLUDE_TAGS:
            span = self.visible(tag.source, name, line)
            return _Block(span) if not line.strip() and not rest.strip() else span
        if name in ("link", "post_url"):
            self.count(name)
            return self.mask(ref_target(_Args(args).get("path", 0)))
        if name in ("image", "image_with_class"):
            return self._eleventy_image(tag, _Args(args), line)
        if name == "img" and (image := _octopress_image(args)):
            self.count(name)
            return self.mask(image)
        if name in ("assign", "set") and (literal := _ASSIGN.fullmatch(args)):
            self.count(name)
            self.variables[literal.group(1)] = _unquote(literal.group(2))
            return ""
        embed = _embed(name, _Args(args))
        if embed is not None:
            self.count(name)
            return self.mask(embed)
        base = name[3:] if tag.closing else name
        if not tag.closing:
            self.opened.add(name)
        return self.visible(tag.source, base, line, count=not (tag.closing and base in self.opened))

    def _eleventy_image(self, tag: _Tag, args: _Args, line: str) -> str:
        src = args.get("src", 0)
        if not src:
            return self.visible(tag.source, tag.name, line)
        self.count(tag.name)
        alt = args.get("alt", 2 if tag.name == "image_with_class" else 1)
        return self.mask(_image(src, alt))

    def liquid_pair(self, pair: _Pair, line: str) -> str | _Block:
        name = pair.open.name
        if name == "comment":
            self.count(name)
            return self.mask(_html_comment(self.restore(self._source_between(pair))))
        if name == "highlight":
            return self._highlight(pair, pair.open.args.strip() or "text", line)
        value = self.restore(self._source_between(pair))
        variable = pair.open.args.strip()
        if re.fullmatch(r"[\w-]+", variable) and not _BRACE.search(value):  # capture / set with a literal
            self.count(name)
            self.variables[variable] = value
            return ""
        opening = self.visible(pair.open.source, name, line)
        inner = self.render(pair.children)
        return self.joined(opening, inner, self.visible(pair.close.source, name, line, count=False))

    def output(self, tag: _Tag, line: str) -> str:
        value = self._expression(tag.args)
        if value is None:
            return self.visible(tag.source, "variable", line)
        self.count("variable")
        return self.mask(value) if value else ""

    def _expression(self, text: str) -> str | None:
        """The text of ``{{ value | filter … }}`` when it is known without running anything, else None."""
        match = _OUTPUT.fullmatch(text)
        if not match:
            return None
        base, default, edits = match.group(1), None, []
        for name, argument in _filters(match.group(2)):
            if name == "default":
                default = self._literal(argument)
            elif name in ("append", "prepend") or name in CASE_FILTERS:
                literal = self._literal(argument) if name in ("append", "prepend") else ""
                if literal is None:
                    return None
                edits.append((name, literal))
            elif name not in LOOKS_FILTERS:
                return None
        value = self._literal(base)
        if not value and default is not None:  # Liquid's default stands in for a missing or empty value
            value = default
        if value is None:
            return None
        for name, literal in edits:
            if name in CASE_FILTERS:
                value = CASE_FILTERS[name](value)
            else:
                value = value + literal if name == "append" else literal + value
        return value

    def _literal(self, text: str) -> str | None:
        text = text.strip()
        if text[:1] in ("'", '"'):
            return _unquote(text)
        return self._value(text) if text else None

    def _value(self, name: str) -> str | None:
        if name in self.variables:
            return self.variables[name]
        lowered = name.lower()
        if lowered == "site.baseurl":
            return ""  # the site's own path prefix: what follows is already a path from the site's root
        if lowered.startswith(("site.", ".site.")):
            return None
        for prefix in ("page.", ".page.params.", ".params.", ".page.", "."):  # Jekyll's page, Hugo's .Params
            if lowered.startswith(prefix):
                return _lookup_param(self.page, name[len(prefix):])
        return _lookup(self.page, name)  # Eleventy gives front-matter keys as plain variables

    def pelican_links(self, text: str) -> str:
        """Pelican's ``{filename}page.md`` → the briefing's address; ``{static}``/``{attach}`` file → its path."""
        if "filename" not in text and "static" not in text and "attach" not in text:
            return text

        def link(match: re.Match) -> str:
            marker, path = match.group(2) or match.group(3), match.group(4)
            self.count(marker)
            return match.group(1) + (ref_target(path) if marker == "filename" else path)

        return _PELICAN_LINK.sub(link, text)

    # 4. kramdown attribute lists --------------------------------------------------------------------------------------

    def attribute_lists(self, text: str) -> str:
        """Remove kramdown attribute lists, the ``{:toc}`` marker with its list, and ``{#id}`` after headings."""
        if "{:" not in text and "{#" not in text and "{." not in text:
            return text
        text, found = _TOC_LIST.subn("", text)
        self.count_many("toc", found)
        text, found = _HEADING_ATTRIBUTES.subn(r"\1", text)
        self.count_many("heading-id", found)
        if "{:" not in text:
            return text
        lines: list[str | None] = list(text.split("\n"))
        for index, line in enumerate(lines):
            if line is None or "{:" not in line:
                continue
            if not _IAL_LINE.fullmatch(line):
                lines[index], found = _IAL.subn("", line)
                self.count_many("ial", found)
                continue
            for attributes in re.findall(r"\{:[^}]*\}", line):
                self.count("toc" if re.fullmatch(r"\{:\s*toc\s*\}", attributes) else "ial")
            between = 0 < index < len(lines) - 1 and (lines[index - 1] or "").strip() and lines[index + 1].strip()
            lines[index] = "" if between else None  # a blank line keeps apart the blocks it stood between
        return "\n".join(line for line in lines if line is not None)


# ---------------------------------------------------------------------------------------------------------------
# Helpers of the conversion that need no state


@lru_cache(maxsize=16)
def _closing_ticks(length: int) -> re.Pattern:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")


_SPECIAL_STARTS = frozenset(" \t>`~-*+[0123456789")  # a line starting otherwise is text at the margin


def _width(line: str, stripped: str) -> int:
    """The indentation of ``line``, tabs counted to the next multiple of four."""
    indent = line[:len(line) - len(stripped)]
    return len(indent.expandtabs(4)) if "\t" in indent else len(indent)


def _hidden_region(line: str, hidden: re.Pattern | None) -> re.Pattern | None:
    """The end of the Liquid comment or raw region still open after ``line`` (``hidden``: one open before it)."""
    if "`" in line:
        line = _SIMPLE_SPAN.sub("", line)  # a tag shown in a code span opens nothing
    pos = 0
    while True:
        if hidden:
            end = hidden.search(line, pos)
            if not end:
                return hidden
            pos, hidden = end.end(), None
        opening = _HIDDEN_OPEN.search(line, pos)
        if not opening:
            return None
        pos, hidden = opening.end(), _HIDDEN_END[opening.group(1)]


def _track_lists(content: str, width: int, previous_blank: bool, columns: list[int]) -> None:
    """Follow the content columns of open list items and footnotes, where indented code starts further in."""
    item = _LIST_ITEM.match(content)
    footnote = not item and _FOOTNOTE_DEF.match(content)
    if item or footnote or previous_blank:
        while columns and columns[-1] > width:
            columns.pop()
    if item:
        spaces = len(item.group(3).expandtabs(4))
        columns.append(width + len(item.group(2)) + (spaces if 0 < spaces <= 4 else 1))
    elif footnote:
        columns.append(width + 4)


def _opener(text: str, start: int) -> str:
    """The template opener at ``start`` ("{{<", "{{%", "{%" or "{{"), or "" when there is none."""
    two = text[start:start + 2]
    if two == "{{":
        return text[start:start + 3] if text[start + 2:start + 3] in ("<", "%") else two
    return two if two == "{%" else ""


def _tag_end(text: str, start: int, opener: str) -> int | None:
    """Where the tag opened at ``start`` ends; None when it is not closed before another tag opens."""
    closers = _CLOSERS[opener]
    pos, size = start + len(opener), len(text)
    while pos < size:
        for closer in closers:
            if text.startswith(closer, pos):
                return pos + len(closer)
        if text[pos] == "{" and _BRACE.match(text, pos):
            return None
        pos = _TAG_PART.match(text, pos).end()
    return None


def _build_tree(nodes: list) -> list[_Node]:
    """Pair opening and closing tags with a stack; an opening tag whose name is never closed stands alone."""
    root: list[_Node] = []
    stack: list[tuple[_Tag, list[_Node]]] = []
    closed = {_pair_key(node) for node in nodes if isinstance(node, _Tag) and node.closing}

    def children() -> list[_Node]:
        return stack[-1][1] if stack else root

    for node in nodes:
        if not isinstance(node, _Tag):
            if node:
                children().append(node)
            continue
        key = _pair_key(node)
        if key in closed and not node.closing and len(stack) < MAX_NESTING:
            stack.append((node, []))
            continue
        match = next((i for i in range(len(stack) - 1, -1, -1) if key and _pair_key(stack[i][0]) == key), None)
        if match is None:
            children().append(node)
            continue
        while len(stack) > match + 1:
            _flatten(stack, root)
        opening, inner = stack.pop()
        children().append(_Pair(opening, inner, node))
    while stack:
        _flatten(stack, root)
    return root


def _flatten(stack: list, root: list) -> None:
    tag, inner = stack.pop()
    parent = stack[-1][1] if stack else root
    parent.append(tag)
    parent.extend(inner)


def _pair_key(tag: _Tag) -> tuple[str, str] | None:
    if tag.syntax == "shortcode":
        if tag.args.rstrip().endswith("/"):
            return None
        return ("shortcode", tag.name.lower())
    if tag.syntax == "liquid":
        name = tag.name[3:] if tag.closing else tag.name
        if name in LIQUID_PAIRS and not (name == "set" and "=" in tag.args):
            return ("liquid", name)
    return None


def _filters(text: str) -> list[tuple[str, str]]:
    parts = re.findall(r"""\|((?:"[^"]*"|'[^']*'|[^|"'])*)""", text)
    found = []
    for part in parts:
        match = _FILTER.match(part)
        if not match:
            return [("?", "")]
        found.append((match.group(1), (match.group(2) or "").strip()))
    return found


def _embed(name: str, args: _Args) -> str | None:
    """A link to the video, post or gist that an embedding shortcode shows."""
    if name in ("youtube", "vimeo"):
        video = args.get("id", 0)
        if not video:
            return None
        url = f"https://www.youtube.com/watch?v={video}" if name == "youtube" else f"https://vimeo.com/{video}"
        title = args.get("title")
        label = "YouTube video" if name == "youtube" else "Vimeo video"
        return _link(f"{label}: {title}" if title else label, url)
    if name in ("tweet", "x"):
        user = args.get("user", 0 if len(args.positional) > 1 else None)
        post = args.get("id", 1 if len(args.positional) > 1 else 0)
        if not post:
            return None
        if user:
            return _link(f"Post by @{user}", f"https://twitter.com/{user}/status/{post}")
        return _link("Post on X", f"https://twitter.com/i/web/status/{post}")
    if name == "gist":
        user, gist = args.get("user", 0), args.get("id", 1)
        if "/" in user and not gist:
            user, gist = user.split("/", 1)
        return _link(f"Gist by {user}", f"https://gist.github.com/{user}/{gist}") if user and gist else None
    if name == "instagram":
        post = args.get("id", 0)
        return _link("Instagram post", f"https://www.instagram.com/p/{post}/") if post else None
    return None


def _octopress_image(text: str) -> str | None:
    """``{% img [class…] src [width [height]] ["title" ["alt"]] %}`` (Octopress, Pelican's liquid_tags) → image."""
    match = _OCTOPRESS_IMG.fullmatch(text)
    if not match:
        return None
    words = match.group("rest").strip()
    quoted = re.findall(r'"([^"]*)"', words)
    title = quoted[0] if quoted else words
    alt = quoted[1] if len(quoted) > 1 else title
    return _image(match.group("src"), alt, title)


def _dedent(text: str) -> str:
    return textwrap.dedent(text.strip("\n")).strip()


def _admonition(name: str, args: _Args, inner: str) -> str:
    label = name
    if name in TYPED_ADMONITIONS and (kind := args.get("type", 0)) and re.fullmatch(r"[\w-]+", kind):
        label = kind
    label = label.replace("-", " ").capitalize()
    title = _one_line(args.get("title"))
    head = f"**{label}: {title}**" if title else f"**{label}:**"
    first = inner.split("\n", 1)[0]
    if inner and not _BLOCK_START.match(first):
        return _indent(f"{head} {inner}", "> ")
    return _indent(f"{head}\n\n{inner}" if inner else head, "> ")


def _place_block(out: list[str], line: str, block: str) -> str:
    """Write ``block`` on lines of its own, after a blank line; return the indentation it was written with."""
    if re.fullmatch(r"[ \t>]*", line):
        _drop_tail(out, len(line))
        if any(piece.strip() for piece in reversed(out)) and not _previous_line_blank(out):
            out.append("\n")
        indent = line
    else:
        indent = re.sub(r"[^\s>]", " ", _CONTENT_INDENT.match(line).group())
        _drop_tail(out, len(line) - len(line.rstrip()))
        out.append("\n\n")
    out.append(_indent(block, indent))
    return indent


# ---------------------------------------------------------------------------------------------------------------


def convert_template_code(body: str, page: Mapping[str, Any] | None = None) -> Converted:
    """Turn the template code in ``body`` into Markdown; ``page`` is the article's original front matter."""
    if not any(marker in body for marker in _MARKERS):
        return Converted(body, 0, 0, ())
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    work = _Conversion(page)
    text = work.mask_code_blocks(text)
    text = work.mask_inline(text)
    text = work.kramdown_extensions(text)
    if "{{" in text or "{%" in text:
        work.text = text
        text = work.render(work.read_tags(text))
    text = work.attribute_lists(work.pelican_links(text))
    return Converted(work.restore(text), work.converted, work.kept, tuple(sorted(work.kinds)))
