"""Charts drawn at build time as inline SVG: no JavaScript, readable by screen readers, styled by the theme's CSS
(classes only, colours from ``currentColor`` and custom properties, so light and dark modes both work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from html import escape

from markupsafe import Markup

from briefgen.i18n import Translator
from briefgen.model import Story

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
LEVELS = range(1, 6)


@dataclass(frozen=True)
class Point:
    day: float  # days since the first point
    level: int
    label: str  # "29 November 2025: level 4 — <title>"


def escalation_chart(story: Story, chart_id: str, timezone: tzinfo, translator: Translator) -> Markup:
    """The story's escalation level over time, one point per briefing that gives a level; "" when none does.
    Its words and dates are in the translator's language; for a right-to-left one, time runs from right to left
    and the level axis stands on the right."""
    leveled = [b for b in reversed(story.briefings) if b.escalation_level is not None]
    if not leveled:
        return Markup("")
    t = translator
    dated = [(b.date.astimezone(timezone).date(), b.escalation_level, b.title) for b in leveled]
    points = [Point((b.timestamp - leveled[0].timestamp) / 86400, level,
                    t.text("chart.point", date=t.long_date(day), level=level, title=title))
              for b, (day, level, title) in zip(leveled, dated)]
    span = max(points[-1].day, 1)
    mirror = _mirror if t.rtl else _as_is
    coordinates = [(mirror(_x(p.day, span, len(points))), _y(p.level)) for p in points]
    title = t.text("chart.title", story=story.title)
    description = _describe(dated, t)
    direction = ' direction="rtl"' if t.rtl else ""
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"{direction} '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    # With direction="rtl", "start" and "end" swap sides, so mirrored labels keep their anchors.
    for level in LEVELS:
        y = _y(level)
        parts.append(f'<line class="chart__grid" x1="{mirror(LEFT)}" y1="{y}" x2="{mirror(WIDTH - RIGHT)}" y2="{y}"/>')
        parts.append(f'<text class="chart__axis" x="{mirror(LEFT - 10)}" y="{y + 4}" text-anchor="end">'
                     f'{escape(t.number(level))}</text>')
    parts.append(f'<text class="chart__axis" x="{mirror(LEFT)}" y="{HEIGHT - 10}">'
                 f'{escape(t.long_date(dated[0][0]))}</text>')
    if len(dated) > 1:
        parts.append(f'<text class="chart__axis" x="{mirror(WIDTH - RIGHT)}" y="{HEIGHT - 10}" text-anchor="end">'
                     f'{escape(t.long_date(dated[-1][0]))}</text>')
        path = " ".join(f"{x},{y}" for x, y in _steps(coordinates))
        parts.append(f'<polyline class="chart__line" points="{path}"/>')
    for point, (x, y) in zip(points, coordinates):
        parts.append(f'<circle class="chart__point chart__point--{point.level}" cx="{x}" cy="{y}" r="5">'
                     f'<title>{escape(point.label)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _mirror(x: float) -> float:
    return round(WIDTH - x, 1)


def _as_is(x: float) -> float:
    return x


def _x(day: float, span: float, count: int) -> float:
    if count == 1:
        return round((LEFT + WIDTH - RIGHT) / 2, 1)
    return round(LEFT + (WIDTH - LEFT - RIGHT) * day / span, 1)


def _y(level: int) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (5 - level) / 4, 1)


def _steps(coordinates: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A level holds until the next briefing changes it: a step line, not a slope."""
    steps = [coordinates[0]]
    for x, y in coordinates[1:]:
        steps.append((x, steps[-1][1]))
        steps.append((x, y))
    return steps


def _describe(dated: list[tuple], t: Translator) -> str:
    levels = [level for _, level, _ in dated]
    count = len(dated)
    if count == 1:
        return t.text("chart.one", date=t.long_date(dated[0][0]), level=levels[0], max=5)
    peak = max(levels)
    peak_day = next(day for day, level, _ in dated if level == peak)
    return t.text("chart.many", count=count, first=t.long_date(dated[0][0]), last=t.long_date(dated[-1][0]),
                  first_level=levels[0], last_level=levels[-1], peak=peak, max=5, peak_date=t.long_date(peak_day))
