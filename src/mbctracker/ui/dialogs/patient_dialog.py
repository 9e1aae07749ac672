"""Register or edit a patient; a refused value is named and its field focused."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Action
from ...domain.course import Comorbidity, PatientId, Sex
from ...domain.errors import DomainError
from ...domain.timeline import PatientInfo
from ...services.access import may
from ...services.patients import (
    PatientInput,
    PossibleDuplicateError,
    register_patient,
    update_patient,
)
from ...storage.errors import StorageError
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, line_edit, notes_box, parse_optional_date


class PatientDialog(SaveDialog):
    """One form for both registering and editing (``patient`` given = edit)."""

    def __init__(
        self, ops: Operations, patient: PatientInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.patient = patient
        self.setWindowTitle(self.tr("Edit patient") if patient else self.tr("Register patient"))
        self.setObjectName("patientDialog")
        self.mrn = line_edit(self.tr("MRN (required, unique)"), self.tr("e.g. MRN-000123"))
        self.name = line_edit(self.tr("Full name"), self.tr("Family name, given name"))
        self.dob = line_edit(self.tr("Date of birth"), self.tr("YYYY-MM-DD"))
        self.sex = QComboBox()
        self.sex.setAccessibleName(self.tr("Sex"))
        self.sex.addItem(self.tr("- choose -"), None)  # no default: "Unknown" only when chosen
        for sex in Sex:
            self.sex.addItem(term(sex.label), sex)
        self.comorbidities = {c: QCheckBox(term(c.label)) for c in Comorbidity}
        self.notes = notes_box(self.tr("Patient notes"))
        self.field_widgets = {
            "mrn": self.mrn,
            "name": self.name,
            "date_of_birth": self.dob,
            "sex": self.sex,
        }
        self._confirm_duplicate = False
        self._layout()
        if patient:
            self._fill(patient)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&MRN:"), self.mrn)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("Date of &birth:"), self.dob)
        form.addRow(self.tr("&Sex:"), self.sex)
        grid = QGridLayout()
        for i, box in enumerate(self.comorbidities.values()):
            box.setAccessibleName(self.tr("Comorbidity: {0}").format(box.text()))
            grid.addWidget(box, i // 2, i % 2)
        holder = QWidget()
        holder.setLayout(grid)
        form.addRow(self.tr("Comorbidities:"), holder)
        form.addRow(self.tr("N&otes:"), self.notes)
        # notes are clinical: a role that may not read them (front desk) does not see the box
        form.setRowVisible(self.notes, may(self.ops.db, Action.VIEW_RECORD))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _fill(self, patient: PatientInfo) -> None:
        self.mrn.setText(patient.mrn)
        self.name.setText(patient.name)
        self.dob.setText(patient.date_of_birth.isoformat() if patient.date_of_birth else "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(patient.sex)))
        for comorbidity, box in self.comorbidities.items():
            box.setChecked(comorbidity in patient.comorbidities)
        self.notes.setPlainText(patient.notes)

    def _input(self) -> PatientInput:
        return PatientInput(
            mrn=self.mrn.text(),
            name=self.name.text(),
            date_of_birth=parse_optional_date(
                self.dob.text(), "date_of_birth", self.tr("Date of birth")
            ),
            sex=self.sex.currentData(),
            comorbidities=[c for c, box in self.comorbidities.items() if box.isChecked()],
            notes=self.notes.toPlainText().strip(),
        )

    def submit(self) -> PatientInfo:
        """Validate through the service (which may ask about a possible duplicate)."""
        return self._save(self._input(), self._confirm_duplicate)

    def refused(self, exc: DomainError | StorageError) -> bool:
        if isinstance(exc, PossibleDuplicateError):
            self._ask_duplicate(exc)
            return True
        return False

    def _ask_duplicate(self, exc: PossibleDuplicateError) -> QMessageBox:
        """Ask (window-modal, not blocking): Yes saves a new patient, No keeps the form."""
        box = QMessageBox(self)
        box.setObjectName("possibleDuplicate")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Possible duplicate patient"))
        box.setText(str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.finished.connect(lambda _r: self._duplicate_answered(exc, box.clickedButton() is yes))
        box.open()
        return box

    def _duplicate_answered(self, exc: PossibleDuplicateError, save_anyway: bool) -> None:
        if save_anyway:
            self._confirm_duplicate = True
            try:
                self.save()
            finally:
                self._confirm_duplicate = False
            return
        listed = ", ".join(exc.mrns)
        self.error.show_error(
            ValueError(
                self.tr("Not saved: the same name and date of birth is registered as {0}.").format(
                    listed
                )
            )
        )
        self.focus_field("name")

    def _save(self, data: PatientInput, confirm_duplicate: bool = False) -> PatientInfo:
        if self.patient is None:
            return self.ops.run(
                Changed(ChangeKind.PATIENT),
                register_patient,
                data,
                confirm_duplicate=confirm_duplicate,
            )
        pid: PatientId = self.patient.id
        return self.ops.run(
            Changed(ChangeKind.PATIENT, patient_id=pid),
            update_patient,
            pid,
            data,
            expected_version=self.patient.version,
            confirm_duplicate=confirm_duplicate,
        )
