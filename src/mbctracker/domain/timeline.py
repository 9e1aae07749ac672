"""A course's whole record as plain objects, and the summary a clinician reads.

Services load a :class:`CourseTimeline` from storage; the UI and the PDF both
call :func:`summarize` on it, so the screen and the paper can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .course import (
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
from .instruments import INSTRUMENTS, headline_instruments
from .limits import PlausibilityWarning
from .outcomes import (
    Category,
    Change,
    EarlyImprovement,
    Point,
    change,
    early_improvement,
    first_sustained,
    improved_by,
    is_remission,
)
from .procedure import VitalSigns
from .schedule import (
    PhaseChange,
    PhaseProgress,
    changes_from_sessions,
    effective_changes,
    phase_on,
    phase_progress,
)
from .scoring import Score
from .settings import ClinicSettings


@dataclass(frozen=True, slots=True)
class PatientInfo:
    id: PatientId
    mrn: str
    name: str
    date_of_birth: date | None
    sex: Sex
    comorbidities: tuple[Comorbidity, ...] = ()
    notes: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class CourseRecord:
    """The clinical record of a course that referral and payer letters ask for."""

    diagnosis: str = ""
    current_medications: str = ""
    prior_treatments: str = ""
    """Prior treatment trials (medications, doses, durations, outcomes), as written."""
    prescriber: str = ""


@dataclass(frozen=True, slots=True)
class CourseInfo:
    id: CourseId
    patient_id: PatientId
    modality: Modality
    start_date: date
    planned_sessions: int
    phase: Phase
    status: CourseStatus
    settings: ClinicSettings
    end_date: date | None = None
    discontinue_reason: DropoutReason | None = None
    notes: str = ""
    version: int = 1
    record: CourseRecord = field(default_factory=CourseRecord)
    """Diagnosis, medications, prior trials and prescriber (what a payer letter needs)."""
    threshold_change_reason: str = ""
    """Why the thresholds were changed after the course started ("" = never changed)."""
    authorised_sessions: int | None = None
    """Sessions the payer authorised; None when the clinic does not track it."""
    mt_determined_on: date | None = None
    """TMS: when the motor threshold was last determined."""
    session_interval_days: int | None = None
    """This course's days between sessions; None = the clinic's default for its phase."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: SessionId
    course_id: CourseId
    number: int
    when: datetime
    phase: Phase
    details: dict[str, object] = field(default_factory=dict)
    side_effects: tuple[str, ...] = ()
    side_effects_text: str = ""
    prn_medication: tuple[str, ...] = ()
    notes: str = ""
    version: int = 1
    warnings: tuple[PlausibilityWarning, ...] = ()
    """Plausibility warnings confirmed when the session was saved (kept on the record)."""


