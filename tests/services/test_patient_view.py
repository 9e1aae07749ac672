"""What a patient switch reads, in one snapshot, on both engines."""

from __future__ import annotations

from datetime import date, datetime

from mbctracker.domain.access import Role
from mbctracker.domain.course import CourseStatus, Modality
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services import courses
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.patient_view import read_patient_view
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.people import add_person, sign_in
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database


def test_the_view_is_what_the_four_reads_gave(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    record_assessment(db, course.id, AssessmentInput("PHQ9", [1] * 9, datetime(2026, 1, 5, 9)))
    courses.end_course(
        db, course.id, CourseStatus.COMPLETED, date(2026, 2, 1), expected_version=course.version
    )
    later = courses.start_course(db, patient.id, Modality.TMS, date(2026, 3, 1), 30)
    view = read_patient_view(db, patient.id)
    assert view.patient.name == patient.name
    assert [c.id for c in view.courses] == [later.id, course.id], "newest first"
    assert view.chosen == later.id, "the active course"
    assert view.timeline == load_timeline(db, later.id)
    older = read_patient_view(db, patient.id, course.id)
    assert older.chosen == course.id and older.timeline == load_timeline(db, course.id)


def test_a_course_gone_or_not_the_patients_falls_back_to_their_current_one(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    other = register_patient(db, PatientInput("MRN-0002", "Synthetic Other"))
    theirs = courses.start_course(db, other.id, Modality.ECT, date(2026, 1, 6), 12)
    view = read_patient_view(db, patient.id, theirs.id)
    assert view.chosen == course.id and view.timeline is not None
    assert view.timeline.patient.id == patient.id, "never another patient's course"
    courses.delete_course(db, course.id, expected_version=course.version)
    gone = read_patient_view(db, patient.id, course.id)
    assert (gone.courses, gone.chosen, gone.timeline) == ((), None, None)


def test_the_front_desk_gets_who_and_which_course_but_no_record(
    db: Database, patient: PatientInfo, course: CourseInfo
) -> None:
    add_person(db, "Ada Admin", Role.ADMINISTRATOR, "9999")
    sign_in(db, "Ada Admin", "9999")
    add_person(db, "Fred Desk", Role.FRONT_DESK, "3333")
    sign_in(db, "Fred Desk", "3333")
    view = read_patient_view(db, patient.id)
    assert view.chosen == course.id and view.timeline is None
    assert view.patient.notes == ""
