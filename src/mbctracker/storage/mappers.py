"""Rows to domain records and back.

Clinical times are shown and entered as the clinic's local wall-clock time;
they are stored timezone-aware in UTC (sqlmodel's ``UTCDateTime``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any, NoReturn, TypeVar

from sqlmodel import SQLModel

from ..domain.course import (
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
from ..domain.errors import DomainError
from ..domain.instruments import INSTRUMENTS, Instrument
from ..domain.limits import PlausibilityWarning
from ..domain.procedure import RemsRecord, VitalPoint, VitalSigns
from ..domain.schedule import PhaseChange
from ..domain.scoring import Score, flag_level, safety_flag, score
from ..domain.settings import DEFAULT_SETTINGS, ClinicSettings
from ..domain.timeline import (
    AssessmentRecord,
    CourseInfo,
    CourseRecord,
    EventRecord,
    PatientInfo,
    SafetyAction,
    SessionRecord,
)
from .errors import DamagedRecordError
from .tables import (
    Assessment,
    Course,
    CoursePhaseChange,
    Event,
    Patient,
    RemsRecordRow,
    SafetyActionRow,
    TreatmentSession,
    VitalSign,
)

E = TypeVar("E", bound=Enum)


def to_utc(local: datetime) -> datetime:
    """A naive local wall-clock time (or an aware one) as aware UTC for storage."""
    return local.astimezone(UTC)


def to_local(stored: datetime) -> datetime:
    """A stored UTC time as naive local wall-clock time for display and domain rules.

    ``fromtimestamp`` asks the system's zone once, a quarter of the time of building
    an aware local value and dropping its zone (a 300-session course converts 600),
    and marks the second of an hour that occurs twice (``fold``), so that time goes
    back to its own instant.
    """
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    return datetime.fromtimestamp(stored.timestamp())


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_EMPTY_JSON: dict[type, str] = {list: "[]", dict: "{}"}
"""An empty list or object as stored (``dumps``): read without the JSON parser."""


def _loads(row: SQLModel, column: str, kind: type[list[Any]] | type[dict[str, Any]]) -> Any:
    """A JSON column as a list or dict; anything else means the row was tampered with."""
    text = getattr(row, column)
    if text == _EMPTY_JSON[kind]:  # most sessions: nothing to parse
        return kind()
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise _damaged(row, column, f"not valid JSON ({exc})") from None
    if not isinstance(value, kind):
        raise _damaged(row, column, f"expected a JSON {kind.__name__}")
    return value


def _member(row: SQLModel, column: str, enum: type[E]) -> E:
    """An enum column; an unknown value names the record instead of a bare ValueError."""
    try:
        return enum(getattr(row, column))
    except ValueError:
        return _unknown(row, column, enum)


def _unknown(row: SQLModel, column: str, enum: type[E]) -> NoReturn:
    allowed = ", ".join(str(m.value) for m in enum)
    value = getattr(row, column)
    raise _damaged(row, column, f"{value!r} is not one of {allowed}")


def _damaged(row: SQLModel, column: str, detail: str) -> DamagedRecordError:
    table = str(getattr(row, "__tablename__", type(row).__name__.lower()))
    return DamagedRecordError(table, getattr(row, "id", None), column, detail)


def patient_info(row: Patient) -> PatientInfo:
    assert row.id is not None
    return PatientInfo(
        id=PatientId(row.id),
        mrn=row.mrn,
        name=row.name,
        date_of_birth=row.date_of_birth,
        sex=_member(row, "sex", Sex),
        comorbidities=tuple(_comorbidity(row, c) for c in _loads(row, "comorbidities", list)),
        notes=row.notes,
        version=row.version,
    )


def _comorbidity(row: Patient, value: object) -> Comorbidity:
    for member in Comorbidity:
        if value == member.value:
            return member
    return _unknown(row, "comorbidities", Comorbidity)


def _settings(row: Course) -> ClinicSettings:
    try:
        return ClinicSettings.from_json(row.settings_json)
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        raise _damaged(row, "settings_json", f"unreadable thresholds ({exc})") from None


def course_info(row: Course) -> CourseInfo:
    assert row.id is not None
    return CourseInfo(
        id=CourseId(row.id),
        patient_id=PatientId(row.patient_id),
        modality=_member(row, "modality", Modality),
        start_date=row.start_date,
        planned_sessions=row.planned_sessions,
        phase=_member(row, "phase", Phase),
        status=_member(row, "status", CourseStatus),
        settings=_settings(row),
        end_date=row.end_date,
        discontinue_reason=_member(row, "discontinue_reason", DropoutReason)
        if row.discontinue_reason
        else None,
        notes=row.notes,
        version=row.version,
        record=CourseRecord(
            diagnosis=row.diagnosis,
            current_medications=row.current_medications,
            prior_treatments=row.prior_treatments,
            prescriber=row.prescriber,
        ),
        threshold_change_reason=row.threshold_change_reason,
        authorised_sessions=row.authorised_sessions,
        mt_determined_on=row.mt_determined_on,
        session_interval_days=row.session_interval_days,
    )


def vital_signs(row: VitalSign) -> VitalSigns:
    return VitalSigns(
        point=_member(row, "point", VitalPoint),
        at=to_local(row.taken_at) if row.taken_at else None,
        systolic=row.systolic,
        diastolic=row.diastolic,
        heart_rate=row.heart_rate,
        spo2=row.spo2,
        session_id=SessionId(row.session_id),
    )


def rems_record(row: RemsRecordRow) -> RemsRecord:
    def local(value: datetime | None) -> datetime | None:
        return to_local(value) if value else None

    return RemsRecord(
        lot_number=row.lot_number,
        monitoring_start=local(row.monitoring_start),
        monitoring_end=local(row.monitoring_end),
        ready_to_leave_at=local(row.ready_to_leave_at),
        respiratory_status=row.respiratory_status,
        concomitant=tuple(str(v) for v in _loads(row, "concomitant", list)),
        submitted_on=row.submitted_on,
        session_id=SessionId(row.session_id),
        version=row.version,
    )


def session_record(row: TreatmentSession, *, details: bool = True) -> SessionRecord:
    """A session; ``details=False`` leaves the JSON fields empty (the list needs none)."""
    assert row.id is not None
    extra: dict[str, Any] = {}
    if details:
        extra = {
            "details": _loads(row, "details", dict),
            "side_effects": tuple(_loads(row, "side_effects", list)),
            "side_effects_text": row.side_effects_text,
            "prn_medication": tuple(_loads(row, "prn_medication", list)),
            "notes": row.notes,
            "warnings": stored_warnings(row),
        }
    return SessionRecord(
        id=SessionId(row.id),
        course_id=CourseId(row.course_id),
        number=row.number,
        when=to_local(row.performed_at),
        phase=_member(row, "phase", Phase),
        version=row.version,
        **extra,
    )


def stored_warnings(row: TreatmentSession) -> tuple[PlausibilityWarning, ...]:
    """The warnings confirmed when the session was saved (damaged JSON names the record)."""
    return tuple(_warning(row, item) for item in _loads(row, "warnings", list))


def _warning(row: TreatmentSession, item: object) -> PlausibilityWarning:
    """One stored warning; a malformed one names the record instead of being dropped."""
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in _WARNING_KEYS):
        raise _damaged(row, "warnings", f"expected objects with {', '.join(_WARNING_KEYS)}")
    return PlausibilityWarning(item["rule"], item["field"], item["text"])


_WARNING_KEYS = ("rule", "field", "text")


def stored_score(row: Assessment) -> Score:
    """The score columns exactly as saved (what the row claims)."""
    responses = _stored_responses(row.responses)
    return Score(
        instrument=row.instrument,
        responses=responses,
        valid=row.valid,
        total=row.total,
        exact_total=row.exact_total,
        prorated=row.prorated,
        severity=row.severity,
        n_missing=responses.count(None),
        safety_flag=row.safety_flag,
        safety_reason=row.safety_reason,
        safety_tier=row.safety_tier,
    )


def _stored_responses(text: str) -> tuple[Any, ...]:
    try:
        values = json.loads(text)
    except (TypeError, ValueError):
        return ()
    return tuple(values) if isinstance(values, list) else ()


def checked_score(row: Assessment, settings: ClinicSettings) -> tuple[Score, str]:
    """The score recomputed from the stored items, and a warning if the row disagrees.

    A row changed outside the app (a wrong total, an item out of range, a flag
    that disagrees with item 9) is never trusted: the items are scored again
    with the course's settings. The flag level is the highest of what the
    items show and what the row claims (its flag columns and ``flag_level``),
    so tampering can never hide a safety signal, and the patient list (which
    reads the stored columns) never shows a flag the course calls closed.
    """
    claimed = stored_score(row)
    stored_level = _stored_level(row)
    try:
        fresh = score(row.instrument, list(claimed.responses), settings)
    except DomainError as exc:
        damaged = _at_least(_unscorable(claimed, settings), stored_level)
        return damaged, f"stored items cannot be scored ({exc})"
    if fresh == claimed and stored_level == fresh.flag_level:
        return fresh, ""
    fresh = _at_least(fresh, stored_level)
    return fresh, "stored total or flag disagrees with the items; recomputed from the items"


_TOP_LEVEL = flag_level(True, "endorsed", 2)


def _stored_level(row: Assessment) -> int:
    """The highest flag level the row's own columns claim."""
    return max(
        flag_level(row.safety_flag, row.safety_reason, row.safety_tier),
        min(max(row.flag_level, 0), _TOP_LEVEL),
        1 if row.flag_open else 0,  # stored open with no flag: still a flag to answer
    )


