"""Synthetic courses built directly as domain objects (no database), for tests and the bench.

Deterministic: the same arguments always give the same timeline. The course has
prorated scores, a PHQ-9 item 9 flag with an action and one without, a MADRS
item 10 flag, events, and names that need more than Latin-1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from mbctracker.domain.course import (
    AssessmentId,
    Comorbidity,
    CourseId,
    CourseStatus,
    DropoutReason,
    EventId,
    EventKind,
    Modality,
    PatientId,
    Phase,
    SafetyActionKind,
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
    EventRecord,
    PatientInfo,
    SafetyAction,
    SessionRecord,
)

START = datetime(2026, 1, 5, 9, 0)
GENERATED_AT = datetime(2026, 4, 30, 16, 45)
SETTINGS = ClinicSettings(clinic_name="Lakeside Interventional Psychiatry")

# Sessions (1-based) whose PHQ-9 raises an item 9 flag, and whether an action follows.
FLAG_WITH_ACTION = 2
FLAG_WITHOUT_ACTION = 5
MADRS_FLAG_SESSION = 1  # MADRS item 10 = 4 at the first session, reviewed
PRORATED_PHQ9 = (3, 8)  # PHQ-9 with one item missing at these sessions
PRORATED_GAD7 = (4,)


def responses(code: str, target: int, safety_value: int | None = 0) -> list[int | None]:
    """Item answers summing to ``target``, with the safety item fixed when there is one."""
    inst = INSTRUMENTS[code]
    if code == "CGIS":
        return [target]
    items: list[int | None] = [0] * inst.n_items
    free = list(range(inst.n_items))
    if inst.safety_item is not None:
        items[inst.safety_item - 1] = safety_value
        free.remove(inst.safety_item - 1)
        target -= safety_value or 0
    for turn in range(max(target, 0)):
        index = free[turn % len(free)]
        items[index] = (items[index] or 0) + 1
    return items


def _phase_for(number: int, total: int) -> Phase:
    if total <= 12:
        return Phase.INDUCTION
    if number <= 6:
        return Phase.INDUCTION
    return Phase.CONTINUATION if number <= 16 else Phase.MAINTENANCE


def _session_time(number: int, total: int) -> datetime:
    """Twice weekly for induction, then weekly, then every two weeks (maintenance)."""
    if number <= 6 or total <= 12:
        return START + timedelta(days=(number - 1) * 3.5)
    if number <= 16:
        return START + timedelta(days=17.5 + (number - 6) * 7)
    return START + timedelta(days=87.5 + (number - 16) * 14)


def _targets(number: int) -> dict[str, int]:
    """Totals falling from baseline (session 0) with a little deterministic wobble."""
    wobble = (number * 7) % 3 - 1
    return {
        "PHQ9": max(2, 20 - 2 * number + wobble) if number < 9 else 3 + (number % 4),
        "GAD7": max(2, 16 - number + wobble) if number < 12 else 3 + (number % 3),
        "MADRS": max(6, 34 - 3 * number + wobble) if number < 9 else 8 + (number % 5),
        "CGIS": max(2, 6 - number // 3),
    }


class _Ids:
    def __init__(self) -> None:
        self.next = 1

    def take(self) -> int:
        value, self.next = self.next, self.next + 1
        return value


def _assessment(
    ids: _Ids,
    code: str,
    when: datetime,
    items: list[int | None],
    *,
    timepoint: Timepoint,
    session: SessionRecord | None = None,
    phase: Phase | None = None,
) -> AssessmentRecord:
    return AssessmentRecord(
        id=AssessmentId(ids.take()),
        course_id=CourseId(7),
        instrument=code,
        when=when,
        timepoint=timepoint,
        score=score(code, items, SETTINGS),
        rater="self" if code in ("PHQ9", "GAD7") else "Dr A. Rater",
        session_id=session.id if session else None,
        session_number=session.number if session else None,
        phase=session.phase if session else phase,
    )


def _visit(
    ids: _Ids,
    number: int,
    when: datetime,
    session: SessionRecord | None,
    timepoint: Timepoint,
    phase: Phase | None = None,
) -> list[AssessmentRecord]:
    targets = _targets(number)
    records = []
    for code in ("PHQ9", "GAD7", "MADRS", "CGIS"):
        safety = 0
        if code == "PHQ9" and number in (FLAG_WITH_ACTION, FLAG_WITHOUT_ACTION):
            safety = 1 if number == FLAG_WITH_ACTION else 2
        if code == "MADRS" and number == MADRS_FLAG_SESSION:
            safety = 4
        items = responses(code, targets[code], safety)
        if (code == "PHQ9" and number in PRORATED_PHQ9) or (
            code == "GAD7" and number in PRORATED_GAD7
        ):
            items[0] = None
        records.append(
            _assessment(ids, code, when, items, timepoint=timepoint, session=session, phase=phase)
        )
    return records


def _actions(record: AssessmentRecord, number: int) -> AssessmentRecord:
    """Record actions on every flag except the one left open on purpose."""
    if not record.score.safety_flag or number == FLAG_WITHOUT_ACTION:
        return record
    actions = (
        SafetyAction(
            1,
            record.id,
            SafetyActionKind.REVIEWED,
            "Seen same day; denies plan",
            "José Núñez",
            record.when + timedelta(hours=2),
            record.score.flag_level,
        ),
        SafetyAction(
            2,
            record.id,
            SafetyActionKind.SAFETY_PLAN,
            "Plan updated with 王芳",
            "José Núñez",
            record.when + timedelta(hours=3),
            record.score.flag_level,
        ),
    )
    return replace(record, actions=actions)


def _session(number: int, total: int, modality: Modality) -> SessionRecord:
    details: dict[str, object] = {
        "dose_mg_per_kg": 0.5 if number < 4 else 0.75,
        "dose_mg": 35.0 if number < 4 else 52.5,
        "duration_min": 40,
        "bp_before_sys": 128,
        "bp_before_dia": 82,
        "bp_peak_sys": 150 + number % 9,
        "bp_peak_dia": 92,
        "bp_after_sys": 130,
        "bp_after_dia": 84,
    }
    return SessionRecord(
        id=SessionId(100 + number),
        course_id=CourseId(7),
        number=number,
        when=_session_time(number, total),
        phase=_phase_for(number, total),
        details=details,
        side_effects=("dissociation", "nausea/vomiting") if number % 3 == 1 else (),
        side_effects_text="brief dizziness" if number == 2 else "",
        prn_medication=("antiemetic",) if number % 3 == 1 else (),
    )


def make_course(
    sessions: int = 10,
    *,
    name: str = "Zoë Ødegård",
    modality: Modality | None = None,
    settings: ClinicSettings = SETTINGS,
) -> CourseTimeline:
    """A course of ``sessions`` sessions with baseline, pre-session and follow-up visits."""
    modality = modality or (Modality.IV_KETAMINE if sessions <= 12 else Modality.IM_KETAMINE)
    ids = _Ids()
    session_records = [_session(n, sessions, modality) for n in range(1, sessions + 1)]
    assessments = _visit(
        ids, 0, START - timedelta(days=3), None, Timepoint.BASELINE, Phase.INDUCTION
    )
    for record in session_records:
        visit = _visit(
            ids, record.number, record.when - timedelta(minutes=30), record, Timepoint.PRE_SESSION
        )
        assessments += [_actions(a, record.number) for a in visit]
    last = session_records[-1].when
    for offset, number in ((7, sessions + 1), (30, sessions + 2)):
        assessments += _visit(
            ids, number, last + timedelta(days=offset), None, Timepoint.FOLLOW_UP, Phase.FOLLOW_UP
        )
    return CourseTimeline(
        patient=_patient(name),
        course=_course(sessions, modality, settings, last),
        sessions=tuple(session_records),
        assessments=tuple(sorted(assessments, key=lambda a: (a.when, a.id))),
        events=_events(sessions, last),
    )


def _patient(name: str) -> PatientInfo:
    return PatientInfo(
        id=PatientId(3),
        mrn="004217",
        name=name,
        date_of_birth=date(1984, 7, 19),
        sex=Sex.FEMALE,
        comorbidities=(Comorbidity.ANXIETY, Comorbidity.PTSD),
    )


def _course(
    sessions: int, modality: Modality, settings: ClinicSettings, last: datetime
) -> CourseInfo:
    long_course = sessions > 12
    return CourseInfo(
        id=CourseId(7),
        patient_id=PatientId(3),
        modality=modality,
        start_date=START.date(),
        planned_sessions=sessions if long_course else 12,
        phase=Phase.FOLLOW_UP,
        status=CourseStatus.DISCONTINUED if long_course else CourseStatus.ACTIVE,
        settings=settings,
        end_date=(last + timedelta(days=30)).date() if long_course else None,
        discontinue_reason=DropoutReason.LOGISTICAL if long_course else None,
    )


def _events(sessions: int, last: datetime) -> tuple[EventRecord, ...]:
    events = [
        EventRecord(
            EventId(1),
            CourseId(7),
            EventKind.ED_VISIT,
            (START + timedelta(days=12)).date(),
            description="Panic attack, discharged home",
        ),
        EventRecord(
            EventId(2),
            CourseId(7),
            EventKind.ADVERSE_EVENT,
            (START + timedelta(days=7)).date(),
            description="Transient hypertension 168/98, resolved with labetalol",
        ),
        EventRecord(
            EventId(3),
            CourseId(7),
            EventKind.HOSPITALIZATION,
            (START + timedelta(days=20)).date(),
            description="Voluntary admission, 4 days",
        ),
    ]
    if sessions > 12:
        events.append(
            EventRecord(
                EventId(4),
                CourseId(7),
                EventKind.DROPOUT,
                (last + timedelta(days=31)).date(),
                DropoutReason.LOGISTICAL,
                "Moved out of the area",
            )
        )
    return tuple(events)
