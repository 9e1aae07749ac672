"""The esketamine REMS patient monitoring record of one session.

Dose, blood pressure, sedation and dissociation are the session's own details and
vitals; this asks only what else the form needs. Monitoring shorter than the REMS
minimum is saved with a warning shown after saving (it happened; the form must say so).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ...domain.procedure import REMS_CONCOMITANT, RESPIRATORY_STATUS, RemsRecord
from ...domain.timeline import CourseInfo, SessionRecord
from ...services.rems import RemsResult, load_rems_record, save_rems_record
from ..errors import show_info
from ..operations import Changed, ChangeKind, Operations
from .forms import SaveDialog, datetime_edit, from_qdatetime, line_edit


class RemsDialog(SaveDialog):
    """Lot number, monitoring times, respiratory status and concomitant medication."""

    def __init__(
        self,
        ops: Operations,
        course: CourseInfo,
        session: SessionRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.course, self.session = ops, course, session
        self.setObjectName("remsDialog")
        self.setWindowTitle(self.tr("REMS monitoring record · session {0}").format(session.number))
        self.existing = load_rems_record(ops.db, session.id)
        stored = self.existing or RemsRecord()
        start = stored.monitoring_start or session.when
        minimum = timedelta(minutes=course.settings.rems_monitoring_min)
        self.lot = line_edit(self.tr("Lot number"))
        self.lot.setText(stored.lot_number)
        self.start = datetime_edit(start, self.tr("Monitoring start"))
        self.end = datetime_edit(
            stored.monitoring_end or start + minimum, self.tr("Monitoring end")
        )
        self.ready = datetime_edit(
            stored.ready_to_leave_at or start + minimum, self.tr("Ready to leave")
        )
        self.respiratory = QComboBox()
        self.respiratory.setAccessibleName(self.tr("Respiratory status"))
        self.respiratory.addItem(self.tr("(not recorded)"), "")
        for status in RESPIRATORY_STATUS:
            self.respiratory.addItem(status, status)
        self.respiratory.setCurrentIndex(
            max(0, self.respiratory.findData(stored.respiratory_status))
        )
        self.concomitant = {m: QCheckBox(m) for m in REMS_CONCOMITANT}
        for name, box in self.concomitant.items():
            box.setAccessibleName(self.tr("Concomitant: {0}").format(name))
            box.setChecked(name in stored.concomitant)
        self.field_widgets = {
            "lot_number": self.lot,
            "monitoring_start": self.start,
            "monitoring_end": self.end,
            "ready_to_leave_at": self.ready,
            "respiratory_status": self.respiratory,
        }
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Lot number:"), self.lot)
        form.addRow(self.tr("Monitoring &start:"), self.start)
        form.addRow(self.tr("Monitoring &end:"), self.end)
        form.addRow(self.tr("Ready to lea&ve:"), self.ready)
        form.addRow(self.tr("&Respiratory status:"), self.respiratory)
        meds = QHBoxLayout()
        for box in self.concomitant.values():
            meds.addWidget(box)
        form.addRow(self.tr("Concomitant:"), meds)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def record(self) -> RemsRecord:
        def moment(edit: QWidget) -> datetime:
            return from_qdatetime(edit.dateTime())  # type: ignore[attr-defined]

        return RemsRecord(
            lot_number=self.lot.text().strip(),
            monitoring_start=moment(self.start),
            monitoring_end=moment(self.end),
            ready_to_leave_at=moment(self.ready),
            respiratory_status=self.respiratory.currentData() or "",
            concomitant=tuple(n for n, b in self.concomitant.items() if b.isChecked()),
        )

    def submit(self) -> RemsResult:
        change = Changed(ChangeKind.SESSION, self.course.patient_id, self.course.id)
        version = self.existing.version if self.existing else None
        return self.ops.run(
            change, save_rems_record, self.session.id, self.record(), expected_version=version
        )

    def succeeded(self, result: object) -> None:
        if isinstance(result, RemsResult) and result.warnings:
            show_info(
                self.parentWidget(),
                self.tr("REMS record saved with warnings"),
                "\n".join(result.warnings),
            )
        self.accept()
