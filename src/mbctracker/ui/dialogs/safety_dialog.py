"""The safety alert: cannot be missed, offers to record the action, keeps the flag open if not.

PHQ-9 item 9 of 1 or more (or missing) and MADRS item 10 of 4 or more raise a
flag (CLINICAL.md). The flag stays visible in the patient list and on the course
until a clinician records what was done; "Not now" leaves it open on purpose.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import SafetyActionKind
from ...domain.errors import ValidationError
from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import AssessmentRecord
from ...services.assessments import record_safety_action
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from ..widgets.entry_form import safety_text
from .forms import SaveDialog


class SafetyActionDialog(SaveDialog):
    """Shows the flag and records the action taken (keys 1-5 pick the action)."""

    def __init__(
        self, ops: Operations, record: AssessmentRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.record = record
        self.setObjectName("safetyAlert")
        self.setWindowTitle(self.tr("Safety flag - record the action taken"))
        self.setAccessibleName(self.tr("Safety flag alert"))
        instrument = INSTRUMENTS[record.instrument]
        banner = QLabel(
            safety_text(instrument, record.score)
            + self.tr("\nRecorded {0:%Y-%m-%d %H:%M}; total {1}.").format(
                record.when, record.score.display_total
            )
        )
        banner.setObjectName("safetyBanner")
        banner.setWordWrap(True)
        banner.setAccessibleName(self.tr("Safety flag"))
        self.kinds = QButtonGroup(self)
        choices = QVBoxLayout()
        for number, kind in enumerate(SafetyActionKind, start=1):
            radio = QRadioButton(f"&{number}  {term(kind.label)}")
            radio.setAccessibleName(self.tr("Action taken: {0}").format(term(kind.label)))
            self.kinds.addButton(radio, number)
            choices.addWidget(radio)
        # Nothing is pre-selected: an Enter pressed out of habit must not record a review
        # that never happened.
        self.text = QLineEdit()
        self.text.setAccessibleName(self.tr("Action description"))
        self.text.setPlaceholderText(self.tr("What was done (required for Other)"))
        self._build(banner, choices)

    def _build(self, banner: QLabel, choices: QVBoxLayout) -> None:
        record_button = QPushButton(self.tr("Record action"))
        record_button.setDefault(True)
        record_button.setAccessibleName(self.tr("Record the action taken"))
        record_button.clicked.connect(self.record_action)
        later = QPushButton(self.tr("Not now - keep the flag open"))
        later.setAccessibleName(self.tr("Keep the safety flag open"))
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addWidget(QLabel(self.tr("Action taken:")))
        layout.addLayout(choices)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        note = QLabel(
            self.tr("Until an action is recorded the flag stays on the patient list and course.")
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def selected_kind(self) -> SafetyActionKind | None:
        checked = self.kinds.checkedId()
        return list(SafetyActionKind)[checked - 1] if checked > 0 else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if not self.text.hasFocus() and text.isdigit() and 1 <= int(text) <= len(SafetyActionKind):
            self.kinds.button(int(text)).setChecked(True)
            if int(text) == len(SafetyActionKind):
                self.text.setFocus()
            event.accept()
            return
        super().keyPressEvent(event)

    def record_action(self) -> None:
        """Record the chosen action (the flag closes); a refusal is named in the alert."""
        self.save()

    def submit(self) -> None:
        kind = self.selected_kind()
        if kind is None:
            choices = ", ".join(
                f"{n} {term(k.label)}" for n, k in enumerate(SafetyActionKind, start=1)
            )
            raise ValidationError(
                self.tr("Choose the action taken: {0}").format(choices), field="kind"
            )
        self.ops.run(
            Changed(ChangeKind.SAFETY_ACTION, course_id=self.record.course_id),
            record_safety_action,
            self.record.id,
            kind,
            self.text.text(),
        )

    def focus_field(self, field: str | None) -> None:
        if field != "kind":  # the action is chosen with keys 1-5; the rest is the note
            self.text.setFocus(Qt.FocusReason.OtherFocusReason)
