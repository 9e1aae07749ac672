"""Change from baseline: response, remission, reliable change, sustained, early.

All comparisons against a fraction of baseline are done in integers
(``(baseline - current) x den >= baseline x num``), so exactly 50% is response
and 49.9% is not, with no float drift. A baseline of 0 or an invalid score is
"not evaluable": nothing ever divides by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from .instruments import get_instrument
from .settings import DEFAULT_SETTINGS, ClinicSettings


class Category(StrEnum):
    RESPONSE = "response"
    PARTIAL = "partial"
    NON_RESPONSE = "non-response"
    NOT_EVALUABLE = "not evaluable"


@dataclass(frozen=True, slots=True)
class Change:
    """Change of one instrument's total from baseline to now."""

    instrument: str
    baseline_total: int | None
    current_total: int | None
    percent_change: float | None
    category: str
    remission: bool
    reliable_change: str | None
    points_change: int | None = None
    recovery: bool | None = None
    reliable_recovery: bool | None = None
    mcid_met: bool | None = None


def improved_by(baseline: int, current: int, fraction: Fraction) -> bool:
    """True when baseline - current >= fraction x baseline, in exact integers."""
    return (baseline - current) * fraction.denominator >= baseline * fraction.numerator


def percent_change(baseline: int | None, current: int | None) -> float | None:
    """(baseline - current) / baseline x 100, positive = better; None when undefined."""
    if baseline is None or current is None or baseline == 0:
        return None
    return (baseline - current) / baseline * 100


def response_category(
    baseline: int | None, current: int | None, settings: ClinicSettings = DEFAULT_SETTINGS
) -> Category:
    """Response / partial / non-response, or not evaluable (no or zero baseline)."""
    if baseline is None or current is None or baseline <= 0:
        return Category.NOT_EVALUABLE
    if improved_by(baseline, current, settings.response_fraction):
        return Category.RESPONSE
    if improved_by(baseline, current, settings.partial_fraction):
        return Category.PARTIAL
    return Category.NON_RESPONSE


def is_remission(code: str, total: int | None, settings: ClinicSettings = DEFAULT_SETTINGS) -> bool:
    """Point-in-time remission: total at or below the instrument's cut-off."""
    limit = settings.for_instrument(code).remission_max
    return total is not None and limit is not None and total <= limit


def reliable_change(
    code: str,
    baseline: int | None,
    current: int | None,
    settings: ClinicSettings = DEFAULT_SETTINGS,
) -> str | None:
    """ "improvement", "deterioration" or "none"; None where no standard value exists."""
    threshold = settings.for_instrument(code).reliable_change
    if threshold is None or baseline is None or current is None:
        return None
    if baseline - current >= threshold:
        return "improvement"
    if current - baseline >= threshold:
        return "deterioration"
    return "none"


def change(
    instrument: str,
    baseline_total: int | None,
    current_total: int | None,
    settings: ClinicSettings = DEFAULT_SETTINGS,
) -> Change:
    """Everything a clinician asks of one instrument between baseline and now.

    Percent change and the response categories need a ratio scale starting at 0;
    an ordinal scale such as the CGI-S (1-7) reports points only ("not evaluable").
    """
    inst = get_instrument(instrument)
    code, limits = inst.code, settings.for_instrument(inst.code)
    reliable = reliable_change(code, baseline_total, current_total, settings)
    points = None
    if baseline_total is not None and current_total is not None:
        points = baseline_total - current_total
    ratio_scale = inst.ratio_scale
    recovery: bool | None = None
    if points is not None and limits.caseness_min is not None:
        recovery = (baseline_total or 0) >= limits.caseness_min > (current_total or 0)
    return Change(
        instrument=code,
        baseline_total=baseline_total,
        current_total=current_total,
        percent_change=percent_change(baseline_total, current_total) if ratio_scale else None,
        category=str(
            response_category(baseline_total, current_total, settings)
            if ratio_scale
            else Category.NOT_EVALUABLE
        ),
        remission=is_remission(code, current_total, settings),
        reliable_change=reliable,
        points_change=points,
        recovery=recovery,
        reliable_recovery=None if recovery is None else recovery and reliable == "improvement",
        mcid_met=None if points is None or limits.mcid is None else points >= limits.mcid,
    )


