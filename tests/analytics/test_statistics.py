"""The statistics against published figures: Wilson and Newcombe (Newcombe 1998),
statsmodels' own MixedLM reference example (dietox, random intercept and slope)."""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from mbctracker.analytics.mixed import fit_growth
from mbctracker.analytics.rates import newcombe, wilson
from mbctracker.domain.outcome_definitions import OutcomeDefinitions, closest_day


def test_wilson_interval_matches_newcombe_1998() -> None:
    low, high = wilson(81, 263)  # Newcombe 1998, Stat Med 17:857, example (a)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_wilson_interval_stays_inside_0_1_at_the_edges() -> None:
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert 0 < wilson(0, 10)[1] < 0.35


def test_newcombe_difference_interval_matches_the_published_example() -> None:
    d, low, high = newcombe(56, 70, 48, 80)  # Newcombe 1998 (difference paper), method 10
    assert round(d, 4) == 0.2
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_mixed_model_reproduces_statsmodels_reference_example() -> None:
    """statsmodels' MixedLM docs: Weight ~ Time, random intercept and slope per Pig."""
    import statsmodels.regression.tests.results as results

    with (files(results) / "dietox.csv").open() as handle:
        rows = list(csv.reader(handle))[1:]  # the header lacks R's row-name column
    y = np.array([float(r[1]) for r in rows])
    t = np.array([float(r[3]) for r in rows])
    pig = np.array([int(r[4]) for r in rows])
    fit = fit_growth(y, t, pig)
    assert fit["intercept"]["estimate"] == pytest.approx(15.739, abs=5e-3)
    assert fit["slope_per_visit"]["estimate"] == pytest.approx(6.939, abs=5e-3)
    assert fit["intercept_variance"] == pytest.approx(19.503, abs=0.05)
    assert fit["slope_variance"] == pytest.approx(0.416, abs=5e-3)
    assert fit["intercept_slope_covariance"] == pytest.approx(0.294, abs=5e-3)
    assert fit["residual_variance"] == pytest.approx(6.037, abs=5e-3)
    se = (fit["intercept"]["ci_high"] - fit["intercept"]["ci_low"]) / (2 * 1.96)
    assert se == pytest.approx(0.550, abs=5e-3)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([27, 41, 43, 57], 1),  # 41 and 43 tie: the earlier
        ([28, 56], 0),  # both ends inside; the tie goes to the earlier
        ([27, 57], None),  # both just outside
        ([56, 50, 30], 1),
    ],
)
def test_six_week_value_is_the_closest_to_day_42_in_the_window(
    days: list[int], expected: int | None
) -> None:
    assert closest_day(days, OutcomeDefinitions()) == expected


def _growth_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    groups = np.repeat(np.arange(40), 6)
    t = np.tile(np.arange(6.0), 40)
    y = 30 - 2 * t + rng.normal(0, 3, 40)[groups] + rng.normal(0, 2, len(t))
    return y, t, groups


def test_mixed_model_in_a_child_process_gives_the_same_fit() -> None:
    from mbctracker.analytics.mixed import fit_growth_cancellable

    y, t, groups = _growth_data()
    assert fit_growth_cancellable(y, t, groups, lambda: False) == fit_growth(y, t, groups)


def test_cancel_ends_the_mixed_model_process() -> None:
    import multiprocessing

    from mbctracker.analytics.data import Cancelled
    from mbctracker.analytics.mixed import fit_growth_cancellable

    y, t, groups = _growth_data()
    with pytest.raises(Cancelled):
        fit_growth_cancellable(y, t, groups, lambda: True)
    assert multiprocessing.active_children() == []


def test_a_fit_lbfgs_leaves_short_is_finished_by_the_next_optimizer() -> None:
    """1,000 synthetic patients' MADRS (from the 22,481-patient demo clinic): L-BFGS alone
    stops with |gradient| in the thousands and a slope variance near 2.7; CG and Powell
    agree on the optimum (about 1.52)."""
    stored = np.load(Path(__file__).with_name("madrs_hard_to_fit.npz"))
    y = stored["totals"].astype(float)
    fit = fit_growth(y, stored["visit"].astype(float), stored["patient"].astype(np.int64))
    assert fit["converged"]
    assert fit["slope_variance"] == pytest.approx(1.520, abs=0.01)
    assert fit["intercept_variance"] == pytest.approx(31.32, abs=0.1)
    assert fit["slope_per_visit"]["estimate"] == pytest.approx(-2.128, abs=5e-3)