def checked_flag_level(row: Assessment, settings: ClinicSettings) -> int:
    """The flag level :func:`checked_score` finds, without scoring the totals.

    The check for flags hidden by an outside change (``storage.hidden_flags``)
    reads every row of the courses a commit touched (all of them after an import),
    so a well-formed row is read from its safety item alone; anything else takes
    :func:`checked_score`'s path. A property test holds the two equal.
    """
    instrument = INSTRUMENTS.get(row.instrument)
    try:
        values = json.loads(row.responses)
    except (TypeError, ValueError):
        values = None
    if instrument is None or not _well_formed(instrument, values):
        return checked_score(row, settings)[0].flag_level
    items = flag_level(*safety_flag(instrument, tuple(values), settings))
    return max(items, _stored_level(row))


def _well_formed(instrument: Instrument, values: Any) -> bool:
    """A list of the instrument's length, each item blank or a whole number in range."""
    if not isinstance(values, list) or len(values) != instrument.n_items:
        return False
    low, high = instrument.item_min, instrument.item_max
    return all(v is None or (type(v) is int and low <= v <= high) for v in values)


def _at_least(result: Score, level: int) -> Score:
    """Raise the score's flag to ``level`` (see ``domain.scoring.flag_level``) if lower."""
    if level <= result.flag_level:
        return result
    reason, tier = ("unanswered", 1) if level == 1 else ("endorsed", level - 1)
    return replace(result, safety_flag=True, safety_reason=reason, safety_tier=tier)


