"""Course -> Phases…: the course's dated phase changes, added, re-dated or removed.

The phase drop-down dates a change to today, which is right at the desk on the day
and wrong when the change is typed a week late from the paper chart: here a change
gets its real day, its phase is corrected, or one entered in error is removed.
Keyboard: Up/Down choose a change (or "New phase change…"), Tab to the phase and the
date, Enter saves, Alt+R removes the chosen change, Esc closes without saving.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Phase
from ...domain.schedule import PhaseChange
from ...domain.timeline import CourseTimeline
from ...services.courses import delete_phase_change, redate_phase_change, set_phase
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, date_edit, from_qdate, to_qdate


class PhaseChangesDialog(SaveDialog):
    """One list of the dated changes (oldest first), then "New phase change…"."""

    def __init__(
        self, ops: Operations, timeline: CourseTimeline, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.timeline = ops, timeline
        self.setObjectName("phaseChangesDialog")
        self.setWindowTitle(self.tr("Phases of this course"))
        self.removing = False
        self.changes = QListWidget()
        self.changes.setAccessibleName(self.tr("Phase changes"))
        self.phase = QComboBox()
        self.phase.setAccessibleName(self.tr("Phase"))
        for phase in Phase:
            self.phase.addItem(term(phase.label), phase)
        self.started_on = date_edit(date.today(), self.tr("Starts on"))
        self.field_widgets = {"phase": self.phase, "started_on": self.started_on}
        self._fill()
        self.changes.currentRowChanged.connect(self._chosen)
        self._layout()
        self.changes.setCurrentRow(max(self.changes.count() - 2, 0))
        self.changes.setFocus(Qt.FocusReason.OtherFocusReason)

    def _layout(self) -> None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        self.remove = QPushButton(self.tr("&Remove change"))
        self.remove.setAutoDefault(False)
        buttons.addButton(self.remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove.clicked.connect(self._remove)
        form = QFormLayout()
        form.addRow(self.tr("&Phase"), self.phase)
        form.addRow(self.tr("&Starts on"), self.started_on)
        layout = QVBoxLayout(self)
        layout.addWidget(self.changes)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _fill(self) -> None:
        start = self.timeline.course.start_date
        for change in self.timeline.phases:
            text = self.tr("{0:%Y-%m-%d} · {1}").format(change.started_on, term(change.phase.label))
            if change.started_on == start:
                text += self.tr(" (course start)")
            self._add(text, change)
        self._add(self.tr("New phase change…"), None)

    def _add(self, label: str, change: PhaseChange | None) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, change)
        self.changes.addItem(item)

    def chosen(self) -> PhaseChange | None:
        item = self.changes.currentItem()
        change = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return change if isinstance(change, PhaseChange) else None

    def _chosen(self, _row: int) -> None:
        """Fill the phase and date from the chosen change; a new one starts today."""
        change = self.chosen()
        phase = change.phase if change else self.timeline.course.phase
        self.phase.setCurrentIndex(self.phase.findData(phase))
        self.started_on.setDate(to_qdate(change.started_on if change else date.today()))
        first = change is not None and change.started_on == self.timeline.course.start_date
        self.remove.setEnabled(change is not None and not first)
        self.error.clear_error()

    def _remove(self) -> None:
        self.removing = True
        try:
            self.save()
        finally:
            self.removing = False

    def submit(self) -> object:
        course = self.timeline.course
        change = Changed(ChangeKind.COURSE, self.timeline.patient.id, course.id)
        chosen = self.chosen()
        phase: Phase = self.phase.currentData()
        started_on = from_qdate(self.started_on.date())
        if chosen is None:
            return self.ops.run(
                change,
                set_phase,
                course.id,
                phase,
                expected_version=course.version,
                started_on=started_on,
            )
        if self.removing:
            return self.ops.run(
                change,
                delete_phase_change,
                course.id,
                chosen.started_on,
                expected_version=course.version,
            )
        return self.ops.run(
            change,
            redate_phase_change,
            course.id,
            chosen.started_on,
            phase,
            started_on,
            expected_version=course.version,
        )
