"""Colours, fonts and the style sheet: colour carries meaning, text always says it too."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtGui import QColor

from ..domain.instruments import INSTRUMENTS

FLAG_RED = "#b3261e"
FLAG_BG = "#fde7e9"
WARN_AMBER = "#8a5a00"
WARN_BG = "#fff4ce"
OK_GREEN = "#1e6b3a"
OK_BG = "#e3f4e8"
ACCENT = "#1f5fa8"
MUTED = "#5f6368"
GRID = "#e6e6e6"
"""Faint score lines behind the chart."""


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

STYLE_SHEET = f"""
QMainWindow, QDialog {{ font-size: 10pt; }}
QLabel#safetyBanner, QLabel#formSafety {{
    background: {FLAG_BG}; color: {FLAG_RED}; border: 2px solid {FLAG_RED};
    border-radius: 4px; padding: 6px 10px; font-weight: bold;
}}
QLabel#warning {{ color: {WARN_AMBER}; }}
QLabel#error {{ color: {FLAG_RED}; font-weight: bold; }}
QLabel#openFlagsStatus[alert="true"] {{ color: {FLAG_RED}; font-weight: bold; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#sectionTitle {{ font-size: 12pt; font-weight: bold; }}
QLabel#patientTitle {{ font-size: 14pt; font-weight: bold; }}
QFrame#itemRow {{ border-bottom: 1px solid #e3e3e3; }}
QFrame#itemRow[current="true"] {{ background: #e8f0fe; border-left: 4px solid {ACCENT}; }}
QFrame#itemRow[missing="true"] QLabel#itemState {{ color: {WARN_AMBER}; }}
QPushButton#answer {{ min-width: 34px; min-height: 26px; }}
QPushButton#answer:checked {{ background: {ACCENT}; color: white; font-weight: bold; }}
QLabel#totalLine {{ font-size: 12pt; font-weight: bold; padding: 4px; }}
QPushButton#flagButton {{ color: {FLAG_RED}; font-weight: bold; }}
QWidget#idleCurtain {{ background: palette(window); }}
QWidget#idleCurtain QLabel {{ font-size: 14pt; }}
"""


def colour(hex_code: str) -> QColor:
    return QColor(hex_code)


def heat_colour(fraction: float) -> QColor:
    """White (0) to deep orange (1): how strongly an item is endorsed."""
    f = max(0.0, min(1.0, fraction))
    return QColor(int(255 - 25 * f), int(255 - 150 * f), int(255 - 215 * f))
