"""The course over time as a clinic runs it: session numbers, score links and phases.

A clinic types the pre-session scores first, records the session afterwards,
back-fills sessions and enters follow-ups weeks later. These rules make the
timeline independent of that typing order:

- sessions are numbered by date (then by the order they were recorded, for two at
  the same minute), so a back-filled session takes its place and the numbers stay
  unique whatever is deleted and restored;
- a pre-session assessment belongs to the session of its own day (the first at or
  after it, else the last before it that day), else to the first session within the
  clinic's link window (``ClinicSettings.link_window_days``) after its day;
- a course's phase over time is a list of dated phase changes; the phase on a day
  is the latest change started on or before it (the first change for a day before
  them all), and the course's phase is the latest change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from .course import Phase

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PhaseChange:
    """The course entered ``phase`` on ``started_on``."""

    phase: Phase
    started_on: date


def numbers_by_date(sessions: Sequence[tuple[K, datetime]]) -> dict[K, int]:
    """Session numbers 1..n in date order; ties keep the order given (the recording order)."""
    ordered = sorted(enumerate(sessions), key=lambda pair: (pair[1][1], pair[0]))
    return {key: number for number, (_, (key, _when)) in enumerate(ordered, start=1)}


def link_target(
    sessions: Sequence[tuple[K, datetime]], when: datetime, window_days: int
) -> K | None:
    """The session a pre-session assessment taken at ``when`` precedes, or None.

    The session of the same day comes first (scores are often typed a few minutes
    after the session time the nurse put down); otherwise the first session within
    ``window_days`` days after the assessment's day.
    """
    return SessionDays(sessions).target(when, window_days)


class SessionDays(Generic[K]):
    """Sessions grouped by day, built once to link many assessments (a course's re-link)."""

    def __init__(self, sessions: Sequence[tuple[K, datetime]]) -> None:
        self.by_day: dict[date, list[tuple[datetime, K]]] = {}
        for key, when in sorted(sessions, key=lambda s: s[1]):
            self.by_day.setdefault(when.date(), []).append((when, key))
        self.days = sorted(self.by_day)

    def target(self, when: datetime, window_days: int) -> K | None:
        """See :func:`link_target`."""
        same_day = self.by_day.get(when.date())
        if same_day:
            after = [key for moment, key in same_day if moment >= when]
            return after[0] if after else same_day[-1][1]
        index = bisect_right(self.days, when.date())
        if index < len(self.days) and self.days[index] <= when.date() + timedelta(window_days):
            return self.by_day[self.days[index]][0][1]
        return None


def effective_changes(changes: Sequence[PhaseChange]) -> list[PhaseChange]:
    """The changes in date order: one per day (the last given wins), repeats dropped."""
    by_day: dict[date, Phase] = {}
    for change in changes:
        by_day[change.started_on] = change.phase
    merged: list[PhaseChange] = []
    for day in sorted(by_day):
        if not merged or merged[-1].phase != by_day[day]:
            merged.append(PhaseChange(by_day[day], day))
    return merged


def phase_on(changes: Sequence[PhaseChange], day: date, default: Phase) -> Phase:
    """The phase in force on ``day``: the latest change started on or before it."""
    ordered = effective_changes(changes)
    if not ordered:
        return default
    current = ordered[0].phase
    for change in ordered:
        if change.started_on <= day:
            current = change.phase
    return current


def changes_from_sessions(
    start: date, session_phases: Sequence[tuple[datetime, Phase]], current: Phase
) -> list[PhaseChange]:
    """Phase changes read back from sessions (files made before phases were dated).

    The first session's phase from the course start, then each change of phase at
    that session's day; a course phase set later without a session starts the day
    after the last session.
    """
    ordered = sorted(session_phases, key=lambda s: s[0])
    if not ordered:
        return [PhaseChange(current, start)]
    changes = [PhaseChange(ordered[0][1], start)]
    for when, phase in ordered[1:]:
        if phase != changes[-1].phase:
            changes.append(PhaseChange(phase, max(when.date(), changes[-1].started_on)))
    if current != changes[-1].phase:
        after = max(ordered[-1][0].date() + timedelta(days=1), changes[-1].started_on)
        changes.append(PhaseChange(current, after))
    return effective_changes(changes)


@dataclass(frozen=True, slots=True)
class PhaseProgress:
    """Sessions done in one phase; ``planned`` is known for the induction only."""

    phase: Phase
    done: int
    planned: int | None = None

    @property
    def text(self) -> str:
        """ "induction 6/6", "maintenance 8"."""
        name = self.phase.label.lower()
        return f"{name} {self.done}/{self.planned}" if self.planned else f"{name} {self.done}"


def phase_progress(session_phases: Sequence[Phase], planned_induction: int) -> list[PhaseProgress]:
    """Sessions per phase in the order of the phases; the induction against its plan.

    The induction is always listed (``0/6`` before the first infusion), so
    maintenance sessions never count against the induction plan.
    """
    done = Counter(session_phases)
    shown = [p for p in Phase if p == Phase.INDUCTION or done[p]]
    return [
        PhaseProgress(p, done[p], planned_induction if p == Phase.INDUCTION else None)
        for p in shown
    ]


def progress_text(progress: Sequence[PhaseProgress]) -> str:
    """ "induction 6/6 · maintenance 8"."""
    return " \u00b7 ".join(p.text for p in progress)
