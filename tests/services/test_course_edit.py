"""Course edit, event correction, one dropout, stored warnings, duplicate sessions.

Each test follows the order a clinic works in: the patient phones to stop before
anyone ends the course; a dose is typed with a slip of a digit and confirmed.
"""

from __future__ import annotations

import json
from contextlib import closing
from datetime import date, datetime

import pytest

from engines import raw_connect
from mbctracker.domain.course import (
    CourseStatus,
    DropoutReason,
    EventKind,
    Modality,
    SessionId,
)
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.limits import SessionFacts, session_warnings
from mbctracker.domain.timeline import CourseInfo, CourseRecord, PatientInfo
from mbctracker.services import courses, events
from mbctracker.services.audit_log import course_changes
from mbctracker.services.course_edit import CourseEdit, edit_course
from mbctracker.services.events import EventInput
from mbctracker.services.sessions import (
    SessionInput,
    UnconfirmedWarningsError,
    correct_session,
    delete_session,
    record_session,
    restore_session,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.errors import DamagedRecordError


def _rows(db: Database, table: str) -> int:
    with closing(raw_connect(db)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _dropouts(db: Database, course: CourseInfo) -> list[object]:
    return [e for e in load_timeline(db, course.id).events if e.kind == EventKind.DROPOUT]


# --- one dropout ---------------------------------------------------------------------------


def test_a_dropout_event_then_ending_the_course_as_discontinued_makes_one_dropout(
    db: Database, course: CourseInfo
) -> None:
    events.record_event(
        db, course.id, EventKind.DROPOUT, date(2026, 1, 20), reason=DropoutReason.LOGISTICAL
    )
    ended = courses.end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 1, 21),
        expected_version=course.version,
    )
    assert ended.discontinue_reason == DropoutReason.LOGISTICAL  # taken from the event
    assert len(_dropouts(db, course)) == 1


def test_a_reason_that_contradicts_the_recorded_dropout_is_refused(
    db: Database, course: CourseInfo
) -> None:
    events.record_event(
        db, course.id, EventKind.DROPOUT, date(2026, 1, 20), reason=DropoutReason.COST
    )
    with pytest.raises(ValidationError, match=r"Reason: side effects differs .* \(cost\)"):
        courses.end_course(
            db,
            course.id,
            CourseStatus.DISCONTINUED,
            date(2026, 1, 21),
            expected_version=course.version,
            reason=DropoutReason.SIDE_EFFECTS,
        )
    assert courses.get_course(db, course.id).status == CourseStatus.ACTIVE


def test_ending_first_then_recording_a_dropout_is_refused_naming_the_one_there(
    db: Database, course: CourseInfo
) -> None:
    courses.end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 1, 21),
        expected_version=course.version,
        reason=DropoutReason.LACK_OF_BENEFIT,
    )
    with pytest.raises(
        ValidationError, match=r"already has a dropout .2026-01-21, lack of benefit"
    ):
        events.record_event(
            db, course.id, EventKind.DROPOUT, date(2026, 1, 22), reason=DropoutReason.COST
        )
    assert len(_dropouts(db, course)) == 1


def test_reopen_and_discontinue_again_keeps_one_dropout(db: Database, course: CourseInfo) -> None:
    ended = courses.end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 1, 21),
        expected_version=course.version,
        reason=DropoutReason.COST,
    )
    opened = courses.reopen_course(db, course.id, expected_version=ended.version)
    courses.end_course(
        db, course.id, CourseStatus.DISCONTINUED, date(2026, 1, 25), expected_version=opened.version
    )
    assert len(_dropouts(db, course)) == 1


def test_restoring_a_deleted_dropout_beside_a_newer_one_is_refused(
    db: Database, course: CourseInfo
) -> None:
    first = events.record_event(
        db, course.id, EventKind.DROPOUT, date(2026, 1, 20), reason=DropoutReason.COST
    )
    events.delete_event(db, first.id, expected_version=first.version)
    events.record_event(
        db, course.id, EventKind.DROPOUT, date(2026, 1, 22), reason=DropoutReason.OTHER
    )
    with pytest.raises(ValidationError, match="already has a dropout"):
        events.restore_event(db, first.id)
    assert len(_dropouts(db, course)) == 1


# --- events corrected and deleted --------------------------------------------------------


