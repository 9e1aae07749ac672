"""Analyses 3 and 4: the 6-week PHQ-9 change (OLS, HC3) and C/M and 12-month
hospitalization (modified Poisson, HC0; Zou 2004), adjusted for the same covariates.

Covariates: age at course start, sex (dummies against the most common), baseline PHQ-9
and each comorbidity. Complete cases only (a course without a date of birth is left
out of the adjusted model, never imputed); a covariate that does not vary is dropped.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .data import BoolArray, Courses, FloatArray

Z95 = 1.959963984540054


def covariates(courses: Courses, mask: BoolArray) -> tuple[FloatArray, list[str]]:
    """The adjustment columns for the rows in ``mask`` (no intercept), and their names."""
    sex = courses.sex[mask]
    values, names = [courses.age[mask], courses.baseline["PHQ9"][mask]], ["age", "baseline_phq9"]
    levels = sorted(set(sex), key=lambda s: (-int((sex == s).sum()), str(s)))
    for level in levels[1:]:
        values.append((sex == level).astype(float))
        names.append(f"sex_{level}")
    for name, present in courses.comorbidities.items():
        values.append(present[mask].astype(float))
        names.append(name)
    columns = np.column_stack(values) if values else np.empty((int(mask.sum()), 0))
    keep = [j for j in range(columns.shape[1]) if np.nanstd(columns[:, j]) > 0]
    return columns[:, keep], [names[j] for j in keep]


def _full_rank(x: FloatArray, names: list[str]) -> tuple[FloatArray, list[str]]:
    """Drop columns that are linear combinations of earlier ones (a model must still fit)."""
    keep: list[int] = []
    for j in range(x.shape[1]):
        if np.linalg.matrix_rank(x[:, [*keep, j]]) == len(keep) + 1:
            keep.append(j)
    return x[:, keep], [names[j] for j in keep]


def week6_change(courses: Courses) -> dict[str, Any]:
    """n and mean 6-week change (baseline minus the 6-week value; positive = better)."""
    change = courses.baseline["PHQ9"] - courses.week6_phq9
    out: dict[str, Any] = {}
    for modality in sorted(set(courses.modality)):
        values = change[(courses.modality == modality) & ~np.isnan(change)]
        if len(values):
            out[modality] = {"n": len(values), "mean_change": float(values.mean())}
    return out or {"not_run": "no course has a baseline and a PHQ-9 in the 6-week window"}


def week6_adjusted(courses: Courses, reference: str, min_group: int) -> dict[str, Any]:
    """Adjusted difference of each modality from the reference (OLS, HC3 errors)."""
    import statsmodels.api as sm

    change = courses.baseline["PHQ9"] - courses.week6_phq9
    rows = ~np.isnan(change) & ~np.isnan(courses.age)
    sizes = {m: int((rows & (courses.modality == m)).sum()) for m in set(courses.modality)}
    groups = sorted(m for m, n in sizes.items() if n >= min_group)
    if len(groups) < 2:
        return {
            "not_run": f"fewer than two modalities with {min_group} or more courses "
            f"with a 6-week PHQ-9 and a date of birth ({_sizes(sizes)})"
        }
    ref = reference if reference in groups else max(groups, key=lambda m: (sizes[m], m))
    rows &= np.isin(courses.modality, groups)
    others = [m for m in groups if m != ref]
    cov, names = covariates(courses, rows)
    dummies = np.column_stack([(courses.modality[rows] == m).astype(float) for m in others])
    x, names = _full_rank(
        sm.add_constant(np.column_stack([dummies, cov]), has_constant="add"),
        ["const", *others, *names],
    )
    fit = sm.OLS(change[rows], x).fit(cov_type="HC3")
    out: dict[str, Any] = {"reference": ref}
    for m in others:
        if m in names:
            j = names.index(m)
            est, se = float(fit.params[j]), float(fit.bse[j])
            out[m] = {"estimate": est, "ci_low": est - Z95 * se, "ci_high": est + Z95 * se}
    return out


def _sizes(sizes: dict[str, int]) -> str:
    return ", ".join(f"{m}: {n}" for m, n in sorted(sizes.items())) or "none"


def cm_hospitalization(courses: Courses, min_group: int, min_events: int) -> dict[str, Any]:
    """C/M versus none among eligible IV ketamine courses: counts, crude and adjusted RR."""
    eligible = (courses.modality == "iv_ketamine") & courses.cm_eligible
    cm, y = courses.cm, courses.hospitalized
    groups = {
        "cm": {"n": int((eligible & cm).sum()), "events": int((eligible & cm & y).sum())},
        "no_cm": {"n": int((eligible & ~cm).sum()), "events": int((eligible & ~cm & y).sum())},
    }
    reason = _cm_refusal(groups, min_group, min_events)
    if reason:
        return {"not_run": reason, **groups}
    crude = (groups["cm"]["events"] / groups["cm"]["n"]) / (
        groups["no_cm"]["events"] / groups["no_cm"]["n"]
    )
    rr, low, high = modified_poisson(courses, eligible)
    return {**groups, "rr_crude": crude, "rr_adjusted": rr, "ci_low": low, "ci_high": high}


def _cm_refusal(groups: dict[str, dict[str, int]], min_group: int, min_events: int) -> str:
    """Why a relative risk cannot be estimated, or "" when it can."""
    cm, no = groups["cm"], groups["no_cm"]
    if min(cm["n"], no["n"]) < min_group:
        return (
            f"fewer than {min_group} eligible IV ketamine courses with or without C/M "
            f"(C/M: {cm['n']}, none: {no['n']}; eligible: last induction session at "
            "least the follow-up before the record's last date)"
        )
    if no["events"] == 0 or cm["events"] + no["events"] < min_events:
        return (
            f"too few hospitalizations to estimate a relative risk (C/M: {cm['events']}, "
            f"none: {no['events']}; needs {min_events} and at least one without C/M)"
        )
    return ""


def modified_poisson(courses: Courses, rows: BoolArray) -> tuple[float, float, float]:
    """Adjusted RR of C/M with its 95% interval: Poisson GLM, log link, HC0 errors (Zou)."""
    import statsmodels.api as sm

    rows = rows & ~np.isnan(courses.age) & ~np.isnan(courses.baseline["PHQ9"])
    cov, names = covariates(courses, rows)
    x, names = _full_rank(
        sm.add_constant(np.column_stack([courses.cm[rows].astype(float), cov]), has_constant="add"),
        ["const", "cm", *names],
    )
    y = courses.hospitalized[rows].astype(float)
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(cov_type="HC0")
    b, se = float(fit.params[1]), float(fit.bse[1])
    return math.exp(b), math.exp(b - Z95 * se), math.exp(b + Z95 * se)
