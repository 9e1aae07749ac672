"""The timeline in the order a clinic types it: scores first, sessions after, back-filled,
deleted and restored, follow-ups weeks later (issue 10, section 1)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from mbctracker.domain.course import CourseId, EventKind, Modality, Phase, SessionId, Timepoint
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.outcomes import EarlyStatus
from mbctracker.domain.timeline import CourseInfo, CourseTimeline, PatientInfo, summarize
from mbctracker.services.assessments import AssessmentInput, correct_assessment, record_assessment
from mbctracker.services.audit_log import course_changes
from mbctracker.services.courses import (
    delete_phase_change,
    redate_phase_change,
    set_phase,
    start_course,
)
from mbctracker.services.sessions import (
    SessionInput,
    correct_session,
    delete_session,
    record_session,
    restore_session,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.errors import StaleRecordError

START = date(2026, 1, 5)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """Course day ``day`` (0 = the start) at a wall-clock time."""
    return datetime.combine(START + timedelta(days=day), time(hour, minute))


def madrs(total: int) -> list[int | None]:
    """Ten MADRS items adding up to ``total`` (item 10 kept low: no flag)."""
    items = [0] * 10
    left = total
    for i in range(9):
        items[i] = min(6, left)
        left -= items[i]
    return list(items)


def scores(db: Database, course_id: CourseId, when: datetime, total: int, **kw: object) -> int:
    data = AssessmentInput("MADRS", madrs(total), when, **kw)  # type: ignore[arg-type]
    return int(record_assessment(db, course_id, data).record.id)


def session(db: Database, course_id: CourseId, when: datetime, **kw: object) -> SessionId:
    return record_session(db, course_id, SessionInput(when, **kw)).record.id  # type: ignore[arg-type]


def numbers(t: CourseTimeline) -> list[tuple[str, int]]:
    return [(f"{s.when:%m-%d}", s.number) for s in t.sessions]


def links(t: CourseTimeline) -> dict[int, int | None]:
    return {a.id: a.session_number for a in t.assessments}


def test_scores_typed_before_the_session_are_linked_when_it_is_recorded(
    db: Database, course: CourseInfo
) -> None:
    """The nurse types the MADRS at 07:40; the infusion is recorded at 09:00."""
    base = scores(db, course.id, at(-2), 30, timepoint=Timepoint.BASELINE)
    first = scores(db, course.id, at(1, 7, 40), 28)
    assert links(load_timeline(db, course.id))[first] is None  # no session yet
    session(db, course.id, at(1, 9))
    eve = scores(db, course.id, at(3, 18), 26)  # typed the evening before session 2
    session(db, course.id, at(4, 9))
    after = scores(db, course.id, at(4, 9, 20), 25)  # typed just after the recorded time
    timeline = load_timeline(db, course.id)
    assert links(timeline) == {base: None, first: 1, eve: 2, after: 2}


def test_scores_outside_the_link_window_stay_unlinked(db: Database, course: CourseInfo) -> None:
    """Three days ahead (the clinic's window) links; four does not."""
    inside = scores(db, course.id, at(2, 10), 28)
    outside = scores(db, course.id, at(6, 10), 27)
    session(db, course.id, at(5, 9))
    session(db, course.id, at(10, 9))
    assert links(load_timeline(db, course.id)) == {inside: 1, outside: None}


def test_a_back_filled_session_takes_its_number_by_date(db: Database, course: CourseInfo) -> None:
    first = scores(db, course.id, at(1, 8), 28)
    session(db, course.id, at(1))
    third = scores(db, course.id, at(8, 8), 20)
    session(db, course.id, at(8))
    session(db, course.id, at(4))  # typed a week late from the paper chart
    timeline = load_timeline(db, course.id)
    assert numbers(timeline) == [("01-06", 1), ("01-09", 2), ("01-13", 3)]
    assert links(timeline) == {first: 1, third: 3}


def test_delete_new_restore_never_gives_two_sessions_the_same_number(
    db: Database, course: CourseInfo
) -> None:
    session(db, course.id, at(1))
    second = session(db, course.id, at(4))
    delete_session(db, second, expected_version=1)
    session(db, course.id, at(6))
    restore_session(db, second)
    timeline = load_timeline(db, course.id)
    assert numbers(timeline) == [("01-06", 1), ("01-09", 2), ("01-11", 3)]


def test_deleting_a_session_hands_its_scores_to_the_next_within_the_window(
    db: Database, course: CourseInfo
) -> None:
    typed = scores(db, course.id, at(2, 8), 25)
    wrong = session(db, course.id, at(2, 9))
    session(db, course.id, at(4, 9))
    delete_session(db, wrong, expected_version=1)
    assert links(load_timeline(db, course.id)) == {typed: 1}  # day 4, two days later


def test_redating_a_session_renumbers_and_relinks(db: Database, course: CourseInfo) -> None:
    a = scores(db, course.id, at(1, 8), 28)
    s1 = session(db, course.id, at(1))
    b = scores(db, course.id, at(8, 8), 24)
    session(db, course.id, at(8))
    correct_session(db, s1, SessionInput(at(12)), expected_version=1)  # typed the wrong day
    timeline = load_timeline(db, course.id)
    assert numbers(timeline) == [("01-13", 1), ("01-17", 2)]
    assert links(timeline) == {a: None, b: 1}


def test_redating_an_assessment_relinks_it(db: Database, course: CourseInfo) -> None:
    session(db, course.id, at(1))
    session(db, course.id, at(8))
    typed = scores(db, course.id, at(1, 8), 28)
    record = next(a for a in load_timeline(db, course.id).assessments if a.id == typed)
    correct_assessment(db, record.id, madrs(28), expected_version=record.version, when=at(7, 15))
    assert links(load_timeline(db, course.id)) == {typed: 2}


def test_a_link_chosen_in_the_entry_form_is_kept(db: Database, course: CourseInfo) -> None:
    s1 = session(db, course.id, at(1))
    chosen = scores(db, course.id, at(1, 8), 28, session_id=s1)
    kept_out = scores(db, course.id, at(3, 8), 27, auto_link=False)
    session(db, course.id, at(1, 7))  # an earlier session the same day, back-filled
    session(db, course.id, at(4))
    timeline = load_timeline(db, course.id)
    assert links(timeline) == {chosen: 2, kept_out: None}  # same session, now numbered 2
    assert all(a.link_manual for a in timeline.assessments)


def test_early_improvement_and_response_in_real_entry_order(
    db: Database, patient: PatientInfo
) -> None:
    """IV ketamine: 20% by infusion 4 and response at infusion N, scores typed first."""
    course = start_course(db, patient.id, Modality.IV_KETAMINE, START, planned_sessions=6)
    scores(db, course.id, at(-1), 30, timepoint=Timepoint.BASELINE)
    for n, total in enumerate((29, 27, 23, 20, 14), start=1):
        scores(db, course.id, at(3 * n, 7, 45), total)
        session(db, course.id, at(3 * n, 9))
    madrs_summary = summarize(load_timeline(db, course.id)).get("MADRS")
    assert madrs_summary is not None and madrs_summary.early is not None
    assert madrs_summary.early.status == EarlyStatus.PRESENT  # 23 at infusion 3: 23%
    assert madrs_summary.sessions_to_response == 5


def test_nothing_measured_in_the_window_is_not_assessed(db: Database, patient: PatientInfo) -> None:
    """Baseline on day 0, the next MADRS on day 19: the 14-day window saw nothing."""
    course = start_course(db, patient.id, Modality.ESKETAMINE, START, planned_sessions=8)
    scores(db, course.id, at(0, 8), 30, timepoint=Timepoint.BASELINE)
    session(db, course.id, at(0, 10))
    scores(db, course.id, at(19, 8), 29)
    summary = summarize(load_timeline(db, course.id)).get("MADRS")
    assert summary is not None and summary.early is not None
    assert summary.early.status == EarlyStatus.NOT_ASSESSED
    assert str(summary.early.status) == "not assessed in the window"


def test_iv_ketamine_past_infusion_4_without_scores_is_not_assessed(
    db: Database, course: CourseInfo
) -> None:
    scores(db, course.id, at(-1), 30, timepoint=Timepoint.BASELINE)
    for n in range(1, 5):
        session(db, course.id, at(2 * n))
    summary = summarize(load_timeline(db, course.id)).get("MADRS")
    assert summary is not None and summary.early is not None
    assert summary.early.status == EarlyStatus.NOT_ASSESSED


def test_phase_changes_are_dated_and_sessions_follow_them(db: Database, course: CourseInfo) -> None:
    for n in range(1, 7):
        session(db, course.id, at(2 * n))
    changed = set_phase(
        db, course.id, Phase.MAINTENANCE, expected_version=course.version, started_on=at(20).date()
    )
    assert changed.phase == Phase.MAINTENANCE
    session(db, course.id, at(35))  # defaults from the phase in force on its day
    session(db, course.id, at(9))  # a back-filled induction session keeps its phase
    timeline = load_timeline(db, course.id)
    assert [s.phase for s in timeline.sessions] == [Phase.INDUCTION] * 7 + [Phase.MAINTENANCE]
    assert [p.text for p in summarize(timeline).progress] == ["induction 7/6", "maintenance 1"]
    assert [(c.phase, c.started_on) for c in timeline.phases] == [
        (Phase.INDUCTION, START),
        (Phase.MAINTENANCE, at(20).date()),
    ]


def test_a_session_recorded_in_another_phase_dates_that_phase_change(
    db: Database, course: CourseInfo
) -> None:
    for n in range(1, 4):
        session(db, course.id, at(2 * n))
    session(db, course.id, at(30), phase=Phase.MAINTENANCE)
    timeline = load_timeline(db, course.id)
    assert timeline.course.phase == Phase.MAINTENANCE
    assert timeline.phases[-1].started_on == at(30).date()
    assert [p.text for p in summarize(timeline).progress] == ["induction 3/6", "maintenance 1"]


def test_a_phase_change_before_the_course_start_is_refused(
    db: Database, course: CourseInfo
) -> None:
    from mbctracker.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="Phase start") as refused:
        set_phase(
            db, course.id, Phase.MAINTENANCE, expected_version=1, started_on=date(2025, 12, 1)
        )
    assert refused.value.field == "started_on"
    assert load_timeline(db, course.id).course.phase == Phase.INDUCTION  # nothing half-saved


