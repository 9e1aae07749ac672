"""The change log per course or per patient: read-only, exportable to CSV.

It is the audit trail (who, when, what, old and new value); the app offers no
way to edit it, and the database refuses UPDATE and DELETE on it anyway.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.access import Action
from ...domain.course import CourseId, PatientId
from ...services.access import may
from ...services.audit_log import (
    ChangeEntry,
    course_changes,
    export_changes_csv,
    patient_changes,
)
from ...storage.errors import StorageError
from ..i18n import QT_TRANSLATE_NOOP
from ..models.table_model import Column, RecordTableModel
from ..operations import Operations

COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Column", "When"), lambda e: f"{e.at:%Y-%m-%d %H:%M:%S}"),
    Column(QT_TRANSLATE_NOOP("Column", "Who"), lambda e: e.actor),
    Column(
        QT_TRANSLATE_NOOP("Column", "Record"),
        lambda e: f"{e.table.replace('_', ' ')} #{e.record_id}",
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Action"), lambda e: e.action),
    Column(
        QT_TRANSLATE_NOOP("Column", "Changes (old -> new)"),
        lambda e: e.describe(),
        tooltip=lambda e: e.describe(),
    ),
)


class ChangeLogView(QWidget):
    """Who changed what and when, for this course or for all of the patient's records."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.patient_id: PatientId | None = None
        self.course_id: CourseId | None = None
        self.model = RecordTableModel(COLUMNS, self)
        self.scope = QComboBox()
        self.scope.addItems([self.tr("This course"), self.tr("This patient (all courses)")])
        self.scope.setAccessibleName(self.tr("Change log scope"))
        self.scope.currentIndexChanged.connect(self.reload)
        export = QPushButton(self.tr("Export CSV…"))
        export.setAccessibleName(self.tr("Export the change log as CSV"))
        export.clicked.connect(self.export)
        self.table = QTableView()
        self.table.setObjectName("changeLog")
        self.table.setAccessibleName(self.tr("Change log"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((140, 90, 130, 70)):
            self.table.setColumnWidth(column, width)
        note = QLabel(
            self.tr("Read-only audit trail: every create, correction and delete is kept.")
        )
        note.setObjectName("muted")
        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(note, 1)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._stale = True

    def set_target(self, patient_id: PatientId | None, course_id: CourseId | None) -> None:
        if not may(self.ops.db, Action.VIEW_RECORD):
            patient_id = course_id = None  # the log holds scores: front desk sees none
        self.patient_id, self.course_id = patient_id, course_id
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def entries(self) -> list[ChangeEntry]:
        if self.scope.currentIndex() == 1 and self.patient_id is not None:
            return patient_changes(self.ops.db, self.patient_id)
        if self.course_id is not None:
            return course_changes(self.ops.db, self.course_id)
        return patient_changes(self.ops.db, self.patient_id) if self.patient_id else []

    def reload(self) -> None:
        """Loaded only when visible: the log can be long and switching patients must be quick."""
        self._stale = False
        self.model.set_records(self.entries())
        self.table.scrollToBottom()

    def _export_scope(self) -> dict[str, int]:
        """The records shown now, as the exporter's filter (never the whole log by accident)."""
        if self.scope.currentIndex() == 1 and self.patient_id is not None:
            return {"patient_id": self.patient_id}
        if self.course_id is not None:
            return {"course_id": self.course_id}
        return {"patient_id": self.patient_id} if self.patient_id is not None else {}

    def export(self, path: Path | None = None) -> Path | None:
        """Write what is shown through the services' exporter: an owner-only file, and
        text a spreadsheet would run as a formula (``=HYPERLINK(...)``) quoted."""
        scope = self._export_scope()
        if not scope:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export change log"), "change-log.csv", self.tr("CSV files (*.csv)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            export_changes_csv(self.ops.db, path, **scope)
        except OSError as exc:
            raise StorageError(
                self.tr("Cannot write {0}: {1}.").format(path, exc.strerror or exc)
            ) from exc
        return path
