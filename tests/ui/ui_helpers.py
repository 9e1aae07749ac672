"""Test data and small drivers shared by the UI tests (imported by name: tests have no packages)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from mbctracker.domain.course import CourseId, Modality, PatientId, Timepoint
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database
from mbctracker.ui.main_window import MainWindow


@dataclass(frozen=True)
class Clinic:
    """The records the UI tests look for."""

    patient_id: PatientId
    course_id: CourseId
    other_ids: tuple[PatientId, ...]


NAMES = ("Ana Bianchi", "Ben Okafor", "Chloé Varga", "David Chen", "Elif Haddad", "Farah Novak")


def build_clinic(db: Database) -> Clinic:
    """A small clinic: one IV ketamine course with a PHQ-9 baseline and two sessions."""
    others = []
    for i, name in enumerate(NAMES * 4, start=2):
        info = register_patient(db, PatientInput(mrn=f"MRN-{i:04d}", name=f"{name} {i}"))
        others.append(info.id)
    patient = register_patient(
        db, PatientInput(mrn="MRN-0001", name="Zoë Ødegård", date_of_birth=date(1980, 5, 17))
    )
    start = (datetime.now() - timedelta(days=12)).replace(hour=9, minute=0, second=0, microsecond=0)
    course = start_course(db, patient.id, Modality.IV_KETAMINE, start.date(), planned_sessions=6)
    record_assessment(
        db,
        course.id,
        AssessmentInput("PHQ9", [2, 3, 2, 2, 2, 2, 2, 2, 0], start, timepoint=Timepoint.BASELINE),
    )
    for n in (1, 2):
        when = start + timedelta(days=3 * n, hours=1)
        record_session(db, course.id, SessionInput(when, {"dose_mg_per_kg": 0.5, "dose_mg": 35.0}))
        record_assessment(
            db,
            course.id,
            AssessmentInput("PHQ9", [2, 2, 2, 1, 2, 2, 1, 1, 0], when - timedelta(minutes=30)),
        )
    return Clinic(patient.id, course.id, tuple(others))


def open_patient(qtbot, win: MainWindow, patient_id: PatientId) -> None:
    win.open_patient(patient_id)
    qtbot.waitUntil(lambda: win.course.patient is not None and win.course.patient.id == patient_id)


def closed(widget: QWidget) -> bool:
    """Closed: hidden, or already deleted (dialogs delete themselves on close).

    Waiting on ``not dialog.isVisible()`` alone races the deferred delete and fails
    with "Internal C++ object already deleted" on a busy machine.
    """
    return not isValid(widget) or not widget.isVisible()


@contextmanager
def status_messages(win: MainWindow) -> Iterator[list[str]]:
    """Every status-bar message shown while the block runs.

    ``currentMessage()`` read after a wait races the message's own timeout (8 s for
    "Signed in as") and any later message: on a loaded machine it may be gone.
    """
    shown: list[str] = []

    def record(text: str) -> None:
        shown.append(text)

    bar = win.statusBar()
    bar.messageChanged.connect(record)
    try:
        yield shown
    finally:
        bar.messageChanged.disconnect(record)


@contextmanager
def shown_window(qtbot, db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """The real main window over a clinic file, shown and active (shortcuts need it)."""
    from mbctracker.app import make_window

    win = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    try:
        yield win
    finally:
        win.close()
        win.ops.wait_for_backup()  # no backup thread of this test runs into the next one
        win.db.dispose()
