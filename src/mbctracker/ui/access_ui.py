"""What the signed-in person's role may not do is hidden or greyed out.

Only a convenience: the services refuse whatever the role may not do
(``services.access``), so a button left enabled by mistake still cannot save.
The menu actions name the permission they need here, read from the domain's one
table; while nobody is signed in (the sign-in curtain is up) only Quit, Help and
About stay enabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from ..domain.access import Action
from ..services.access import may
from .i18n import translate
from .models.patient_model import FLAG_COLUMN, SESSIONS_COLUMN, columns

if TYPE_CHECKING:
    from .main_window import MainWindow

ACTION_NEEDS: dict[str, Action] = {
    "new_patient": Action.EDIT_DEMOGRAPHICS,
    "edit_patient": Action.EDIT_DEMOGRAPHICS,
    "find": Action.VIEW_PATIENTS,
    "patients": Action.VIEW_PATIENTS,
    "start_course": Action.SCHEDULE_COURSE,
    "session_interval": Action.SCHEDULE_COURSE,
    "entry": Action.RECORD_SCORES,
    "correct_assessment": Action.RECORD_SCORES,
    "delete_assessment": Action.RECORD_SCORES,
    "link_assessment": Action.RECORD_SCORES,
    "session": Action.RECORD_SESSIONS,
    "correct_session": Action.RECORD_SESSIONS,
    "delete_session": Action.RECORD_SESSIONS,
    "event": Action.RECORD_EVENTS,
    "correct_event": Action.RECORD_EVENTS,
    "delete_event": Action.RECORD_EVENTS,
    "safety_action": Action.SAFETY_ACTION,
    "edit_course": Action.EDIT_COURSE,
    "phases": Action.EDIT_COURSE,
    "end_course": Action.EDIT_COURSE,
    "restore_record": Action.EDIT_COURSE,
    "today": Action.VIEW_RECORD,
    "save_pdf": Action.VIEW_RECORD,
    "print": Action.VIEW_RECORD,
    "export_log": Action.VIEW_RECORD,
    "import": Action.EXCHANGE,
    "outcomes": Action.CLINIC_OUTCOMES,
    "preferences": Action.CLINIC_SETTINGS,
    "people": Action.MANAGE_PEOPLE,
    "new_db": Action.CLINIC_SETTINGS,
    "open_db": Action.CLINIC_SETTINGS,
    "restore": Action.CLINIC_SETTINGS,
    "backup": Action.CLINIC_SETTINGS,
}
"""Each menu action and the permission it needs (actions not named need none)."""
ALWAYS = frozenset({"quit", "help", "about", "sign_out"})
"""Usable even while nobody is signed in."""


def apply_role(window: MainWindow) -> None:
    """Grey out, hide and replace what the person signed in may not use."""
    db = window.db
    for name, action in window.actions_by_name.items():
        if name in ALWAYS:
            continue
        needed = ACTION_NEEDS.get(name)
        if db.signed_out or (needed is not None and not may(db, needed)):
            action.setEnabled(False)
    _score_columns(window, may(db, Action.VIEW_RECORD))
    if not may(db, Action.VIEW_RECORD):
        window.today_dock.hide()
    window.flags_label.setVisible(may(db, Action.VIEW_RECORD))
    if not db.signed_out and not may(db, Action.VIEW_PATIENTS):
        window.panes.setCurrentWidget(_no_patients_page(window))


def _score_columns(window: MainWindow, shown: bool) -> None:
    """The list's flag and score columns, and the course's record tabs, only for roles
    that may see them (the service sends the front desk none anyway)."""
    table = window.patients.table
    for column in range(len(columns())):
        if column == FLAG_COLUMN or column > SESSIONS_COLUMN:  # flags, scores, outcome
            table.setColumnHidden(column, not shown)
    window.patients.worklist.setEnabled(shown)
    window.course.tabs.setVisible(shown)


def _no_patients_page(window: MainWindow) -> QLabel:
    """What an administrator sees instead of patients: where their work is."""
    found = window.panes.findChild(QLabel, "noPatientsPage")
    if isinstance(found, QLabel):
        return found
    page = QLabel(
        translate(
            "access_ui",
            "Signed in as an administrator: no patient records are shown.\n"
            "Edit → People… manages who signs in; Edit → Preferences… the clinic's settings.",
        )
    )
    page.setObjectName("noPatientsPage")
    page.setWordWrap(True)
    window.panes.addWidget(page)
    return page
