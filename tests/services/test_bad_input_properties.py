"""Property test: a combined save (a session and its assessment in one transaction)
either lands whole or not at all, whatever is typed into the forms.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engines import raw_connect
from mbctracker.domain import DomainError
from mbctracker.domain.course import CourseId, Modality, SessionId
from mbctracker.services.assessments import AssessmentInput, add_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, add_session
from mbctracker.storage import Database, open_database
from mbctracker.storage.tables import Course

START = date(2025, 6, 2)
KEYS = ("dose_mg_per_kg", "dose_mg", "duration_min", "bp_before_sys", "bp_before_dia", "bogus")
VALUE = st.one_of(
    st.integers(-50, 400),
    st.floats(-1, 400, allow_nan=False),
    st.just(float("nan")),
    st.sampled_from(["", "abc", None]),
)
ITEM = st.one_of(st.integers(0, 3), st.none(), st.integers(-2, 6), st.just("x"))
RESPONSES = st.one_of(
    st.lists(st.one_of(st.integers(0, 3), st.none()), min_size=9, max_size=9),
    st.lists(ITEM, min_size=8, max_size=10),
)
DETAILS = st.one_of(
    st.fixed_dictionaries(
        {"dose_mg_per_kg": st.floats(0.2, 1.0), "bp_before_sys": st.integers(90, 160)}
    ),
    st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=4),
)
OFFSET = st.sampled_from(
    [timedelta(minutes=-30)] * 4 + [timedelta(days=-30_000), timedelta(days=900)]
)


def _counts(db: Database) -> tuple[int, int, int]:
    with closing(raw_connect(db)) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("treatment_session", "assessment", "change_log")
        )


def _save(
    db: Database,
    course_id: CourseId,
    when: datetime,
    details: dict[str, object],
    responses: list[object],
    offset: timedelta,
) -> None:
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        row, _ = add_session(session, course, SessionInput(when, details))
        data = AssessmentInput("PHQ9", responses, when + offset, session_id=SessionId(row.id or 0))  # type: ignore[arg-type]
        add_assessment(session, course, data)


def test_entry_validation_never_half_saves(tmp_path: Path) -> None:
    db = open_database(tmp_path / "props.sqlite3", actor="hypothesis")
    try:
        patient = register_patient(db, PatientInput("SYN-H", "Synthetic Hypo", date(1960, 1, 1)))
        course_id = start_course(db, patient.id, Modality.IV_KETAMINE, START, 6).id
        outcome = {"saved": 0, "refused": 0}

        @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            day=st.one_of(st.integers(0, 300), st.integers(-30, 900)),
            details=DETAILS,
            responses=RESPONSES,
            offset=OFFSET,
        )
        def check(
            day: int, details: dict[str, object], responses: list[object], offset: timedelta
        ) -> None:
            when = datetime.combine(START, datetime.min.time()) + timedelta(days=day, hours=10)
            before = _counts(db)
            try:
                _save(db, course_id, when, details, responses, offset)
            except DomainError as error:
                assert error.field, "every refusal names a field"
                assert _counts(db) == before, "a refused save left rows behind"
                outcome["refused"] += 1
                return
            sessions, assessments, changes = before
            # a session dated between others renumbers them (each rewrite is logged too)
            now_sessions, now_assessments, now_changes = _counts(db)
            assert (now_sessions, now_assessments) == (sessions + 1, assessments + 1)
            assert now_changes >= changes + 2
            outcome["saved"] += 1

        check()
        print(f"combined saves: {outcome}")
        assert outcome["saved"] and outcome["refused"]
    finally:
        db.dispose()
