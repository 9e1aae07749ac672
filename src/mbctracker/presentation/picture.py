"""A course as something to draw: series, reference lines, phases, sessions, events.

Every element carries a :class:`Position` that holds the moment and both x
positions (days since the course start, and the session axis), so each
back-end picks its axis and never re-derives where a point belongs. Rules:

- a pre-session assessment sits at the session it precedes (its linked session,
  else the next one), the baseline at 0, follow-ups just after the last session
  before them (several after one session spread by 0.25);
- reference lines come from the course's stored thresholds: remission from the
  instrument's cut-off, response and partial from ``response_fraction`` and
  ``partial_fraction`` of this patient's baseline, and no percent line for an
  ordinal scale;
- phases are runs of sessions and phase-tagged assessments in time order, each
  reaching the next phase's first mark so the bands touch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction
from typing import Literal

from ..domain.course import Phase, Timepoint
from ..domain.timeline import AssessmentRecord, CourseTimeline, EventRecord, SessionRecord
from .scales import is_ordinal, name, safety_item_of

LineKind = Literal["remission", "response", "partial"]
FOLLOW_UP_STEP = 0.25


@dataclass(frozen=True, slots=True)
class Position:
    """Where something happened, on both axes."""

    when: datetime
    day: float
    """Days since the course start (midnight of the start date)."""
    session: float
    """Session axis: 0 = baseline, n = before/at session n."""

    def x(self, by_date: bool) -> float:
        return self.day if by_date else self.session


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One valid total."""

    record: AssessmentRecord
    position: Position
    total: int
    is_baseline: bool

    @property
    def prorated(self) -> bool:
        return self.record.score.prorated

    @property
    def flagged(self) -> bool:
        return self.record.score.safety_flag


@dataclass(frozen=True, slots=True)
class FlagMarker:
    """A safety flag; ``total`` is None when the score itself is invalid."""

    record: AssessmentRecord
    position: Position
    total: int | None

    @property
    def open(self) -> bool:
        return self.record.flag_open


@dataclass(frozen=True, slots=True)
class Series:
    code: str
    name: str
    points: tuple[SeriesPoint, ...]
    flags: tuple[FlagMarker, ...]

    @property
    def any_prorated(self) -> bool:
        return any(p.prorated for p in self.points)


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    """A horizontal line a clinician judges the course by, with the words for its key."""

    kind: LineKind
    value: float
    label: str
    """ "response ≤ 9.5 (50% of baseline)"; a screen showing several scales prefixes the name."""


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    phase: Phase
    start: Position
    end: Position
    """The next phase's first mark, or this phase's last mark for the last span."""
    last: bool


@dataclass(frozen=True, slots=True)
class EventMarker:
    event: EventRecord
    position: Position
    label: str
    """ "Dropout (Side effects)"."""


@dataclass(frozen=True, slots=True)
class CoursePicture:
    series: dict[str, Series]
    reference_lines: dict[str, tuple[ReferenceLine, ...]]
    phases: tuple[PhaseSpan, ...]
    sessions: tuple[tuple[SessionRecord, Position], ...]
    events: tuple[EventMarker, ...]
    flags: tuple[FlagMarker, ...]
    """Every flag of the course, all instruments, in time order."""


def course_picture(timeline: CourseTimeline) -> CoursePicture:
    """Everything drawn for one course, for every instrument it used."""
    codes = list(dict.fromkeys(a.instrument for a in timeline.assessments))
    drawn = {code: series(timeline, code) for code in codes}
    flags = sorted(
        (f for s in drawn.values() for f in s.flags), key=lambda f: (f.record.when, f.record.id)
    )
    return CoursePicture(
        series=drawn,
        reference_lines={code: reference_lines(timeline, code) for code in codes},
        phases=tuple(phase_spans(timeline)),
        sessions=tuple((s, session_position(timeline, s)) for s in timeline.sessions),
        events=tuple(event_marker(timeline, e) for e in timeline.events),
        flags=tuple(flags),
    )


# --- positions -----------------------------------------------------------------------------


def days_since(start: date, moment: datetime | date) -> float:
    origin = datetime.combine(start, time.min)
    when = moment if isinstance(moment, datetime) else datetime.combine(moment, time.min)
    return (when - origin).total_seconds() / 86400


def sessions_before(timeline: CourseTimeline, moment: datetime) -> int:
    return sum(1 for s in timeline.sessions if s.when <= moment)


def _session_x(timeline: CourseTimeline, record: AssessmentRecord) -> float:
    if record.session_number is not None:
        return float(record.session_number)
    if record.timepoint == Timepoint.BASELINE:
        return 0.0
    before = sessions_before(timeline, record.when)
    if record.timepoint == Timepoint.FOLLOW_UP:
        return before + 0.3
    return float(before + 1)