def test_an_event_is_corrected_change_logged_deleted_and_restored(
    db: Database, course: CourseInfo
) -> None:
    made = events.record_event(db, course.id, EventKind.ED_VISIT, date(2026, 1, 12))
    fixed = events.correct_event(
        db,
        made.id,
        EventInput(EventKind.HOSPITALIZATION, date(2026, 1, 13), description="admitted 3 days"),
        expected_version=made.version,
    )
    assert (fixed.kind, fixed.when, fixed.version) == (
        EventKind.HOSPITALIZATION,
        date(2026, 1, 13),
        made.version + 1,
    )
    with pytest.raises(Exception, match="changed"):  # a stale window's correction
        events.correct_event(
            db, made.id, EventInput(EventKind.ED_VISIT, date(2026, 1, 12)), expected_version=1
        )
    events.delete_event(db, made.id, expected_version=fixed.version)
    assert load_timeline(db, course.id).events == ()
    events.restore_event(db, made.id)
    assert [e.kind for e in load_timeline(db, course.id).events] == [EventKind.HOSPITALIZATION]
    actions = [c.action for c in course_changes(db, course.id) if c.table == "event"]
    assert actions.count("update") == 1 and "delete" in actions and "restore" in actions


def test_correcting_the_dropout_of_a_discontinued_course_moves_the_course_reason(
    db: Database, course: CourseInfo
) -> None:
    courses.end_course(
        db,
        course.id,
        CourseStatus.DISCONTINUED,
        date(2026, 1, 21),
        expected_version=course.version,
        reason=DropoutReason.COST,
    )
    (dropout,) = _dropouts(db, course)
    events.correct_event(
        db,
        dropout.id,  # type: ignore[attr-defined]
        EventInput(EventKind.DROPOUT, date(2026, 1, 21), DropoutReason.SIDE_EFFECTS),
        expected_version=dropout.version,  # type: ignore[attr-defined]
    )
    assert courses.get_course(db, course.id).discontinue_reason == DropoutReason.SIDE_EFFECTS


def test_a_bad_event_correction_names_the_field_and_changes_nothing(
    db: Database, course: CourseInfo
) -> None:
    made = events.record_event(db, course.id, EventKind.ED_VISIT, date(2026, 1, 12))
    with pytest.raises(ValidationError, match="A dropout needs a reason"):
        events.correct_event(
            db, made.id, EventInput(EventKind.DROPOUT, date(2026, 1, 12)), expected_version=1
        )
    with pytest.raises(ValidationError, match="before the course start"):
        events.correct_event(
            db, made.id, EventInput(EventKind.ED_VISIT, date(2025, 12, 1)), expected_version=1
        )
    with pytest.raises(ValidationError, match="Event: 'party' is not one of the choices"):
        events.correct_event(
            db,
            made.id,
            EventInput("party", date(2026, 1, 12)),
            expected_version=1,  # type: ignore[arg-type]
        )
    assert load_timeline(db, course.id).events[0].version == 1


# --- course edit -------------------------------------------------------------------------


def _edit(course: CourseInfo, **changes: object) -> CourseEdit:
    values: dict[str, object] = {
        "start_date": course.start_date,
        "planned_sessions": course.planned_sessions,
        "record": course.record,
        "notes": course.notes,
    }
    values.update(changes)
    return CourseEdit(**values)  # type: ignore[arg-type]


def test_a_course_is_edited_and_the_change_log_keeps_the_old_values(
    db: Database, course: CourseInfo
) -> None:
    record = CourseRecord(
        diagnosis="F33.2 Major depressive disorder, recurrent, severe",
        current_medications="Sertraline 150 mg daily\nLamotrigine 100 mg daily",
        prior_treatments="Escitalopram 20 mg 10 weeks: no response\nBupropion XL 300 mg: partial",
        prescriber="Dr. A. Synthetic",
    )
    edited = edit_course(
        db,
        course.id,
        _edit(course, planned_sessions=8, start_date=date(2026, 1, 2), record=record),
        expected_version=course.version,
    )
    assert (edited.planned_sessions, edited.start_date, edited.record) == (
        8,
        date(2026, 1, 2),
        record,
    )
    assert load_timeline(db, course.id).course.record == record
    changes = [c for c in course_changes(db, course.id) if c.action == "update"]
    assert any("planned_sessions" in c.changes and "prescriber" in c.changes for c in changes)


