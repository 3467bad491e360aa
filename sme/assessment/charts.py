"""A radar chart drawn as inline SVG in Python, for the PDF report (WeasyPrint cannot run ECharts).

The page shows the same figures with ECharts; both take their series from ``report.radar_data``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]  # 0–100, one per axis
    color: str


def _point(cx: float, cy: float, radius: float, index: int, count: int, value: float) -> tuple[float, float]:
    # Counter-clockwise from the top, as ECharts lays out a radar, so page and PDF look alike.
    angle = -math.pi / 2 - 2 * math.pi * index / count
    r = radius * max(0.0, min(100.0, value)) / 100
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def _points(cx: float, cy: float, radius: float, values: Sequence[float]) -> str:
    n = len(values)
    return " ".join("{:.1f},{:.1f}".format(*_point(cx, cy, radius, i, n, v)) for i, v in enumerate(values))


def radar_svg(
    axes: Sequence[str], series: Sequence[Series], *, title: str = "", size: int = 420
) -> SafeString:
    """An SVG radar: one axis per label (values in percent of each axis' maximum), rings at 25 %
    steps, one filled polygon per series, and a legend. Text is escaped."""
    count = len(axes)
    legend_height = 22 * len(series)
    width, height = size, size + legend_height
    cx, cy, radius = size / 2, size / 2 + 4, size / 2 - 78
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="radar-chart">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if count < 3:
        parts.append("</svg>")
        return mark_safe("".join(parts))
    for ring in RINGS:
        parts.append(
            f'<polygon points="{_points(cx, cy, radius, [ring] * count)}" fill="none" '
            f'stroke="#c8ccd0" stroke-width="0.8"/>'
        )
        x, y = _point(cx, cy, radius, 0, count, ring)
        parts.append(f'<text x="{x + 3:.1f}" y="{y + 3:.1f}" font-size="8" fill="#868e96">{ring}%</text>')
    for i, label in enumerate(axes):
        x, y = _point(cx, cy, radius, i, count, 100)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c8ccd0" stroke-width="0.8"/>'
        )
        lx, ly = _point(cx, cy, radius + 16, i, count, 100)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        baseline = ly + (10 if ly > cy + 8 else (-2 if ly < cy - 8 else 4))
        # A parenthesised note goes on a second line, so long labels stay inside the picture.
        head, sep, tail = label.partition("（")
        lines = [head, sep + tail] if sep else [label]
        if len(lines) > 1 and ly < cy - 8:
            baseline -= 13
        spans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if n == 0 else 13}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{baseline:.1f}" font-size="11" text-anchor="{anchor}" fill="#212529">'
            f"{spans}</text>"
        )
    for s in series:
        parts.append(
            f'<polygon points="{_points(cx, cy, radius, list(s.values))}" fill="{escape(s.color)}" '
            f'fill-opacity="0.25" stroke="{escape(s.color)}" stroke-width="2" class="radar-series"/>'
        )
        for i, v in enumerate(s.values):
            x, y = _point(cx, cy, radius, i, count, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{escape(s.color)}"/>')
    for n, s in enumerate(series):
        y = size + 8 + 22 * n
        parts.append(
            f'<rect x="{width / 2 - 70:.1f}" y="{y}" width="14" height="10" fill="{escape(s.color)}"/>'
        )
        parts.append(
            f'<text x="{width / 2 - 50:.1f}" y="{y + 9}" font-size="11" fill="#212529">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
