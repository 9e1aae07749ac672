"""Start, edit and end a course (completed / discontinued with a reason); record or
correct an event.

The start form's thresholds default from :class:`ClinicSettings`; whatever is
chosen is stored with the course, so later changes to clinic policy never
re-score an old course. Changing them later (the edit form) needs a reason.
A course has one dropout: a dropout event offers to end the course, and ending
a course that has one uses it.
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
    QMessageBox,
    QPlainTextEdit,
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
from ...domain.limits import PLANNED_SESSIONS_MAX
from ...domain.settings import DEFAULT_SETTINGS, ClinicSettings
from ...domain.timeline import CourseInfo, CourseRecord, EventRecord, PatientInfo
from ...services.course_edit import CourseEdit, edit_course
from ...services.courses import end_course, start_course
from ...services.events import EventInput, correct_event, record_event
from ..errors import guarded
from ..i18n import term, translate
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, ask, date_edit, from_qdate, line_edit, notes_box, to_qdate


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


class _ThresholdsForm(FormDialog):
    """A course form with the remission thresholds that can be chosen per course."""

    settings: ClinicSettings

    def add_thresholds(self) -> None:
        self.remission: dict[str, QComboBox | QSpinBox] = {}
        for inst in remission_settable():
            self._add_remission(inst, mnemonic=not self.remission)

    def _add_remission(self, inst: Instrument, mnemonic: bool) -> None:
        current = self.settings.for_instrument(inst.code).remission_max or 0
        widget, label, accessible = remission_widget(inst, current)
        if mnemonic:
            label = label.replace("remission", "&remission")
        self.add_row(label, widget, inst.code.lower(), accessible)
        self.remission[inst.code] = widget

    def chosen_settings(self) -> ClinicSettings:
        chosen = self.settings
        for code, widget in self.remission.items():
            chosen = chosen.with_thresholds(code, remission_max=remission_value(widget))
        return chosen


def remission_widget(inst: Instrument, current: int) -> tuple[QComboBox | QSpinBox, str, str]:
    """A published choice (MADRS) or a number (PHQ-9, GAD-7), from the definition;
    with the form label and the accessible name (shared with Preferences)."""
    if inst.remission_choices:
        combo = _combo(list(inst.remission_choices))
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return (
            combo,
            translate("course_dialogs", "{0} remission:").format(inst.name),
            translate("course_dialogs", "{0} remission definition").format(inst.name),
        )
    spin = QSpinBox()
    spin.setRange(inst.total_min, inst.total_max)
    spin.setValue(current)
    return (
        spin,
        translate("course_dialogs", "{0} remission ≤").format(inst.name),
        translate("course_dialogs", "{0} remission maximum").format(inst.name),
    )


def remission_value(widget: QComboBox | QSpinBox) -> int:
    return int(widget.currentData() if isinstance(widget, QComboBox) else widget.value())


class StartCourseDialog(_ThresholdsForm):
    """Modality, start date, planned sessions and the thresholds in force."""

    def __init__(
        self,
        ops: Operations,
        patient: PatientInfo,
        settings: ClinicSettings = DEFAULT_SETTINGS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Start a course - {0}").format(patient.name), parent)
        self.ops, self.patient, self.settings = ops, patient, settings
        self.modality = _combo([(term(m.label), m) for m in Modality])
        self.start = date_edit(date.today(), self.tr("Start date"))
        self.planned = QSpinBox()
        self.planned.setRange(1, PLANNED_SESSIONS_MAX)
        self.add_row(self.tr("&Modality:"), self.modality, "modality", self.tr("Modality"))
        self.add_row(self.tr("&Start date:"), self.start, "start_date", self.tr("Start date"))
        self.add_row(
            self.tr("&Planned sessions:"),
            self.planned,
            "planned_sessions",
            self.tr("Planned sessions"),
        )
        self.add_thresholds()
        note = QLabel(
            self.tr(
                "Response ≥ {0:.0f}% improvement from baseline; partial ≥ {1:.0f}%. "
                "Clinic defaults; stored with the course."
            ).format(
                float(settings.response_fraction) * 100, float(settings.partial_fraction) * 100
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.modality.currentIndexChanged.connect(self._modality_changed)
        self._modality_changed()

    def _modality_changed(self) -> None:
        self.planned.setValue(TYPICAL_PLANNED_SESSIONS[self.modality.currentData()])

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
    """Completed, or discontinued with a reason category (which also logs a dropout).

    When the course already has a dropout event, the form starts from it (discontinued,
    its date and reason) and says so: ending the course uses that event, never a second.
    """

    def __init__(
        self,
        ops: Operations,
        course: CourseInfo,
        parent: QWidget | None = None,
        dropout: EventRecord | None = None,
    ) -> None:
        super().__init__(self.tr("End course"), parent)
        self.ops, self.course = ops, course
        self.status = _combo([(term(s.label), s) for s in CourseStatus if s != CourseStatus.ACTIVE])
        self.end = date_edit(date.today(), self.tr("End date"))
        self.reason = _combo(
            [(self.tr("(choose a reason)"), None)] + [(term(r.label), r) for r in DropoutReason]
        )
        self.description = QLineEdit()
        self.add_row(self.tr("&Status:"), self.status, "status", self.tr("Course status"))
        self.add_row(self.tr("&End date:"), self.end, "end_date", self.tr("End date"))
        self.add_row(self.tr("&Reason:"), self.reason, "reason", self.tr("Discontinuation reason"))
        self.add_row(
            self.tr("&Description:"), self.description, "description", self.tr("Description")
        )
        self.status.currentIndexChanged.connect(self._status_changed)
        if dropout is not None:
            self._from_dropout(dropout)
        self._status_changed()

    def _from_dropout(self, dropout: EventRecord) -> None:
        self.status.setCurrentIndex(self.status.findData(CourseStatus.DISCONTINUED))
        self.end.setDate(to_qdate(dropout.when))
        self.reason.setCurrentIndex(max(0, self.reason.findData(dropout.reason)))
        reason = term(dropout.reason.label).lower() if dropout.reason else self.tr("no reason")
        note = QLabel(
            self.tr(
                "The dropout recorded on {0:%Y-%m-%d} ({1}) is this course's "
                "dropout: no second one is added."
            ).format(dropout.when, reason)
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.form.addRow(note)

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
    """Record or correct a hospitalization, ED visit, adverse event or dropout (with a reason).

    A new dropout on an active course offers to end the course as discontinued
    (:func:`offer_to_end`), with the event's date and reason.
    """

    def __init__(
        self,
        ops: Operations,
        course: CourseInfo,
        parent: QWidget | None = None,
        existing: EventRecord | None = None,
    ) -> None:
        super().__init__(
            self.tr("Correct event") if existing else self.tr("Record an event"), parent
        )
        self.ops, self.course, self.existing = ops, course, existing
        self.kind = _combo([(term(k.label), k) for k in EventKind])
        self.when = date_edit(existing.when if existing else date.today(), self.tr("Event date"))
        self.reason = _combo(
            [(self.tr("(none)"), None)] + [(term(r.label), r) for r in DropoutReason]
        )
        self.description = QLineEdit()
        self.add_row(self.tr("&Kind:"), self.kind, "kind", self.tr("Event kind"))
        self.add_row(self.tr("&Date:"), self.when, "when", self.tr("Event date"))
        self.add_row(self.tr("&Reason:"), self.reason, "reason", self.tr("Dropout reason"))
        self.add_row(
            self.tr("D&escription:"), self.description, "description", self.tr("Event description")
        )
        if existing is not None:
            self.kind.setCurrentIndex(self.kind.findData(existing.kind))
            self.reason.setCurrentIndex(max(0, self.reason.findData(existing.reason)))
            self.description.setText(existing.description)

    def entered(self) -> EventInput:
        return EventInput(
            self.kind.currentData(),
            from_qdate(self.when.date()),
            self.reason.currentData(),
            self.description.text(),
        )

    def submit(self) -> EventRecord:
        change = Changed(
            ChangeKind.EVENT, patient_id=self.course.patient_id, course_id=self.course.id
        )
        data = self.entered()
        if self.existing is not None:
            return self.ops.run(
                change,
                correct_event,
                self.existing.id,
                data,
                expected_version=self.existing.version,
            )
        return self.ops.run(
            change,
            record_event,
            self.course.id,
            data.kind,
            data.when,
            reason=data.reason,
            description=data.description,
        )

    def succeeded(self, result: object) -> None:
        self.accept()
        new_dropout = isinstance(result, EventRecord) and result.kind == EventKind.DROPOUT
        if new_dropout and self.existing is None and self.course.status == CourseStatus.ACTIVE:
            assert isinstance(result, EventRecord)
            offer_to_end(self.parentWidget() or self, self.ops, self.course, result)


def offer_to_end(
    parent: QWidget, ops: Operations, course: CourseInfo, dropout: EventRecord
) -> QMessageBox:
    """After a dropout is recorded: end the course as discontinued now, with its reason?"""
    reason = (
        term(dropout.reason.label).lower()
        if dropout.reason
        else translate("course_dialogs", "no reason")
    )

    def answered(end: bool) -> None:
        if end:
            guarded(parent, lambda: _end_with(ops, course, dropout))

    return ask(
        parent,
        "endCourseOffer",
        translate("course_dialogs", "End the course?"),
        translate(
            "course_dialogs",
            "A dropout ({0}) is recorded on {1:%Y-%m-%d}. End the course as "
            "discontinued on that date? The dropout is counted once.",
        ).format(reason, dropout.when),
        (
            translate("course_dialogs", "&End the course"),
            translate("course_dialogs", "&Keep it active"),
        ),
        answered,
    )


def _end_with(ops: Operations, course: CourseInfo, dropout: EventRecord) -> CourseInfo:
    return ops.run(
        Changed(ChangeKind.COURSE, patient_id=course.patient_id, course_id=course.id),
        end_course,
        course.id,
        CourseStatus.DISCONTINUED,
        dropout.when,
        expected_version=course.version,
    )


class EditCourseDialog(_ThresholdsForm):
    """The plan, start date and thresholds (a change needs a reason) and the course record:
    diagnosis, current medications, prior treatment trials and prescriber (the PDF prints
    them for payer and referral letters)."""

    def __init__(self, ops: Operations, course: CourseInfo, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Edit course - {0}").format(term(course.modality.label)), parent)
        self.setObjectName("editCourseDialog")
        self.ops, self.course, self.settings = ops, course, course.settings
        self.start = date_edit(course.start_date, self.tr("Start date"))
        self.planned = QSpinBox()
        self.planned.setRange(1, PLANNED_SESSIONS_MAX)
        self.planned.setValue(course.planned_sessions)
        self.add_row(self.tr("&Start date:"), self.start, "start_date", self.tr("Start date"))
        self.add_row(
            self.tr("&Planned sessions:"),
            self.planned,
            "planned_sessions",
            self.tr("Planned sessions"),
        )
        self.add_thresholds()
        self.threshold_reason = line_edit(
            self.tr("Reason for the threshold change"), self.tr("required when a threshold changes")
        )
        self.threshold_reason.setText(course.threshold_change_reason)
        self.add_row(
            self.tr("Reason for &change:"),
            self.threshold_reason,
            "threshold_reason",
            self.tr("Reason for change"),
        )
        self._record_rows(course)

    def _record_rows(self, course: CourseInfo) -> None:
        record = course.record
        self.diagnosis = self._box(self.tr("Diagnosis"), record.diagnosis)
        self.medications = self._box(self.tr("Current medications"), record.current_medications)
        self.prior = self._box(self.tr("Prior treatment trials"), record.prior_treatments, 70)
        self.prescriber = line_edit(self.tr("Prescriber"), self.tr("name and credentials"))
        self.prescriber.setText(record.prescriber)
        self.notes = self._box(self.tr("Course notes"), course.notes)
        self.add_row(self.tr("&Diagnosis:"), self.diagnosis, "diagnosis", self.tr("Diagnosis"))
        self.add_row(
            self.tr("Current &medications:"),
            self.medications,
            "current_medications",
            self.tr("Current medications"),
        )
        self.add_row(
            self.tr("Prior &treatment trials:"),
            self.prior,
            "prior_treatments",
            self.tr("Prior treatment trials"),
        )
        self.add_row(self.tr("Pr&escriber:"), self.prescriber, "prescriber", self.tr("Prescriber"))
        self.add_row(self.tr("&Notes:"), self.notes, "notes", self.tr("Course notes"))

    @staticmethod
    def _box(accessible: str, value: str, height: int = 46) -> QPlainTextEdit:
        """A multi-line box that Tab leaves (the form is driven by the keyboard)."""
        box = notes_box(accessible, height)
        box.setTabChangesFocus(True)
        box.setPlainText(value)
        return box

    def entered(self) -> CourseEdit:
        return CourseEdit(
            start_date=from_qdate(self.start.date()),
            planned_sessions=self.planned.value(),
            record=CourseRecord(
                diagnosis=self.diagnosis.toPlainText(),
                current_medications=self.medications.toPlainText(),
                prior_treatments=self.prior.toPlainText(),
                prescriber=self.prescriber.text(),
            ),
            notes=self.notes.toPlainText(),
            settings=self.chosen_settings(),
            threshold_reason=self.threshold_reason.text(),
        )

    def submit(self) -> CourseInfo:
        return self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=self.course.patient_id, course_id=self.course.id),
            edit_course,
            self.course.id,
            self.entered(),
            expected_version=self.course.version,
        )
