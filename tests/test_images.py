"""Lead images and images in the text: responsive pictures, social card, JSON-LD crops, feeds, bad files."""

from __future__ import annotations

import io
import json
import os

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BASIC_CONFIG, briefing, image_bytes, run_cli, write_site
from PIL import Image, features

LEAD = """image:
  src: photo.jpg
  alt: Firefighters at the harbour
  caption: The fire seen from the quay.
  credit: Ana Souza
  focus: top"""


def make_site(tmp_path, meta: str = LEAD, body: str = "Lead.\n\n## Context\n\nText.\n",
              images: dict[str, bytes] | None = None):
    text = briefing("Harbour fire", "2025-11-01T09:30:00-04:00", body=body)
    text = text.replace("---\n", f"---\n{meta}\n", 1) if meta else text
    write_site(tmp_path, {"briefgen.yaml": BASIC_CONFIG, "content/2025-11-01-fire/index.md": text,
                          "content/other.md": briefing("Other", "2025-10-01")})
    for name, data in (images if images is not None else {"photo.jpg": photo()}).items():
        path = tmp_path / "content/2025-11-01-fire" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def photo(size=(2400, 1600), **options) -> bytes:
    return image_bytes(size, "JPEG", (30, 90, 160), quality=90, **options)


def build_ok(site):
    result = run_cli("build", cwd=site)
    assert result.exit_code == 0, result.output
    return site / "site"


def build_fails(site) -> str:
    result = run_cli("build", cwd=site)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def page_of(out):
    return BeautifulSoup((out / "briefings/fire/index.html").read_text(), "html.parser")


def size_of(out, url: str) -> tuple[int, int]:
    path = url.split("https://example.org/demo/")[-1].removeprefix("/demo/")
    return Image.open(out / path).size


def test_lead_image_is_a_responsive_figure_fetched_first(tmp_path):
    out = build_ok(make_site(tmp_path))
    figure = page_of(out).select_one("header figure.lead-image")
    img = figure.select_one("picture img")
    assert img["alt"] == "Firefighters at the harbour"
    assert (img["width"], img["height"]) == ("1600", "1067")
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    widths = [candidate.split()[1] for candidate in img["srcset"].split(", ")]
    assert widths == ["480w", "800w", "1200w", "1600w"]
    types = [source["type"] for source in figure.select("picture source")]
    assert types == (["image/avif"] if features.check("avif") else []) + ["image/webp"]
    for candidate in img["srcset"].split(", "):
        url, width = candidate.split()
        assert url.startswith("/demo/images/") and size_of(out, url)[0] == int(width[:-1])
    assert "The fire seen from the quay." in figure.figcaption.text and "Ana Souza" in figure.figcaption.text


