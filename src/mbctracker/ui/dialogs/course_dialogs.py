"""Start a course, end it (completed / discontinued with a reason), record an event.

The start form's thresholds default from :class:`ClinicSettings`; whatever is
chosen is stored with the course, so later changes to clinic policy never
re-score an old course.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import (
    TYPICAL_PLANNED_SESSIONS,
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
)
from ...domain.instruments import Instrument, remission_settable
from ...domain.settings import DEFAULT_SETTINGS, ClinicSettings
from ...domain.timeline import CourseInfo, PatientInfo
from ...services.courses import end_course, start_course
from ...services.events import record_event
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, date_edit, from_qdate


class FormDialog(SaveDialog):
    """A form, an inline error naming the field, Save / Cancel."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def add_row(self, label: str, widget: QWidget, field: str, accessible: str) -> None:
        widget.setAccessibleName(accessible)
        self.form.addRow(label, widget)
        self.field_widgets[field] = widget


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    return combo


def remission_widget(inst: Instrument, current: int) -> tuple[QComboBox | QSpinBox, str, str]:
    """A published choice (MADRS) or a number (PHQ-9, GAD-7), from the definition;
    with the form label and the accessible name."""
    if inst.remission_choices:
        combo = _combo(list(inst.remission_choices))
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo, f"{inst.name} remission:", f"{inst.name} remission definition"
    spin = QSpinBox()
    spin.setRange(inst.total_min, inst.total_max)
    spin.setValue(current)
    return spin, f"{inst.name} remission ≤", f"{inst.name} remission maximum"


def remission_value(widget: QComboBox | QSpinBox) -> int:
    return int(widget.currentData() if isinstance(widget, QComboBox) else widget.value())


class StartCourseDialog(FormDialog):
    """Modality, start date, planned sessions and the thresholds in force."""

    def __init__(
        self,
        ops: Operations,
        patient: PatientInfo,
        settings: ClinicSettings = DEFAULT_SETTINGS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Start a course - {patient.name}", parent)
        self.ops, self.patient, self.settings = ops, patient, settings
        self.modality = _combo([(m.label, m) for m in Modality])
        self.start = date_edit(date.today(), "Start date")
        self.planned = QSpinBox()
        self.planned.setRange(1, 500)
        self.add_row("&Modality:", self.modality, "modality", "Modality")
        self.add_row("&Start date:", self.start, "start_date", "Start date")
        self.add_row("&Planned sessions:", self.planned, "planned_sessions", "Planned sessions")
        self.remission: dict[str, QComboBox | QSpinBox] = {}
        for inst in remission_settable():
            self._add_remission(inst, mnemonic=not self.remission)
        note = QLabel(
            f"Response ≥ {float(settings.response_fraction) * 100:.0f}% improvement from baseline; "
            f"partial ≥ {float(settings.partial_fraction) * 100:.0f}%. Clinic defaults; stored "
            "with the course."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.modality.currentIndexChanged.connect(self._modality_changed)
        self._modality_changed()

    def _add_remission(self, inst: Instrument, mnemonic: bool) -> None:
        current = self.settings.for_instrument(inst.code).remission_max or 0
        widget, label, accessible = remission_widget(inst, current)
        if mnemonic:
            label = label.replace("remission", "&remission")
        self.add_row(label, widget, inst.code.lower(), accessible)
        self.remission[inst.code] = widget

    def _modality_changed(self) -> None:
        self.planned.setValue(TYPICAL_PLANNED_SESSIONS[self.modality.currentData()])

    def chosen_settings(self) -> ClinicSettings:
        chosen = self.settings
        for code, widget in self.remission.items():
            chosen = chosen.with_thresholds(code, remission_max=remission_value(widget))
        return chosen

    def submit(self) -> CourseInfo:
        return self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=self.patient.id),
            start_course,
            self.patient.id,
            self.modality.currentData(),
            from_qdate(self.start.date()),
            self.planned.value(),
            self.chosen_settings(),
        )


class EndCourseDialog(FormDialog):
    """Completed, or discontinued with a reason category (which also logs a dropout)."""

    def __init__(self, ops: Operations, course: CourseInfo, parent: QWidget | None = None) -> None:
        super().__init__("End course", parent)
        self.ops, self.course = ops, course
        self.status = _combo([(s.label, s) for s in CourseStatus if s != CourseStatus.ACTIVE])
        self.end = date_edit(date.today(), "End date")
        self.reason = _combo([("(choose a reason)", None)] + [(r.label, r) for r in DropoutReason])
        self.description = QLineEdit()
        self.add_row("&Status:", self.status, "status", "Course status")
        self.add_row("&End date:", self.end, "end_date", "End date")
        self.add_row("&Reason:", self.reason, "reason", "Discontinuation reason")
        self.add_row("&Description:", self.description, "description", "Description")
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def _status_changed(self) -> None:
        self.reason.setEnabled(self.status.currentData() == CourseStatus.DISCONTINUED)

    def submit(self) -> CourseInfo:
        discontinued = self.status.currentData() == CourseStatus.DISCONTINUED
        return self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=self.course.patient_id, course_id=self.course.id),
            end_course,
            self.course.id,
            self.status.currentData(),
            from_qdate(self.end.date()),
            expected_version=self.course.version,
            reason=self.reason.currentData() if discontinued else None,
            description=self.description.text().strip(),
        )


class EventDialog(FormDialog):
    """Hospitalization, ED visit, adverse event or dropout (with a reason)."""

    def __init__(self, ops: Operations, course: CourseInfo, parent: QWidget | None = None) -> None:
        super().__init__("Record an event", parent)
        self.ops, self.course = ops, course
        self.kind = _combo([(k.label, k) for k in EventKind])
        self.when = date_edit(date.today(), "Event date")
        self.reason = _combo([("(none)", None)] + [(r.label, r) for r in DropoutReason])
        self.description = QLineEdit()
        self.add_row("&Kind:", self.kind, "kind", "Event kind")
        self.add_row("&Date:", self.when, "when", "Event date")
        self.add_row("&Reason:", self.reason, "reason", "Dropout reason")
        self.add_row("D&escription:", self.description, "description", "Event description")

    def submit(self) -> Any:
        return self.ops.run(
            Changed(ChangeKind.EVENT, patient_id=self.course.patient_id, course_id=self.course.id),
            record_event,
            self.course.id,
            self.kind.currentData(),
            from_qdate(self.when.date()),
            reason=self.reason.currentData(),
            description=self.description.text(),
        )