@dataclass(frozen=True, slots=True)
class SafetyAction:
    id: int
    assessment_id: AssessmentId
    kind: SafetyActionKind
    text: str
    by: str
    when: datetime
    level: int = 0
    """The flag level this action answered (:func:`~.scoring.flag_level`)."""


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    id: AssessmentId
    course_id: CourseId
    instrument: str
    when: datetime
    timepoint: Timepoint
    score: Score
    rater: str = ""
    session_id: SessionId | None = None
    session_number: int | None = None
    phase: Phase | None = None
    actions: tuple[SafetyAction, ...] = ()
    version: int = 1
    supplementary: int | None = None
    """The unscored extra answer (PHQ-9 difficulty), if the instrument has one."""
    integrity_warning: str = ""
    """Why the stored row was not trusted (tampered or damaged), shown on the record."""
    stored_open: bool = False
    """The row's stored ``flag_open`` (what the patient list's SQL reads)."""
    link_manual: bool = False
    """The session link was set by a clinician, not by the clinic's link rule."""

    @property
    def flag_open(self) -> bool:
        """Open until a clinician records an action at (or above) the flag's current level.

        An action answers the level it was recorded at, so a correction that
        escalates the flag (item 9 from 1 to 3) needs an action of its own. A
        row stored as open stays open here too (the services keep the two equal;
        a row changed outside the app must not be closed on one screen and open
        on the list): the next action closes both.
        """
        level = self.score.flag_level
        answered = any(action.level >= level for action in self.actions)
        return level > 0 and (not answered or self.stored_open)


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: EventId
    course_id: CourseId
    kind: EventKind
    when: date
    reason: DropoutReason | None = None
    description: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class CourseTimeline:
    """Everything recorded for one course, assessments and sessions in time order."""

    patient: PatientInfo
    course: CourseInfo
    sessions: tuple[SessionRecord, ...]
    assessments: tuple[AssessmentRecord, ...]
    events: tuple[EventRecord, ...]
    other_open_flags: tuple[AssessmentRecord, ...] = ()
    """Open flags from the patient's other courses: a flag belongs to the patient."""
    other_courses: tuple[CourseInfo, ...] = ()
    """The other courses those flags were raised in (for "raised in ..." texts)."""
    phase_changes: tuple[PhaseChange, ...] = ()
    """The course's dated phase changes as stored (empty: read back from the sessions)."""

    @property
    def phases(self) -> list[PhaseChange]:
        """The one account of the phase over time: the stored changes, else the sessions'."""
        if self.phase_changes:
            return effective_changes(self.phase_changes)
        marks = [(s.when, s.phase) for s in self.sessions]
        return changes_from_sessions(self.course.start_date, marks, self.course.phase)

    def phase_on(self, day: date) -> Phase:
        return phase_on(self.phases, day, self.course.phase)

    @property
    def progress(self) -> list[PhaseProgress]:
        """Sessions per phase, the induction against the planned count."""
        return phase_progress([s.phase for s in self.sessions], self.course.planned_sessions)

    vitals: tuple[VitalSigns, ...] = ()
    """The sessions' vitals flowsheet rows, by session then time (full loads only)."""

    def of(self, instrument: str) -> list[AssessmentRecord]:
        return [a for a in self.assessments if a.instrument == instrument]

    def baseline(self, instrument: str) -> AssessmentRecord | None:
        """The assessment marked baseline, else the first valid one before session 1."""
        records = self.of(instrument)
        marked = [a for a in records if a.timepoint == Timepoint.BASELINE and a.score.valid]
        if marked:
            return marked[0]
        first_session = self.sessions[0].when if self.sessions else None
        for record in records:
            if record.score.valid and (first_session is None or record.when <= first_session):
                return record
        return None

    def after_baseline(self, instrument: str) -> list[AssessmentRecord]:
        base = self.baseline(instrument)
        if base is None:
            return []
        return [
            a
            for a in self.of(instrument)
            if a.score.valid and a.when >= base.when and a.id != base.id
        ]

    @property
    def open_flags(self) -> list[AssessmentRecord]:
        """Every open flag of the patient, this course's and other courses', oldest first."""
        own = [a for a in self.assessments if a.flag_open]
        return sorted_by_time([*own, *self.other_open_flags])

    def course_of(self, record: AssessmentRecord) -> CourseInfo:
        """The course a record (possibly from another course of the patient) belongs to."""
        if record.course_id == self.course.id:
            return self.course
        return next(c for c in self.other_courses if c.id == record.course_id)

    @property
    def integrity_warnings(self) -> list[AssessmentRecord]:
        return [a for a in self.assessments if a.integrity_warning]

    @property
    def flags(self) -> list[AssessmentRecord]:
        return [a for a in self.assessments if a.score.safety_flag]

    @property
    def sessions_done(self) -> int:
        return len(self.sessions)


@dataclass(frozen=True, slots=True)
class InstrumentSummary:
    instrument: str
    baseline: AssessmentRecord | None
    latest: AssessmentRecord | None
    """The latest valid assessment after baseline (None while only a baseline exists)."""
    change: Change
    sustained_response: datetime | None
    sustained_remission: datetime | None
    sessions_to_response: int | None
    early: EarlyImprovement | None

    @property
    def name(self) -> str:
        return INSTRUMENTS[self.instrument].name

    @property
    def most_recent(self) -> AssessmentRecord | None:
        """The newest valid score, baseline included: what a list column shows."""
        return self.latest or self.baseline


