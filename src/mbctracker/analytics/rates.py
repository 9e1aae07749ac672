"""Analyses 1 and 2: response, partial response and remission rates with intervals.

Each course is classified by the domain's own rules with the thresholds stored on that
course (cached per distinct (thresholds, instrument, baseline, value): a clinic has few),
so a rate here always equals what the course screen says, course by course.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from ..domain.outcome_definitions import OUTCOME_INSTRUMENTS
from ..domain.outcomes import Category, is_remission, response_category
from ..domain.settings import ClinicSettings
from .data import BoolArray, Courses

Z95 = 1.959963984540054


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (n > 0)."""
    p = successes / n
    centre = p + Z95**2 / (2 * n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n))
    scale = 1 + Z95**2 / n
    low = 0.0 if successes == 0 else max(0.0, (centre - half) / scale)
    high = 1.0 if successes == n else min(1.0, (centre + half) / scale)
    return low, high


def newcombe(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float]:
    """Difference p1 - p2 with Newcombe's hybrid Wilson score 95% interval (method 10)."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


@lru_cache(maxsize=65536)
def _classify(settings_json: str, code: str, baseline: int, value: int) -> tuple[str, bool]:
    settings = ClinicSettings.from_json(settings_json)
    category = response_category(baseline, value, settings)
    return str(category), is_remission(code, value, settings)


def classify(courses: Courses, code: str) -> tuple[BoolArray, BoolArray, BoolArray, BoolArray]:
    """Evaluable, response, partial and remission flags of every course for one instrument.

    Evaluable: a baseline above 0 and an end-of-induction value (domain rules).
    """
    base, end = courses.baseline[code], courses.end_of_induction[code]
    n = len(courses)
    flags = np.zeros((4, n), dtype=bool)
    for i in np.flatnonzero(~np.isnan(base) & ~np.isnan(end)):
        category, remitted = _classify(
            str(courses.settings_json[i]), code, int(base[i]), int(end[i])
        )
        if category == Category.NOT_EVALUABLE:
            continue
        flags[:, i] = (
            True,
            category == Category.RESPONSE,
            category == Category.PARTIAL,
            remitted,
        )
    return flags[0], flags[1], flags[2], flags[3]


Flags = dict[str, tuple[BoolArray, BoolArray, BoolArray, BoolArray]]
"""Per instrument: evaluable, response, partial, remission for every course."""


def classify_all(courses: Courses) -> Flags:
    return {code: classify(courses, code) for code in OUTCOME_INSTRUMENTS}


def counts(flags: Flags, code: str, mask: BoolArray) -> dict[str, int]:
    evaluable, response, partial, remission = flags[code]
    return {
        "evaluable": int((evaluable & mask).sum()),
        "response": int((response & mask).sum()),
        "partial": int((partial & mask).sum()),
        "remission": int((remission & mask).sum()),
    }


def with_intervals(count: dict[str, int]) -> dict[str, list[float]]:
    """Rate and 95% Wilson interval of each outcome, as [rate, low, high]."""
    n = count["evaluable"]
    return {
        key: [count[key] / n, *wilson(count[key], n)]
        for key in ("response", "partial", "remission")
        if key in count and n
    }


def by_modality(courses: Courses, flags: Flags) -> tuple[dict[str, Any], dict[str, Any]]:
    """Analysis 1: counts per modality and instrument, and their rates with intervals."""
    result: dict[str, Any] = {}
    intervals: dict[str, Any] = {}
    for modality in sorted(set(courses.modality)):
        mask = courses.modality == modality
        result[modality] = {code: counts(flags, code, mask) for code in OUTCOME_INSTRUMENTS}
        intervals[modality] = {
            code: with_intervals(c) for code, c in result[modality].items() if c["evaluable"]
        }
    if not result:
        return {"not_run": "no courses in scope"}, {}
    return result, intervals


def ketamine_infusions(
    courses: Courses, flags: Flags, min_group: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Analysis 2: IV ketamine courses with 4 versus 6 induction infusions.

    Returns the contract's counts and, per instrument and outcome, the difference
    (6 minus 4) with a Newcombe 95% interval and Fisher's exact p.
    """
    from scipy.stats import fisher_exact

    iv = courses.modality == "iv_ketamine"
    groups = {k: iv & (courses.n_induction == k) for k in (4, 6)}
    if not iv.any():
        return {"not_run": "no IV ketamine courses in scope"}, {}
    result = {
        str(k): {code: _two_counts(flags, code, m) for code in OUTCOME_INSTRUMENTS}
        for k, m in groups.items()
    }
    comparison: dict[str, Any] = {}
    for code in OUTCOME_INSTRUMENTS:
        four, six = result["4"][code], result["6"][code]
        if min(four["evaluable"], six["evaluable"]) < min_group:
            comparison[code] = {
                "not_run": f"fewer than {min_group} evaluable courses with 4 or with 6 infusions "
                f"(4: {four['evaluable']}, 6: {six['evaluable']})"
            }
            continue
        comparison[code] = {}
        for outcome in ("response", "remission"):
            d, lo, hi = newcombe(six[outcome], six["evaluable"], four[outcome], four["evaluable"])
            table = [
                [six[outcome], six["evaluable"] - six[outcome]],
                [four[outcome], four["evaluable"] - four[outcome]],
            ]
            p = float(fisher_exact(table)[1])
            comparison[code][outcome] = {
                "difference": d,
                "ci_low": lo,
                "ci_high": hi,
                "fisher_p": p,
            }
    return result, comparison


def _two_counts(flags: Flags, code: str, mask: BoolArray) -> dict[str, int]:
    c = counts(flags, code, mask)
    return {"evaluable": c["evaluable"], "response": c["response"], "remission": c["remission"]}


def dropouts(courses: Courses) -> dict[str, int]:
    """Analysis 7b: dropout reasons as counts (shares are counts over their sum)."""
    reasons = [str(r or "unspecified") for r in courses.dropout_reason[courses.dropped_out]]
    return {r: reasons.count(r) for r in sorted(set(reasons))}
