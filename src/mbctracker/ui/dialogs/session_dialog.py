"""Record or correct a treatment session; fields come from ``SESSION_FIELDS``.

Impossible values are refused by the service with the field named; implausible
ones are warned about live beside the field (with the plausible range) and, at
Save, in a question naming each one: "Save anyway" stores them with the session
(shown in the course view and the PDF); "Go back" keeps the form.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import (
    PRN_MEDICATIONS,
    SESSION_FIELDS,
    SIDE_EFFECTS,
    DetailField,
    Phase,
    check_session_details,
)
from ...domain.errors import DomainError
from ...domain.limits import SessionFacts, session_warnings
from ...domain.timeline import CourseInfo, SessionRecord
from ...services.sessions import (
    SessionInput,
    SessionResult,
    UnconfirmedWarningsError,
    correct_session,
    record_session,
)
from ...storage.errors import StorageError
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, ask, datetime_edit, from_qdatetime, line_edit, notes_box

DetailWidget = QLineEdit | QComboBox


class SessionDialog(SaveDialog):
    """One session's details, side effects, as-needed medication and notes."""

    def __init__(
        self,
        ops: Operations,
        course: CourseInfo,
        existing: SessionRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.course, self.existing = ops, course, existing
        self.setObjectName("sessionDialog")
        number = existing.number if existing else None
        self.setWindowTitle(
            f"Correct session {number}" if existing else f"Record {course.modality.label} session"
        )
        start = existing.when if existing else datetime.now().replace(second=0, microsecond=0)
        self.when = datetime_edit(start, "Session date and time")
        self.phase = QComboBox()
        self.phase.setAccessibleName("Session phase")
        self.phase.addItem("By date (the phase in force that day)", None)
        for phase in Phase:
            self.phase.addItem(phase.label, phase)
        self.phase.setCurrentIndex(0)  # another choice dates a phase change to this session
        self.fields = SESSION_FIELDS[course.modality]
        self.inputs: dict[str, DetailWidget] = {}
        self.hints: dict[str, QLabel] = {}
        self.side_effects = {s: QCheckBox(s) for s in SIDE_EFFECTS[course.modality]}
        self.side_text = line_edit("Other side effects", "Other side effects (free text)")
        self.prn = {m: QCheckBox(m) for m in PRN_MEDICATIONS[course.modality]}
        self.notes = notes_box("Session notes")
        self._build()
        self.field_widgets = {**self.inputs, "when": self.when}
        self._acknowledge = False
        self.question: QMessageBox | None = None
        """The open "unusual values" question, if any (tests answer it by keyboard)."""
        if existing:
            self._fill(existing)

    # -- construction ------------------------------------------------------------
    def _detail_widget(self, spec: DetailField) -> DetailWidget:
        name = f"{spec.label} ({spec.unit})" if spec.unit else spec.label
        if spec.kind == "choice":
            combo = QComboBox()
            combo.setAccessibleName(name)
            combo.addItem("(not recorded)", "")
            for choice in spec.choices:
                combo.addItem(choice, choice)
            return combo
        edit = line_edit(name)
        if spec.kind == "int":
            edit.setValidator(QIntValidator(0, 100000, edit))
        elif spec.kind == "float":
            validator = QDoubleValidator(0.0, 100000.0, 3, edit)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            edit.setValidator(validator)
        if spec.plausible:
            lo, hi = spec.plausible
            edit.setPlaceholderText(f"usually {lo:g}-{hi:g}")
        edit.textChanged.connect(lambda _t, key=spec.key: self._check_field(key))
        return edit

    def _details_box(self) -> QGroupBox:
        box = QGroupBox(f"{self.course.modality.label} details")
        grid = QGridLayout(box)
        for row, spec in enumerate(self.fields):
            widget = self._detail_widget(spec)
            self.inputs[spec.key] = widget
            hint = QLabel()
            hint.setObjectName("warning")
            self.hints[spec.key] = hint
            label = QLabel(spec.label + ":")
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(QLabel(spec.unit), row, 2)
            grid.addWidget(hint, row, 3)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(1, 150)
        return box

    def _checks_box(
        self, title: str, boxes: dict[str, QCheckBox], extra: QWidget | None
    ) -> QGroupBox:
        group = QGroupBox(title)
        layout = QGridLayout(group)
        for i, box in enumerate(boxes.values()):
            box.setAccessibleName(f"{title}: {box.text()}")
            layout.addWidget(box, i // 3, i % 3)
        if extra is not None:
            layout.addWidget(extra, (len(boxes) + 2) // 3, 0, 1, 3)
        return group

    def _build(self) -> None:
        top = QFormLayout()
        top.addRow("&Date and time:", self.when)
        top.addRow("&Phase:", self.phase)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        notes = QHBoxLayout()
        notes.addWidget(QLabel("Notes:"))
        notes.addWidget(self.notes, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._details_box())
        layout.addWidget(self._checks_box("Side effects", self.side_effects, self.side_text))
        layout.addWidget(self._checks_box("As-needed medication", self.prn, None))
        layout.addLayout(notes)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)

    def _fill(self, record: SessionRecord) -> None:
        for key, value in record.details.items():
            widget = self.inputs.get(key)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(str(value))))
            elif widget is not None and value is not None:
                widget.setText(f"{value:g}" if isinstance(value, float) else str(value))
        for name, box in self.side_effects.items():
            box.setChecked(name in record.side_effects)
        for name, box in self.prn.items():
            box.setChecked(name in record.prn_medication)
        self.side_text.setText(record.side_effects_text)
        self.notes.setPlainText(record.notes)

    # -- values ------------------------------------------------------------------
    def _value(self, spec: DetailField) -> object:
        widget = self.inputs[spec.key]
        if isinstance(widget, QComboBox):
            return widget.currentData() or None
        text = widget.text().strip().replace(",", ".")
        if not text:
            return None
        if spec.kind == "text":
            return text
        try:
            return int(text) if spec.kind == "int" else float(text)
        except ValueError:
            raise DomainError(f"{spec.label} must be a number", field=spec.key) from None

    def details(self) -> dict[str, object]:
        values = {spec.key: self._value(spec) for spec in self.fields}
        return {k: v for k, v in values.items() if v is not None}

    def _check_field(self, key: str) -> None:
        """Live: impossible in red words; every warning rule's finding beside its field.

        All hints are refreshed, not only ``key``'s: a rule may compare fields (a dose
        in mg against mg/kg), so typing in one can raise or clear another's warning.
        """
        del key
        valid: dict[str, object] = {}
        for spec in self.fields:
            try:
                value = self._value(spec)
                check_session_details(self.course.modality, {spec.key: value} if value else {})
            except DomainError as exc:
                self.hints[spec.key].setText("✖ " + str(exc))
                continue
            self.hints[spec.key].setText("")
            if value is not None:
                valid[spec.key] = value
        facts = SessionFacts(self.course.modality, valid, self.course.settings)
        for warning in session_warnings(facts):
            hint = self.hints.get(warning.field)
            if hint is not None and not hint.text():
                hint.setText("⚠ " + warning.text)

    def session_input(self) -> SessionInput:
        return SessionInput(
            when=from_qdatetime(self.when.dateTime()),
            details=self.details(),
            side_effects=[n for n, b in self.side_effects.items() if b.isChecked()],
            side_effects_text=self.side_text.text().strip(),
            prn_medication=[n for n, b in self.prn.items() if b.isChecked()],
            notes=self.notes.toPlainText().strip(),
            phase=self.phase.currentData(),
        )

    # -- saving ------------------------------------------------------------------
    def submit(self) -> SessionResult:
        data = self.session_input()
        change = Changed(ChangeKind.SESSION, self.course.patient_id, self.course.id)
        confirmed = self._acknowledge
        if self.existing is None:
            return self.ops.run(
                change, record_session, self.course.id, data, acknowledge_warnings=confirmed
            )
        return self.ops.run(
            change,
            correct_session,
            self.existing.id,
            data,
            expected_version=self.existing.version,
            acknowledge_warnings=confirmed,
        )

    def refused(self, exc: DomainError | StorageError) -> bool:
        """Unusual values: ask, naming each one, instead of a red line under the form."""
        if not isinstance(exc, UnconfirmedWarningsError):
            return False
        listed = "\n".join(f"• {w.text}" for w in exc.warnings)
        self.question = ask(
            self,
            "confirmWarnings",
            "Unusual values",
            f"{listed}\n\nSave the session with these values? The warnings stay on the "
            "session record, in the course view and on the printed summary.",
            ("&Save anyway", "&Go back"),
            lambda save: self._warnings_answered(exc, save),
        )
        return True

    def _warnings_answered(self, exc: UnconfirmedWarningsError, save: bool) -> None:
        self.question = None
        if not save:
            self.error.show_error(ValueError("Not saved: check the unusual values."))
            self.focus_field(exc.field)
            return
        self._acknowledge = True
        try:
            self.save()
        finally:
            self._acknowledge = False