def test_follow_ups_events_and_phases_are_placed_by_date(db: Database, course: CourseInfo) -> None:
    """Six infusions, follow-up from day 13: a 1-week follow-up is not "session 7"."""
    from mbctracker.presentation import course_picture
    from mbctracker.services.events import record_event

    scores(db, course.id, at(0, 8), 30, timepoint=Timepoint.BASELINE)
    for n in range(1, 7):
        session(db, course.id, at(2 * n))
    set_phase(db, course.id, Phase.FOLLOW_UP, expected_version=1, started_on=at(13).date())
    week = scores(db, course.id, at(19), 20, timepoint=Timepoint.FOLLOW_UP)
    typed_as_pre = scores(db, course.id, at(20), 19)  # the form's old default
    month = scores(db, course.id, at(42), 18, timepoint=Timepoint.FOLLOW_UP)
    record_event(db, course.id, EventKind.ED_VISIT, at(5).date())
    picture = course_picture(load_timeline(db, course.id))
    x = {p.record.id: p.position.session for p in picture.series["MADRS"].points}
    assert 6 < x[week] < x[typed_as_pre] < x[month] < 7
    assert 2 < picture.events[0].position.session < 3  # day 5: between infusions 2 and 3
    spans = [(s.phase, s.start.session) for s in picture.phases]
    assert [p for p, _ in spans] == [Phase.INDUCTION, Phase.FOLLOW_UP]
    assert 6 < spans[1][1] < x[week]