def test_social_card_and_json_ld_crops(tmp_path):
    out = build_ok(make_site(tmp_path))
    page = page_of(out)
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in page.select("meta[content]")}
    assert meta["twitter:card"] == "summary_large_image"
    assert "max-image-preview:large" in meta["robots"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert size_of(out, meta["og:image"]) == (1200, 630) and meta["og:image:alt"] == "Firefighters at the harbour"
    article = json.loads(page.select_one('script[type="application/ld+json"]').string)
    crops = [size_of(out, image["url"]) for image in article["image"]]
    assert [round(w / h, 2) for w, h in crops] == [1.78, 1.33, 1.0]
    assert all(w * h >= 50_000 for w, h in crops)


def test_focus_decides_what_the_crops_keep(tmp_path):
    picture = Image.new("RGB", (2400, 1200), (255, 255, 255))
    picture.paste((200, 0, 0), (0, 0, 2400, 200))  # a red band along the top
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    out = build_ok(make_site(tmp_path, LEAD.replace("photo.jpg", "band.png"), images={"band.png": buffer.getvalue()}))
    square = json.loads(page_of(out).select_one('script[type="application/ld+json"]').string)["image"][2]["url"]
    crop = Image.open(out / square.split("/demo/")[-1]).convert("RGB")
    assert crop.getpixel((crop.width // 2, 5))[0] > 180 and crop.getpixel((crop.width // 2, 5))[1] < 60


def test_images_in_the_text_are_lazy_sized_and_never_enlarged(tmp_path):
    body = "Lead ![a small map](map.png \"Map\").\n\n## Context\n\n![remote](https://example.org/x.png)\n"
    out = build_ok(make_site(tmp_path, "", body, {"maps/../map.png": image_bytes((300, 200))}))
    img = page_of(out).select_one(".briefing__lead picture img")
    assert (img["loading"], img["decoding"], img["width"], img["height"]) == ("lazy", "async", "300", "200")
    assert img["srcset"].endswith(" 300w") and "," not in img["srcset"]  # one width: the image's own
    assert img["alt"] == "a small map" and img["title"] == "Map"
    assert 'src="https://example.org/x.png"' in (out / "briefings/fire/index.html").read_text()


def test_feeds_and_records_carry_the_image(tmp_path):
    out = build_ok(make_site(tmp_path, body="Lead ![chart](chart.png).\n", images={
        "photo.jpg": photo(), "chart.png": image_bytes((900, 600))}))
    for name in ("feed.xml", "atom.xml"):
        entry = next(e for e in feedparser.parse(str(out / name)).entries if "fire" in e.link)
        media = entry.media_content[0]
        assert media["url"].startswith("https://example.org/demo/images/") and media["medium"] == "image"
        assert (media["width"], media["height"]) == ("1200", "800")
        content = entry.content[0].value
        assert content.startswith("<figure>") and "https://example.org/demo/images/" in content
        assert "briefgen-image" not in content
    item = next(i for i in json.loads((out / "feed.json").read_text())["items"] if "fire" in i["url"])
    assert item["image"].startswith("https://example.org/demo/images/")
    record = json.loads((out / "api/briefings/fire.json").read_text())
    assert record["image"]["alt"] == "Firefighters at the harbour" and record["image"]["social"]["width"] == 1200
    cards = BeautifulSoup((out / "index.html").read_text(), "html.parser").select(".card__image img")
    assert cards and cards[0]["loading"] == "lazy" and cards[0]["alt"] == ""


def test_exif_orientation_is_applied_and_metadata_dropped(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated a quarter: shown 1000 wide, 1500 high
    exif[0x010F] = "Camera maker"
    out = build_ok(make_site(tmp_path, images={"photo.jpg": photo((1500, 1000), exif=exif.tobytes())}))
    img = page_of(out).select_one("figure img")
    assert (img["width"], img["height"]) == ("1000", "1500")
    made = Image.open(out / img["src"].removeprefix("/demo/"))
    assert made.size == (800, 1200) and not made.getexif()


def test_rebuilds_are_byte_identical_and_follow_a_changed_image(tmp_path):
    site = make_site(tmp_path)
    out = build_ok(site)
    first = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    run_cli("clean", cwd=site)
    out = build_ok(site)
    assert {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == first
    photo_path = site / "content/2025-11-01-fire/photo.jpg"
    photo_path.write_bytes(photo((1800, 1200)))
    os.utime(photo_path, ns=(photo_path.stat().st_mtime_ns - 10**10,) * 2)  # not a "racy" time: the stat is trusted
    out = build_ok(site)
    assert page_of(out).select_one("figure img")["width"] == "1600"
    assert "1800" not in page_of(out).select_one("figure img")["srcset"]
    assert page_of(out).select_one("figure img")["height"] == "1067"


@pytest.mark.parametrize("meta, files, words", [
    (LEAD, {}, "2025-11-01-fire/index.md:2: image: image not found: photo.jpg"),
    (LEAD.replace("  alt: Firefighters at the harbour\n", ""), None, "index.md:2:1: image: the image has no alt text"),
    (LEAD, {"photo.jpg": b"not an image at all"}, "not an image briefgen can read"),
    (LEAD, {"photo.jpg": photo()[:3000]}, "the image cannot be decoded"),
    (LEAD, {"photo.jpg": image_bytes((20000, 20000), "PNG", (0,))}, "too large to decode safely"),
    (LEAD.replace("focus: top", "focus: middle-ish"), None, "image.focus: 'middle-ish' is not a focus point"),
])
def test_bad_images_are_clear_errors(tmp_path, meta, files, words):
    output = build_fails(make_site(tmp_path, meta, images=files))
    assert words in output, output


def test_decorative_images_need_no_alt_text(tmp_path):
    out = build_ok(make_site(tmp_path, "image: {src: photo.jpg, decorative: true}"))
    assert page_of(out).select_one("figure img")["alt"] == ""


def test_an_image_linked_from_outside_the_site_is_refused(tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.jpg"
    outside.write_bytes(photo((100, 80)))
    site = make_site(tmp_path, images={})
    (site / "content/2025-11-01-fire/photo.jpg").symlink_to(outside)
    assert "leads outside the site's content and static folders" in build_fails(site)


def test_images_in_static_are_found_from_the_site_root(tmp_path):
    site = make_site(tmp_path, LEAD.replace("photo.jpg", "/img/photo.jpg"), images={})
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/photo.jpg").write_bytes(photo((1000, 700)))
    assert page_of(build_ok(site)).select_one("figure img")["width"] == "1000"