def _unscorable(claimed: Score, settings: ClinicSettings) -> Score:
    """Damaged items: no total, no band; unreadable answers become blanks.

    Blanks keep every display that indexes the items working, and an unknown
    safety item is then "unanswered": the flag is raised, never hidden.
    """
    instrument = INSTRUMENTS.get(claimed.instrument)
    if instrument is None:
        return replace(
            claimed, valid=False, total=None, exact_total=None, prorated=False, severity=None
        )
    items = _readable_items(instrument, claimed.responses)
    flag, reason, tier = safety_flag(instrument, items, settings)
    return replace(
        claimed,
        responses=items,
        valid=False,
        total=None,
        exact_total=None,
        prorated=False,
        severity=None,
        n_missing=items.count(None),
        safety_flag=flag or claimed.safety_flag,
        safety_reason=reason or claimed.safety_reason,
        safety_tier=max(tier or 0, claimed.safety_tier or 0) or None,
    )


def _readable_items(instrument: Instrument, values: tuple[Any, ...]) -> tuple[int | None, ...]:
    if len(values) != instrument.n_items:
        return (None,) * instrument.n_items
    low, high = instrument.item_min, instrument.item_max
    return tuple(
        v if isinstance(v, int) and not isinstance(v, bool) and low <= v <= high else None
        for v in values
    )


