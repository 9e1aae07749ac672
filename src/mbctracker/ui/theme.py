"""Light and dark: the system's palette followed, or a choice made at this desk.

The chart and the item heatmap take their colours from the palette in force, and
every colour meant to be read is checked against what it is drawn on (WCAG 2
contrast: 4.5:1 for text, 3:1 for lines): a brand colour that is too faint on a
dark background is lightened (hue kept) until it reaches that, never drawn faint.
The choice is stored per desk (View -> Theme, in the desk's settings file), not in
the clinic database: two people sharing a database may sit at different screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
THEME_KEY = "view/theme"
TEXT_TARGET = 5.0
"""What colours meant to be read are adjusted to: WCAG 2 asks 4.5:1 for text (3:1 for
lines, which use the same colours), with a margin for label backings."""

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#333333",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#363636",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.BrightText: "#ff8a80",
    QPalette.ColorRole.Light: "#4a4a4a",
    QPalette.ColorRole.Midlight: "#404040",
    QPalette.ColorRole.Mid: "#303030",
    QPalette.ColorRole.Dark: "#1a1a1a",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d7bc7",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
}
_DISABLED_TEXT = "#7a7a7a"


def dark_palette() -> QPalette:
    """A neutral dark palette (Fusion's roles), with dimmed text for disabled widgets."""
    palette = QPalette()
    for role, value in _DARK.items():
        palette.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor(_DISABLED_TEXT))
    return palette


def light_palette() -> QPalette:
    """Fusion's own light palette, whatever the system uses."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app.style().standardPalette()


def apply_theme(choice: str) -> str:
    """Use ``choice`` ("system", "light" or "dark") for the whole application; an
    unknown value (a hand-edited settings file) means "system". Returns what was used."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    choice = choice if choice in THEMES else "system"
    hints = QGuiApplication.styleHints()
    if choice == "system":
        hints.unsetColorScheme()
        app.setPalette(QPalette())  # nothing set: the platform's palette, and its changes
    else:
        scheme = Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light
        hints.setColorScheme(scheme)  # native title bars and dialogs where supported
        app.setPalette(dark_palette() if choice == "dark" else light_palette())
    return choice


def is_dark(palette: QPalette) -> bool:
    """Light text on a dark window, however the palette came to be."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


# -- contrast (WCAG 2) -----------------------------------------------------------
def luminance(colour: QColor) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(top: QColor, below: QColor) -> QColor:
    """``top`` (with its alpha) composited over an opaque ``below``."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + below.redF() * (1 - a),
        top.greenF() * a + below.greenF() * (1 - a),
        top.blueF() * a + below.blueF() * (1 - a),
    )


def readable(colour: QColor | str, background: QColor, minimum: float) -> QColor:
    """``colour`` itself when it contrasts enough with ``background``, else the same hue
    made lighter (on a dark background) or darker (on a light one) until it does."""
    start = QColor(colour)
    if contrast(start, background) >= minimum:
        return start
    hue, saturation, lightness = start.hslHueF(), start.hslSaturationF(), start.lightnessF()
    towards_white = luminance(background) < 0.18
    for step in range(1, 101):
        if towards_white:
            shade = lightness + (1 - lightness) * step / 100
        else:
            shade = lightness * (1 - step / 100)
        candidate = QColor.fromHslF(max(hue, 0.0), saturation, shade)
        if contrast(candidate, background) >= minimum:
            return candidate
    return QColor("white") if towards_white else QColor("black")


def text_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (>= 4.58:1
    on any colour)."""
    dark, light = QColor("#000000"), QColor("#ffffff")
    return dark if contrast(dark, background) >= contrast(light, background) else light
