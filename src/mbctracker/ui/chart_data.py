"""Where things sit on the trajectory chart: pure functions of a :class:`CourseTimeline`.

Kept free of Qt so the placement rules are testable on their own. On the
session axis a pre-session assessment sits at the session it precedes (its
linked session, else the next one), the baseline at 0 and follow-ups just after
the last session before them; on the date axis everything sits at days since
the course start.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from ..domain.course import Timepoint
from ..domain.instruments import INSTRUMENTS
from ..domain.timeline import AssessmentRecord, CourseTimeline, SessionRecord


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    total: int
    record: AssessmentRecord
    is_baseline: bool

    @property
    def prorated(self) -> bool:
        return self.record.score.prorated

    @property
    def flagged(self) -> bool:
        return self.record.score.safety_flag


def days_since(start: date, moment: datetime | date) -> float:
    origin = datetime(start.year, start.month, start.day)
    when = (
        moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day)
    )
    return (when - origin).total_seconds() / 86400


def sessions_before(timeline: CourseTimeline, moment: datetime) -> int:
    return sum(1 for s in timeline.sessions if s.when <= moment)


def assessment_x(timeline: CourseTimeline, record: AssessmentRecord, by_date: bool) -> float:
    """Position of one assessment on the chosen axis."""
    if by_date:
        return days_since(timeline.course.start_date, record.when)
    if record.session_number is not None:
        return float(record.session_number)
    before = sessions_before(timeline, record.when)
    if record.timepoint == Timepoint.BASELINE:
        return 0.0
    if record.timepoint == Timepoint.FOLLOW_UP:
        return before + 0.3
    return float(before + 1)


def session_x(timeline: CourseTimeline, session: SessionRecord, by_date: bool) -> float:
    return (
        days_since(timeline.course.start_date, session.when) if by_date else float(session.number)
    )


def event_x(timeline: CourseTimeline, when: date, by_date: bool) -> float:
    if by_date:
        return days_since(timeline.course.start_date, when)
    moment = datetime(when.year, when.month, when.day, 23, 59)
    return sessions_before(timeline, moment) + 0.5


def points(timeline: CourseTimeline, code: str, by_date: bool) -> list[ChartPoint]:
    """Valid totals of one instrument, placed; follow-ups after one session spread apart."""
    base = timeline.baseline(code)
    found: list[ChartPoint] = []
    spread: Counter[float] = Counter()
    for record in timeline.of(code):
        if not record.score.valid or record.score.total is None:
            continue
        x = assessment_x(timeline, record, by_date)
        if not by_date and record.timepoint == Timepoint.FOLLOW_UP:
            k = spread[x]
            spread[x] += 1
            x += 0.25 * k
        is_base = base is not None and record.id == base.id
        found.append(ChartPoint(x, record.score.total, record, is_base))
    return found


def phase_spans(timeline: CourseTimeline, by_date: bool) -> list[tuple[str, float, float]]:
    """Contiguous runs of sessions in one phase: (phase value, x from, x to)."""
    spans: list[tuple[str, float, float]] = []
    pad = 0.5
    for session in timeline.sessions:
        x = session_x(timeline, session, by_date)
        if spans and spans[-1][0] == session.phase.value:
            spans[-1] = (spans[-1][0], spans[-1][1], x + pad)
        else:
            spans.append((session.phase.value, x - pad, x + pad))
    return spans


def session_tip(session: SessionRecord) -> str:
    """Tooltip of a session marker: date, dose or parameters, side effects."""
    lines = [f"Session {session.number} · {session.when:%Y-%m-%d %H:%M} · {session.phase.label}"]
    details = {k: v for k, v in session.details.items() if v not in (None, "")}
    if "dose_mg_per_kg" in details or "dose_mg" in details:
        dose = [
            f"{details[k]:g} {u}"
            for k, u in (("dose_mg_per_kg", "mg/kg"), ("dose_mg", "mg"))
            if isinstance(details.get(k), (int, float))
        ]
        dose += [f"{details['dose_mg']} mg"] if isinstance(details.get("dose_mg"), str) else []
        lines.append("Dose " + ", ".join(dose))
    for key in ("protocol", "percent_mt", "pulses", "placement", "charge_mc", "seizure_eeg_s"):
        if key in details:
            lines.append(f"{key.replace('_', ' ')}: {details[key]}")
    if "bp_before_sys" in details:
        lines.append(_bp(details))
    effects = list(session.side_effects) + (
        [session.side_effects_text] if session.side_effects_text else []
    )
    lines.append("Side effects: " + (", ".join(effects) if effects else "none recorded"))
    if session.prn_medication:
        lines.append("As-needed: " + ", ".join(session.prn_medication))
    return "\n".join(lines)


def _bp(d: dict[str, object]) -> str:
    parts = []
    for label, key in (("before", "bp_before"), ("peak", "bp_peak"), ("after", "bp_after")):
        if f"{key}_sys" in d:
            parts.append(f"{label} {d[f'{key}_sys']}/{d.get(f'{key}_dia', '?')}")
    return "BP " + ", ".join(parts)


def point_tip(point: ChartPoint) -> str:
    """Tooltip of a score: value, band, when, proration and any safety flag."""
    record, s = point.record, point.record.score
    name = INSTRUMENTS[record.instrument].name
    lines = [f"{name} {s.display_total} ({s.severity}) · {record.when:%Y-%m-%d %H:%M}"]
    if point.is_baseline:
        lines.append("Baseline")
    if record.session_number:
        lines.append(f"Before session {record.session_number}")
    if s.prorated:
        lines.append(f"Prorated: {s.n_missing} item(s) missing, exact {s.exact_total:.1f}")
    if s.safety_flag:
        lines.append(flag_tip(record))
    return "\n".join(lines)


def flag_tip(record: AssessmentRecord) -> str:
    inst = INSTRUMENTS[record.instrument]
    value = record.score.responses[(inst.safety_item or 1) - 1]
    state = (
        "OPEN - no action recorded"
        if record.flag_open
        else ("action: " + ", ".join(a.kind.label for a in record.actions))
    )
    shown = "unanswered" if value is None else str(value)
    return f"⚠ Safety item {inst.safety_item} = {shown} (tier {record.score.safety_tier}); {state}"