@dataclass(frozen=True, slots=True)
class CourseSummary:
    instruments: tuple[InstrumentSummary, ...]
    sessions_done: int
    planned_sessions: int
    phase: Phase
    status: CourseStatus
    open_flags: tuple[AssessmentRecord, ...]
    recent_events: tuple[EventRecord, ...]
    progress: tuple[PhaseProgress, ...] = ()
    """Sessions per phase ("induction 6/6", "maintenance 8")."""

    def get(self, instrument: str) -> InstrumentSummary | None:
        return next((s for s in self.instruments if s.instrument == instrument), None)

    @property
    def headline(self) -> InstrumentSummary | None:
        """The primary depression measure: by the definitions' rank (MADRS, then PHQ-9)."""
        for inst in headline_instruments():
            found = self.get(inst.code)
            if found and found.latest is not None:
                return found
        return None


def _point(record: AssessmentRecord) -> Point:
    assert record.score.total is not None
    return Point(record.when, record.score.total, record.session_number)


def summarize_instrument(timeline: CourseTimeline, instrument: str) -> InstrumentSummary:
    """Baseline, latest, change and the time-based rules for one instrument."""
    settings = timeline.course.settings
    base = timeline.baseline(instrument)
    later = timeline.after_baseline(instrument)
    valid = [a for a in timeline.of(instrument) if a.score.valid]
    # With only a baseline there is no "latest" to compare: not evaluable, not "0 %".
    latest = later[-1] if later else (None if base else (valid[-1] if valid else None))
    base_total = base.score.total if base else None
    current = latest.score.total if latest else None
    result = change(instrument, base_total, current, settings)
    points = [_point(a) for a in later]
    responded = [
        bool(base_total) and improved_by(base_total or 0, p.total, settings.response_fraction)
        for p in points
    ]
    remitted = [is_remission(instrument, p.total, settings) for p in points]
    to_response = next(
        (p.session_number for p, ok in zip(points, responded, strict=True) if ok), None
    )
    early = None
    if INSTRUMENTS[instrument].early_improvement:
        by_session = timeline.course.modality.value == "iv_ketamine"
        early = early_improvement(
            _point(base) if base else None,
            points,
            by_session=by_session,
            settings=settings,
            sessions_done=timeline.sessions_done,
        )
    return InstrumentSummary(
        instrument,
        base,
        latest,
        result,
        first_sustained(points, responded, settings),
        first_sustained(points, remitted, settings),
        to_response,
        early,
    )


def summarize(timeline: CourseTimeline, recent_events: int = 5) -> CourseSummary:
    """The course at a glance, for the summary panel and the PDF."""
    used = [code for code in INSTRUMENTS if timeline.of(code)]
    return CourseSummary(
        instruments=tuple(summarize_instrument(timeline, code) for code in used),
        sessions_done=timeline.sessions_done,
        planned_sessions=timeline.course.planned_sessions,
        phase=timeline.course.phase,
        status=timeline.course.status,
        open_flags=tuple(timeline.open_flags),
        recent_events=tuple(sorted(timeline.events, key=lambda e: e.when)[-recent_events:]),
        progress=tuple(timeline.progress),
    )


def category_label(category: str) -> str:
    """Display label for a response category."""
    return {
        Category.RESPONSE: "Response",
        Category.PARTIAL: "Partial response",
        Category.NON_RESPONSE: "Non-response",
        Category.NOT_EVALUABLE: "Not evaluable",
    }.get(Category(category), category)


def sorted_by_time(records: Sequence[AssessmentRecord]) -> list[AssessmentRecord]:
    return sorted(records, key=lambda a: (a.when, a.id))
