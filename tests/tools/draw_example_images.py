"""Draw the three illustrative images used by the US-Venezuela example site.

Everything is drawn in code with Pillow and its built-in scalable font, so the
output is deterministic (byte-identical on every run) and contains no photos:

* caribbean-schematic.png - schematic (not a map) of the southern Caribbean
* flights-chart.png       - illustrative bar chart of airline suspensions
* timeline-graphic.png    - timeline of five milestones, Sept-Nov 2025

Usage:
    python3 tests/tools/draw_example_images.py OUTDIR
"""

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

INK = (33, 37, 41)
MUTED = (108, 117, 125)
PAPER = (250, 248, 243)
SEA = (120, 178, 219)
LAND = (226, 214, 170)
LAND_EDGE = (150, 135, 95)
ACCENT = (200, 60, 50)
NAVY = (40, 60, 100)


def font(size):
    return ImageFont.load_default(size=size)


def label(draw, xy, text, size, fill=INK, anchor="la", halo=None):
    kwargs = {"stroke_width": max(2, size // 12), "stroke_fill": halo} if halo else {}
    draw.text(xy, text, font=font(size), fill=fill, anchor=anchor, **kwargs)


def acute_label(draw, xy, text, size, halo="white"):
    """Draw text whose last letter is an 'a' with an acute accent; the built-in font lacks the 'á' glyph."""
    label(draw, xy, text[:-1] + "a", size, anchor="ls", halo=halo)
    f = font(size)
    cx = xy[0] + f.getlength(text[:-1]) + f.getlength("a") / 2
    top = xy[1] + f.getbbox("a", anchor="ls")[1] - size // 10
    stroke = [(cx - size // 12, top), (cx + size // 12, top - size // 5)]
    draw.line(stroke, fill=halo, width=size // 5)
    draw.line(stroke, fill=INK, width=size // 14)


def save(img, path):
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def dashed_rect(draw, box, color, width, dash=40, gap=24):
    x0, y0, x1, y1 = box
    for a, b, fixed, horizontal in ((x0, x1, y0, True), (x0, x1, y1, True), (y0, y1, x0, False), (y0, y1, x1, False)):
        for start in range(a, b, dash + gap):
            end = min(start + dash, b)
            line = [(start, fixed), (end, fixed)] if horizontal else [(fixed, start), (fixed, end)]
            draw.line(line, fill=color, width=width)


def ship(draw, x, y):
    draw.polygon([(x - 50, y), (x + 50, y), (x + 34, y + 24), (x - 34, y + 24)], fill=NAVY)
    draw.rectangle([x - 14, y - 22, x + 16, y], fill=NAVY)


def place(draw, x, y, name, anchor="la", dx=28, dy=-30):
    draw.ellipse([x - 16, y - 16, x + 16, y + 16], fill=ACCENT, outline="white", width=5)
    if name.endswith("á"):
        acute_label(draw, (x + dx, y + dy), name, 52)
    else:
        label(draw, (x + dx, y + dy), name, 52, anchor=anchor, halo="white")


def draw_schematic(path):
    img = Image.new("RGB", (2400, 1600), SEA)
    d = ImageDraw.Draw(img)
    coast = [(0, 1130), (300, 1180), (620, 1090), (900, 1150), (1150, 1210), (1450, 1190), (1750, 1230),
             (2000, 1170), (2250, 1240), (2400, 1200), (2400, 1600), (0, 1600)]
    d.polygon(coast, fill=LAND, outline=LAND_EDGE, width=8)
    d.line([(1000, 1190), (1030, 1600)], fill=LAND_EDGE, width=6)
    islands = [[(1080, 170), (1420, 140), (1500, 230), (1300, 300), (1100, 270)],
               [(1760, 250), (1950, 240), (1960, 300), (1770, 310)],
               [(2080, 1040), (2170, 1030), (2180, 1120), (2090, 1140)],
               [(1120, 1010), (1190, 1000), (1200, 1030), (1130, 1040)],
               [(1250, 990), (1320, 985), (1325, 1015), (1255, 1020)]]
    for shape in islands:
        d.polygon(shape, fill=LAND, outline=LAND_EDGE, width=6)
    dashed_rect(d, (1080, 880, 2330, 1560), ACCENT, 10)
    label(d, (2310, 900), "Airspace notice area", 48, fill=ACCENT, anchor="ra", halo="white")
    for x, y in ((1500, 620), (1720, 700), (1350, 760), (1900, 560), (1600, 820)):
        ship(d, x, y)
    label(d, (600, 1380), "COLOMBIA", 64, fill=LAND_EDGE, anchor="mm")
    label(d, (1650, 1420), "VENEZUELA", 64, fill=LAND_EDGE, anchor="mm")
    label(d, (700, 700), "Caribbean Sea", 72, fill=(235, 244, 250), anchor="mm")
    place(d, 1450, 1260, "Caracas", dx=-28, anchor="ra")
    place(d, 520, 1500, "Bogotá", dy=18)
    place(d, 1860, 275, "Puerto Rico", dx=0, dy=50, anchor="ma")
    place(d, 2130, 1085, "Trinidad", dx=-30, dy=-20, anchor="rd")
    d.rectangle([40, 40, 1000, 410], fill=PAPER, outline=INK, width=4)
    label(d, (80, 70), "Southern Caribbean", 64)
    label(d, (80, 150), "Schematic, not to scale", 48, fill=ACCENT)
    ship(d, 130, 270)
    label(d, (210, 280), "Naval vessels (illustrative)", 44, anchor="lm")
    d.ellipse([114, 334, 146, 366], fill=ACCENT, outline="white", width=5)
    label(d, (210, 350), "Places", 44, anchor="lm")
    save(img, path)


def draw_chart(path):
    w, h = 2400, 1350
    img = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(img)
    label(d, (w // 2, 60), "Airlines suspending Venezuela flights (illustrative)", 72, anchor="ma")
    counts = [1, 3, 6, 8, 10, 12]
    left, right, top, bottom, vmax = 260, 2300, 220, 1130, 14
    for v in range(0, vmax + 1, 2):
        y = bottom - (bottom - top) * v // vmax
        d.line([(left, y), (right, y)], fill=(215, 212, 205) if v else INK, width=3 if v else 6)
        label(d, (left - 24, y), str(v), 44, fill=MUTED, anchor="rm")
    slot = (right - left) // len(counts)
    for i, c in enumerate(counts):
        x0 = left + i * slot + slot // 5
        x1 = x0 + slot * 3 // 5
        y = bottom - (bottom - top) * c // vmax
        d.rectangle([x0, y, x1, bottom - 3], fill=NAVY)
        label(d, ((x0 + x1) // 2, y - 16), str(c), 52, anchor="md")
        label(d, ((x0 + x1) // 2, bottom + 24), f"{22 + i} Nov", 44, anchor="ma")
    label(d, ((left + right) // 2, h - 40), "Day (November 2025)", 48, fill=MUTED, anchor="md")
    axis = Image.new("RGB", (600, 80), PAPER)
    label(ImageDraw.Draw(axis), (300, 40), "Airlines (cumulative)", 48, fill=MUTED, anchor="mm")
    img.paste(axis.rotate(90, expand=True), (40, (top + bottom) // 2 - 300))
    save(img, path)


def draw_timeline(path):
    w, h = 2000, 1500
    img = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(img)
    label(d, (w // 2, 80), "US-Venezuela tension, late 2025", 72, anchor="ma")
    label(d, (w // 2, 180), "Key moments (simplified)", 48, fill=MUTED, anchor="ma")
    events = [("Sept 2025", ["Naval", "build-up"]), ("Oct 2025", ["Carrier group", "ordered in"]),
              ("21 Nov 2025", ["Airline", "warnings"]), ("24 Nov 2025", ["Terrorist", "designation"]),
              ("29 Nov 2025", ["Airspace", "declared", "closed"])]
    y, x0, x1 = 820, 200, 1780
    d.line([(100, y), (1900, y)], fill=INK, width=12)
    d.polygon([(1900, y - 30), (1950, y), (1900, y + 30)], fill=INK)
    step = (x1 - x0) // (len(events) - 1)
    for i, (date, words) in enumerate(events):
        x = x0 + i * step
        up = i % 2 == 0
        colour = ACCENT if i == len(events) - 1 else NAVY
        end = y - 140 if up else y + 140
        d.line([(x, y), (x, end)], fill=colour, width=8)
        d.ellipse([x - 30, y - 30, x + 30, y + 30], fill=colour, outline=PAPER, width=8)
        date_y = end - 20 if up else end + 20
        label(d, (x, date_y), date, 48, fill=colour, anchor="md" if up else "ma")
        block = [(x, date_y - 70 - 60 * (len(words) - 1 - k)) if up else (x, date_y + 80 + 60 * k)
                 for k in range(len(words))]
        for (tx, ty), word in zip(block, words):
            label(d, (tx, ty), word, 48, anchor="md" if up else "ma")
    label(d, (w // 2, h - 60), "Spacing not to scale in time; labels simplified.", 40, fill=MUTED, anchor="md")
    save(img, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder to write the PNG files into")
    outdir = parser.parse_args().outdir
    outdir.mkdir(parents=True, exist_ok=True)
    draw_schematic(outdir / "caribbean-schematic.png")
    draw_chart(outdir / "flights-chart.png")
    draw_timeline(outdir / "timeline-graphic.png")


if __name__ == "__main__":
    main()
