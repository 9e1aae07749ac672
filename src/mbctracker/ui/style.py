"""Colours, fonts and the style sheet: colour carries meaning, text always says it too."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from ..domain.instruments import INSTRUMENTS
from .theme import is_dark

FLAG_RED = "#b3261e"
FLAG_BG = "#fde7e9"
WARN_AMBER = "#8a5a00"
WARN_BG = "#fff4ce"
OK_GREEN = "#1e6b3a"
OK_BG = "#e3f4e8"
ACCENT = "#1f5fa8"
MUTED = "#5f6368"


class _InstrumentColours(Mapping[str, str]):
    """Each instrument's colour, read from its definition (registered ones included)."""

    def __getitem__(self, code: str) -> str:
        return INSTRUMENTS[code].colour

    def __iter__(self) -> Iterator[str]:
        return iter(INSTRUMENTS)

    def __len__(self) -> int:
        return len(INSTRUMENTS)


INSTRUMENT_COLOURS: Mapping[str, str] = _InstrumentColours()

BADGE_COLOURS = {
    "Remission": (OK_GREEN, OK_BG),
    "Response": (OK_GREEN, OK_BG),
    "Partial": (WARN_AMBER, WARN_BG),
    "Non-response": (MUTED, "#eeeeee"),
}

PHASE_COLOURS = {
    "induction": QColor(31, 95, 168, 22),
    "continuation": QColor(46, 133, 64, 22),
    "maintenance": QColor(160, 90, 0, 22),
    "follow_up": QColor(95, 99, 104, 22),
}

DARK_TEXT = {
    FLAG_RED: "#ff8a80",
    WARN_AMBER: "#f0b95a",
    MUTED: "#a8adb3",
    OK_GREEN: "#7ccf94",
}
"""Each meaning's text colour in a dark palette (>= 5:1 on the dark window)."""
DARK_BACKINGS = {FLAG_BG: "#5c1f1b", WARN_BG: "#4d3800", OK_BG: "#1f3d2a"}
"""Each meaning's backing in a dark palette, under its dark text colour."""


def style_sheet(dark: bool = False) -> str:
    """The window's style sheet; a dark palette gets light text colours on dark backings."""

    def c(hex_code: str) -> str:
        return DARK_TEXT.get(hex_code, hex_code) if dark else hex_code

    def bg(hex_code: str) -> str:
        return DARK_BACKINGS.get(hex_code, hex_code) if dark else hex_code

    rule, current = ("#444444", "#27415f") if dark else ("#e3e3e3", "#e8f0fe")
    return f"""
QMainWindow, QDialog {{ font-size: 10pt; }}
QLabel#safetyBanner, QLabel#formSafety {{
    background: {bg(FLAG_BG)}; color: {c(FLAG_RED)}; border: 2px solid {c(FLAG_RED)};
    border-radius: 4px; padding: 6px 10px; font-weight: bold;
}}
QLabel#safetyBanner[calm="true"] {{
    background: transparent; color: {c(MUTED)}; border: 2px solid transparent;
    font-weight: normal;
}}
QLabel#warning {{ color: {c(WARN_AMBER)}; }}
QLabel#error {{ color: {c(FLAG_RED)}; font-weight: bold; }}
QLabel#openFlagsStatus[alert="true"] {{ color: {c(FLAG_RED)}; font-weight: bold; }}
QLabel#muted {{ color: {c(MUTED)}; }}
QLabel#sectionTitle {{ font-size: 12pt; font-weight: bold; }}
QLabel#patientTitle {{ font-size: 14pt; font-weight: bold; }}
QFrame#itemRow {{ border-bottom: 1px solid {rule}; }}
QFrame#itemRow[current="true"] {{ background: {current}; border-left: 4px solid {ACCENT}; }}
QFrame#itemRow[missing="true"] QLabel#itemState {{ color: {c(WARN_AMBER)}; }}
QPushButton#answer {{ min-width: 34px; min-height: 26px; }}
QPushButton#answer:checked {{ background: {ACCENT}; color: white; font-weight: bold; }}
QLabel#totalLine {{ font-size: 12pt; font-weight: bold; padding: 4px; }}
QPushButton#flagButton {{ color: {c(FLAG_RED)}; font-weight: bold; }}
QWidget#idleCurtain {{ background: palette(window); }}
QWidget#idleCurtain QLabel {{ font-size: 14pt; }}
"""


def text_colour(hex_code: str, palette: QPalette | None = None) -> QColor:
    """A meaning's text colour (FLAG_RED, WARN_AMBER, MUTED, OK_GREEN) for the palette in
    force: the light one as defined, its lighter twin in a dark palette."""
    if palette is None:
        palette = QGuiApplication.palette()
    return QColor(DARK_TEXT.get(hex_code, hex_code) if is_dark(palette) else hex_code)


def colour(hex_code: str) -> QColor:
    return QColor(hex_code)


def heat_colour(fraction: float, *, dark: bool = False) -> QColor:
    """How strongly an item is endorsed: white (0) to deep orange (1), or in a dark
    palette near-black to burnt orange (bright cells would glare in a dark window)."""
    f = max(0.0, min(1.0, fraction))
    if dark:
        return QColor(int(40 + 140 * f), int(40 + 30 * f), int(40 - 20 * f))
    return QColor(int(255 - 25 * f), int(255 - 150 * f), int(255 - 215 * f))


FLAG_CELL_DARK = ("#ffb4ab", "#5c1f1b")
"""A flagged cell in a dark palette: light red on dark red (7.4:1)."""


def flag_cell_colours(dark: bool) -> tuple[QColor, QColor]:
    """(text, background) of a flagged safety-item cell: red on pale red (5.5:1)."""
    text, background = FLAG_CELL_DARK if dark else (FLAG_RED, FLAG_BG)
    return QColor(text), QColor(background)
