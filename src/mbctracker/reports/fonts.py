"""Embedded fonts, and splitting text into runs each font can actually draw.

The PDF standard fonts cannot print "Zoë Ødegård" reliably and no Latin font
prints "王芳", so the summary embeds DejaVu Sans (Latin, Greek, Cyrillic) and
falls back to Droid Sans Fallback for characters DejaVu lacks (CJK). The
installed reportlab has no automatic glyph fallback, so text is cut into runs
by checking each character against the fonts' character maps. The 4 MB CJK
font is only loaded when a character needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

SANS = "MBC-Sans"
SANS_BOLD = "MBC-Sans-Bold"
FALLBACK = "MBC-Fallback"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}
_lock = threading.Lock()


def font_path(filename: str) -> Path:
    """Where a shipped font lives, so an installed or frozen app finds it too."""
    resource = resources.files("mbctracker.resources").joinpath("fonts", filename)
    return Path(str(resource))


def _register(name: str) -> TTFont:
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font_path(_FILES[name]))))
            _map_family(name)
    font: TTFont = pdfmetrics.getFont(name)
    return font


def _map_family(name: str) -> None:
    """Let <b> in Paragraph markup pick the bold face (the fallback has none).

    The plain face is mapped last: reportlab maps a font name back to the last
    (bold, italic) pair it was registered under.
    """
    family = FALLBACK if name == FALLBACK else SANS
    for bold, italic in ((1, 1), (0, 1), (1, 0), (0, 0)):
        face = SANS_BOLD if bold and family == SANS else family
        addMapping(family, bold, italic, face)


def register_fonts() -> None:
    """Register the Latin faces; cheap after the first call."""
    _register(SANS)
    _register(SANS_BOLD)


@cache
def _covered(name: str) -> frozenset[int]:
    return frozenset(_register(name).face.charToGlyph)


def needs_fallback(char: str, font: str = SANS) -> bool:
    """True for a visible character the Latin font cannot draw; loads the fallback if so."""
    if char.isspace() or ord(char) in _covered(font):
        return False
    _fallback_ready()
    return True


@cache
def _fallback_ready() -> None:
    _register(FALLBACK)


def runs(text: str, font: str = SANS) -> Iterator[tuple[str, str]]:
    """Split text into (font name, text) runs; spaces stay with the run they are in."""
    current, start = font, 0
    for index, char in enumerate(text):
        wanted = FALLBACK if needs_fallback(char, font) else (current if char.isspace() else font)
        if wanted != current:
            if index > start:
                yield current, text[start:index]
            current, start = wanted, index
    if len(text) > start:
        yield current, text[start:]


def markup(text: str) -> str:
    """Escape text for a Paragraph and wrap characters DejaVu lacks in the fallback font."""
    parts = []
    for name, chunk in runs(text):
        safe = escape(chunk)
        parts.append(f'<font name="{FALLBACK}">{safe}</font>' if name == FALLBACK else safe)
    return "".join(parts)


def text_width(text: str, font: str, size: float) -> float:
    """Width of mixed-script text as :func:`draw_text` would draw it."""
    return sum(float(pdfmetrics.stringWidth(chunk, name, size)) for name, chunk in runs(text, font))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, *, align: str = "left"
) -> None:
    """Draw text on a canvas (headers), switching to the fallback font where needed."""
    if align == "right":
        x -= text_width(text, font, size)
    for name, chunk in runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)
