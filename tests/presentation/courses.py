"""Small synthetic courses built from the domain dataclasses (no database), for these tests.

``build`` takes the totals per visit (visit 0 = baseline, visit n = before
session n) and makes item answers that sum to them, so every score goes through
the real scoring code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from mbctracker.domain.course import (
    AssessmentId,
    CourseId,
    CourseStatus,
    Modality,
    PatientId,
    Phase,
    SessionId,
    Sex,
    Timepoint,
)
from mbctracker.domain.instruments import INSTRUMENTS
from mbctracker.domain.scoring import score
from mbctracker.domain.settings import ClinicSettings
from mbctracker.domain.timeline import (
    AssessmentRecord,
    CourseInfo,
    CourseTimeline,
    PatientInfo,
    SessionRecord,
)

START = date(2026, 3, 2)
GENERATED_AT = datetime(2026, 6, 1, 12, 0)

Visit = Mapping[str, int | None]


def answers(code: str, total: int, safety: int = 0) -> list[int | None]:
    """Item answers summing to ``total``: the safety item fixed (default 0), the rest filled."""
    inst = INSTRUMENTS[code]
    if inst.n_items == 1:
        return [total]
    items: list[int | None] = [0] * inst.n_items
    order = [i for i in range(inst.n_items) if i + 1 != inst.safety_item]
    if inst.safety_item is not None:
        safety = max(safety, total - len(order) * inst.item_max)  # PHQ-9 27 needs item 9 = 3
        items[inst.safety_item - 1] = safety
        total -= safety
    for index in order:
        take = min(inst.item_max, total)
        items[index], total = take, total - take
    assert total == 0, "total out of range for the items left"
    return items


def build(
    visits: Sequence[Visit],
    settings: ClinicSettings | None = None,
    *,
    phases: Sequence[Phase] = (),
    safety: Mapping[tuple[int, str], int] | None = None,
) -> CourseTimeline:
    """A course whose visit n is assessed before session n (visit 0 is the baseline)."""
    settings = settings or ClinicSettings()
    sessions = tuple(
        SessionRecord(
            id=SessionId(n),
            course_id=CourseId(1),
            number=n,
            when=_when(n) + timedelta(hours=1),
            phase=phases[n - 1] if n - 1 < len(phases) else Phase.INDUCTION,
        )
        for n in range(1, len(visits))
    )
    records: list[AssessmentRecord] = []
    for n, totals in enumerate(visits):
        for code, total in totals.items():
            if total is None:
                continue
            value = (safety or {}).get((n, code), 0)
            records.append(_record(len(records) + 1, code, n, total, value, sessions, settings))
    return CourseTimeline(
        patient=PatientInfo(PatientId(1), "SYN-0001", "Test Patient", date(1980, 1, 1), Sex.FEMALE),
        course=CourseInfo(
            CourseId(1),
            PatientId(1),
            Modality.IV_KETAMINE,
            START,
            max(len(visits) - 1, 1),
            phases[-1] if phases else Phase.INDUCTION,  # the course's phase is the latest
            CourseStatus.ACTIVE,
            settings,
        ),
        sessions=sessions,
        assessments=tuple(records),
        events=(),
    )


def _when(n: int) -> datetime:
    return datetime.combine(START, datetime.min.time()) + timedelta(days=3 * n, hours=9)


def _record(
    ident: int,
    code: str,
    n: int,
    total: int,
    safety: int,
    sessions: Sequence[SessionRecord],
    settings: ClinicSettings,
) -> AssessmentRecord:
    session = sessions[n - 1] if n else None
    return AssessmentRecord(
        id=AssessmentId(ident),
        course_id=CourseId(1),
        instrument=code,
        when=_when(n),
        timepoint=Timepoint.BASELINE if n == 0 else Timepoint.PRE_SESSION,
        score=score(code, answers(code, total, safety), settings),
        session_id=session.id if session else None,
        session_number=session.number if session else None,
        phase=session.phase if session else None,
    )
