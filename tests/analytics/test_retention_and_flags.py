"""Kaplan-Meier time in treatment equals a hand computation; small groups say why not;
a small trajectory class is flagged."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mbctracker.analytics.data import Courses
from mbctracker.analytics.rates import dropouts
from mbctracker.analytics.retention import retention


def courses(days: list[float], dropped: list[bool], reasons: list[str | None]) -> Courses:
    n = len(days)
    nan = np.full(n, np.nan)
    empty: dict[str, Any] = {}
    return Courses(
        course_id=np.arange(n, dtype=np.int64),
        patient_id=np.arange(n, dtype=np.int64),
        mrn=np.array([f"M{i}" for i in range(n)], dtype=object),
        modality=np.array(["tms"] * n, dtype=object),
        settings_json=np.array(["{}"] * n, dtype=object),
        age=nan,
        sex=np.array(["f"] * n),
        comorbidities=empty,
        n_induction=np.zeros(n, dtype=np.int64),
        cm=np.zeros(n, bool),
        cm_eligible=np.zeros(n, bool),
        hospitalized=np.zeros(n, bool),
        days_in_treatment=np.array(days, dtype=float),
        dropped_out=np.array(dropped),
        dropout_reason=np.array(reasons, dtype=object),
        baseline=empty,
        end_of_induction=empty,
        week6_phq9=nan,
    )


def test_kaplan_meier_equals_the_hand_computation() -> None:
    """Ten courses, days 1-10; dropouts on odd days, the others censored there.
    S(1) = 9/10, S(3) = 9/10 x 7/8, S(5) = x 5/6, S(7) = x 3/4, S(9) = x 1/2."""
    days = [float(d) for d in range(1, 11)]
    dropped = [d % 2 == 1 for d in range(1, 11)]
    reasons = ["logistical" if x else None for x in dropped]
    got = retention(courses(days, dropped, reasons), min_group=10)["tms"]
    s = 1.0
    expected = {0.0: 1.0}
    for d in (1, 3, 5, 7, 9):
        s *= (11 - d - 1) / (11 - d)
        expected[float(d)] = s
    curve = dict((t, v) for t, v in got["curve"])
    for t, v in expected.items():
        assert curve[t] == pytest.approx(v)
    assert got["n"] == 10 and got["dropouts"] == 5
    assert got["median_days"] == 7.0  # first day S falls to 0.5 or below: 0.9x0.875x0.833x0.75
    assert dropouts(courses(days, dropped, reasons)) == {"logistical": 5}


def test_too_few_courses_say_why() -> None:
    got = retention(courses([1.0, 2.0], [True, False], ["cost", None]), min_group=10)
    assert got["tms"] == {"not_run": "2 courses with dates (fewer than 10)"}


def test_nobody_dropping_out_gives_no_median() -> None:
    got = retention(courses([float(d) for d in range(10)], [False] * 10, [None] * 10), 10)
    assert got["tms"]["median_days"] is None and got["tms"]["dropouts"] == 0


def test_a_small_trajectory_class_is_flagged() -> None:
    """A planted class of 3% of patients is found and flagged (under 5% of patients)."""
    from mbctracker.analytics.data import OutcomeData, Trajectories
    from mbctracker.analytics.run import trajectories
    from mbctracker.domain.outcome_definitions import OutcomeDefinitions

    rng = np.random.default_rng(11)
    curves = np.array([[30 - 3 * v for v in range(7)], [30.0] * 7, [10 + 4 * v for v in range(7)]])
    truth = rng.choice(3, size=800, p=(0.57, 0.40, 0.03))
    totals = curves[truth] + rng.normal(0, 2, (800, 7))
    traj = Trajectories(mrn=[f"M{i}" for i in range(800)], totals=totals)
    data = OutcomeData(
        courses([1.0], [False], [None]), {"MADRS": traj}, None, None, OutcomeDefinitions()
    )
    got = trajectories(traj, data, lambda *_: None, "MADRS")
    small = [c for c in got["classes"] if c["share"] < 0.05]
    assert got["k"] == 3 and len(small) == 1
    assert small[0]["flags"] == ["small class"]
    assert all(c["flags"] == [] for c in got["classes"] if c["share"] >= 0.05)
