"""Help -> Keyboard reference and guide (F1): the keys, read from the menus themselves.

The menu keys are read from the window's actions, so the reference cannot drift from
what the keys do; the keys inside forms (digits, Space, Backspace) are listed here.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..i18n import QT_TRANSLATE_NOOP, translate

FORM_KEYS = (
    (
        "Ctrl+F, type, Down/Enter",
        QT_TRANSLATE_NOOP("help", "find the patient by name or MRN (case and accents ignored)"),
    ),
    ("0-9", QT_TRANSLATE_NOOP("help", "answer the focused item and move on; Enter saves")),
    (
        "Space / Down, Up, Backspace",
        QT_TRANSLATE_NOOP("help", "skip (leave missing), go back, clear"),
    ),
    ("Enter / Esc", QT_TRANSLATE_NOOP("help", "save / cancel")),
    ("1-5 in the safety alert", QT_TRANSLATE_NOOP("help", "record the action taken")),
    (
        "Tab, Shift+Tab",
        QT_TRANSLATE_NOOP(
            "help", "move between the patient list, the course and the forms' fields"
        ),
    ),
)

GUIDE = QT_TRANSLATE_NOOP(
    "help",
    "<h3>A session day</h3><ol>"
    "<li>Find the patient: Ctrl+F, type part of the name or MRN, Enter.</li>"
    "<li>Enter today's scores: Ctrl+E, type each answer as a digit; Enter saves. A "
    "suicidality answer opens the safety alert: record what was done (keys 1-5).</li>"
    "<li>Record the session: Ctrl+R (dose, modality details, side effects).</li>"
    "<li>Read the course: the chart shows the scores against the response and remission "
    "lines; the summary says responding, remitting or not, and lists open safety flags.</li>"
    "<li>Print or save the summary: Ctrl+P or Ctrl+Shift+P.</li></ol>"
    "<p>Every change is kept in the change log; backups are made automatically beside the "
    "database. The full documentation is in the docs folder of the project "
    '(<a href="https://github.com/mbctracker/mbctracker">github.com/mbctracker/mbctracker</a>).'
    "</p>",
)


def key_rows(actions: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(keys, what) for every menu action with a key, then the keys inside forms."""
    rows = [(keys, text) for keys, text in actions.values() if keys]
    return sorted(rows) + [(keys, translate("help", what)) for keys, what in FORM_KEYS]


def help_html(actions: dict[str, tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
        for keys, what in key_rows(actions)
    )
    return translate(
        "help", "<h3>Keyboard reference</h3><table cellpadding='3'>{0}</table>{1}"
    ).format(cells, translate("help", GUIDE))


class HelpDialog(QDialog):
    def __init__(self, actions: dict[str, tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard reference and guide"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(help_html(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 620)