def test_a_phase_without_sessions_yet_is_shaded(db: Database, course: CourseInfo) -> None:
    from mbctracker.presentation import course_picture

    for n in range(1, 4):
        session(db, course.id, at(2 * n))
    scores(db, course.id, at(10, 8), 22)
    set_phase(db, course.id, Phase.MAINTENANCE, expected_version=1, started_on=at(8).date())
    phases = course_picture(load_timeline(db, course.id)).phases
    assert [s.phase for s in phases] == [Phase.INDUCTION, Phase.MAINTENANCE]
    assert phases[1].end.session > phases[1].start.session


def test_the_pdf_shows_links_and_per_phase_progress(db: Database, course: CourseInfo) -> None:
    """Typed in clinic order; the printed summary says how each score is linked."""
    import io

    from pypdf import PdfReader

    from mbctracker.reports.output import render_summary
    from mbctracker.services.schedule import link_assessment

    scores(db, course.id, at(0, 8), 30, timepoint=Timepoint.BASELINE)
    scores(db, course.id, at(2, 8), 28)
    first = session(db, course.id, at(2))
    moved = scores(db, course.id, at(4, 8), 25)
    session(db, course.id, at(4))
    link_assessment(db, moved, first, expected_version=1)  # type: ignore[arg-type]
    scores(db, course.id, at(9, 8), 22)  # waiting for its session
    session(db, course.id, at(30), phase=Phase.MAINTENANCE)
    pdf = render_summary(load_timeline(db, course.id), generated_at=datetime(2026, 3, 1, 12))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Sessions: induction 2/6 \u00b7 maintenance 1" in text
    assert "#1 (set by hand)" in text
    assert "Pre-session, not linked" in text


def _phases(db: Database, course_id: CourseId) -> list[tuple[Phase, date]]:
    return [(c.phase, c.started_on) for c in load_timeline(db, course_id).phases]


