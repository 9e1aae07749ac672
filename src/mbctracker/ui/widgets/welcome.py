"""The first day: what the app does and the three ways to begin, instead of blank panes.

Shown in place of the list and course panes while the open database holds no patient.
The demo clinic is written to its own file beside the real one and opened; it is never
written into the clinic's database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..i18n import QT_TRANSLATE_NOOP

WELCOME_TEXT = QT_TRANSLATE_NOOP(
    "WelcomePanel",
    "Keep each patient's course of IV ketamine, IM ketamine-assisted psychotherapy, "
    "esketamine, TMS or ECT. Before every session type the PHQ-9, GAD-7 and MADRS from the "
    "keyboard, see at once whether the patient is responding, remitting or flagged for "
    "suicidal thoughts, and print a PDF summary for the chart.",
)
BEGIN_TEXT = QT_TRANSLATE_NOOP(
    "WelcomePanel", "This database has no patients yet. Begin with one of these:"
)


class WelcomePanel(QWidget):
    """Buttons emit; the main window runs the action (one place for each)."""

    new_patient_requested = Signal()
    demo_requested = Signal()
    open_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel(self.tr("Welcome to mbctracker"))
        title.setObjectName("patientTitle")
        text = QLabel(self.tr(WELCOME_TEXT))
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        self.new_patient = QPushButton(self.tr("&New patient… (Ctrl+N)"))
        self.demo = QPushButton(
            self.tr("Open the &demo clinic (synthetic patients, a separate file)")
        )
        self.open_file = QPushButton(self.tr("&Open another database… (Ctrl+O)"))
        self.help = QPushButton(self.tr("&Keyboard reference and guide (F1)"))
        self.new_patient.setDefault(True)
        self.new_patient.clicked.connect(self.new_patient_requested)
        self.demo.clicked.connect(self.demo_requested)
        self.open_file.clicked.connect(self.open_requested)
        self.help.clicked.connect(self.help_requested)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(text)
        column.addWidget(QLabel(self.tr(BEGIN_TEXT)))
        for button in (self.new_patient, self.demo, self.open_file, self.help):
            column.addWidget(button)
        column.addStretch(1)
        box = QWidget()
        box.setLayout(column)
        box.setFixedWidth(640)  # a fixed width lets the wrapped text take its full height
        row = QHBoxLayout()  # stretches, not an alignment flag: the wrapped text keeps its height
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addSpacing(40)
        outer.addLayout(row)
        outer.addStretch(1)
