"""Change from baseline: integer thresholds, no division by zero, sustained, early."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mbctracker.domain import DEFAULT_SETTINGS, change
from mbctracker.domain.outcomes import (
    EarlyStatus,
    Point,
    early_improvement,
    first_sustained,
    percent_change,
)


def test_exactly_fifty_percent_is_response() -> None:
    result = change("MADRS", 30, 15)
    assert result.percent_change == 50.0 and result.category == "response"


def test_just_under_fifty_percent_is_partial() -> None:
    result = change("MADRS", 35, 18)  # 48.57 %
    assert result.percent_change == pytest.approx(48.571, abs=1e-3)
    assert result.category == "partial"


def test_odd_baseline_uses_integer_comparison() -> None:
    # 2 x (27 - 14) = 26 < 27: not response, although 13/27 rounds to 48 %.
    assert change("PHQ9", 27, 14).category == "partial"
    assert change("PHQ9", 27, 13).category == "response"  # 2 x 14 = 28 >= 27


def test_partial_boundary_at_25_percent() -> None:
    assert change("MADRS", 40, 30).category == "partial"  # exactly 25 %
    assert change("MADRS", 40, 31).category == "non-response"


def test_worsening_is_non_response_with_negative_percent() -> None:
    result = change("PHQ9", 10, 15)
    assert result.category == "non-response" and result.percent_change == -50.0
    assert result.reliable_change == "none"
    assert change("PHQ9", 10, 16).reliable_change == "deterioration"


@pytest.mark.parametrize("baseline", [0, None])
def test_zero_or_missing_baseline_is_not_evaluable(baseline: int | None) -> None:
    result = change("PHQ9", baseline, 3)
    assert result.percent_change is None and result.category == "not evaluable"
    assert percent_change(baseline, 3) is None


def test_invalid_current_is_not_evaluable() -> None:
    result = change("PHQ9", 20, None)
    assert result.category == "not evaluable" and not result.remission


def test_remission_thresholds() -> None:
    assert change("PHQ9", 20, 4).remission and not change("PHQ9", 20, 5).remission
    assert change("GAD7", 15, 4).remission and not change("GAD7", 15, 5).remission
    assert change("MADRS", 30, 10).remission and not change("MADRS", 30, 11).remission


def test_madrs_remission_is_switchable() -> None:
    esketamine = DEFAULT_SETTINGS.with_madrs_remission(12)
    assert change("MADRS", 30, 12, esketamine).remission
    strict = DEFAULT_SETTINGS.with_madrs_remission(9)
    assert not change("MADRS", 30, 10, strict).remission


def test_reliable_change_values() -> None:
    assert change("PHQ9", 20, 14).reliable_change == "improvement"
    assert change("PHQ9", 20, 15).reliable_change == "none"
    assert change("GAD7", 12, 8).reliable_change == "improvement"
    assert change("GAD7", 12, 9).reliable_change == "none"
    assert change("MADRS", 30, 5).reliable_change is None  # no standard value


def test_recovery_and_reliable_recovery() -> None:
    result = change("PHQ9", 16, 9)  # case at baseline, below caseness now, 7-point change
    assert result.recovery and result.reliable_recovery
    near = change("PHQ9", 12, 9)  # recovered, but only a 3-point change
    assert near.recovery and not near.reliable_recovery
    assert change("GAD7", 7, 3).recovery is False  # not a case at baseline (GAD-7 >= 8)


def test_mcid() -> None:
    assert change("PHQ9", 15, 10).mcid_met and not change("PHQ9", 15, 11).mcid_met


def _points(days_and_totals: list[tuple[int, int]]) -> list[Point]:
    start = datetime(2026, 1, 1, 9)
    return [Point(start + timedelta(days=d), t, n) for n, (d, t) in enumerate(days_and_totals, 1)]


def test_sustained_needs_two_consecutive_spanning_14_days() -> None:
    points = _points([(0, 10), (7, 10), (14, 10)])
    assert first_sustained(points, [True, True, False]) is None  # only 7 days
    assert first_sustained(points, [True, True, True]) == points[2].when
    broken = first_sustained(_points([(0, 1), (10, 1), (20, 1)]), [True, False, True])
    assert broken is None


def test_early_improvement_by_infusion_4() -> None:
    baseline = Point(datetime(2026, 1, 1), 30)
    improved = _points([(2, 28), (4, 27), (6, 24), (8, 20)])  # 20 % at infusion 3
    result = early_improvement(baseline, improved, by_session=True)
    assert result.status == EarlyStatus.PRESENT and "not a stopping rule" in result.source
    flat = _points([(2, 29), (4, 28), (6, 27), (8, 26)])
    assert early_improvement(baseline, flat, by_session=True).status == EarlyStatus.ABSENT
    assert early_improvement(baseline, flat[:2], by_session=True).status == EarlyStatus.PENDING


def test_early_improvement_by_day_14() -> None:
    baseline = Point(datetime(2026, 1, 1), 20)
    late = [Point(datetime(2026, 1, 20), 10)]  # nothing measured in the 14 days
    assert early_improvement(baseline, late, by_session=False).status == EarlyStatus.NOT_ASSESSED
    seen = [Point(datetime(2026, 1, 10), 19), *late]
    assert early_improvement(baseline, seen, by_session=False).status == EarlyStatus.ABSENT
    zero = Point(datetime(2026, 1, 1), 0)
    assert early_improvement(zero, late, by_session=False).status == EarlyStatus.NOT_EVALUABLE


def test_settings_round_trip_through_json() -> None:
    custom = DEFAULT_SETTINGS.with_madrs_remission(12)
    from mbctracker.domain.settings import ClinicSettings

    assert ClinicSettings.from_json(custom.to_json()) == custom
    assert ClinicSettings.from_json(None) == DEFAULT_SETTINGS


def test_cgis_is_ordinal_points_only() -> None:
    result = change("CGIS", 6, 3)
    assert result.points_change == 3
    assert result.percent_change is None and result.category == "not evaluable"
