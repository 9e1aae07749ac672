"""The left pane: search as you type, the lazy patient list, and New patient."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Action
from ...domain.course import PatientId
from ...services.access import may
from ...storage.list_rows import FirstPage
from ..i18n import QT_TRANSLATE_NOOP, number
from ..models.patient_model import FIRST_PAGE, NAME_COLUMN, PatientListModel
from ..operations import Changed, ChangeKind

if TYPE_CHECKING:
    from ...storage.db import Database
    from ..operations import Operations

SEARCH_DEBOUNCE_MS = 150

WORKLISTS = (
    (QT_TRANSLATE_NOOP("PatientPanel", "All patients"), False, False),
    (QT_TRANSLATE_NOOP("PatientPanel", "Open safety flags first"), False, True),
    (QT_TRANSLATE_NOOP("PatientPanel", "Open safety flags only"), True, False),
)
"""The list's views: (label, flagged only, flags first)."""


class SearchField(QLineEdit):
    """Down / Enter move from the search text into the list, so the mouse is never needed."""

    move_to_list = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_to_list.emit()
            return
        super().keyPressEvent(event)


class PatientPanel(QWidget):
    """Search field and patient list; announces the patient the user picked."""

    patient_selected = Signal(object)
    """Emitted with the :class:`PatientId` the user moved to in the list."""

    new_patient_requested = Signal()
    """The user asked to register a patient (button or Ctrl+N)."""

    list_updated = Signal(int)
    """The filtered list was reloaded; carries how many patients match."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatientListModel(ops.db, self)
        self._quiet = False
        """True while :meth:`reread` puts the selection back (no patient re-opened)."""
        ops.changed.connect(self._on_changed)
        self.search = self._make_search()
        self.worklist = self._make_worklist()
        self.table = self._make_table()
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        new_button = QPushButton(self.tr("New patient…"))
        new_button.setAccessibleName(self.tr("Register a new patient"))
        new_button.setToolTip(self.tr("Register a new patient (Ctrl+N)"))
        new_button.clicked.connect(self.new_patient_requested)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(new_button)
        show = QHBoxLayout()
        show_label = QLabel(self.tr("Sho&w:"))
        show_label.setBuddy(self.worklist)
        show.addWidget(show_label)
        show.addWidget(self.worklist, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addLayout(show)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _make_search(self) -> SearchField:
        search = SearchField()
        search.setObjectName("patientSearch")
        search.setAccessibleName(self.tr("Search patients by name or MRN"))
        search.setPlaceholderText(self.tr("Find patient: name or MRN (Ctrl+F)"))
        search.setClearButtonEnabled(True)
        search.move_to_list.connect(self._focus_list)
        return search

    def _make_worklist(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("patientWorklist")
        combo.setAccessibleName(self.tr("Patient list filter: all patients or open safety flags"))
        for label, _only, _first in WORKLISTS:
            combo.addItem(self.tr(label))
        combo.currentIndexChanged.connect(self.show_worklist)
        return combo

    def show_worklist(self, index: int) -> None:
        """All patients, open safety flags first, or only patients with open flags."""
        _label, only, first = WORKLISTS[index]
        if self.worklist.currentIndex() != index:
            self.worklist.setCurrentIndex(index)  # re-enters through the signal
            return
        self.model.set_worklist(flagged_only=only, flags_first=first)
        self.apply_search()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("patientList")
        table.setAccessibleName(self.tr("Patient list"))
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 136, 100, 86, 120, 62, 50, 54, 96)):
            table.setColumnWidth(column, width)
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        return table

    # -- behaviour ---------------------------------------------------------------
    def _on_changed(self, change: Changed) -> None:
        """Follow every write: another database, a stale save, a new patient, one row."""
        if change.kind == ChangeKind.DATABASE:
            self.search.clear()
            self.set_database(change.result)
        elif change.stale:
            self.apply_search()
        elif change.kind == ChangeKind.EXTERNAL:
            self.reread()
        elif change.kind == ChangeKind.PATIENT and change.patient_id is None:
            self.search.setText(change.result.mrn)  # newly registered: list them
            self.apply_search()
        else:
            patient_id = change.patient_id or self.current_patient()
            if patient_id is not None:
                self.model.refresh_patient(patient_id, change.timeline)

    def show_first_page(self, page: FirstPage) -> None:
        """Start-up: rows read through stdlib sqlite3, the reopened patient's selected."""
        self.model.show_first_page(page)
        self._update_count()
        if page.selected is not None:
            self.select_row(page.selected)

    def services_loaded(self) -> None:
        """The list now reads through the services: blank rows and the next page load."""
        self.model.services_loaded()
        if self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        self.table.viewport().update()

    def set_database(self, db: Database) -> None:
        self.model.set_database(db)
        self.list_updated.emit(self.model.total)

    def apply_search(self) -> None:
        """Run the filter now (the debounce timer calls this ~150 ms after the last key)."""
        self._debounce.stop()
        self.model.set_query(self.search.text(), self._screenful())
        self._update_count()
        self.list_updated.emit(self.model.total)

    def reread(self) -> None:
        """Read the list again after another workstation saved (a flag may have appeared),
        keeping the rows loaded, the selected patient and the scroll position, without
        re-opening the patient on the right."""
        current = self.current_patient()
        scroll = self.table.verticalScrollBar().value()
        self._quiet = True
        try:
            self.model.set_query(self.search.text(), max(self.model.loaded_rows, FIRST_PAGE))
            row = None
            if current is not None:
                row = self.model.row_of(current)
                row = self.model.load_patient(current) if row is None else row
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, NAME_COLUMN))
        finally:
            self._quiet = False
        self.table.verticalScrollBar().setValue(scroll)
        self._update_count()
        self.list_updated.emit(self.model.total)

    def _screenful(self) -> int:
        """Rows that fit the list now (each keystroke loads no more than it shows)."""
        if not self.table.isVisible():
            return FIRST_PAGE
        rows = self.table.viewport().height() // self.table.verticalHeader().defaultSectionSize()
        return max(10, rows + 2)

    def _update_count(self) -> None:
        total = self.model.total
        noun = self.tr("patient") if total == 1 else self.tr("patients")
        if self.model.flagged_only:
            noun += self.tr(" with open safety flags")
        query = self.model.query.strip()
        self.count_label.setText(
            f"{number(total)} {noun}" + (self.tr(" matching “{0}”").format(query) if query else "")
        )

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _focus_list(self) -> None:
        if self._debounce.isActive():
            self.apply_search()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.select_row(0)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, NAME_COLUMN)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_patient(self, patient_id: PatientId) -> bool:
        """Select a patient, clearing the search if it hides them.

        Their row number comes from one query and the rows up to it from one page,
        so reopening a patient far down the list costs no more than one near the top.
        """
        if not may(self.model.db, Action.VIEW_PATIENTS):
            return False  # signed out, or an administrator
        row = self.model.row_of(patient_id)
        if row is None and self.model.query:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.apply_search()
            row = self.model.row_of(patient_id)
        if row is None:
            row = self.model.load_patient(patient_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def current_patient(self) -> PatientId | None:
        found = self.model.patient_at(self.table.currentIndex().row())
        return found.patient_id if found else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        found = self.model.patient_at(current.row())
        if found is not None and not self._quiet:
            self.patient_selected.emit(found.patient_id)