@dataclass(frozen=True, slots=True)
class Point:
    """One valid total at a time, after baseline, for sustained/early rules."""

    when: datetime
    total: int
    session_number: int | None = None


def first_sustained(
    points: Sequence[Point], meets: Sequence[bool], settings: ClinicSettings = DEFAULT_SETTINGS
) -> datetime | None:
    """When a criterion first became sustained, or None.

    Sustained (policy): met at ``sustained_min_assessments`` or more consecutive
    valid assessments spanning at least ``sustained_min_days`` days.
    """
    run_start: int | None = None
    for index, ok in enumerate(meets):
        if not ok:
            run_start = None
            continue
        run_start = index if run_start is None else run_start
        count = index - run_start + 1
        span = (points[index].when - points[run_start].when).days
        if count >= settings.sustained_min_assessments and span >= settings.sustained_min_days:
            return points[index].when
    return None


class EarlyStatus(StrEnum):
    PRESENT = "early improvement"
    ABSENT = "no early improvement"
    NOT_ASSESSED = "not assessed in the window"
    PENDING = "not yet assessable"
    NOT_EVALUABLE = "not evaluable"


EARLY_IMPROVEMENT_SOURCE = (
    "Decision support, not a stopping rule: >=20% improvement by about week 2 predicts later "
    "response; for IV ketamine, no 20% improvement by infusion 4 predicted non-response. "
    "Esketamine and ECT show many late responders."
)


@dataclass(frozen=True, slots=True)
class EarlyImprovement:
    status: EarlyStatus
    best_percent: float | None
    judged_by: str
    source: str = EARLY_IMPROVEMENT_SOURCE


def early_improvement(
    baseline: Point | None,
    points: Sequence[Point],
    *,
    by_session: bool,
    settings: ClinicSettings = DEFAULT_SETTINGS,
    sessions_done: int = 0,
) -> EarlyImprovement:
    """Whether >=20% improvement appeared within the early window.

    The window is the first ``early_improvement_session`` sessions when
    ``by_session`` (IV ketamine), else ``early_improvement_days`` days from baseline.
    It closes at the first assessment past it or, by session, once that session is
    recorded (its pre-session scores would be linked to it by then). Closed with no
    assessment inside it is "not assessed in the window", never "no early improvement".
    """
    judged_by = (
        f"by infusion {settings.early_improvement_session}"
        if by_session
        else f"by day {settings.early_improvement_days}"
    )
    if baseline is None or baseline.total <= 0:
        return EarlyImprovement(EarlyStatus.NOT_EVALUABLE, None, judged_by)
    window = [p for p in points if _in_early_window(baseline, p, by_session, settings)]
    best = max((percent_change(baseline.total, p.total) or 0.0 for p in window), default=None)
    if any(
        improved_by(baseline.total, p.total, settings.early_improvement_fraction) for p in window
    ):
        return EarlyImprovement(EarlyStatus.PRESENT, best, judged_by)
    session_passed = by_session and sessions_done >= settings.early_improvement_session
    if session_passed or _window_closed(baseline, points, by_session, settings):
        status = EarlyStatus.ABSENT if window else EarlyStatus.NOT_ASSESSED
        return EarlyImprovement(status, best, judged_by)
    return EarlyImprovement(EarlyStatus.PENDING, best, judged_by)


def _in_early_window(baseline: Point, p: Point, by_session: bool, s: ClinicSettings) -> bool:
    if by_session:
        return p.session_number is not None and p.session_number <= s.early_improvement_session
    return (p.when - baseline.when).days <= s.early_improvement_days


def _window_closed(
    baseline: Point, points: Sequence[Point], by_session: bool, s: ClinicSettings
) -> bool:
    if by_session:
        return any((p.session_number or 0) >= s.early_improvement_session for p in points)
    return any((p.when - baseline.when).days >= s.early_improvement_days for p in points)
