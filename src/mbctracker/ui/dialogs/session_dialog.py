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
    QPushButton,
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
from ...domain.procedure import SAME_AS_LAST, carried_over, changed_settings, complete_dose
from ...domain.timeline import CourseInfo, SessionRecord
from ...services.procedure import latest_weight, previous_session
from ...services.sessions import (
    SessionInput,
    SessionResult,
    UnconfirmedWarningsError,
    correct_session,
    record_session,
)
from ...storage.errors import StorageError
from ..i18n import term, translate
from ..operations import Changed, ChangeKind, Operations
from ..style import WARN_BG
from .forms import SaveDialog, ask, datetime_edit, from_qdatetime, line_edit, notes_box

DetailWidget = QLineEdit | QComboBox
CHANGED_STYLE = f"background: {WARN_BG};"


def _shown(value: object) -> str:
    if value in (None, ""):
        return translate("session_dialog", "(none)")
    return f"{value:g}" if isinstance(value, float) else str(value)


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
            self.tr("Correct session {0}").format(number)
            if existing
            else self.tr("Record {0} session").format(term(course.modality.label))
        )
        start = existing.when if existing else datetime.now().replace(second=0, microsecond=0)
        self.when = datetime_edit(start, self.tr("Session date and time"))
        self.phase = QComboBox()
        self.phase.setAccessibleName(self.tr("Session phase"))
        self.phase.addItem(self.tr("By date (the phase in force that day)"), None)
        for phase in Phase:
            self.phase.addItem(term(phase.label), phase)
        self.phase.setCurrentIndex(0)  # another choice dates a phase change to this session
        self.fields = SESSION_FIELDS[course.modality]
        self.inputs: dict[str, DetailWidget] = {}
        self.hints: dict[str, QLabel] = {}
        self.side_effects = {s: QCheckBox(s) for s in SIDE_EFFECTS[course.modality]}
        self.side_text = line_edit(
            self.tr("Other side effects"), self.tr("Other side effects (free text)")
        )
        self.prn = {m: QCheckBox(m) for m in PRN_MEDICATIONS[course.modality]}
        self.notes = notes_box(self.tr("Session notes"))
        self.previous: SessionRecord | None = None
        self.same_as_last = QPushButton(self.tr("Same as &last session"))
        self.same_as_last.setToolTip(
            self.tr("Fill the settings of the last session; changes are marked")
        )
        self.same_as_last.clicked.connect(self.fill_same_as_last)
        self.same_as_last.setVisible(course.modality in SAME_AS_LAST)
        self.changed_note = QLabel()
        self.changed_note.setObjectName("warning")
        self.changed_note.setAccessibleName(self.tr("Changed from the last session"))
        self._build()
        self.field_widgets = {**self.inputs, "when": self.when}
        self._acknowledge = False
        self.question: QMessageBox | None = None
        """The open "unusual values" question, if any (tests answer it by keyboard)."""
        if existing:
            self._fill(existing)
        self._procedure_helpers()

    # -- construction ------------------------------------------------------------
    def _detail_widget(self, spec: DetailField) -> DetailWidget:
        name = f"{term(spec.label)} ({spec.unit})" if spec.unit else term(spec.label)
        if spec.kind == "choice":
            combo = QComboBox()
            combo.setAccessibleName(name)
            combo.addItem(self.tr("(not recorded)"), "")
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
            edit.setPlaceholderText(self.tr("usually {0:g}-{1:g}").format(lo, hi))
        edit.textChanged.connect(lambda _t, key=spec.key: self._check_field(key))
        return edit

    def _details_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("{0} details").format(term(self.course.modality.label)))
        grid = QGridLayout(box)
        for row, spec in enumerate(self.fields):
            widget = self._detail_widget(spec)
            self.inputs[spec.key] = widget
            hint = QLabel()
            hint.setObjectName("warning")
            self.hints[spec.key] = hint
            label = QLabel(term(spec.label) + ":")
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
        top.addRow(self.tr("&Date and time:"), self.when)
        top.addRow(self.tr("&Phase:"), self.phase)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        notes = QHBoxLayout()
        notes.addWidget(QLabel(self.tr("Notes:")))
        notes.addWidget(self.notes, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.same_as_last)
        layout.addWidget(self._details_box())
        layout.addWidget(self.changed_note)
        layout.addWidget(
            self._checks_box(self.tr("Side effects"), self.side_effects, self.side_text)
        )
        layout.addWidget(self._checks_box(self.tr("As-needed medication"), self.prn, None))
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
            raise DomainError(
                self.tr("{0} must be a number").format(term(spec.label)), field=spec.key
            ) from None

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
                typed = {spec.key: value} if value not in (None, "") else {}
                check_session_details(self.course.modality, typed)
            except DomainError as exc:
                self.hints[spec.key].setText("✖ " + str(exc))
                continue
            self.hints[spec.key].setText("")
            if value is not None:
                valid[spec.key] = value
        facts = SessionFacts(self.course.modality, valid, self.course.settings)
        try:
            found = session_warnings(facts)
        except DomainError as exc:  # a combination refused (dose against weight) while typing
            hint = self.hints.get(getattr(exc, "field", None) or "")
            if hint is not None:
                hint.setText("✖ " + str(exc))
            return
        for warning in found:
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

    # -- around the session: weight, dose arithmetic, "same as last" -----------------
    def _procedure_helpers(self) -> None:
        """Default the weight to the latest, keep mg and mg/kg in step, mark changes."""
        before = self.existing.when if self.existing else None
        if self.course.modality in SAME_AS_LAST:
            self.previous = previous_session(self.ops.db, self.course.id, before)
            self.same_as_last.setEnabled(self.previous is not None)
        weight = self.inputs.get("weight_kg")
        if isinstance(weight, QLineEdit) and self.existing is None:
            latest = latest_weight(self.ops.db, self.course.patient_id)
            if latest is not None:
                weight.setText(f"{latest:g}")
        for key, source in (
            ("dose_mg_per_kg", "per_kg"),
            ("weight_kg", "per_kg"),
            ("dose_mg", "mg"),
        ):
            edit = self.inputs.get(key)
            if isinstance(edit, QLineEdit):
                edit.textEdited.connect(lambda _t, s=source: self._dose_from(s))
        for key in SAME_AS_LAST.get(self.course.modality, ()):
            widget = self.inputs[key]
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i: self._mark_changes())
            else:
                widget.textChanged.connect(lambda _t: self._mark_changes())
        self._mark_changes()

    def _dose_from(self, source: str) -> None:
        """Recompute mg (from mg/kg) or mg/kg (from mg) when a weight is known."""
        values = {}
        for key in ("dose_mg_per_kg", "dose_mg", "weight_kg"):
            spec = next(f for f in self.fields if f.key == key)
            try:
                values[key] = self._value(spec)
            except DomainError:
                return
        target = "dose_mg" if source == "per_kg" else "dose_mg_per_kg"
        values[target] = None
        filled = complete_dose({k: v for k, v in values.items() if v is not None})
        computed = filled.get(target)
        widget = self.inputs[target]
        if isinstance(computed, float) and isinstance(widget, QLineEdit):
            widget.setText(f"{computed:g}")

    def fill_same_as_last(self) -> None:
        """Copy the last session's settings (protocol, target, MT, % MT, pulses...)."""
        if self.previous is None:
            return
        for key, value in carried_over(self.course.modality, self.previous.details).items():
            widget = self.inputs.get(key)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(str(value))))
            elif widget is not None:
                widget.setText(f"{value:g}" if isinstance(value, float) else str(value))
        self._mark_changes()

    def _mark_changes(self) -> None:
        """Highlight each carried setting that differs from the last session, and say how."""
        if self.previous is None:
            return
        modality, before = self.course.modality, self.previous.details
        try:
            now = self.details()
        except DomainError:
            return
        typed = {k: v for k, v in now.items() if v is not None}
        changed = [k for k in changed_settings(modality, before, typed) if k in typed]
        for key in SAME_AS_LAST[modality]:
            self.inputs[key].setStyleSheet(CHANGED_STYLE if key in changed else "")
        words = [
            f"{self._label(k)} {_shown(before.get(k))} → {_shown(typed.get(k))}" for k in changed
        ]
        self.changed_note.setText(
            self.tr("Changed from the last session: ") + "; ".join(words) if words else ""
        )

    def _label(self, key: str) -> str:
        return next(f.label for f in self.fields if f.key == key)

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
            self.tr("Unusual values"),
            self.tr(
                "{0}\n\nSave the session with these values? The warnings stay on the "
                "session record, in the course view and on the printed summary."
            ).format(listed),
            (self.tr("&Save anyway"), self.tr("&Go back")),
            lambda save: self._warnings_answered(exc, save),
        )
        return True

    def _warnings_answered(self, exc: UnconfirmedWarningsError, save: bool) -> None:
        self.question = None
        if not save:
            self.error.show_error(ValueError(self.tr("Not saved: check the unusual values.")))
            self.focus_field(exc.field)
            return
        self._acknowledge = True
        try:
            self.save()
        finally:
            self._acknowledge = False