def _version(db: Database, course_id: CourseId) -> int:
    return load_timeline(db, course_id).course.version


def test_a_phase_change_dated_today_is_moved_back_to_the_day_it_happened(
    db: Database, course: CourseInfo
) -> None:
    """The nurse picks Maintenance on the drop-down a week late: it is dated today, so the
    sessions since then show induction until the change is moved back to its real day."""
    for n in range(1, 9):
        session(db, course.id, at(3 * n))
    set_phase(db, course.id, Phase.MAINTENANCE, expected_version=course.version)
    assert _phases(db, course.id)[-1] == (Phase.MAINTENANCE, date.today())
    moved = redate_phase_change(
        db,
        course.id,
        date.today(),
        Phase.MAINTENANCE,
        at(19).date(),
        expected_version=_version(db, course.id),
    )
    assert moved.phase == Phase.MAINTENANCE
    timeline = load_timeline(db, course.id)
    assert [s.phase for s in timeline.sessions] == [Phase.INDUCTION] * 6 + [Phase.MAINTENANCE] * 2
    assert [p.text for p in summarize(timeline).progress] == ["induction 6/6", "maintenance 2"]
    actions = [c.action for c in course_changes(db, course.id) if c.table == "course_phase_change"]
    assert actions.count("delete") >= 1 and actions.count("create") >= 2


def test_a_phase_change_entered_in_error_is_removed_and_its_sessions_fall_back(
    db: Database, course: CourseInfo
) -> None:
    for n in range(1, 5):
        session(db, course.id, at(3 * n))
    set_phase(
        db, course.id, Phase.CONTINUATION, expected_version=course.version, started_on=at(7).date()
    )
    assert [s.phase for s in load_timeline(db, course.id).sessions][-1] == Phase.CONTINUATION
    removed = delete_phase_change(
        db, course.id, at(7).date(), expected_version=_version(db, course.id)
    )
    assert removed.phase == Phase.INDUCTION
    assert _phases(db, course.id) == [(Phase.INDUCTION, START)]
    assert {s.phase for s in load_timeline(db, course.id).sessions} == {Phase.INDUCTION}


def test_the_first_phase_may_change_phase_but_not_leave_the_course_start(
    db: Database, course: CourseInfo
) -> None:
    with pytest.raises(
        ValidationError, match="Phase start: the first phase starts with the course"
    ):
        redate_phase_change(
            db, course.id, START, Phase.INDUCTION, at(2).date(), expected_version=course.version
        )
    with pytest.raises(ValidationError, match="the phase at the course start cannot be removed"):
        delete_phase_change(db, course.id, START, expected_version=course.version)
    changed = redate_phase_change(
        db, course.id, START, Phase.MAINTENANCE, START, expected_version=course.version
    )
    assert changed.phase == Phase.MAINTENANCE and _phases(db, course.id) == [
        (Phase.MAINTENANCE, START)
    ]


def test_hostile_phase_change_edits_are_refused_and_change_nothing(
    db: Database, course: CourseInfo
) -> None:
    set_phase(
        db, course.id, Phase.CONTINUATION, expected_version=course.version, started_on=at(10).date()
    )
    set_phase(
        db,
        course.id,
        Phase.MAINTENANCE,
        expected_version=course.version + 1,
        started_on=at(20).date(),
    )
    before, version = _phases(db, course.id), _version(db, course.id)
    refused = {
        "none is dated 2026-01-06": lambda: delete_phase_change(
            db, course.id, at(1).date(), expected_version=version
        ),
        "another phase change is dated 2026-01-25": lambda: redate_phase_change(
            db,
            course.id,
            at(10).date(),
            Phase.CONTINUATION,
            at(20).date(),
            expected_version=version,
        ),
        "before the course start": lambda: redate_phase_change(
            db,
            course.id,
            at(10).date(),
            Phase.CONTINUATION,
            at(-3).date(),
            expected_version=version,
        ),
        "is in the future": lambda: redate_phase_change(
            db,
            course.id,
            at(10).date(),
            Phase.CONTINUATION,
            date.today() + timedelta(days=1),
            expected_version=version,
        ),
        "Phase: ": lambda: redate_phase_change(
            db,
            course.id,
            at(10).date(),
            "taper",
            at(11).date(),
            expected_version=version,  # type: ignore[arg-type]
        ),
    }
    for message, attempt in refused.items():
        with pytest.raises(ValidationError, match=message):
            attempt()
    with pytest.raises(StaleRecordError):
        delete_phase_change(db, course.id, at(10).date(), expected_version=version - 1)
    assert _phases(db, course.id) == before and _version(db, course.id) == version
