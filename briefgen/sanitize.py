"""The only importer of nh3: raw HTML in article bodies, cleaned for sites that publish untrusted content.

Used only with ``sanitize: true`` and imported only then. Keeps what Markdown itself produces and the inline
HTML writers use (abbreviations, tables, figures, images, footnotes); drops scripts, frames, styles, event
attributes and links to anything but web, mail and in-site addresses.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS | {"section", "tfoot", "picture", "source", "figure", "figcaption"})
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": GLOBAL_ATTRIBUTES,
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "source": {"srcset", "sizes", "type", "media"},
    "a": {"href", "hreflang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str) -> str:
    """``html`` without anything that can run code or load another page inside this one."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)
