"""A patient switch in one read: the patient, their courses and the course shown.

The course view used to read these in four transactions (patient, the course to
open, the course list, the timeline); one snapshot is cheaper (each transaction is
a BEGIN and an end, and a round trip each on a server) and can never show a course
list and a timeline from two different moments.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ..domain.access import Action
from ..domain.course import CourseId, PatientId
from ..domain.timeline import CourseInfo, CourseTimeline, PatientInfo
from ..storage.db import Database
from ..storage.tables import Course
from .access import may, requires
from .courses import read_courses
from .patients import read_patient
from .timeline import current_course_id, read_timelines


@dataclass(frozen=True, slots=True)
class PatientView:
    """What the course view shows of one patient."""

    patient: PatientInfo
    courses: tuple[CourseInfo, ...]
    """Newest first, as the course choice lists them."""
    chosen: CourseId | None
    """The course shown: the one asked for (if it is still one of the patient's), else
    the active one, else the most recent."""
    timeline: CourseTimeline | None
    """That course's timeline; None without a course, or for a role that sees no records."""


@requires(Action.VIEW_PATIENTS)
def read_patient_view(
    db: Database, patient_id: PatientId, course_id: CourseId | None = None
) -> PatientView:
    """The patient, their courses and the chosen course's timeline, in one transaction."""
    with db.read() as session:
        return _read(session, db, patient_id, course_id)


def warm_queries(db: Database) -> None:
    """Read one patient's view the way a switch does, and drop it.

    SQLAlchemy compiles each statement the first time it runs (about 35 ms for the
    dozen a switch uses); run right after the first paint, the user's first switch
    finds them compiled and cached. Shows nothing, so it needs no permission: a role
    that may not read records compiles only what it would read.
    """
    with db.read() as session:
        first = session.exec(select(Course.patient_id).limit(1)).first()
        if first is not None:
            _read(session, db, PatientId(first), None)


def _read(
    session: Session, db: Database, patient_id: PatientId, course_id: CourseId | None
) -> PatientView:
    patient = read_patient(session, db, patient_id)
    courses = read_courses(session, db, patient_id)
    if course_id not in {c.id for c in courses}:  # none asked, or gone meanwhile
        course_id = current_course_id((c.id, c.status.value) for c in courses)
    shown = [c for c in courses if c.id == course_id]
    timeline = None
    if shown and may(db, Action.VIEW_RECORD):
        timeline = read_timelines(session, shown, {patient.id: patient})[shown[0].id]
    return PatientView(patient, tuple(courses), course_id, timeline)
