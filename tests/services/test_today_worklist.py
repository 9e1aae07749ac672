"""The Today worklist, in the order a clinic enters things: scores before the session,
back-filled sessions, late follow-ups, and hostile settings values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest

from mbctracker.domain.course import CourseId, CourseStatus, Modality, Phase, Timepoint
from mbctracker.domain.errors import ValidationError
from mbctracker.domain.settings import DEFAULT_SETTINGS, ClinicSettings
from mbctracker.domain.timeline import PatientInfo
from mbctracker.services.assessments import (
    AssessmentInput,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.courses import (
    end_course,
    get_course,
    set_phase,
    set_session_interval,
    start_course,
)
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.procedure import set_authorised_sessions
from mbctracker.services.sessions import SessionInput, delete_session, record_session
from mbctracker.services.today import today_worklist
from mbctracker.storage import Database

TODAY = date.today()
"""Today, read again as each test starts (:func:`_today`): read once at import, it was
yesterday for the tests that ran after midnight, while their saves were dated today."""
PHQ_LOW = [1, 1, 1, 1, 1, 1, 1, 1, 0]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "TODAY", date.today())


def at(days_ago: int, hour: int = 10) -> datetime:
    """A local time ``days_ago`` days before today (never in the future)."""
    moment = datetime.combine(TODAY - timedelta(days=days_ago), time(hour, 0))
    return min(moment, datetime.now().replace(second=0, microsecond=0))


def person(db: Database, n: int) -> PatientInfo:
    return register_patient(db, PatientInput(mrn=f"T-{n:03d}", name=f"Test Person {n}"))


def course_with_sessions(db: Database, n: int, days_ago: list[int], started: int = 0) -> CourseId:
    p = person(db, n)
    start = TODAY - timedelta(days=max([*days_ago, started]) + 1)
    c = start_course(db, p.id, Modality.IM_KETAMINE, start, planned_sessions=6)
    for d in days_ago:
        record_session(db, c.id, SessionInput(at(d)))
    return c.id


def lines(db: Database, key: str, settings: ClinicSettings = DEFAULT_SETTINGS) -> list[str]:
    found = today_worklist(db, TODAY, settings)
    return [f"{ln.mrn} {ln.what}" for s in found if s.key == key for ln in s.lines]


def mrns(db: Database, key: str, settings: ClinicSettings = DEFAULT_SETTINGS) -> list[str]:
    return [text.split(" ", 1)[0] for text in lines(db, key, settings)]


def to_phase(db: Database, course_id: CourseId, phase: Phase) -> None:
    set_phase(db, course_id, phase, expected_version=get_course(db, course_id).version)


def test_sessions_recorded_today_are_listed_and_yesterdays_are_not(db: Database) -> None:
    course_with_sessions(db, 1, [1])
    today_id = course_with_sessions(db, 2, [3])
    record_session(db, today_id, SessionInput(datetime.now().replace(second=0, microsecond=0)))
    assert mrns(db, "today") == ["T-002"]
    assert "session 2 at" in lines(db, "today")[0]


def test_maintenance_every_21_days_is_due_on_day_21_not_day_20(db: Database) -> None:
    due = course_with_sessions(db, 1, [40, 21])
    not_yet = course_with_sessions(db, 2, [40, 20])
    for c in (due, not_yet):
        to_phase(db, c, Phase.MAINTENANCE)
    assert mrns(db, "due") == ["T-001"]
    assert "maintenance every 21 d" in lines(db, "due")[0]
    assert "due today" in lines(db, "due")[0]


def test_a_back_filled_session_does_not_make_the_course_look_overdue(db: Database) -> None:
    c = course_with_sessions(db, 1, [1], started=12)  # induction, every 3 days: not due
    record_session(db, c, SessionInput(at(9)))  # an older session typed in later
    assert mrns(db, "due") == []


def test_a_deleted_session_no_longer_counts_as_the_last_one(db: Database) -> None:
    c = course_with_sessions(db, 1, [10])
    recent = record_session(db, c, SessionInput(at(1))).record
    assert mrns(db, "due") == []
    delete_session(db, recent.id, expected_version=recent.version)
    [line] = lines(db, "due")
    due = TODAY - timedelta(days=7)
    assert f"7 d overdue (due {due:%Y-%m-%d})" in line


def test_the_course_interval_overrides_the_phase_default(db: Database) -> None:
    c = course_with_sessions(db, 1, [5])
    assert mrns(db, "due") == ["T-001"]  # induction default: every 3 days
    set_session_interval(db, c, 7, expected_version=get_course(db, c).version)
    assert mrns(db, "due") == []
    set_session_interval(db, c, None, expected_version=get_course(db, c).version)
    assert mrns(db, "due") == ["T-001"]


def test_the_clinic_default_per_phase_is_a_setting(db: Database) -> None:
    c = course_with_sessions(db, 1, [10])
    to_phase(db, c, Phase.CONTINUATION)
    assert mrns(db, "due") == ["T-001"]  # weekly by default
    slower = replace(DEFAULT_SETTINGS, session_interval_days={"continuation": 14})
    assert mrns(db, "due", slower) == []
    assert ClinicSettings.from_json(slower.to_json()).session_interval_days == {"continuation": 14}


def test_new_course_without_sessions_is_due_from_its_start(db: Database) -> None:
    p = person(db, 1)
    start_course(db, p.id, Modality.TMS, TODAY, planned_sessions=30)
    [line] = lines(db, "due")
    assert line.startswith("T-001 due today") and line.endswith("no session yet")


def test_an_induction_that_had_its_planned_sessions_is_not_due(db: Database) -> None:
    done = course_with_sessions(db, 1, [18, 15, 12, 9, 6, 5])  # 6 of 6 planned
    course_with_sessions(db, 2, [18, 15, 12, 9, 6])  # 5 of 6: the sixth is due
    assert mrns(db, "due") == ["T-002"]
    to_phase(db, done, Phase.MAINTENANCE)  # maintenance goes on by its own interval
    assert mrns(db, "due") == ["T-002"]  # the last session was 5 days ago, every 21


def test_ended_and_follow_up_courses_are_not_due(db: Database) -> None:
    ended = course_with_sessions(db, 1, [30])
    end_course(
        db, ended, CourseStatus.COMPLETED, TODAY, expected_version=get_course(db, ended).version
    )
    follow = course_with_sessions(db, 2, [30])
    to_phase(db, follow, Phase.FOLLOW_UP)
    assert mrns(db, "due") == []


@pytest.mark.parametrize("bad", [0, -3, 366, True, 2.5, "7"])
def test_a_hostile_interval_is_refused_naming_the_field(db: Database, bad: object) -> None:
    c = course_with_sessions(db, 1, [1])
    version = get_course(db, c).version
    with pytest.raises(ValidationError, match=r"Session interval \(days\).*1-365"):
        set_session_interval(db, c, bad, expected_version=version)  # type: ignore[arg-type]
    assert get_course(db, c).session_interval_days is None
    assert get_course(db, c).version == version


def test_an_open_flag_is_listed_until_an_action_is_recorded(db: Database) -> None:
    c = course_with_sessions(db, 1, [2])
    # the nurse types the pre-session scores before the session is recorded
    result = record_assessment(
        db, c, AssessmentInput("PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 2], at(0, 8))
    )
    [line] = lines(db, "flags")
    assert line.startswith("T-001 1 open safety flag")
    record_safety_action(db, result.record.id, "reviewed")
    assert lines(db, "flags") == []


def test_follow_ups_one_week_and_one_month_after_induction(db: Database) -> None:
    week = course_with_sessions(db, 1, [13, 10, 7])
    month = course_with_sessions(db, 2, [36, 33, 30])
    course_with_sessions(db, 3, [13, 10, 7])  # still in induction: not ended, not listed
    for c in (week, month):
        to_phase(db, c, Phase.MAINTENANCE)
    found = lines(db, "follow_up")
    assert [f.split(" ", 1)[0] for f in found] == ["T-001", "T-002"]  # both due today
    assert "1-week follow-up due" in found[0] and "1-month follow-up due" in found[1]


def test_a_late_follow_up_entered_in_the_window_clears_the_line(db: Database) -> None:
    c = course_with_sessions(db, 1, [12, 9])
    end_course(
        db,
        c,
        CourseStatus.COMPLETED,
        TODAY - timedelta(days=9),
        expected_version=get_course(db, c).version,
    )
    assert mrns(db, "follow_up") == ["T-001"]  # due 2 days ago, listed until recorded
    # the paper form from day 7 is typed in today: it is dated when it was filled in
    record_assessment(db, c, AssessmentInput("PHQ9", PHQ_LOW, at(2), timepoint=Timepoint.FOLLOW_UP))
    assert mrns(db, "follow_up") == []


def test_a_one_week_follow_up_does_not_answer_the_one_month_one(db: Database) -> None:
    c = course_with_sessions(db, 1, [31, 30])
    end_course(
        db,
        c,
        CourseStatus.COMPLETED,
        TODAY - timedelta(days=30),
        expected_version=get_course(db, c).version,
    )
    record_assessment(
        db, c, AssessmentInput("PHQ9", PHQ_LOW, at(23), timepoint=Timepoint.FOLLOW_UP)
    )
    assert ["1-month follow-up" in f for f in lines(db, "follow_up")] == [True]


def test_a_long_section_is_cut_and_counted(db: Database) -> None:
    for n in range(5):
        course_with_sessions(db, n, [10])
    [due] = [s for s in today_worklist(db, TODAY, DEFAULT_SETTINGS, limit=2) if s.key == "due"]
    assert len(due.lines) == 2 and due.total == 5


def test_scores_typed_before_the_session_wait_until_it_is_recorded(db: Database) -> None:
    c = course_with_sessions(db, 1, [3])
    course_with_sessions(db, 2, [3])  # no scores today: never listed
    now = datetime.now().replace(second=0, microsecond=0)
    early = max(datetime.combine(TODAY, time(0, 0)), now - timedelta(minutes=40))
    # the nurse types PHQ-9 and GAD-7 before the infusion; nothing for the other patient
    record_assessment(db, c, AssessmentInput("PHQ9", PHQ_LOW, early))
    record_assessment(db, c, AssessmentInput("GAD7", [1] * 7, early))
    [line] = lines(db, "awaiting")
    assert line.startswith("T-001 scores at") and "(GAD-7, PHQ-9)" in line
    # the infusion is recorded (back-dated to when it started): the line goes
    record_session(db, c, SessionInput(now))
    assert lines(db, "awaiting") == []
    assert mrns(db, "today") == ["T-001"]


def test_yesterdays_scores_and_baselines_do_not_wait_for_a_session(db: Database) -> None:
    c = course_with_sessions(db, 1, [3])
    record_assessment(db, c, AssessmentInput("PHQ9", PHQ_LOW, at(1)))
    p = person(db, 2)
    new = start_course(db, p.id, Modality.IV_KETAMINE, TODAY, planned_sessions=6)
    record_assessment(
        db,
        new.id,
        AssessmentInput("PHQ9", PHQ_LOW, at(0, 0), timepoint=Timepoint.BASELINE),
    )
    assert lines(db, "awaiting") == []


@pytest.mark.parametrize("bad", [0, -1, "x", True, 2.5, None])
def test_hostile_clinic_intervals_never_make_every_course_due(db: Database, bad) -> None:
    course_with_sessions(db, 1, [1], started=12)  # induction, last session yesterday
    settings = replace(DEFAULT_SETTINGS, session_interval_days={"induction": bad})
    assert mrns(db, "due", settings) == []
    stored = ClinicSettings.from_json(settings.to_json())
    assert mrns(db, "due", stored) == []


@pytest.mark.parametrize("bad", [(0,), (-7,), ("7",), ()])
def test_hostile_follow_up_days_list_nothing(db: Database, bad) -> None:
    c = course_with_sessions(db, 1, [7])
    to_phase(db, c, Phase.MAINTENANCE)
    settings = replace(DEFAULT_SETTINGS, follow_up_days=bad)
    assert mrns(db, "follow_up", settings) == []


# -- REMS forms and payer authorisations (sections fed by services/rems.py, procedure.py) ---


def test_an_esketamine_session_without_its_rems_form_is_listed_with_the_days_left(
    db: Database,
) -> None:
    p = person(db, 70)
    c = start_course(db, p.id, Modality.ESKETAMINE, TODAY - timedelta(days=10), 8)
    record_session(db, c.id, SessionInput(at(2), details={"dose_mg": 56, "monitoring_min": 120}))
    expected = f"T-070 REMS form for the session of {at(2):%Y-%m-%d}: 5 day(s) left"
    assert lines(db, "rems") == [expected]


def test_a_course_with_few_authorised_sessions_left_is_listed(db: Database) -> None:
    c = course_with_sessions(db, 71, [9, 6, 3])
    set_authorised_sessions(db, c, 5, expected_version=get_course(db, c).version)
    assert lines(db, "authorised") == ["T-071 3 of 5 authorised sessions used · 2 left"]
    far = course_with_sessions(db, 72, [4])
    set_authorised_sessions(db, far, 30, expected_version=get_course(db, far).version)
    assert mrns(db, "authorised") == ["T-071"]


def test_rems_forms_older_than_the_worklist_window_are_not_todays_work(db: Database) -> None:
    p = person(db, 73)
    c = start_course(db, p.id, Modality.ESKETAMINE, TODAY - timedelta(days=90), 8)
    for days in (60, 31, 30, 3):
        record_session(db, c.id, SessionInput(at(days), details={"dose_mg": 56}))
    shown = lines(db, "rems")
    assert [line.rsplit(": ", 1)[1] for line in shown] == [
        "23 day(s) late",  # 30 days ago: the oldest still listed
        "4 day(s) left",
    ]
