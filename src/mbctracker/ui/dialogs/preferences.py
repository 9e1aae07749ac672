"""Edit -> Preferences: the clinic's settings, stored in the database for every desk.

Each threshold shows its source beside it, because changing one is a clinical
policy decision. Courses keep the thresholds they started with; the note under
the form says so, so nobody expects a past course to be re-classified.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.course import Modality
from ...domain.instruments import remission_settable
from ...domain.settings import ClinicSettings
from ...services.clinic import PreferencesInput, preferences_of, update_clinic_settings
from ...services.preference_fields import (
    ANALYSES_TAB,
    OUTCOMES_TAB,
    SCHEDULE_TAB,
    TABS,
    NumberField,
    number_fields,
)
from ..i18n import QT_TRANSLATE_NOOP, term
from ..labels import preference_texts, tab_title
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
FOLDER_NOTE = QT_TRANSLATE_NOOP(
    "PreferencesDialog",
    "Empty = backups/ beside the database. A folder on another disk or a clinic share "
    "also survives a failed disk; it must exist and be writable.",
)
CLINIC_TAB = QT_TRANSLATE_NOOP("preferences", "Clinic")


class PreferencesDialog(FormDialog):
    """Clinic, paper, backups and idle lock on the first tab; then every threshold and
    policy number of the clinic settings, one tab per subject, each with its source."""

    def __init__(
        self, ops: Operations, settings: ClinicSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Preferences"), parent)
        self.setObjectName("preferencesDialog")
        self.ops = ops
        start = preferences_of(settings)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Preferences sections"))
        self.pages: dict[str, QFormLayout] = {}
        layout = self.layout()
        assert layout is not None
        layout.removeItem(self.form)  # the tabs hold the forms
        layout.insertWidget(0, self.tabs, 1)  # type: ignore[attr-defined]
        self.numbers: dict[str, QSpinBox] = {}
        self._clinic_tab(start)
        self._outcomes_tab(settings, start)
        for tab in TABS:
            self._use_page(tab)
            if tab == SCHEDULE_TAB:
                self.follow_up = QLineEdit(start.follow_up_days)
                self.add_row(
                    self.tr("Follow-ups due after (days):"),
                    self.follow_up,
                    "follow_up_days",
                    self.tr("Follow-ups due after, days"),
                )
                self._source(
                    self.tr(
                        "Default 7, 30: 1 week and 1 month after the last infusion "
                        "(J Affect Disord 2026)"
                    )
                )
            if tab == ANALYSES_TAB:
                self.reference = QComboBox()
                for modality in Modality:
                    self.reference.addItem(term(modality.label), modality.value)
                self.reference.setCurrentIndex(
                    max(0, self.reference.findData(start.reference_modality))
                )
                self.add_row(
                    self.tr("Reference modality:"),
                    self.reference,
                    "reference_modality",
                    self.tr("Reference modality of the 6-week comparison"),
                )
                self._source(self.tr("Default IV ketamine (docs/outcomes.md)"))
            for spec in number_fields():
                if spec.tab == tab:
                    self._number(spec, start.numbers[spec.key])
        self._use_page(CLINIC_TAB)
        note = QLabel(
            self.tr(
                "Saved in the database for every workstation and written to the change log. "
                "Existing courses keep the thresholds they started with; new courses use these."
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.insertWidget(1, note)  # type: ignore[attr-defined]
        self.setMinimumWidth(640)
        self.resize(760, 720)

    # -- building ----------------------------------------------------------------
    def _use_page(self, title: str) -> None:
        """Rows added from now on go to the tab ``title`` (made on first use)."""
        if title not in self.pages:
            page = QWidget()
            column = QVBoxLayout(page)
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            column.addLayout(form)
            column.addStretch(1)  # rows keep their height; the space goes below them
            scroll = QScrollArea()
            scroll.setWidget(page)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            self.tabs.addTab(scroll, tab_title(title))
            self.pages[title] = form
        self.form = self.pages[title]

    def _clinic_tab(self, start: PreferencesInput) -> None:
        self._use_page(CLINIC_TAB)
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
        self.mrn_system = QLineEdit(start.mrn_identifier_system)
        self.add_row(
            self.tr("&MRN system (FHIR):"),
            self.mrn_system,
            "mrn_identifier_system",
            self.tr("MRN identifier system URI"),
        )
        self.backup_folder = QLineEdit(start.backup_folder)
        self.backup_folder.setPlaceholderText(self.tr("backups/ beside the database"))
        self.choose_folder = QPushButton(self.tr("Ch&oose…"))
        self.choose_folder.setAutoDefault(False)  # Return still saves after choosing
        self.choose_folder.clicked.connect(self.pick_backup_folder)
        row = QWidget()
        row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.backup_folder, 1)
        box.addWidget(self.choose_folder)
        self.add_row(self.tr("Backup &folder:"), row, "backup_folder", self.tr("Backup folder"))
        self.field_widgets["backup_folder"] = self.backup_folder
        label = self.form.labelForField(row)
        if isinstance(label, QLabel):
            label.setBuddy(self.backup_folder)  # Alt+F types the path, not the button
        self.backup_folder.setAccessibleName(self.tr("Backup folder"))
        self._source(self.tr(FOLDER_NOTE))
        self.backup = _spin(5, 1440, start.backup_interval_minutes, self.tr(" min"))
        self.idle = _spin(0, 240, start.idle_lock_minutes, self.tr(" min"))
        self.idle.setSpecialValueText(self.tr("never"))
        self.add_row(
            self.tr("&Backup after changes every"),
            self.backup,
            "backup_interval_minutes",
            self.tr("Backup interval in minutes"),
        )
        self._source(
            self.tr(
                "Default 30 min; a copy is also made at every start and kept 7 days "
                "daily, 4 weeks weekly"
            )
        )
        self.add_row(
            self.tr("&Lock when idle after"),
            self.idle,
            "idle_lock_minutes",
            self.tr("Idle lock in minutes"),
        )

    def _outcomes_tab(self, settings: ClinicSettings, start: PreferencesInput) -> None:
        self._use_page(OUTCOMES_TAB)
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

    def _number(self, spec: NumberField, value: int) -> None:
        label, unit, source = preference_texts(spec)
        spin = _spin(spec.low, spec.high, value, unit)
        self.add_row(label, spin, spec.key, label.rstrip(" ≥≤>"))
        self._source(source)
        self.numbers[spec.key] = spin

    def _source(self, text: str) -> None:
        label = QLabel(text)
        label.setObjectName("muted")
        label.setWordWrap(True)
        self.form.addRow("", label)

    # -- the backup folder ---------------------------------------------------------
    def pick_backup_folder(self) -> QFileDialog:
        """A folder picker (non-blocking); the choice fills the field, checked on Save."""
        picker = QFileDialog(self, self.tr("Backup folder"), self.backup_folder.text())
        picker.setFileMode(QFileDialog.FileMode.Directory)
        picker.setOption(QFileDialog.Option.ShowDirsOnly, True)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.fileSelected.connect(self.backup_folder.setText)
        picker.open()
        return picker

    # -- saving ------------------------------------------------------------------
    def focus_field(self, field: str | None) -> None:
        """The refused field's tab first, then the field."""
        widget = self.field_widgets.get(field or "")
        if widget is not None:
            for index in range(self.tabs.count()):
                page = self.tabs.widget(index)
                if page is not None and page.isAncestorOf(widget):
                    self.tabs.setCurrentIndex(index)
        super().focus_field(field)

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
            numbers={key: spin.value() for key, spin in self.numbers.items()},
            follow_up_days=self.follow_up.text(),
            reference_modality=str(self.reference.currentData()),
            backup_folder=self.backup_folder.text(),
        )

    def submit(self) -> ClinicSettings:
        return self.ops.run(Changed(ChangeKind.SETTINGS), update_clinic_settings, self.values())


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
