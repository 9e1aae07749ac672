"""Record an assessment and get back its score, change from baseline and flags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from types import EllipsisType

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain.access import Action
from ..domain.course import AssessmentId, CourseId, SafetyActionKind, SessionId, Timepoint
from ..domain.errors import ValidationError
from ..domain.instruments import INSTRUMENTS, Rater, get_instrument
from ..domain.limits import NAME_MAX, SHORT_TEXT_MAX
from ..domain.outcomes import Change, change
from ..domain.scoring import Score, check_supplementary, score
from ..domain.settings import ClinicSettings
from ..domain.timeline import AssessmentRecord, CourseTimeline, summarize_instrument
from ..storage.db import Database
from ..storage.mappers import assessment_row, checked_score, score_columns, to_local, to_utc
from ..storage.tables import Assessment, Course, Patient, SafetyActionRow, TreatmentSession
from ._rows import bump, delete_row, live, not_before_birth, restore_row
from .access import requires
from .schedule import apply_link_rule
from .timeline import load_timeline, read_after_write
from .validation import (
    choice,
    local_datetime,
    not_before,
    optional_local_datetime,
    optional_text,
    record_id,
    refuse,
)
from .validation import text as check_text


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    instrument: str
    responses: Sequence[int | None]
    when: datetime
    timepoint: Timepoint = Timepoint.PRE_SESSION
    session_id: SessionId | None = None
    rater: str = ""
    supplementary: int | None = None
    """The unscored extra answer (PHQ-9 difficulty 0-3), kept apart from the items."""
    auto_link: bool = True
    """With no ``session_id``: link by the clinic's rule (now and when sessions change);
    False keeps it unlinked on purpose. A ``session_id`` is a link chosen by hand."""


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """What the entry form shows right after Save, and the course as read after it.

    The views reuse ``timeline`` (through the operation's ``Changed``) instead of
    reading the course again: one save, one read of the course.
    """

    record: AssessmentRecord
    change: Change
    timeline: CourseTimeline
    is_baseline: bool = False

    @property
    def score(self) -> Score:
        return self.record.score


def _checked(data: AssessmentInput) -> AssessmentInput:
    """The input with its types, sizes and time checked (before any row is read)."""
    if not isinstance(data.instrument, str):
        refuse("instrument", "Instrument", "must be a code", ", ".join(INSTRUMENTS))
    return replace(
        data,
        when=local_datetime(data.when, "when", "Assessment date"),
        timepoint=choice(data.timepoint, Timepoint, "timepoint", "Timepoint"),
        session_id=None
        if data.session_id is None
        else SessionId(record_id(data.session_id, "session_id", "Session")),
        rater=check_text(data.rater, "rater", "Rater", NAME_MAX),
    )


def _rated_by_signed_in(db: Database, data: AssessmentInput) -> AssessmentInput:
    """A clinician-rated scale (MADRS, CGI) typed by a signed-in person is rated by them
    unless another rater is named; without sign-in the rater stays as given."""
    if data.rater != "" or db.role is None or not isinstance(data.instrument, str):
        return data
    if data.instrument not in INSTRUMENTS:
        return data
    if get_instrument(data.instrument).rater != Rater.CLINICIAN:
        return data
    return replace(data, rater=db.actor)


def _earliest(course: Course) -> tuple[date, str]:
    """An assessment may precede the course by the clinic's baseline window, no more.

    Any timepoint may serve as the baseline (the first valid one before the first
    session), so the window applies to all; a 1900 date on a 2026 course is a typo.
    """
    days = ClinicSettings.from_json(course.settings_json).baseline_window_days
    return course.start_date - timedelta(days=days), (
        f"the baseline window ({days} days before the course start, {course.start_date:%Y-%m-%d})"
    )


def _check_when(session: Session, course: Course, data: AssessmentInput) -> None:
    patient = live(session, Patient, course.patient_id, "patient")
    not_before_birth(data.when, patient.date_of_birth, "when", "Assessment date")
    floor, what = _earliest(course)
    not_before(data.when, floor, "when", "Assessment date", what)
    if data.session_id is None:
        return
    linked = live(session, TreatmentSession, data.session_id, "session")
    if linked.course_id != course.id:
        raise ValidationError("The linked session belongs to another course", field="session_id")
    later = session.exec(
        select(TreatmentSession)
        .where(
            TreatmentSession.course_id == course.id,
            TreatmentSession.number > linked.number,
            col(TreatmentSession.deleted_at).is_(None),
        )
        .order_by(col(TreatmentSession.number))
    ).first()
    if later is not None and to_utc(data.when) > later.performed_at:
        raise ValidationError(
            f"An assessment for session {linked.number} cannot be dated after session "
            f"{later.number} ({to_local(later.performed_at):%Y-%m-%d %H:%M})",
            field="when",
        )


def _check_baseline(timepoint: Timepoint, result: Score, settings: ClinicSettings) -> None:
    """A baseline anchors every change from baseline, so it must have a total."""
    if timepoint != Timepoint.BASELINE or result.valid:
        return
    allowed = settings.for_instrument(result.instrument).max_missing
    name, n_items = get_instrument(result.instrument).name, len(result.responses)
    raise ValidationError(
        f"A baseline {name} needs a valid score: at most {allowed} of {n_items} items may be "
        f"blank ({result.n_missing} are)",
        field="timepoint",
    )


def add_assessment(session: Session, course: Course, data: AssessmentInput) -> Assessment:
    """Score and insert inside the caller's transaction (items and total in one row)."""
    data = _checked(data)
    settings = ClinicSettings.from_json(course.settings_json)
    result = score(data.instrument, data.responses, settings)
    extra = check_supplementary(get_instrument(data.instrument), data.supplementary)
    _check_when(session, course, data)
    _check_baseline(Timepoint(data.timepoint), result, settings)
    row = assessment_row(
        course.id or 0,
        result,
        session_id=data.session_id,
        rater=data.rater,
        timepoint=str(Timepoint(data.timepoint)),
        assessed_at=to_utc(data.when),
        supplementary=extra,
        flag_open=result.flag_level > 0,  # no action can answer it yet
        link_manual=data.session_id is not None or not data.auto_link,
    )
    apply_link_rule(session, course, row)
    session.add(row)
    session.flush()
    return row


def _result(
    db: Database,
    course_id: CourseId,
    assessment_id: int,
    instrument: str,
    timeline: CourseTimeline | None,
) -> AssessmentResult:
    """The result from the course as the write read it (``read_after_write``); read
    after the commit only when that read met a damaged row (it raises, naming it)."""
    timeline = timeline or load_timeline(db, course_id)
    record = next(a for a in timeline.assessments if a.id == assessment_id)
    summary = summarize_instrument(timeline, instrument)
    base = summary.baseline.score.total if summary.baseline else None
    settings = timeline.course.settings
    is_baseline = summary.baseline is not None and summary.baseline.id == record.id
    return AssessmentResult(
        record, change(instrument, base, record.score.total, settings), timeline, is_baseline
    )


@requires(Action.RECORD_SCORES)
def record_assessment(db: Database, course_id: CourseId, data: AssessmentInput) -> AssessmentResult:
    """Score, validate and save one assessment; returns score, change and flag.

    Raises:
        ScoringError: wrong number of items or an item out of range (nothing saved).
        ValidationError: a date rule is broken (nothing saved).
    """
    data = _rated_by_signed_in(db, data)
    with db.write() as session:
        course = live(session, Course, course_id, "course")
        row = add_assessment(session, course, data)
        assert row.id is not None
        new_id = row.id
        timeline = read_after_write(session, course_id)
    return _result(db, course_id, new_id, data.instrument, timeline)


@requires(Action.RECORD_SCORES)
def correct_assessment(
    db: Database,
    assessment_id: AssessmentId,
    responses: Sequence[int | None],
    *,
    expected_version: int,
    when: datetime | None = None,
    supplementary: int | EllipsisType | None = ...,
) -> AssessmentResult:
    """Correct the items of a saved assessment; the old values stay in the change log.

    The result's record is re-read, so a correction that raises the flag (or
    its level) comes back with ``flag_open`` set: the earlier action answered a
    lesser signal, and the caller shows the alert again.
    ``supplementary`` left as ``...`` keeps the saved extra answer.
    """
    when = optional_local_datetime(when, "when", "Assessment date")
    with db.write() as session:
        row = live(session, Assessment, assessment_id, "assessment")
        course = live(session, Course, row.course_id, "course")
        settings = ClinicSettings.from_json(course.settings_json)
        result = score(row.instrument, responses, settings)
        if not isinstance(supplementary, EllipsisType):
            row.supplementary = check_supplementary(get_instrument(row.instrument), supplementary)
        _check_baseline(Timepoint(row.timepoint), result, settings)
        if when is not None:  # the same date rules as a new entry
            linked = SessionId(row.session_id) if row.session_id is not None else None
            data = AssessmentInput(row.instrument, responses, when, session_id=linked)
            _check_when(session, course, data)
        bump(row, expected_version, "assessment")
        for name, value in score_columns(result).items():
            setattr(row, name, value)
        sync_open_flag(session, row)
        if when is not None:
            row.assessed_at = to_utc(when)
            apply_link_rule(session, course, row)
        session.add(row)
        course_id, instrument = CourseId(row.course_id), row.instrument
        timeline = read_after_write(session, course_id)
    return _result(db, course_id, assessment_id, instrument, timeline)


@requires(Action.RECORD_SCORES)
def delete_assessment(db: Database, assessment_id: AssessmentId, *, expected_version: int) -> None:
    """Soft delete (entered in error); it can be restored from the change log view."""
    delete_row(db, Assessment, assessment_id, "assessment", expected_version)


@requires(Action.RECORD_SCORES)
def restore_assessment(db: Database, assessment_id: AssessmentId) -> None:
    with db.write() as session:
        restore_row(session, Assessment, assessment_id, "assessment")


@requires(Action.SAFETY_ACTION)
def record_safety_action(
    db: Database,
    assessment_id: AssessmentId,
    kind: SafetyActionKind,
    text: str = "",
    *,
    when: datetime | None = None,
    by: str | None = None,
) -> None:
    """Record what a clinician did about a safety flag; the flag then closes.

    The action answers the flag's level now; a later correction that raises
    the level reopens the flag.
    """
    kind = choice(kind, SafetyActionKind, "kind", "Action")
    text = check_text(text, "text", "Action taken", SHORT_TEXT_MAX)
    by = optional_text(by, "by", "Clinician", NAME_MAX)
    moment = optional_local_datetime(when, "when", "Action time") or datetime.now()
    if kind == SafetyActionKind.OTHER and not text.strip():
        raise ValidationError("Describe the action taken when choosing 'Other'", field="text")
    with db.write() as session:
        row = live(session, Assessment, assessment_id, "assessment")
        assessed = to_local(row.assessed_at)
        not_before(moment, assessed, "when", "Action time", "the assessment it answers")
        course = session.get(Course, row.course_id)
        assert course is not None
        # The level the clinician saw (re-scored from the items, never below what
        # the row claims): a tampered row's flag can be answered, never stuck open.
        shown, _ = checked_score(row, ClinicSettings.from_json(course.settings_json))
        if not shown.safety_flag:
            raise ValidationError(
                "This assessment has no safety flag to act on", field="assessment"
            )
        session.add(
            SafetyActionRow(
                assessment_id=assessment_id,
                course_id=row.course_id,
                kind=str(kind),
                text=text.strip(),
                taken_by=by or db.actor,
                taken_at=to_utc(moment),
                flag_level=shown.flag_level,
            )
        )
        session.flush()
        sync_open_flag(session, row)


def sync_open_flag(session: Session, row: Assessment) -> None:
    """Store the domain's ``flag_open`` (level above every live action's) for the list's SQL.

    Called in the same transaction as every write that can change it (a new
    assessment, a correction, an action), so the worklist never disagrees with
    the course; the model-based flag test checks that after every step.
    """
    answered = session.exec(
        select(func.max(SafetyActionRow.flag_level)).where(
            SafetyActionRow.assessment_id == row.id, col(SafetyActionRow.deleted_at).is_(None)
        )
    ).one()
    row.flag_open = row.flag_level > (answered or 0)
    session.add(row)
