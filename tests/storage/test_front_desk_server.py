"""The front desk reads what its server GRANTs allow, and nothing it may not see.

On a clinic server PostgreSQL refuses the front desk the stored summaries, the scores
and the ``notes`` columns (storage/roles.py). The services it uses (the patient list, a
patient, their courses) must therefore leave those out of the SELECT, not read and
redact them: otherwise the front desk's window cannot list a single patient. Runs on
the real throw-away cluster of tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from mbctracker.domain.access import Role
from mbctracker.domain.course import Modality
from mbctracker.services import patient_list
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import get_course, list_courses, start_course
from mbctracker.services.patients import (
    PatientInput,
    get_patient,
    get_patient_by_mrn,
    register_patient,
    update_patient,
)
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.users import add_user, server_init
from mbctracker.storage import Database, open_database
from pg_cluster import Cluster

PASSWORD = "synthetic-desk-pass"
DESK = "desk.front"


@pytest.fixture
def desk(pg: Cluster, pg_url: str) -> Iterator[tuple[Database, int, int]]:
    """The front desk signed in to a server whose one patient has notes, scores (a flag)
    and a session; yields the desk's database, the patient and the course."""
    owner = open_database(pg_url, actor="owner")
    try:
        server_init(owner)
        pg.psql(f'DROP ROLE IF EXISTS "{DESK}"')
        add_user(owner, DESK, "frontdesk", PASSWORD)
        person = register_patient(
            owner, PatientInput("SYN-D1", "Synthetic Desk", date(1980, 1, 1), notes="private")
        )
        course = start_course(owner, person.id, Modality.TMS, date(2026, 1, 5), 20, notes="x")
        when = datetime(2026, 1, 6, 9)
        record_assessment(owner, course.id, AssessmentInput("PHQ9", [2] * 8 + [1], when))
        record_session(owner, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    finally:
        owner.dispose()
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    db = open_database(pg.url(database, DESK, PASSWORD), actor=DESK)
    assert db.role == Role.FRONT_DESK
    yield db, int(person.id), int(course.id)
    db.dispose()
    pg.drop_database(database)
    pg.psql(f'DROP ROLE IF EXISTS "{DESK}"')


def test_the_front_desk_lists_patients_without_scores_or_flags(
    desk: tuple[Database, int, int],
) -> None:
    db, patient, course = desk
    assert patient_list.count_patients(db) == 1
    (row,) = patient_list.patient_page(db, limit=40)
    assert (row.patient_id, row.course_id, row.sessions_done) == (patient, course, 1)
    assert (row.latest_scores, row.badge, row.open_flags) == ((), "", 0)
    assert patient_list.patient_row(db, patient) == row


def test_the_front_desk_reads_a_patient_and_courses_without_notes(
    desk: tuple[Database, int, int],
) -> None:
    db, patient, course = desk
    info = get_patient(db, patient)
    assert (info.name, info.notes) == ("Synthetic Desk", "")
    assert get_patient_by_mrn(db, "SYN-D1").notes == ""
    (found,) = list_courses(db, patient)
    assert (found.id, found.planned_sessions, found.notes) == (course, 20, "")
    assert get_course(db, course).notes == ""


def test_the_front_desk_edits_demographics_and_the_notes_stay(
    pg: Cluster, pg_url: str, desk: tuple[Database, int, int]
) -> None:
    db, patient, _course = desk
    shown = get_patient(db, patient)
    data = PatientInput("SYN-D1", "Synthetic Desk-Renamed", date(1980, 1, 1))
    saved = update_patient(db, patient, data, expected_version=shown.version)
    assert (saved.name, saved.notes) == ("Synthetic Desk-Renamed", "")
    database = pg_url.split("@/", 1)[1].split("?", 1)[0]
    stored = pg.psql(f"SELECT name, notes FROM patient WHERE id = {patient}", database)
    assert stored.strip() == "Synthetic Desk-Renamed|private"  # the clinician's notes kept


def test_the_front_desk_registers_a_patient_and_starts_a_course(
    desk: tuple[Database, int, int],
) -> None:
    """The front desk's first job on a server: a new patient and their course. The
    columns it may not read (notes, the course's thresholds) get their defaults."""
    db, _patient, _course = desk
    person = register_patient(db, PatientInput("SYN-D2", "Synthetic Newcomer", date(1990, 2, 3)))
    course = start_course(db, person.id, Modality.IV_KETAMINE, date(2026, 2, 2), 6)
    assert get_patient_by_mrn(db, "SYN-D2").id == person.id
    assert [c.id for c in list_courses(db, person.id)] == [course.id]
    assert course.settings.for_instrument("MADRS").remission_max == 10
