"""Link a pre-session assessment to a session, unlink it, or hand it back to the clinic's rule.

Scores are linked automatically (same day, or the next session within the clinic's
window); this dialog is for the exceptions. Keyboard: Up/Down choose, Enter saves,
Esc closes without saving.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import SessionId
from ...domain.instruments import INSTRUMENTS
from ...domain.timeline import AssessmentRecord, CourseTimeline
from ...services.schedule import link_assessment
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog

AUTOMATIC = "automatic"
UNLINKED = "unlinked"


class LinkSessionDialog(SaveDialog):
    """One list: the automatic rule, "not linked", then the course's sessions, newest first."""

    def __init__(
        self,
        ops: Operations,
        timeline: CourseTimeline,
        record: AssessmentRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.timeline, self.record = ops, timeline, record
        self.setObjectName("linkSessionDialog")
        name = INSTRUMENTS[record.instrument].name
        self.setWindowTitle(
            self.tr("Link {0} of {1:%Y-%m-%d %H:%M} to a session").format(name, record.when)
        )
        self.choices = QListWidget()
        self.choices.setAccessibleName(self.tr("Session to link"))
        self._fill()
        # Enter reaches the default Save button (a list's own activation would save twice)
        self.choices.itemDoubleClicked.connect(lambda _item: self.save())
        self.field_widgets = {"session_id": self.choices}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{name}</b> · {term(record.timepoint.label)} · {self._now()}"))
        layout.addWidget(self.choices)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.choices.setFocus(Qt.FocusReason.OtherFocusReason)

    def _now(self) -> str:
        if self.record.session_number is None:
            return self.tr("not linked")
        how = self.tr("set by hand") if self.record.link_manual else self.tr("linked automatically")
        return self.tr("session {0} ({1})").format(self.record.session_number, how)

    def _fill(self) -> None:
        window = self.timeline.course.settings.link_window_days
        self._add(
            self.tr("Automatic: same day, or the next session within {0} days").format(window),
            AUTOMATIC,
        )
        self._add(self.tr("Not linked"), UNLINKED)
        for s in reversed(self.timeline.sessions):
            label = self.tr("Session {0} · {1:%Y-%m-%d %H:%M} · {2}").format(
                s.number, s.when, term(s.phase.label)
            )
            self._add(label, s.id)
        current = self._current_choice()
        for row in range(self.choices.count()):
            if self.choices.item(row).data(Qt.ItemDataRole.UserRole) == current:
                self.choices.setCurrentRow(row)

    def _current_choice(self) -> object:
        if not self.record.link_manual:
            return AUTOMATIC
        return self.record.session_id if self.record.session_id is not None else UNLINKED

    def _add(self, label: str, data: object) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, data)
        self.choices.addItem(item)

    def chosen(self) -> object:
        item = self.choices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else AUTOMATIC

    def submit(self) -> None:
        choice = self.chosen()
        t = self.timeline
        change = Changed(ChangeKind.ASSESSMENT, t.patient.id, t.course.id)
        session_id = SessionId(choice) if isinstance(choice, int) else None
        self.ops.run(
            change,
            link_assessment,
            self.record.id,
            session_id,
            automatic=choice == AUTOMATIC,
            expected_version=self.record.version,
        )