def assessment_position(timeline: CourseTimeline, record: AssessmentRecord) -> Position:
    start = timeline.course.start_date
    return Position(record.when, days_since(start, record.when), _session_x(timeline, record))


def session_position(timeline: CourseTimeline, session: SessionRecord) -> Position:
    start = timeline.course.start_date
    return Position(session.when, days_since(start, session.when), float(session.number))


def event_position(timeline: CourseTimeline, when: date) -> Position:
    """An event (dated, not timed) sits at the end of its day, between sessions."""
    moment = datetime.combine(when, time(23, 59))
    day = days_since(timeline.course.start_date, when)
    return Position(moment, day, sessions_before(timeline, moment) + 0.5)


def event_marker(timeline: CourseTimeline, event: EventRecord) -> EventMarker:
    label = event.kind.label + (f" ({event.reason.label})" if event.reason else "")
    return EventMarker(event, event_position(timeline, event.when), label)


# --- series ---------------------------------------------------------------------------------


def series(timeline: CourseTimeline, code: str) -> Series:
    """Valid totals in time order (follow-ups after one session spread apart) and flags."""
    base = timeline.baseline(code)
    points: list[SeriesPoint] = []
    flags: list[FlagMarker] = []
    spread: Counter[float] = Counter()
    for record in timeline.of(code):
        pos = assessment_position(timeline, record)
        total = record.score.total if record.score.valid else None
        if total is not None and record.timepoint == Timepoint.FOLLOW_UP:
            k, spread[pos.session] = spread[pos.session], spread[pos.session] + 1
            pos = Position(pos.when, pos.day, pos.session + FOLLOW_UP_STEP * k)
        if total is not None:
            is_base = base is not None and record.id == base.id
            points.append(SeriesPoint(record, pos, total, is_base))
        if record.score.safety_flag:
            flags.append(FlagMarker(record, pos, total))
    return Series(code, name(code), tuple(points), tuple(flags))


# --- reference lines ------------------------------------------------------------------------


def reference_lines(timeline: CourseTimeline, code: str) -> tuple[ReferenceLine, ...]:
    """Remission, response and partial lines from the thresholds stored with the course."""
    settings = timeline.course.settings
    lines: list[ReferenceLine] = []
    remission = settings.for_instrument(code).remission_max
    if remission is not None:
        lines.append(ReferenceLine("remission", float(remission), f"remission \u2264 {remission}"))
    base = timeline.baseline(code)
    total = base.score.total if base else None
    if total and not is_ordinal(code):
        lines.append(_fraction_line("response", total, settings.response_fraction))
        lines.append(_fraction_line("partial", total, settings.partial_fraction))
    return tuple(lines)


def _fraction_line(kind: LineKind, baseline: int, improvement: Fraction) -> ReferenceLine:
    """The level reached by improving ``improvement`` of the baseline (exact, then shown)."""
    remaining = 1 - improvement
    level = float(baseline * remaining)
    label = f"{kind} \u2264 {level_text(level)} ({float(remaining):.0%} of baseline)"
    return ReferenceLine(kind, level, label)


def level_text(level: float) -> str:
    """9.5, 14.25, 12.67: at most two decimals (a third of 2 is not "0.666667")."""
    return f"{round(level, 2):g}"


# --- phases ---------------------------------------------------------------------------------


def phase_spans(timeline: CourseTimeline) -> list[PhaseSpan]:
    """Consecutive runs of one phase, from sessions and phase-tagged assessments."""
    marks: list[tuple[datetime, int, Phase, Position]] = [
        (s.when, 0, s.phase, session_position(timeline, s)) for s in timeline.sessions
    ]
    marks += [
        (a.when, 1, a.phase, assessment_position(timeline, a))
        for a in timeline.assessments
        if a.phase is not None
    ]
    runs: list[tuple[Phase, Position, Position]] = []
    for _, _, phase, pos in sorted(marks, key=lambda m: (m[0], m[1])):
        if runs and runs[-1][0] == phase:
            runs[-1] = (phase, runs[-1][1], pos)
        else:
            if runs:
                runs[-1] = (runs[-1][0], runs[-1][1], pos)
            runs.append((phase, pos, pos))
    return [
        PhaseSpan(phase, start, end, index == len(runs) - 1)
        for index, (phase, start, end) in enumerate(runs)
    ]


def safety_cell_flagged(record: AssessmentRecord, item_number: int) -> bool:
    """Whether an item answer is shown as a safety flag: the score's own rule decides.

    The flag rule (PHQ-9 item 9 >= 1, MADRS item 10 >= 4, from the thresholds the
    score was computed with) is applied once, in scoring; a cell is red exactly
    when that answer raised the flag the PDF's safety table lists.
    """
    inst_item = safety_item_of(record.instrument)
    value = record.score.responses[item_number - 1]
    return inst_item == item_number and value is not None and record.score.safety_flag
