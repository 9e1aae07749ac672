"""One line under the course controls: the payer's count left and the TMS motor threshold.

Shown only when there is something to say (an authorisation is tracked, or the
course is TMS), with the two buttons that change them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton, QWidget

from ...domain.course import CourseStatus, Modality
from ...domain.limits import PLANNED_SESSIONS_MAX
from ...domain.procedure import authorisation_text
from ...domain.timeline import CourseTimeline
from ...services.procedure import mt_reminder_for, set_authorised_sessions, set_mt_determined_on
from ..errors import guarded
from ..operations import Changed, ChangeKind, Operations
from .steady import ElidedLabel, SteadyLabel, keep_place


class ProcedureBar(QWidget):
    """Authorised sessions left and the motor-threshold reminder, with their edits."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.timeline: CourseTimeline | None = None
        self.text = SteadyLabel(chars=38)
        self.text.setAccessibleName(self.tr("Authorisation and motor threshold"))
        self.reminder = ElidedLabel()
        self.reminder.setObjectName("warning")
        self.reminder.setAccessibleName(self.tr("Motor threshold reminder"))
        self.authorised = QPushButton(self.tr("A&uthorised sessions…"))
        self.authorised.clicked.connect(lambda: guarded(self, self.ask_authorised))
        self.mt_today = QPushButton(self.tr("Motor threshold determined t&oday"))
        self.mt_today.clicked.connect(lambda: guarded(self, self.mt_determined_today))
        keep_place(self)  # shown or not, nothing around it moves (see steady.keep_place)
        keep_place(self.mt_today)  # TMS only; the other button keeps its place
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.reminder, 1)
        layout.addWidget(self.mt_today)
        layout.addWidget(self.authorised)

    def set_timeline(self, timeline: CourseTimeline | None) -> None:
        self.timeline = timeline
        self.setVisible(timeline is not None)
        if timeline is None:
            return
        course = timeline.course
        active = course.status == CourseStatus.ACTIVE
        self.text.setText(
            authorisation_text(course.authorised_sessions, timeline.sessions_done)
            or self.tr("No payer authorisation recorded")
        )
        tms = course.modality == Modality.TMS
        self.mt_today.setVisible(tms)
        self.mt_today.setEnabled(active)
        self.authorised.setEnabled(active)
        reminder = mt_reminder_for(course, date.today()) if tms and active else None
        self.reminder.setText(f"⚠ {reminder}" if reminder else "")

    def _change(self) -> Changed:
        assert self.timeline is not None
        course = self.timeline.course
        return Changed(ChangeKind.COURSE, patient_id=course.patient_id, course_id=course.id)

    def ask_authorised(self) -> QInputDialog | None:
        """Ask for the payer's count (window-modal, not blocking); Enter saves it."""
        if self.timeline is None:
            return None
        course = self.timeline.course
        dialog = QInputDialog(self)
        dialog.setObjectName("authorisedDialog")
        dialog.setWindowTitle(self.tr("Authorised sessions"))
        dialog.setLabelText(self.tr("Sessions the payer authorised:"))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, PLANNED_SESSIONS_MAX)
        dialog.setIntValue(course.authorised_sessions or course.planned_sessions)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.intValueSelected.connect(
            lambda count: guarded(self, lambda: self.set_authorised(count))
        )
        dialog.open()
        return dialog

    def set_authorised(self, count: int | None) -> None:
        assert self.timeline is not None
        course = self.timeline.course
        self.ops.run(
            self._change(),
            set_authorised_sessions,
            course.id,
            count,
            expected_version=course.version,
        )

    def mt_determined_today(self) -> None:
        if self.timeline is None:
            return
        course = self.timeline.course
        self.ops.run(
            self._change(),
            set_mt_determined_on,
            course.id,
            date.today(),
            expected_version=course.version,
        )
