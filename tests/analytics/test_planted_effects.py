"""Planted effects in a seeded synthetic clinic are recovered within stated tolerances."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.storage import Database, open_database

from .clinic_generator import (
    CLASS_CURVES,
    CLASS_SHARES,
    RR_CM,
    TMS_EFFECT,
    Planted,
    generate,
)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Planted]]:
    db = open_database(tmp_path_factory.mktemp("planted") / "clinic.sqlite3", actor="test")
    planted = generate(db)
    yield db, planted
    db.dispose()


@pytest.fixture(scope="module")
def result(clinic: tuple[Database, Planted]) -> dict[str, Any]:
    return run_clinic_outcomes(clinic[0], OutcomeFilters())


def test_cm_counts_equal_the_generated_ones(
    result: dict[str, Any], clinic: tuple[Database, Planted]
) -> None:
    planted = clinic[1]
    cm = [c for c, v in planted.cm.items() if v]
    none = [c for c, v in planted.cm.items() if not v]
    got = result["cm_hospitalization"]
    assert got["cm"] == {"n": len(cm), "events": sum(planted.hospitalized[c] for c in cm)}
    assert got["no_cm"] == {"n": len(none), "events": sum(planted.hospitalized[c] for c in none)}


def test_planted_relative_risk_is_recovered(result: dict[str, Any]) -> None:
    """Tolerance: the 95% interval covers 0.5 and the estimate is within 25% of it."""
    got = result["cm_hospitalization"]
    assert got["ci_low"] < RR_CM < got["ci_high"]
    assert abs(math.log(got["rr_adjusted"] / RR_CM)) < math.log(1.25)
    assert abs(math.log(got["rr_crude"] / RR_CM)) < math.log(1.25)


def test_planted_six_week_difference_is_recovered(
    result: dict[str, Any], clinic: tuple[Database, Planted]
) -> None:
    """TMS improves 3 points more: the adjusted estimate is within 0.5 and its CI covers 3."""
    adjusted = result["week6_adjusted"]
    assert adjusted["reference"] == "iv_ketamine"
    tms = adjusted["tms"]
    assert tms["ci_low"] < TMS_EFFECT < tms["ci_high"]
    assert abs(tms["estimate"] - TMS_EFFECT) < 0.5
    changes = clinic[1].week6_change
    iv = [v for c, v in changes.items() if c in clinic[1].cm]
    assert result["week6_phq9"]["iv_ketamine"]["n"] == len(iv)
    assert result["week6_phq9"]["iv_ketamine"]["mean_change"] == pytest.approx(np.mean(iv))


def test_planted_trajectory_classes_are_recovered(
    result: dict[str, Any], clinic: tuple[Database, Planted]
) -> None:
    """Three classes by BIC; shares within 0.05, curves within 1.5 points, 95% agreement."""
    madrs = result["trajectories"]["MADRS"]
    assert madrs["k"] == 3
    assert min(madrs["bic"], key=lambda k: madrs["bic"][k]) == "3"
    for got, share, curve in zip(madrs["classes"], CLASS_SHARES, CLASS_CURVES, strict=True):
        assert abs(got["share"] - share) < 0.05
        assert np.max(np.abs(np.array(got["mean"]) - np.array(curve))) < 1.5
        assert got["appa"] > 0.9 and got["flags"] == []
    truth = clinic[1].mrn_class
    agree = np.mean([truth[m] == k for m, k in madrs["assignment"].items()])
    assert agree > 0.95


def test_instruments_without_visits_say_why_not(result: dict[str, Any]) -> None:
    assert "not_run" in result["trajectories"]["GAD7"]


def test_the_same_data_gives_the_same_groups(
    clinic: tuple[Database, Planted], result: dict[str, Any]
) -> None:
    again = run_clinic_outcomes(clinic[0], OutcomeFilters(modality="iv_ketamine"))
    assert again["trajectories"]["MADRS"] == result["trajectories"]["MADRS"]


def test_filters_narrow_the_courses(clinic: tuple[Database, Planted]) -> None:
    only = run_clinic_outcomes(clinic[0], OutcomeFilters(modality="tms"))
    assert set(only["by_modality"]) == {"tms"}
    assert "not_run" in only["cm_hospitalization"]
    assert only["week6_adjusted"] == {
        "not_run": "fewer than two modalities with 10 or more courses with a 6-week PHQ-9 "
        "and a date of birth (tms: 150)"
    }


def test_lcga_recovers_classes_on_bare_arrays() -> None:
    """The EM alone, with 20% of visits missing at random."""
    from mbctracker.analytics.lcga import choose

    rng = np.random.default_rng(3)
    truth = rng.choice(3, size=600, p=CLASS_SHARES)
    totals = np.array(CLASS_CURVES)[truth] + rng.normal(0, 2.5, (600, 7))
    totals[:, 1:][rng.random((600, 6)) < 0.2] = np.nan
    fit, bic = choose(totals, 6, 2, 4, 7)
    assert fit.k == 3 and len(bic) == 6
    n_params = 3 * 3 + 3 + 2  # quadratic curves, a variance each, shares
    assert fit.bic == pytest.approx(-2 * fit.loglik + n_params * np.log(600))
    assert np.mean(fit.assignment == truth) > 0.93
    assert np.allclose(fit.shares, CLASS_SHARES, atol=0.05)
    assert np.max(np.abs(fit.means - np.array(CLASS_CURVES))) < 1.5
