"""A course as something to draw: series, reference lines, phases, sessions, events.

Every element carries a :class:`Position` that holds the moment and both x
positions (days since the course start, and the session axis), so each
back-end picks its axis and never re-derives where a point belongs. Rules:

- a pre-session assessment sits at the session it precedes (its linked session,
  else the next one), the baseline at 0; follow-ups (and unlinked scores in the
  follow-up phase), events and phase starts are placed by date on the session
  axis too: between two sessions in proportion to the days, after the last one
  on a scale that approaches the next whole number without reaching it, so a
  1-week follow-up is never drawn as "session 7";
- reference lines come from the course's stored thresholds: remission from the
  instrument's cut-off, response and partial from ``response_fraction`` and
  ``partial_fraction`` of this patient's baseline, and no percent line for an
  ordinal scale;
- phases are the course's dated phase changes (``CourseTimeline.phases``), each
  shaded from its start date to the next one's, the last to the last mark drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction
from itertools import pairwise
from typing import Literal

from ..domain.course import Phase, Timepoint
from ..domain.timeline import AssessmentRecord, CourseTimeline, EventRecord, SessionRecord
from .scales import is_ordinal, name, safety_item_of

LineKind = Literal["remission", "response", "partial"]
EDGE = 0.05
"""How close a dated mark may come to a session on the session axis."""


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


def dated_x(timeline: CourseTimeline, moment: datetime) -> float:
    """Session-axis x of a moment: by date between its sessions, never on one.

    Between sessions n and n+1 it sits in proportion to the time elapsed; after
    the last session, ``1 - 1 / (1 + days / gap)`` of the way to the next number
    (``gap`` = the course's median days between sessions), so later is further
    right and nothing reaches the number of a session that did not happen.
    """
    sessions = timeline.sessions
    done = [s for s in sessions if s.when <= moment]
    prev_x = float(done[-1].number) if done else 0.0
    prev_t = done[-1].when if done else datetime.combine(timeline.course.start_date, time.min)
    coming = [s for s in sessions if s.when > moment]
    elapsed = (moment - prev_t).total_seconds() / 86400
    if coming:
        whole = (coming[0].when - prev_t).total_seconds() / 86400
        share = elapsed / whole if whole > 0 else 0.5
        return prev_x + (coming[0].number - prev_x) * min(max(share, EDGE), 1 - EDGE)
    return prev_x + max(EDGE, 1 - 1 / (1 + max(elapsed, 0.0) / _median_gap(sessions)))


def _median_gap(sessions: tuple[SessionRecord, ...]) -> float:
    gaps = sorted((b.when - a.when).total_seconds() / 86400 for a, b in pairwise(sessions))
    middle = gaps[len(gaps) // 2] if gaps else 7.0
    return max(middle, 1.0)


def _session_x(timeline: CourseTimeline, record: AssessmentRecord) -> float:
    if record.session_number is not None:
        return float(record.session_number)
    if record.timepoint == Timepoint.BASELINE:
        return 0.0
    before = sessions_before(timeline, record.when)
    if record.timepoint == Timepoint.FOLLOW_UP or _after_treatment(timeline, record.when):
        return dated_x(timeline, record.when)
    return float(before + 1)


def _after_treatment(timeline: CourseTimeline, moment: datetime) -> bool:
    """No session follows and the course was in follow-up (or over) by then."""
    if any(s.when > moment for s in timeline.sessions):
        return False
    course = timeline.course
    ended = course.end_date is not None and moment.date() >= course.end_date
    return ended or timeline.phase_on(moment.date()) == Phase.FOLLOW_UP


def assessment_position(timeline: CourseTimeline, record: AssessmentRecord) -> Position:
    start = timeline.course.start_date
    return Position(record.when, days_since(start, record.when), _session_x(timeline, record))


def session_position(timeline: CourseTimeline, session: SessionRecord) -> Position:
    start = timeline.course.start_date
    return Position(session.when, days_since(start, session.when), float(session.number))


def event_position(timeline: CourseTimeline, when: date) -> Position:
    """An event (dated, not timed) sits at the end of its day, placed by date."""
    moment = datetime.combine(when, time(23, 59))
    day = days_since(timeline.course.start_date, when)
    return Position(moment, day, dated_x(timeline, moment))


def date_position(timeline: CourseTimeline, day: date) -> Position:
    """The start of a day (a phase start): by date, or 0 on and before the course start."""
    moment = datetime.combine(day, time.min)
    start = timeline.course.start_date
    x = 0.0 if day <= start else dated_x(timeline, moment)
    return Position(moment, days_since(start, moment), x)


def event_marker(timeline: CourseTimeline, event: EventRecord) -> EventMarker:
    label = event.kind.label + (f" ({event.reason.label})" if event.reason else "")
    return EventMarker(event, event_position(timeline, event.when), label)


# --- series ---------------------------------------------------------------------------------


def series(timeline: CourseTimeline, code: str) -> Series:
    """Valid totals in time order and flags."""
    base = timeline.baseline(code)
    points: list[SeriesPoint] = []
    flags: list[FlagMarker] = []
    for record in timeline.of(code):
        pos = assessment_position(timeline, record)
        total = record.score.total if record.score.valid else None
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
    """One band per dated phase change, from its start to the next one's start.

    The last band reaches the last mark drawn (session, score or event) or, when
    nothing came after its start yet, stays at its start.
    """
    changes = timeline.phases
    starts = [date_position(timeline, c.started_on) for c in changes]
    last = _last_mark(timeline)
    spans: list[PhaseSpan] = []
    for index, change in enumerate(changes):
        final = index == len(changes) - 1
        end = starts[index + 1] if not final else _later(starts[index], last)
        spans.append(PhaseSpan(change.phase, starts[index], end, final))
    return spans


def _last_mark(timeline: CourseTimeline) -> Position | None:
    marks = [session_position(timeline, s) for s in timeline.sessions[-1:]]
    marks += [assessment_position(timeline, a) for a in timeline.assessments[-1:]]
    marks += [event_position(timeline, e.when) for e in timeline.events]
    return max(marks, key=lambda p: p.when, default=None)


def _later(start: Position, mark: Position | None) -> Position:
    if mark is None or mark.when <= start.when:
        return start
    return Position(mark.when, max(mark.day, start.day), max(mark.session, start.session))


def safety_cell_flagged(record: AssessmentRecord, item_number: int) -> bool:
    """Whether an item answer is shown as a safety flag: the score's own rule decides.

    The flag rule (PHQ-9 item 9 >= 1, MADRS item 10 >= 4, from the thresholds the
    score was computed with) is applied once, in scoring; a cell is red exactly
    when that answer raised the flag the PDF's safety table lists.
    """
    inst_item = safety_item_of(record.instrument)
    value = record.score.responses[item_number - 1]
    return inst_item == item_number and value is not None and record.score.safety_flag
