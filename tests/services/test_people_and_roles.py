"""Who did what on a SQLite desk: the people list, sign-in, and each role's refusals.

Every test uses a real database file; each role signs in with its own PIN and then
calls a service it may not use, which must refuse with PermissionDenied before
anything is read or written.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from datetime import date, datetime

import pytest
from sqlalchemy import text

import mbctracker.services as services_pkg
from mbctracker.domain.access import PERMISSIONS, Action, PermissionDenied, Role, allowed
from mbctracker.domain.course import Modality, SafetyActionKind
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services.assessments import AssessmentInput, record_assessment, record_safety_action
from mbctracker.services.clinic import load_clinic_settings, preferences_of, update_clinic_settings
from mbctracker.services.courses import set_session_interval, start_course
from mbctracker.services.patient_list import ListFilter, count_patients, patient_page
from mbctracker.services.patients import (
    PatientInput,
    find_patients,
    get_patient,
    register_patient,
    update_patient,
)
from mbctracker.services.people import (
    MAX_FAILURES,
    NOT_RECOGNISED,
    SignInThrottle,
    add_person,
    has_people,
    list_people,
    reset_pin,
    set_active,
    sign_in,
    sign_out,
)
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database

PINS = {"Ada Admin": "9999", "Cleo Clinician": "1111", "Nia Nurse": "2222", "Fred Desk": "3333"}


@pytest.fixture
def staffed(db: Database) -> Database:
    """A desk listing one person per role (the administrator first, as required)."""
    add_person(db, "Ada Admin", Role.ADMINISTRATOR, PINS["Ada Admin"])
    sign_in(db, "Ada Admin", PINS["Ada Admin"])
    add_person(db, "Cleo Clinician", Role.CLINICIAN, PINS["Cleo Clinician"])
    add_person(db, "Nia Nurse", "nurse", PINS["Nia Nurse"])
    add_person(db, "Fred Desk", Role.FRONT_DESK, PINS["Fred Desk"])
    return db


def flagged_entry(db: Database, course: CourseInfo) -> int:
    result = record_assessment(
        db, course.id, AssessmentInput("PHQ9", [1] * 8 + [2], datetime(2026, 1, 5, 9))
    )
    return int(result.record.id)


# -- the people list ---------------------------------------------------------------------


def test_an_empty_list_keeps_the_single_desk(db: Database, course: CourseInfo) -> None:
    assert not has_people(db)
    assert db.role is None
    flagged_entry(db, course)  # everything allowed, as before sign-in existed
    assert load_timeline(db, course.id).assessments


def test_the_first_person_must_be_an_administrator(db: Database) -> None:
    with pytest.raises(ValidationError, match="Role: the first person listed must manage"):
        add_person(db, "Nia Nurse", Role.NURSE, "2222")
    assert not has_people(db)  # nothing half-saved
    add_person(db, "Ada Admin", Role.ADMINISTRATOR, "9999")
    assert has_people(db)


@pytest.mark.parametrize(
    ("name", "role", "pin", "field"),
    [
        ("", Role.ADMINISTRATOR, "1234", "Name"),
        ("Ada\x00", Role.ADMINISTRATOR, "1234", "Name"),
        ("Ada", "janitor", "1234", "Role"),
        ("Ada", Role.ADMINISTRATOR, "12", "PIN"),
        ("Ada", Role.ADMINISTRATOR, "12a4", "PIN"),
        ("Ada", Role.ADMINISTRATOR, "１２３４", "PIN"),  # full-width digits are not typed PINs
        ("Ada", Role.ADMINISTRATOR, 1234, "PIN"),
    ],
)
def test_bad_input_names_the_field(
    db: Database, name: object, role: object, pin: object, field: str
) -> None:
    with pytest.raises(ValidationError, match=f"^{field}: .*allowed: "):
        add_person(db, name, role, pin)  # type: ignore[arg-type]
    assert not has_people(db)


def test_a_name_is_listed_once_whatever_its_spelling(staffed: Database) -> None:
    with pytest.raises(ValidationError, match="Name: 'NIA  nurse' is already listed"):
        add_person(staffed, "NIA  nurse", Role.NURSE, "5555")


def test_sign_in_makes_the_person_the_actor(course: CourseInfo, staffed: Database) -> None:
    person = sign_in(staffed, "  nia NURSE ", "2222")
    assert (person.name, person.role) == ("Nia Nurse", Role.NURSE)
    assessment = flagged_entry(staffed, course)
    record_safety_action(staffed, assessment, SafetyActionKind.REVIEWED)
    with staffed.read() as session:
        actors = session.execute(
            text("SELECT DISTINCT actor FROM change_log WHERE table_name != 'clinician'")
        ).all()
    assert {a for (a,) in actors} == {"test clinician", "Nia Nurse"}
    flag = load_timeline(staffed, course.id).assessments[-1]
    assert [a.by for a in flag.actions] == ["Nia Nurse"]


def test_the_madrs_rater_defaults_to_the_signed_in_person(
    course: CourseInfo, staffed: Database
) -> None:
    sign_in(staffed, "Cleo Clinician", "1111")
    when = datetime(2026, 1, 5, 9)
    record_assessment(staffed, course.id, AssessmentInput("MADRS", [2] * 10, when))
    named = AssessmentInput("MADRS", [2] * 10, when.replace(hour=10), rater="Dr Other")
    record_assessment(staffed, course.id, named)
    record_assessment(staffed, course.id, AssessmentInput("GAD7", [1] * 7, when))
    raters = {(a.instrument, a.rater) for a in load_timeline(staffed, course.id).assessments}
    assert raters == {("MADRS", "Cleo Clinician"), ("MADRS", "Dr Other"), ("GAD7", "")}


@pytest.mark.parametrize("pin", ["0000", "22222", "", "2222\n"])
def test_a_wrong_pin_is_one_plain_message(staffed: Database, pin: str) -> None:
    with pytest.raises(ValidationError, match=f"^{NOT_RECOGNISED}$"):
        sign_in(staffed, "Nia Nurse", pin)
    assert staffed.actor == "Ada Admin"  # unchanged


def test_an_unknown_or_deactivated_person_gets_the_same_message(staffed: Database) -> None:
    nurse = next(p for p in list_people(staffed) if p.name == "Nia Nurse")
    set_active(staffed, nurse.id, False, expected_version=nurse.version)
    for name in ("Nia Nurse", "Nobody"):
        with pytest.raises(ValidationError, match=f"^{NOT_RECOGNISED}$"):
            sign_in(staffed, name, "2222")


def test_reset_pin_and_the_change_log_hides_it(staffed: Database) -> None:
    nurse = next(p for p in list_people(staffed) if p.name == "Nia Nurse")
    reset_pin(staffed, nurse.id, "246810", expected_version=nurse.version)
    with pytest.raises(ValidationError):
        sign_in(staffed, "Nia Nurse", "2222")
    sign_in(staffed, "Nia Nurse", "246810")
    with staffed.read() as session:
        rows = session.execute(
            text("SELECT actor, action, changes FROM change_log WHERE table_name = 'clinician'")
        ).all()
    assert [(r.actor, r.action) for r in rows][-1] == ("Ada Admin", "update")
    logged = " ".join(r.changes for r in rows)
    assert "(hidden)" in logged
    with staffed.read() as session:
        hashes = session.execute(text("SELECT pin_hash, pin_salt FROM clinician")).all()
    for pin_hash, salt in hashes:
        assert pin_hash not in logged and salt not in logged
    assert json.loads(rows[-1].changes)["pin_hash"] == ["(hidden)", "(hidden)"]


def test_the_last_active_administrator_stays(staffed: Database) -> None:
    admin = next(p for p in list_people(staffed) if p.role == Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match=r"^Active: Ada Admin is the last active admin"):
        set_active(staffed, admin.id, False, expected_version=admin.version)
    assert next(p for p in list_people(staffed) if p.id == admin.id).active


def test_sign_in_pauses_after_five_wrong_pins() -> None:
    now = [100.0]
    throttle = SignInThrottle(clock=lambda: now[0])
    for _ in range(MAX_FAILURES - 1):
        throttle.failed()
        assert throttle.wait_seconds() == 0
    throttle.failed()
    assert throttle.wait_seconds() == 30
    now[0] += 29
    assert throttle.wait_seconds() == 1
    now[0] += 1
    assert throttle.wait_seconds() == 0


# -- each role and what it may not do -------------------------------------------------------


def test_nurse_records_scores_but_may_not_edit_course_settings_or_people(
    course: CourseInfo, staffed: Database
) -> None:
    sign_in(staffed, "Nia Nurse", "2222")
    flagged_entry(staffed, course)
    record_session(staffed, course.id, SessionInput(when=datetime(2026, 1, 5, 10)))
    with pytest.raises(PermissionDenied, match="the nurse role may not edit, end or reopen"):
        set_course_thresholds(staffed, course)
    with pytest.raises(PermissionDenied, match="nurse role may not change the clinic"):
        update_clinic_settings(staffed, preferences_of(load_clinic_settings(staffed)))
    with pytest.raises(PermissionDenied, match="nurse role may not add, deactivate"):
        add_person(staffed, "Someone", Role.NURSE, "1234")


def set_course_thresholds(db: Database, course: CourseInfo) -> None:
    from mbctracker.services.procedure import set_authorised_sessions

    set_authorised_sessions(db, course.id, 30, expected_version=course.version)


def test_front_desk_schedules_but_sees_no_scores(course: CourseInfo, staffed: Database) -> None:
    sign_in(staffed, "Cleo Clinician", "1111")
    flagged_entry(staffed, course)
    sign_in(staffed, "Fred Desk", "3333")
    new = register_patient(staffed, PatientInput(mrn="MRN-7", name="Tom Tester"))
    started = start_course(staffed, new.id, Modality.TMS, date(2026, 2, 1), planned_sessions=30)
    set_session_interval(staffed, started.id, 2, expected_version=started.version)
    with pytest.raises(PermissionDenied, match="front desk role may not see scores"):
        load_timeline(staffed, course.id)
    with pytest.raises(PermissionDenied, match="front desk role may not record or correct scores"):
        flagged_entry(staffed, course)
    rows = patient_page(staffed, ListFilter(flagged_only=True))
    assert {r.name for r in rows} == {"Zoë Ødegård", "Tom Tester"}  # no flag worklist
    assert all(r.latest_scores == () and r.open_flags == 0 and r.badge == "" for r in rows)


def test_administrator_manages_people_and_settings_but_sees_no_patients(
    patient: PatientInfo, staffed: Database
) -> None:
    sign_in(staffed, "Ada Admin", "9999")
    update_clinic_settings(staffed, preferences_of(load_clinic_settings(staffed)))
    with pytest.raises(PermissionDenied, match="administrator role may not see the patient"):
        get_patient(staffed, patient.id)
    with pytest.raises(PermissionDenied, match="administrator role may not see the patient"):
        count_patients(staffed)


def test_clinician_may_do_everything(course: CourseInfo, staffed: Database) -> None:
    sign_in(staffed, "Cleo Clinician", "1111")
    assert all(allowed(Role.CLINICIAN, a) for a in Action)
    set_course_thresholds(staffed, course)
    add_person(staffed, "Second Nurse", Role.NURSE, "4444")


def test_signed_out_desk_refuses_everything(patient: PatientInfo, staffed: Database) -> None:
    sign_in(staffed, "Cleo Clinician", "1111")
    sign_out(staffed)
    with pytest.raises(PermissionDenied, match="nobody signed in may not see the patient list"):
        get_patient(staffed, patient.id)


def test_front_desk_refusal_writes_nothing(course: CourseInfo, staffed: Database) -> None:
    sign_in(staffed, "Fred Desk", "3333")
    with staffed.read() as session:
        before = session.execute(text("SELECT count(*) FROM change_log")).scalar_one()
    with pytest.raises(PermissionDenied):
        flagged_entry(staffed, course)
    with staffed.read() as session:
        assert session.execute(text("SELECT count(*) FROM change_log")).scalar_one() == before


def test_the_permission_table_covers_every_role() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert not allowed(Role.FRONT_DESK, Action.VIEW_RECORD)
    assert not allowed(Role.ADMINISTRATOR, Action.VIEW_PATIENTS)


# -- one check per use case ------------------------------------------------------------------

UNCHECKED = {
    "mbctracker.services.clinic.load_clinic_settings",  # the idle lock needs it before sign-in
    "mbctracker.services.people.has_people",
    "mbctracker.services.people.sign_in",
    "mbctracker.services.people.sign_out",
    "mbctracker.services.backups.backup_now",  # a copy of the whole file: the desk's own
    "mbctracker.services.backups.startup_backup",
    "mbctracker.services.backups.maybe_backup",
    "mbctracker.services.summaries.rebuild_summaries",  # maintenance, derived data only
    "mbctracker.services.summaries.settle_outside_changes",  # only raises flags; shows nothing
    "mbctracker.services.outcomes.fit_mixed_models",  # works on loaded data, not the db
    "mbctracker.services.fhir.export.resources",  # a generator the checked writers call
    "mbctracker.services.courses.set_course_value",  # the setter its checked callers share
    "mbctracker.services.demo.generate_demo",  # writes demo files only (refuses a clinic's)
    "mbctracker.services.patient_view.warm_queries",  # reads one course and drops it: shows nothing
    # a server's backups: PostgreSQL's own privileges decide who may dump or restore
    "mbctracker.services.server_backups.default_target",
    "mbctracker.services.server_backups.server_backup",
    "mbctracker.services.server_backups.server_restore",
}


def _public_use_cases() -> list[tuple[str, object]]:
    found = []
    for info in pkgutil.walk_packages(services_pkg.__path__, "mbctracker.services."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or info.name.endswith(".access"):
            continue  # private helpers (_rows) run inside checked use cases; access is the check
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if getattr(fn, "__module__", "") != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and params[0].name == "db":
                found.append((f"{module.__name__}.{name}", fn))
    return found


def test_every_use_case_on_the_database_checks_one_action() -> None:
    missing = [
        name
        for name, fn in _public_use_cases()
        if name not in UNCHECKED and not hasattr(fn, "required_action")
    ]
    assert missing == []


def test_front_desk_never_reads_or_overwrites_a_patients_notes(
    patient: PatientInfo, staffed: Database
) -> None:
    """Notes are clinical: the front desk edits demographics around them, blind."""
    sign_in(staffed, "Cleo Clinician", "1111")
    seen = get_patient(staffed, patient.id)
    written = update_patient(
        staffed,
        patient.id,
        PatientInput(seen.mrn, seen.name, seen.date_of_birth, notes="ketamine: nausea at 0.75"),
        expected_version=seen.version,
    )
    sign_in(staffed, "Fred Desk", "3333")
    desk_view = get_patient(staffed, patient.id)
    assert desk_view.notes == ""
    assert all(p.notes == "" for p in find_patients(staffed, seen.name))
    moved = update_patient(  # a new birth date, saved from a dialog with empty notes
        staffed,
        patient.id,
        PatientInput(seen.mrn, seen.name, date(1979, 3, 4), notes=""),
        expected_version=written.version,
    )
    assert moved.notes == ""
    with pytest.raises(PermissionDenied, match="front desk role may not see scores, sessions"):
        update_patient(
            staffed,
            patient.id,
            PatientInput(seen.mrn, seen.name, date(1979, 3, 4), notes="typed by the desk"),
            expected_version=moved.version,
        )
    with pytest.raises(PermissionDenied, match="front desk role may not see scores, sessions"):
        register_patient(staffed, PatientInput("MRN-N1", "Nora Notes", notes="x"))
    sign_in(staffed, "Cleo Clinician", "1111")
    kept = get_patient(staffed, patient.id)
    assert kept.notes == "ketamine: nausea at 0.75" and kept.date_of_birth == date(1979, 3, 4)
