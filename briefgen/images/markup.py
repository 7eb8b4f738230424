"""Images as HTML: a responsive ``<picture>`` for pages, a plain ``<img>`` with an absolute URL for feeds.

Every ``<img>`` carries its ``width`` and ``height``, so the page does not move when it arrives; the lead image
is fetched first (``fetchpriority="high"``), every other image only when it comes near (``loading="lazy"``).
"""

from __future__ import annotations

import html
import re
from typing import Callable

from markupsafe import Markup

from briefgen.images import BriefingImages, LeadImage
from briefgen.images.variants import Picture, Variant
from briefgen.markdown import IMAGE_PLACEHOLDER
from briefgen.model import ImageRef
from briefgen.urls import Urls
from briefgen.views import ImageView, SharedImage

TEXT_SIZES = "(min-width: 45rem) 42rem, calc(100vw - 2rem)"  # the text column (--measure in style.css)
CARD_SIZES = "(min-width: 40rem) 12rem, 7rem"  # a card's thumbnail
FEED_WIDTH = 1200  # the version feed readers get
_PLACEHOLDER = re.compile(r'<img\b[^>]*?\bsrc="[^"]*' + re.escape(IMAGE_PLACEHOLDER) + r'(\d+)"[^>]*>')


def picture_html(picture: Picture, alt: str, urls: Urls, *, sizes: str = TEXT_SIZES, lead: bool = False,
                 title: str = "") -> str:
    """``<picture>``: a ``<source>`` per modern format, then the JPEG (or PNG) ``<img>`` every browser shows."""
    fallback = picture.fallback
    widest = fallback[-1]
    loading = ' fetchpriority="high"' if lead else ' loading="lazy"'
    extra = f' title="{_attr(title)}"' if title else ""
    size = f' width="{widest.width}" height="{widest.height}"' if widest.width and widest.height else ""
    if not widest.format:  # published as it is (SVG, animation)
        return f'<img src="{_attr(urls.path(widest.route))}" alt="{_attr(alt)}"{size}{extra}{loading} decoding="async">'
    sources = "".join(f'<source type="{mime}" srcset="{_srcset(variants, urls)}" sizes="{sizes}">'
                      for mime, variants in picture.sets[:-1])
    default = picture.near(800)
    return (f'<picture>{sources}<img src="{_attr(urls.path(default.route))}" srcset="{_srcset(fallback, urls)}" '
            f'sizes="{sizes}" alt="{_attr(alt)}"{size}{extra}{loading} decoding="async"></picture>')


def feed_image(picture: Picture) -> Variant:
    """The one version a feed reader gets: about as wide as a reading pane on a large screen."""
    return picture.near(FEED_WIDTH) if picture.fallback[-1].format else picture.fallback[-1]


def feed_img_html(picture: Picture, alt: str, urls: Urls) -> str:
    variant = feed_image(picture)
    size = f' width="{variant.width}" height="{variant.height}"' if variant.width and variant.height else ""
    return f'<img src="{_attr(urls.absolute(variant.route))}" alt="{_attr(alt)}"{size}>'


def place(body: str, render: Callable[[int], str]) -> str:
    """``body`` with each image placeholder the parser left (see :mod:`briefgen.markdown`) replaced by
    ``render(number)``."""
    if IMAGE_PLACEHOLDER not in body:
        return body
    return _PLACEHOLDER.sub(lambda match: render(int(match.group(1))), body)


def _srcset(variants: tuple[Variant, ...], urls: Urls) -> str:
    return ", ".join(f"{_attr(urls.path(v.route))} {v.width}w" for v in variants)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def lead_view(lead: LeadImage, urls: Urls) -> ImageView:
    """The lead image as the templates show it; a remote image is shown from where it is, at its own size."""
    ref = lead.ref
    alt = "" if ref.decorative else ref.alt
    if lead.picture is None:
        remote = SharedImage(ref.src, 0, 0, "")
        tag = f'<img src="{_attr(ref.src)}" alt="{_attr(alt)}"'
        return ImageView(alt, ref.caption, ref.credit, Markup(f'{tag} fetchpriority="high" decoding="async">'),
                         Markup(f'{tag} loading="lazy" decoding="async">'), remote, (remote,), remote)
    structured = (lead.crops.structured if lead.crops else lead.picture.fallback[-1:])
    return ImageView(alt, ref.caption, ref.credit,
                     html=Markup(picture_html(lead.picture, alt, urls, lead=True)),
                     card_html=Markup(picture_html(lead.picture, "", urls, sizes=CARD_SIZES)),
                     social=shared(lead.crops.social if lead.crops else lead.picture.fallback[-1], urls),
                     structured=tuple(shared(v, urls) for v in structured),
                     feed=shared(feed_image(lead.picture), urls))


def shared(variant: Variant, urls: Urls) -> SharedImage:
    return SharedImage(urls.absolute(variant.route), variant.width, variant.height, variant.mime or "")


def placer(images: BriefingImages, refs: tuple[ImageRef, ...], urls: Urls, *,
           for_feed: bool = False) -> Callable[[str], str]:
    """What puts each picture of a briefing's text in place of its placeholder: responsive, or (``for_feed``)
    one version with an absolute URL."""
    def render(number: int) -> str:
        picture, ref = images.body[number], refs[number]
        if for_feed:
            return feed_img_html(picture, ref.alt, urls)
        return picture_html(picture, ref.alt, urls, title=ref.title)
    return lambda body: place(body, render)


def feed_figure(view: ImageView) -> str:
    """The lead image at the top of a full feed entry."""
    image = view.feed
    size = f' width="{image.width}" height="{image.height}"' if image.width and image.height else ""
    caption = " ".join(part for part in (html.escape(view.caption, quote=False),
                                         f"<small>{html.escape(view.credit, quote=False)}</small>"
                                         if view.credit else "") if part)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{_attr(image.url)}" alt="{_attr(view.alt)}"{size}>{figcaption}</figure>'
