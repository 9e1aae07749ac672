"""Vector charts of the clinic outcomes PDF (reportlab.graphics; prints sharp, no Qt).

Grey-safe: series differ by dash pattern and marker as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from .fonts import SANS

INK = colors.Color(0.15, 0.15, 0.15)
GRID = colors.Color(0.85, 0.85, 0.85)
PALETTE = (
    colors.Color(0.10, 0.20, 0.50),
    colors.Color(0.75, 0.35, 0.05),
    colors.Color(0.10, 0.50, 0.25),
    colors.Color(0.55, 0.10, 0.45),
    colors.Color(0.35, 0.35, 0.35),
    colors.Color(0.70, 0.10, 0.10),
)
DASHES: tuple[list[float] | None, ...] = (None, [5, 2], [1, 2], [6, 2, 1, 2], [3, 3], [8, 3])
_LEFT, _RIGHT, _BOTTOM, _TOP = 34.0, 8.0, 26.0, 14.0
LEGEND = 96.0
"""Room kept right of a line chart's plot area for its legend (never over a curve)."""


def nice_ticks(top: float) -> list[float]:
    """Round steps (1, 2, 5, 10...) up to ``top``, about five of them."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if top / step <= 6:
            return [float(v) for v in range(0, int(top) + 1, step)]
    return [0.0, top]


@dataclass(frozen=True, slots=True)
class Axes:
    """Maps data to points inside the plot area of a drawing."""

    width: float
    height: float
    x_max: float
    y_max: float
    right: float = _RIGHT

    def x(self, value: float) -> float:
        return _LEFT + value / (self.x_max or 1) * (self.width - _LEFT - self.right)

    def y(self, value: float) -> float:
        return _BOTTOM + value / (self.y_max or 1) * (self.height - _BOTTOM - _TOP)


def _frame(
    d: Drawing,
    axes: Axes,
    y_ticks: Sequence[float],
    y_label: str,
    x_label: str,
    tick_text: str = "{:g}",
) -> None:
    for value in y_ticks:
        y = axes.y(value)
        d.add(Line(_LEFT, y, axes.width - axes.right, y, strokeColor=GRID, strokeWidth=0.4))
        d.add(
            String(
                _LEFT - 3,
                y - 2.5,
                tick_text.format(value),
                fontName=SANS,
                fontSize=6.5,
                textAnchor="end",
                fillColor=INK,
            )
        )
    d.add(Line(_LEFT, _BOTTOM, axes.width - axes.right, _BOTTOM, strokeColor=INK, strokeWidth=0.6))
    d.add(Line(_LEFT, _BOTTOM, _LEFT, axes.height - _TOP, strokeColor=INK, strokeWidth=0.6))
    d.add(String(_LEFT, axes.height - 9, y_label, fontName=SANS, fontSize=7, fillColor=INK))
    d.add(
        String(
            axes.width - _RIGHT,
            3,
            x_label,
            fontName=SANS,
            fontSize=7,
            textAnchor="end",
            fillColor=INK,
        )
    )


def rate_bars(
    groups: Sequence[tuple[str, float, float, float]],
    width: float,
    title: str,
    height: float = 130.0,
) -> Drawing:
    """One bar per group (label, rate, low, high) with its 95% interval as a whisker."""
    d = Drawing(width, height)
    axes = Axes(width, height, float(len(groups)), 1.0)
    _frame(d, axes, (0, 0.25, 0.5, 0.75, 1.0), title, "", "{:.0%}")
    for i, (label, rate, low, high) in enumerate(groups):
        x0, x1 = axes.x(i + 0.2), axes.x(i + 0.8)
        d.add(
            Rect(
                x0, _BOTTOM, x1 - x0, axes.y(rate) - _BOTTOM, fillColor=PALETTE[0], strokeColor=None
            )
        )
        mid = (x0 + x1) / 2
        d.add(Line(mid, axes.y(low), mid, axes.y(high), strokeColor=INK, strokeWidth=0.8))
        for v in (low, high):
            d.add(Line(mid - 4, axes.y(v), mid + 4, axes.y(v), strokeColor=INK, strokeWidth=0.8))
        d.add(
            String(
                mid,
                _BOTTOM - 10,
                label,
                fontName=SANS,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=INK,
            )
        )
    return d


def curves(
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    width: float,
    title: str,
    x_label: str,
    y_max: float,
    *,
    steps: bool = False,
    y_ticks: Sequence[float] | None = None,
    tick_text: str = "{:g}",
    height: float = 150.0,
) -> Drawing:
    """Lines (or Kaplan-Meier steps) with a legend; each series its own colour and dash."""
    d = Drawing(width, height)
    x_max = max((x for _, pts in series for x, _ in pts), default=1.0) or 1.0
    axes = Axes(width, height, x_max, y_max, LEGEND)
    ticks = y_ticks if y_ticks is not None else nice_ticks(y_max)
    _frame(d, axes, ticks, title, x_label, tick_text)
    for i, (label, points) in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        flat: list[float] = []
        for j, (x, y) in enumerate(points):
            if steps and j:
                flat += [axes.x(x), axes.y(points[j - 1][1])]
            flat += [axes.x(x), axes.y(y)]
        if len(flat) >= 4:
            d.add(PolyLine(flat, strokeColor=colour, strokeWidth=1.2, strokeDashArray=dash))
        ly = height - _TOP - 8 - 10 * i
        lx = width - LEGEND + 8
        d.add(
            Line(
                lx,
                ly + 2,
                lx + 16,
                ly + 2,
                strokeColor=colour,
                strokeWidth=1.2,
                strokeDashArray=dash,
            )
        )
        d.add(String(lx + 20, ly, label, fontName=SANS, fontSize=6.5, fillColor=INK))
    for value in nice_ticks(x_max):
        d.add(
            String(
                axes.x(value),
                _BOTTOM - 9,
                f"{value:g}",
                fontName=SANS,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=INK,
            )
        )
    return d
