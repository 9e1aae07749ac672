"""Paragraph and table styles: one typographic scale for the whole summary."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from .fmt import clip
from .fonts import SANS, SANS_BOLD, markup, register_fonts

Cell: TypeAlias = "str | Paragraph"
TABLE_SIZE = 7.5
_PADDING = 3.0
RULE = colors.Color(0.6, 0.6, 0.6)
HEAD_FILL = colors.Color(0.88, 0.88, 0.88)
ZEBRA = colors.Color(0.96, 0.96, 0.96)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Built once: reportlab styles are immutable in practice and costly to rebuild."""
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=8.5, leading=11)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", body, fontName=SANS_BOLD, fontSize=13, leading=16, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", body, fontName=SANS_BOLD, fontSize=10.5, leading=13, spaceBefore=9, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", body, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", body, fontName=SANS_BOLD, fontSize=7.5, leading=9),
        "small": ParagraphStyle("small", body, fontSize=6.8, leading=8.6),
        "alert": ParagraphStyle("alert", body, fontName=SANS_BOLD, fontSize=8.5, leading=11),
    }


def para(text: str, style: str = "cell") -> Paragraph:
    """A Paragraph from plain text: escaped, with fallback-font runs for CJK; very long
    text is clipped (:func:`fmt.clip`)."""
    return Paragraph(markup(clip(text)), styles()[style])


def rich(markup_text: str, style: str = "cell") -> Paragraph:
    """A Paragraph from markup the caller already escaped (for <b> emphasis)."""
    return Paragraph(markup_text, styles()[style])


def table_style(*, zebra: bool = True) -> TableStyle:
    """Grid, grey header row and light zebra striping (legible when photocopied)."""
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    return TableStyle(commands)


def grid_table(
    header: Sequence[str], body: list[list[Cell]], width: float, fractions: Sequence[float]
) -> Table:
    """A full-width table whose header repeats on every page it spans.

    Columns share ``width`` by ``fractions`` but never get narrower than their
    header's longest word or their widest unwrapped (plain string) cell, so
    nothing is broken mid-word or runs into the next column.
    """
    rows: list[list[Cell]] = [[para(label, "head") for label in header], *body]
    widths = column_widths(_minimums(header, body, width), width, fractions)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(table_style())
    return table


def _minimums(header: Sequence[str], body: list[list[Cell]], width: float) -> list[float]:
    """Header words and plain cells must fit whole; wrapped cells need their longest word."""

    def widest(texts: list[str], font: str) -> float:
        return max((float(stringWidth(t, font, TABLE_SIZE)) for t in texts), default=0.0)

    mins = []
    for index, label in enumerate(header):
        cells = [row[index] for row in body]
        plain = [c for c in cells if isinstance(c, str)]
        words = [w for c in cells if not isinstance(c, str) for w in c.getPlainText().split()]
        needed = max(widest(label.split(), SANS_BOLD), widest(plain, SANS), widest(words, SANS) + 1)
        mins.append(min(needed + 2 * _PADDING + 1, width * 0.4))
    return mins


def column_widths(mins: Sequence[float], width: float, fractions: Sequence[float]) -> list[float]:
    """Proportional shares, raised to each column's minimum, the rest shared by the others."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(fractions)) if i not in fixed]
        room = width - sum(fixed.values())
        weight = sum(fractions[i] for i in free) or 1.0
        share = {i: room * fractions[i] / weight for i in free}
        short = {i: mins[i] for i in free if share[i] < mins[i]}
        if not short or len(fixed) + len(short) == len(fractions):
            fixed.update(short)
            break
        fixed.update(short)
    widths = [fixed.get(i, share.get(i, 0.0)) for i in range(len(fractions))]
    scale = min(1.0, width / sum(widths))
    return [w * scale for w in widths]
