"""The clinical rules at their exact edges, with hand-checked figures.

Each test here was written against a hand-made mutant of domain/ that the rest of
the suite let through (an off-by-one in a window, ``>=`` turned into ``>``, ``max``
turned into ``min``...). The expected values come from CLINICAL.md, not from the code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mbctracker.domain import change
from mbctracker.domain.outcomes import (
    Category,
    EarlyStatus,
    Point,
    early_improvement,
    first_sustained,
    percent_change,
    response_category,
)
from mbctracker.domain.scoring import score

DAY0 = datetime(2026, 3, 2, 9, 0)


def _madrs(item10: int) -> list[int | None]:
    return [2] * 9 + [item10]


# -- MADRS item 10 (suicidal thoughts): >= 4 flags, always at tier 2 (urgent) ---------
@pytest.mark.parametrize("item10", [4, 5, 6])
def test_madrs_item10_of_4_or_more_flags_at_the_urgent_tier(item10: int) -> None:
    result = score("MADRS", _madrs(item10))
    assert (result.safety_flag, result.safety_tier) == (True, 2)
    assert result.flag_level == 3  # 0 none, 1 unanswered, 2 tier 1, 3 tier 2


def test_madrs_item10_of_3_does_not_flag() -> None:
    result = score("MADRS", _madrs(3))
    assert (result.safety_flag, result.safety_tier) == (False, None)


# -- recovery: a case at baseline (PHQ-9 >= 10) below caseness now (< 10) ------------
def test_recovery_at_the_caseness_edge() -> None:
    assert change("PHQ9", 10, 9).recovery is True  # baseline exactly 10 is a case
    assert change("PHQ9", 10, 10).recovery is False  # still a case
    assert change("PHQ9", 9, 0).recovery is False  # never was a case


# -- sustained: >= 2 consecutive assessments spanning >= 14 days ---------------------
def _two(days_apart: int) -> list[Point]:
    return [Point(DAY0, 4, 1), Point(DAY0 + timedelta(days=days_apart), 4, 2)]


def test_two_assessments_exactly_14_days_apart_are_sustained() -> None:
    points = _two(14)
    assert first_sustained(points, [True, True]) == points[1].when


def test_two_assessments_13_days_apart_are_not_sustained() -> None:
    assert first_sustained(_two(13), [True, True]) is None


def test_one_assessment_is_never_sustained() -> None:
    assert first_sustained([Point(DAY0, 4, 1)], [True]) is None


# -- early improvement: >= 20% within the first 4 infusions or 14 days --------------
BASE = Point(DAY0, 20)


def _by_session(*totals: int) -> list[Point]:
    return [Point(DAY0 + timedelta(days=3 * n), t, n) for n, t in enumerate(totals, start=1)]


def test_early_improvement_at_infusion_4_counts() -> None:
    # 20 -> 16 is exactly 20%, at infusion 4: inside the window
    result = early_improvement(BASE, _by_session(20, 19, 18, 16), by_session=True)
    assert (result.status, result.best_percent) == (EarlyStatus.PRESENT, 20.0)


def test_early_improvement_at_infusion_5_is_too_late() -> None:
    # best in the window is 20 -> 17 = 15%; the 50% at infusion 5 is outside it
    result = early_improvement(BASE, _by_session(20, 19, 18, 17, 10), by_session=True)
    assert (result.status, result.best_percent) == (EarlyStatus.ABSENT, 15.0)


def test_the_session_window_closes_at_infusion_4() -> None:
    seen4 = early_improvement(BASE, _by_session(20, 19, 18, 17), by_session=True)
    assert seen4.status == EarlyStatus.ABSENT
    seen3 = early_improvement(BASE, _by_session(20, 19, 17), by_session=True)
    assert seen3.status == EarlyStatus.PENDING


def _on_days(*days_and_totals: tuple[int, int]) -> list[Point]:
    return [Point(DAY0 + timedelta(days=d), t) for d, t in days_and_totals]


def test_early_improvement_on_day_14_counts() -> None:
    result = early_improvement(BASE, _on_days((7, 19), (14, 16)), by_session=False)
    assert (result.status, result.best_percent) == (EarlyStatus.PRESENT, 20.0)


def test_early_improvement_on_day_15_is_too_late() -> None:
    result = early_improvement(BASE, _on_days((7, 17), (15, 10)), by_session=False)
    assert (result.status, result.best_percent) == (EarlyStatus.ABSENT, 15.0)


def test_the_day_window_closes_on_day_14() -> None:
    closed = early_improvement(BASE, _on_days((7, 19), (14, 17)), by_session=False)
    assert closed.status == EarlyStatus.ABSENT
    open_ = early_improvement(BASE, _on_days((7, 19), (13, 17)), by_session=False)
    assert open_.status == EarlyStatus.PENDING


def test_best_percent_is_the_best_not_the_worst() -> None:
    # 20 -> 19 is 5%, 20 -> 17 is 15%, 20 -> 18 is 10%: the best is 15%
    result = early_improvement(BASE, _by_session(19, 17, 18), by_session=True)
    assert result.best_percent == 15.0


# -- a current total of 0 is the best possible outcome, not "missing" ----------------
def test_current_zero_is_a_full_response() -> None:
    assert response_category(12, 0) == Category.RESPONSE
    assert percent_change(12, 0) == 100.0
    result = change("PHQ9", 12, 0)
    assert (result.category, result.percent_change, result.points_change) == (
        "response",
        100.0,
        12,
    )
    assert result.remission is True and result.recovery is True


def test_current_zero_counts_towards_sustained_response() -> None:
    points = _two(14)
    zeros = [Point(p.when, 0, p.session_number) for p in points]
    meets = [response_category(12, p.total) == Category.RESPONSE for p in zeros]
    assert first_sustained(zeros, meets) == zeros[1].when
