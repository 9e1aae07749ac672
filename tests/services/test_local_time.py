"""Local wall-clock times across daylight-saving changes, at the services boundary.

A time inside the spring-forward gap does not exist: it is refused naming the gap
(it used to be stored an hour off). A time that occurs twice in the autumn is taken
as its first occurrence. Each test runs under a real zone set with ``time.tzset``.
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime

import pytest

from engines import raw_connect
from mbctracker.domain import ValidationError
from mbctracker.domain.course import AssessmentId, SafetyActionKind
from mbctracker.domain.timeline import CourseInfo
from mbctracker.services.assessments import (
    AssessmentInput,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database

GAPS = [
    ("America/New_York", datetime(2026, 3, 8, 2, 30), "from 02:00 to 03:00"),
    ("Europe/London", datetime(2026, 3, 29, 1, 30), "from 01:00 to 02:00"),
]


def _rows(db: Database) -> tuple[int, int, int]:
    with closing(raw_connect(db)) as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("treatment_session", "assessment", "change_log")
        )


@pytest.mark.parametrize(("local_zone", "gap", "says"), GAPS, indirect=["local_zone"])
def test_a_session_time_in_the_spring_forward_gap_is_refused_naming_the_gap(
    local_zone: str, db: Database, course: CourseInfo, gap: datetime, says: str
) -> None:
    before = _rows(db)
    with pytest.raises(ValidationError) as caught:
        record_session(db, course.id, SessionInput(gap))
    message = str(caught.value)
    assert caught.value.field == "when"
    assert f"{gap:%Y-%m-%d %H:%M} does not exist in local time" in message
    assert says in message and "daylight saving" in message
    assert _rows(db) == before
    print(f"{local_zone}: {message}")


@pytest.mark.parametrize(("local_zone", "gap", "says"), GAPS, indirect=["local_zone"])
def test_assessments_and_actions_in_the_gap_are_refused_too(
    local_zone: str, db: Database, course: CourseInfo, gap: datetime, says: str
) -> None:
    before = _rows(db)
    with pytest.raises(ValidationError, match=says):
        record_assessment(db, course.id, AssessmentInput("PHQ9", [1] * 8 + [2], gap))
    assert _rows(db) == before
    flagged = AssessmentInput("PHQ9", [1] * 8 + [2], gap.replace(hour=0))
    record_assessment(db, course.id, flagged)
    with pytest.raises(ValidationError, match=says):
        record_safety_action(db, AssessmentId(1), SafetyActionKind.REVIEWED, when=gap)


@pytest.mark.parametrize("local_zone", ["America/New_York"], indirect=True)
def test_an_hour_that_occurs_twice_is_taken_as_its_first_occurrence(
    local_zone: str, db: Database, course: CourseInfo
) -> None:
    """2026-11-01 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)."""
    ambiguous = datetime(2026, 11, 1, 1, 30)
    saved = record_session(db, course.id, SessionInput(ambiguous.replace(fold=1)))
    assert saved.record.when == ambiguous
    with pytest.raises(ValidationError, match="already recorded at 2026-11-01 01:30"):
        record_session(db, course.id, SessionInput(ambiguous.replace(fold=0)))  # the same time
    with closing(raw_connect(db)) as conn:
        stored = [r[0] for r in conn.execute("SELECT performed_at FROM treatment_session")]
    moments = [s if isinstance(s, datetime) else datetime.fromisoformat(s) for s in stored]
    # SQLite gives naive UTC text; PostgreSQL an aware time in the session's zone
    assert [(m if m.tzinfo else m.replace(tzinfo=UTC)).astimezone(UTC).hour for m in moments] == [5]


@pytest.mark.parametrize(("local_zone", "gap", "says"), GAPS, indirect=["local_zone"])
def test_times_beside_the_gap_are_kept_exactly(
    local_zone: str, db: Database, course: CourseInfo, gap: datetime, says: str
) -> None:
    before_gap, after_gap = (
        gap.replace(hour=gap.hour - 1, minute=59),
        gap.replace(hour=gap.hour + 1, minute=0),
    )
    first = record_session(db, course.id, SessionInput(before_gap))
    second = record_session(db, course.id, SessionInput(after_gap))
    assert (first.record.when, second.record.when) == (before_gap, after_gap)