def test_thresholds_change_only_with_a_reason_kept_on_the_course(
    db: Database, course: CourseInfo
) -> None:
    stricter = course.settings.with_madrs_remission(12)
    with pytest.raises(ValidationError, match="Reason for the change: is required"):
        edit_course(db, course.id, _edit(course, settings=stricter), expected_version=1)
    assert courses.get_course(db, course.id).settings.for_instrument("MADRS").remission_max == 10
    edited = edit_course(
        db,
        course.id,
        _edit(course, settings=stricter, threshold_reason="esketamine trial definition"),
        expected_version=1,
    )
    assert edited.settings.for_instrument("MADRS").remission_max == 12
    assert edited.threshold_change_reason == "esketamine trial definition"
    same = edit_course(db, course.id, _edit(edited, settings=stricter), expected_version=2)
    assert same.threshold_change_reason == "esketamine trial definition"  # no change, kept


def test_the_start_date_cannot_pass_the_first_session(db: Database, course: CourseInfo) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 7, 10)))
    with pytest.raises(ValidationError, match=r"Start date: 2026-01-08 is after the first session"):
        edit_course(db, course.id, _edit(course, start_date=date(2026, 1, 8)), expected_version=1)
    edited = edit_course(
        db, course.id, _edit(course, start_date=date(2026, 1, 7)), expected_version=1
    )
    assert edited.start_date == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"planned_sessions": 0}, "Planned sessions: 0 is out of range"),
        ({"planned_sessions": "6"}, "Planned sessions: must be a whole number"),
        ({"start_date": date(2099, 1, 1)}, "Start date: 2099-01-01 is in the future"),
        ({"start_date": date(1970, 1, 1)}, "Start date: 1970-01-01 is before the date of birth"),
        ({"record": CourseRecord(prescriber="Dr\x00X")}, "Prescriber: holds a control character"),
        ({"record": CourseRecord(diagnosis="x" * 501)}, "Diagnosis: is too long"),
        ({"notes": 5}, "Course notes: must be text"),
    ],
)
def test_hostile_course_edits_are_refused_whole(
    db: Database, course: CourseInfo, patient: PatientInfo, changes: dict[str, object], says: str
) -> None:
    before = _rows(db, "change_log")
    with pytest.raises(ValidationError, match=says):
        edit_course(db, course.id, _edit(course, **changes), expected_version=1)
    assert _rows(db, "change_log") == before


# --- warnings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modality", "details", "says"),
    [
        (Modality.IM_KETAMINE, {"dose_mg_per_kg": 3.0}, "Dose of 3 mg/kg is unusual"),
        (Modality.ESKETAMINE, {"monitoring_min": 60}, "Monitoring time of 60 min is unusual"),
        (Modality.ECT, {"seizure_eeg_s": 12}, "Seizure duration, EEG of 12 s is unusual"),
    ],
)
def test_the_issue_s_warnings_need_confirming_and_stay_on_the_record(
    db: Database, patient: PatientInfo, modality: Modality, details: dict[str, object], says: str
) -> None:
    course = courses.start_course(db, patient.id, modality, date(2026, 1, 5), 6)
    entered = SessionInput(datetime(2026, 1, 6, 10), details)
    with pytest.raises(UnconfirmedWarningsError, match=says) as refused:
        record_session(db, course.id, entered)
    assert {w.field for w in refused.value.warnings} == set(details)  # ECT: range + adequacy
    assert _rows(db, "treatment_session") == 0
    record_session(db, course.id, entered, acknowledge_warnings=True)
    (stored,) = load_timeline(db, course.id).sessions
    assert [w.text for w in stored.warnings] == [w.text for w in refused.value.warnings]
    assert says in stored.warnings[0].text


def test_a_correction_keeps_confirmed_warnings_and_asks_for_new_ones(
    db: Database, course: CourseInfo
) -> None:
    saved = record_session(
        db,
        course.id,
        SessionInput(datetime(2026, 1, 6, 10), {"dose_mg_per_kg": 2.0}),
        acknowledge_warnings=True,
    ).record
    noted = correct_session(
        db,
        saved.id,
        SessionInput(saved.when, saved.details, notes="tolerated well"),
        expected_version=saved.version,
    ).record  # the same warning, confirmed before: no question
    assert len(noted.warnings) == 1
    longer = SessionInput(saved.when, {**saved.details, "duration_min": 300})
    with pytest.raises(UnconfirmedWarningsError, match="Infusion duration of 300 min"):
        correct_session(db, saved.id, longer, expected_version=noted.version)
    fixed = correct_session(
        db,
        saved.id,
        SessionInput(saved.when, {"dose_mg_per_kg": 0.5}),
        expected_version=noted.version,
    ).record
    assert fixed.warnings == ()  # corrected to a usual dose: the warning goes with it