def safety_action(row: SafetyActionRow) -> SafetyAction:
    assert row.id is not None
    return SafetyAction(
        id=row.id,
        assessment_id=AssessmentId(row.assessment_id),
        kind=_member(row, "kind", SafetyActionKind),
        text=row.text,
        by=row.taken_by,
        when=to_local(row.taken_at),
        level=row.flag_level,
    )


def assessment_record(
    row: Assessment,
    sessions: Mapping[SessionId, SessionRecord],
    actions: tuple[SafetyAction, ...] = (),
    settings: ClinicSettings = DEFAULT_SETTINGS,
    *,
    check: bool = True,
) -> AssessmentRecord:
    """The record as a clinician sees it: items re-scored, any disagreement named.

    ``check=False`` reads the stored score as it is: only for the patient list's
    latest totals, where re-scoring every row of a page cost a third of its time;
    the course view and the PDF always check.
    """
    assert row.id is not None
    linked = sessions.get(SessionId(row.session_id)) if row.session_id is not None else None
    checked, warning = checked_score(row, settings) if check else (stored_score(row), "")
    return AssessmentRecord(
        id=AssessmentId(row.id),
        course_id=CourseId(row.course_id),
        instrument=row.instrument,
        when=to_local(row.assessed_at),
        timepoint=_member(row, "timepoint", Timepoint),
        score=checked,
        rater=row.rater,
        session_id=SessionId(row.session_id) if row.session_id is not None else None,
        session_number=linked.number if linked else None,
        phase=linked.phase if linked else None,
        actions=actions,
        version=row.version,
        supplementary=row.supplementary,
        integrity_warning=warning,
        stored_open=bool(row.flag_open),
        link_manual=bool(row.link_manual),
    )


def phase_change(row: CoursePhaseChange) -> PhaseChange:
    return PhaseChange(_member(row, "phase", Phase), row.started_on)


def event_record(row: Event) -> EventRecord:
    assert row.id is not None
    return EventRecord(
        id=EventId(row.id),
        course_id=CourseId(row.course_id),
        kind=_member(row, "kind", EventKind),
        when=row.occurred_on,
        reason=_member(row, "reason", DropoutReason) if row.reason else None,
        description=row.description,
        version=row.version,
    )


def score_columns(score: Score) -> dict[str, Any]:
    """The assessment columns a score fills: items and result always travel together."""
    return {
        "instrument": score.instrument,
        "responses": dumps(list(score.responses)),
        "valid": score.valid,
        "total": score.total,
        "exact_total": score.exact_total,
        "prorated": score.prorated,
        "severity": score.severity,
        "safety_flag": score.safety_flag,
        "safety_reason": score.safety_reason,
        "safety_tier": score.safety_tier,
        "flag_level": score.flag_level,
    }


def assessment_row(course_id: int, score: Score, **fields: Any) -> Assessment:
    """A new assessment row carrying the items and the score in one record."""
    return Assessment(course_id=course_id, **score_columns(score), **fields)
