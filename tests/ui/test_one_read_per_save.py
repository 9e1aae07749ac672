"""One save reads the course once: the views reuse the timeline the save returned.

Before, a saved assessment read the course three times (the service's result,
the patient list's row, the course view's reload), then twice (the result, and the
stored list summary's commit hook). Now the service reads it once inside the
save's transaction and stores the list's facts from that read. The SELECTs are
counted at the cursor, as SQLite receives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import event
from test_entry import entry_form, open_entry, press
from ui_helpers import Clinic, open_patient

from mbctracker.domain.course import Modality
from mbctracker.services._rows import live
from mbctracker.services.assessments import AssessmentInput, add_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, add_session, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.summaries import TAG
from mbctracker.storage.tables import Course
from mbctracker.ui.operations import Changed, ChangeKind

COURSE_READ = re.compile(r"FROM assessment\s+WHERE assessment\.course_id", re.IGNORECASE)
"""A read of a course's assessment list: every timeline loader does it once per read."""


@contextmanager
def course_reads(db: Database) -> Iterator[list[str]]:
    """The SELECTs that read a course's assessments while the block runs."""
    seen: list[str] = []

    def before(_conn, _cursor, statement: str, *_args) -> None:
        # The stored list summary comes from the save's own read too: the commit
        # hook's read (tagged TAG, a narrower read of the list's instruments) is counted.
        if statement.lstrip().upper().startswith("SELECT") and COURSE_READ.search(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_one_save_reads_the_course_once(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    shown = window.course.timeline
    assert shown is not None
    with course_reads(window.db) as one_load:
        load_timeline(window.db, shown.course.id)
    assert one_load, "the pattern no longer matches the loader's SQL"
    with course_reads(window.db) as reads:
        press(qtbot, form, [*"111111110", Qt.Key.Key_Return])
    assert dialog.status.text().startswith("Saved"), dialog.status.text()
    assert len(reads) == len(one_load), reads
    # and every view shows the saved entry
    course = window.course.timeline
    assert course is not None and len(course.assessments) == len(shown.assessments) + 1
    row = window.patients.model.patient_at(window.patients.model.row_of(clinic.patient_id))
    assert row is not None and row.latest("PHQ9") == str(course.assessments[-1].score.total)


@contextmanager
def selects(db: Database) -> Iterator[list[str]]:
    """Every SELECT SQLite receives while the block runs."""
    seen: list[str] = []

    def before(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _long_course(db: Database, course_id: int, sessions: int) -> None:
    """A PHQ-9 before each of ``sessions`` sessions, written in one transaction."""
    start = datetime(2024, 1, 8, 9, 0)
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        for n in range(sessions):
            when = start + timedelta(days=n // 2 * 3 + n % 2, hours=n % 2)
            add_assessment(session, course, AssessmentInput("PHQ9", [1] * 8 + [0], when))
            add_session(session, course, SessionInput(when + timedelta(minutes=30)))


MAX_SELECTS = 16
"""A save's SELECTs, whatever the course's length: the write's own checks (course,
patient, the sessions to link to, the change log's position), one read of the course
(sessions, assessments, actions, events, phase changes, vitals, other courses), the
commit hook's look at the marks, and the list row's and status bar's flag counts."""


def test_a_save_on_a_300_session_course_runs_a_fixed_number_of_reads(qtbot, window, clinic) -> None:
    """Typed from the keyboard on a 300-session course: one read of the course (no read
    by the summary hook, none by the views) and at most MAX_SELECTS statements."""
    person = register_patient(window.db, PatientInput("LONG-0300", "Long Course"))
    course = start_course(window.db, person.id, Modality.TMS, date(2024, 1, 8), 300)
    _long_course(window.db, course.id, 300)
    long_clinic = Clinic(person.id, course.id, ())
    dialog = open_entry(qtbot, window, long_clinic)
    form = entry_form(dialog, "PHQ9")
    shown = window.course.timeline
    assert shown is not None and shown.sessions_done == 300
    with selects(window.db) as seen, course_reads(window.db) as reads:
        press(qtbot, form, [*"222222220", Qt.Key.Key_Return])
    assert dialog.status.text().startswith("Saved"), dialog.status.text()
    assert len(reads) == 1, reads
    assert not [s for s in seen if TAG in s], "the summary hook read the course again"
    assert len(seen) <= MAX_SELECTS, "\n".join(s[:120] for s in seen)
    after = window.course.timeline
    assert after is not None and len(after.assessments) == len(shown.assessments) + 1
    assert window.course.chart.point_count("PHQ9") == len(after.of("PHQ9"))


def test_a_recorded_session_reads_the_course_once(qtbot, window, clinic) -> None:
    """A session saved through the operations (as its dialog does): the service's read
    in the save's transaction serves the list's stored facts and the course view."""
    open_patient(qtbot, window, clinic.patient_id)
    shown = window.course.timeline
    assert shown is not None
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    change = Changed(ChangeKind.SESSION, clinic.patient_id, clinic.course_id)
    dose = {"dose_mg_per_kg": 0.5, "dose_mg": 35.0}
    with course_reads(window.db) as reads:
        window.ops.run(change, record_session, clinic.course_id, SessionInput(when, dose))
    # the link rule's narrow read (times and links, no answers) is the write's own work
    full = [s for s in reads if "assessment.responses" in s]
    assert len(full) == 1, reads
    after = window.course.timeline
    assert after is not None and after.sessions_done == shown.sessions_done + 1
    row = window.patients.model.patient_at(window.patients.model.row_of(clinic.patient_id))
    assert row is not None and row.sessions_done == after.sessions_done