def test_stored_warnings_are_json_with_rule_field_and_text(
    db: Database, course: CourseInfo
) -> None:
    record_session(
        db,
        course.id,
        SessionInput(datetime(2026, 1, 6, 10), {"bp_peak_sys": 205}),
        acknowledge_warnings=True,
    )
    with closing(raw_connect(db)) as conn:
        (stored,) = conn.execute("SELECT warnings FROM treatment_session").fetchone()
    assert json.loads(stored) == [
        {
            "field": "bp_peak_sys",
            "rule": "outside_plausible_range",
            "text": "BP peak, systolic of 205 mmHg is unusual (plausible 80-200 mmHg)",
        }
    ]


def test_warning_rules_are_one_list_a_new_rule_joins(db: Database) -> None:
    from mbctracker.domain.limits import SESSION_WARNING_RULES, PlausibilityWarning

    def long_monitoring(facts: SessionFacts) -> list[PlausibilityWarning]:
        minutes = facts.details.get("monitoring_min")
        late = isinstance(minutes, int) and minutes > 180
        return [PlausibilityWarning("late_discharge", "monitoring_min", "late")] if late else []

    facts = SessionFacts(Modality.ESKETAMINE, {"monitoring_min": 200})
    assert session_warnings(facts) == ()
    found = session_warnings(facts, (*SESSION_WARNING_RULES, long_monitoring))
    assert [w.rule for w in found] == ["late_discharge"]


# --- duplicates --------------------------------------------------------------------------


def test_a_second_session_at_the_same_date_and_time_is_refused(
    db: Database, course: CourseInfo
) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10, 0)))
    with pytest.raises(ValidationError, match="session 1 of this course is already recorded at"):
        record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10, 0, 40)))
    assert _rows(db, "treatment_session") == 1
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10, 1)))  # a minute later


def test_a_correction_onto_another_session_s_time_is_refused(
    db: Database, course: CourseInfo
) -> None:
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    second = record_session(db, course.id, SessionInput(datetime(2026, 1, 8, 10))).record
    with pytest.raises(ValidationError, match=r"Session date: session 1 .* 2026-01-06 10:00"):
        correct_session(db, second.id, SessionInput(datetime(2026, 1, 6, 10)), expected_version=1)
    same = correct_session(  # its own time is no duplicate
        db, second.id, SessionInput(second.when, notes="ok"), expected_version=1
    )
    assert same.record.notes == "ok"


def test_deleted_then_entered_again_then_restored_is_refused(
    db: Database, course: CourseInfo
) -> None:
    first = record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10))).record
    delete_session(db, first.id, expected_version=first.version)
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10)))
    with pytest.raises(ValidationError, match="already recorded at 2026-01-06 10:00"):
        restore_session(db, SessionId(first.id))
    assert len(load_timeline(db, course.id).sessions) == 1


def test_a_tampered_warnings_column_names_the_record_and_a_correction_repairs_it(
    db: Database, course: CourseInfo
) -> None:
    saved = record_session(
        db,
        course.id,
        SessionInput(datetime(2026, 1, 6, 10), {"dose_mg_per_kg": 2.0}),
        acknowledge_warnings=True,
    ).record
    with closing(raw_connect(db)) as conn:
        conn.execute("UPDATE treatment_session SET warnings = '[\"hidden\"]'")
        conn.commit()
    with pytest.raises(DamagedRecordError, match="warnings"):
        load_timeline(db, course.id)
    again = SessionInput(saved.when, saved.details)
    with pytest.raises(UnconfirmedWarningsError):  # unreadable: never counted as confirmed
        correct_session(db, saved.id, again, expected_version=saved.version)
    correct_session(db, saved.id, again, expected_version=saved.version, acknowledge_warnings=True)
    assert len(load_timeline(db, course.id).sessions[0].warnings) == 1
