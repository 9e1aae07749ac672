"""How often a course's sessions are due, for the Today view.

A course follows the clinic's default for its phase (``ClinicSettings.
session_interval_days``) until it is given its own interval here; 0 in the field
goes back to the default.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from ...domain.settings import ClinicSettings
from ...domain.timeline import CourseInfo
from ...services.courses import SESSION_INTERVAL_MAX, set_session_interval
from ..i18n import term
from ..operations import Changed, ChangeKind, Operations
from .course_dialogs import FormDialog


class SessionIntervalDialog(FormDialog):
    """Days between sessions (0 = the clinic's default for the course's phase)."""

    def __init__(
        self,
        ops: Operations,
        course: CourseInfo,
        settings: ClinicSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Session interval"), parent)
        self.ops, self.course = ops, course
        default = settings.session_interval_days.get(course.phase.value)
        self.days = QSpinBox()
        self.days.setRange(0, SESSION_INTERVAL_MAX)
        self.days.setSuffix(self.tr(" days"))
        shown = self.tr("every {0} days").format(default) if default else self.tr("no sessions due")
        self.days.setSpecialValueText(
            self.tr("Clinic default ({0}: {1})").format(term(course.phase.label), shown)
        )
        self.days.setValue(course.session_interval_days or 0)
        self.add_row(
            self.tr("Sessions &every:"),
            self.days,
            "session_interval_days",
            self.tr("Days between sessions"),
        )
        self.days.selectAll()

    def submit(self) -> CourseInfo:
        days = self.days.value() or None
        result: CourseInfo = self.ops.run(
            Changed(ChangeKind.COURSE, patient_id=self.course.patient_id, course_id=self.course.id),
            set_session_interval,
            self.course.id,
            days,
            expected_version=self.course.version,
        )
        return result
