"""Model-based test: whatever order a clinic types things in, numbers and links follow dates.

Hypothesis runs random sequences of: type pre-session scores, record a session
(on any day: back-filled too), re-date a session, delete one, restore one. After
every step the course as the app reads it must match the reference below, written
from the issue's wording alone and sharing no code with the app:

- sessions are numbered 1..n by date and time, ties in the order they were recorded;
- a pre-session score belongs to a session of its own day (the first at or after its
  time, else the last one before it that day), else to the first session 1 to 3 days
  later (the clinic's window), else to none.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mbctracker.domain.course import CourseId, Modality, SessionId
from mbctracker.domain.errors import ValidationError
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import (
    SessionInput,
    correct_session,
    delete_session,
    record_session,
    restore_session,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import open_database

START = date(2026, 1, 5)
DAYS = st.integers(0, 20)
HOURS = st.sampled_from([7, 9, 9, 12, 18])  # 9 twice: two sessions at the same minute happen


def moment(day: int, hour: int) -> datetime:
    return datetime.combine(START + timedelta(days=day), time(hour))


@dataclass
class RefSession:
    order: int
    """When it was first recorded (the tie-break for the same minute)."""
    when: datetime
    deleted: bool = False


def reference_numbers(sessions: dict[int, RefSession]) -> dict[int, int]:
    live = [(s.when, s.order, sid) for sid, s in sessions.items() if not s.deleted]
    return {sid: n for n, (_, _, sid) in enumerate(sorted(live), start=1)}


def reference_link(sessions: dict[int, RefSession], when: datetime) -> int | None:
    live = sorted(
        ((s.when, s.order, sid) for sid, s in sessions.items() if not s.deleted),
    )
    today = [(w, sid) for w, _, sid in live if w.date() == when.date()]
    if today:
        at_or_after = [sid for w, sid in today if w >= when]
        return at_or_after[0] if at_or_after else today[-1][1]
    for w, _, sid in live:
        if 1 <= (w.date() - when.date()).days <= 3:
            return sid
    return None


class TimelineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="timeline-"))
        self.db = open_database(self.folder / "clinic.sqlite3", actor="model test")
        patient = register_patient(self.db, PatientInput("SYN-T1", "Synthetic Order"))
        course = start_course(self.db, patient.id, Modality.IV_KETAMINE, START, 6)
        self.course: CourseId = course.id
        self.sessions: dict[int, RefSession] = {}
        self.scores: dict[int, datetime] = {}

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _live(self) -> list[int]:
        return sorted(sid for sid, s in self.sessions.items() if not s.deleted)

    @rule(day=DAYS, hour=HOURS)
    def type_scores(self, day: int, hour: int) -> None:
        when = moment(day, hour) - timedelta(minutes=20)
        data = AssessmentInput("GAD7", [1] * 7, when)
        self.scores[int(record_assessment(self.db, self.course, data).record.id)] = when

    @rule(day=DAYS, hour=HOURS)
    def record(self, day: int, hour: int) -> None:
        when = moment(day, hour)
        if self._taken(when):  # the same minute twice is a double entry: refused, no change
            with pytest.raises(ValidationError, match="already recorded"):
                record_session(self.db, self.course, SessionInput(when))
            return
        sid = record_session(self.db, self.course, SessionInput(when)).record.id
        self.sessions[int(sid)] = RefSession(len(self.sessions), when)

    @precondition(lambda self: self._live())
    @rule(pick=st.integers(0, 50), day=DAYS, hour=HOURS)
    def redate(self, pick: int, day: int, hour: int) -> None:
        sid = self._live()[pick % len(self._live())]
        version = next(s.version for s in self._timeline().sessions if s.id == sid)
        when = moment(day, hour)
        if self._taken(when, sid):
            with pytest.raises(ValidationError, match="already recorded"):
                correct_session(
                    self.db, SessionId(sid), SessionInput(when), expected_version=version
                )
            return
        correct_session(self.db, SessionId(sid), SessionInput(when), expected_version=version)
        self.sessions[sid].when = when

    @precondition(lambda self: self._live())
    @rule(pick=st.integers(0, 50))
    def delete(self, pick: int) -> None:
        sid = self._live()[pick % len(self._live())]
        version = next(s.version for s in self._timeline().sessions if s.id == sid)
        delete_session(self.db, SessionId(sid), expected_version=version)
        self.sessions[sid].deleted = True

    @precondition(lambda self: any(s.deleted for s in self.sessions.values()))
    @rule(pick=st.integers(0, 50))
    def restore(self, pick: int) -> None:
        gone = sorted(sid for sid, s in self.sessions.items() if s.deleted)
        sid = gone[pick % len(gone)]
        if self._taken(self.sessions[sid].when, sid):
            with pytest.raises(ValidationError, match="already recorded"):
                restore_session(self.db, SessionId(sid))
            return
        restore_session(self.db, SessionId(sid))
        self.sessions[sid].deleted = False

    def _taken(self, when: datetime, own: int | None = None) -> bool:
        """The reference's duplicate rule: another live session at the same minute."""
        return any(
            not s.deleted and s.when == when and sid != own for sid, s in self.sessions.items()
        )

    def _timeline(self):  # type: ignore[no-untyped-def]
        return load_timeline(self.db, self.course)

    @invariant()
    def numbers_follow_dates_and_are_unique(self) -> None:
        shown = {int(s.id): s.number for s in self._timeline().sessions}
        assert shown == reference_numbers(self.sessions)

    @invariant()
    def every_score_is_linked_by_the_rule(self) -> None:
        shown = {int(a.id): a.session_id for a in self._timeline().assessments}
        expected = {aid: reference_link(self.sessions, when) for aid, when in self.scores.items()}
        assert shown == expected


TimelineMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestTimelineFollowsDates = pytest.mark.slow(TimelineMachine.TestCase)
