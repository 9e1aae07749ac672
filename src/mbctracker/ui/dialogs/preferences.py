"""Edit -> Preferences: the clinic's settings, stored in the database for every desk.

Each threshold shows its source beside it, because changing one is a clinical
policy decision. Courses keep the thresholds they started with; the note under
the form says so, so nobody expects a past course to be re-classified.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from ...domain.instruments import remission_settable
from ...domain.settings import ClinicSettings
from ...services.clinic import PreferencesInput, preferences_of, update_clinic_settings
from ..i18n import QT_TRANSLATE_NOOP
from ..operations import Changed, ChangeKind, Operations
from .course_dialogs import FormDialog, remission_value, remission_widget

PAGE_SIZES = ((QT_TRANSLATE_NOOP("PreferencesDialog", "Letter (US)"), "letter"), ("A4", "a4"))
RESPONSE_SOURCE = QT_TRANSLATE_NOOP(
    "PreferencesDialog",
    "Default ≥ 50% improvement from baseline, exactly 50% counts (CLINICAL.md)",
)
PARTIAL_SOURCE = QT_TRANSLATE_NOOP(
    "PreferencesDialog", "Default ≥ 25% and below response (CLINICAL.md policy)"
)


class PreferencesDialog(FormDialog):
    """Clinic name and address, paper, thresholds with sources, backups, idle lock."""

    def __init__(
        self, ops: Operations, settings: ClinicSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Preferences"), parent)
        self.ops = ops
        start = preferences_of(settings)
        self.clinic_name = QLineEdit(start.clinic_name)
        self.address = QPlainTextEdit(start.clinic_address)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(56)
        self.page = QComboBox()
        for text, value in PAGE_SIZES:
            self.page.addItem(self.tr(text), value)
        self.page.setCurrentIndex(max(0, self.page.findData(start.page_size)))
        self.add_row(
            self.tr("Clinic &name:"), self.clinic_name, "clinic_name", self.tr("Clinic name")
        )
        self.add_row(
            self.tr("Clinic a&ddress:"), self.address, "clinic_address", self.tr("Clinic address")
        )
        self.add_row(self.tr("&Paper size:"), self.page, "page_size", self.tr("Paper size"))
        self.response = _spin(1, 100, start.response_percent, " %")
        self.partial = _spin(1, 99, start.partial_percent, " %")
        self.add_row(
            self.tr("&Response ≥"), self.response, "response_percent", self.tr("Response percent")
        )
        self._source(self.tr(RESPONSE_SOURCE))
        self.add_row(
            self.tr("P&artial response ≥"),
            self.partial,
            "partial_percent",
            self.tr("Partial percent"),
        )
        self._source(self.tr(PARTIAL_SOURCE))
        self.remission: dict[str, QComboBox | QSpinBox] = {}
        for inst in remission_settable():
            current = settings.for_instrument(inst.code).remission_max or 0
            widget, label, accessible = remission_widget(inst, current)
            self.add_row(label, widget, f"remission_{inst.code.lower()}", accessible)
            default = inst.thresholds.remission_max
            if default is not None and not inst.remission_choices:
                self._source(
                    self.tr("{0} remission default ≤ {1} (CLINICAL.md)").format(inst.name, default)
                )
            self.remission[inst.code] = widget
        self.mrn_system = QLineEdit(start.mrn_identifier_system)
        self.add_row(
            self.tr("&MRN system (FHIR):"),
            self.mrn_system,
            "mrn_identifier_system",
            self.tr("MRN identifier system URI"),
        )
        self.backup = _spin(5, 1440, start.backup_interval_minutes, self.tr(" min"))
        self.idle = _spin(0, 240, start.idle_lock_minutes, self.tr(" min"))
        self.idle.setSpecialValueText(self.tr("never"))
        self.add_row(
            self.tr("&Backup after changes every"),
            self.backup,
            "backup_interval_minutes",
            self.tr("Backup interval in minutes"),
        )
        self.add_row(
            self.tr("&Lock when idle after"),
            self.idle,
            "idle_lock_minutes",
            self.tr("Idle lock in minutes"),
        )
        note = QLabel(
            self.tr(
                "Saved in the database for every workstation and written to the change log. "
                "Existing courses keep the thresholds they started with; new courses use these."
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.setMinimumWidth(560)

    def _source(self, text: str) -> None:
        label = QLabel(text)
        label.setObjectName("muted")
        label.setWordWrap(True)
        self.form.addRow("", label)

    def values(self) -> PreferencesInput:
        return PreferencesInput(
            clinic_name=self.clinic_name.text(),
            clinic_address=self.address.toPlainText(),
            page_size=str(self.page.currentData()),
            response_percent=self.response.value(),
            partial_percent=self.partial.value(),
            remission_max={code: remission_value(w) for code, w in self.remission.items()},
            backup_interval_minutes=self.backup.value(),
            idle_lock_minutes=self.idle.value(),
            mrn_identifier_system=self.mrn_system.text(),
        )

    def submit(self) -> ClinicSettings:
        return self.ops.run(Changed(ChangeKind.SETTINGS), update_clinic_settings, self.values())


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
