"""The app's identity on screen: its icon and the About box text.

The About box is where a clinic checks what it runs and on what terms: the version,
the licence, the open files, and each instrument's copyright note (why the MADRS shows
labels only), read from the instrument definitions so a new instrument brings its own.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtGui import QIcon

from ..domain.instruments import INSTRUMENTS
from .i18n import QT_TRANSLATE_NOOP, translate

# the AppStream id and .desktop file name (packaging/), so the desktop matches the window
DESKTOP_ID = "io.github.mbctracker.mbctracker"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """The window icon, every PNG size plus the SVG (the desktop picks the sharpest)."""
    from importlib import resources  # ~20 ms (zipfile): after the first paint

    icons = resources.files("mbctracker.resources").joinpath("icons")
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icons.joinpath(f"mbctracker-{size}.png")))
    return icon


def about_html(db_path: Path, settings_file: str) -> str:
    """Rich text for the About box; every value escaped (paths may hold anything)."""
    from .. import __version__

    none = translate("about", "no note recorded")
    terms = "".join(
        f"<li><b>{escape(i.name)}</b>: {escape(i.licence or none)}</li>"
        for i in INSTRUMENTS.values()
    )
    return (
        f"<h3>mbctracker {escape(__version__)}</h3>"
        + translate(
            "about",
            "<p>Measurement-based care tracker for interventional psychiatry.</p>"
            "<p>Licence: MIT (the LICENSE file shipped with the app). "
            "All demo data is synthetic.</p>",
        )
        + translate("about", "<p>Database: {0}<br>Window settings: {1}</p>").format(
            escape(str(db_path)), escape(settings_file)
        )
        + translate("about", "<p>Instruments and their terms of use:</p><ul>{0}</ul>").format(terms)
        + translate("about", INSTRUMENT_LANGUAGE)
    )


INSTRUMENT_LANGUAGE = QT_TRANSLATE_NOOP(
    "about",
    "<p>Questionnaire items are shown in English in every language: a translated PHQ-9 or "
    "GAD-7 must be the official wording, word for word, and it is not verified here yet.</p>",
)
"""Why the item texts stay in English (issue 14): never an unofficial paraphrase."""
