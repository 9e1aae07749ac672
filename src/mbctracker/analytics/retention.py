"""Analysis 7: time in treatment by modality (Kaplan-Meier, lifelines).

The event is a dropout (a dropout event or a discontinued course); completed courses are
censored at their end, active ones at the record's last date.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .data import Courses

CURVE_POINTS = 60
"""At most this many steps of each curve go into the result (enough to draw it)."""


def retention(courses: Courses, min_group: int) -> dict[str, Any]:
    """Per modality: n, dropouts, median days in treatment (None: not reached) and the curve."""
    from lifelines import KaplanMeierFitter

    out: dict[str, Any] = {}
    for modality in sorted(set(courses.modality)):
        rows = (courses.modality == modality) & ~np.isnan(courses.days_in_treatment)
        n = int(rows.sum())
        if n < min_group:
            out[modality] = {"not_run": f"{n} courses with dates (fewer than {min_group})"}
            continue
        days = np.maximum(courses.days_in_treatment[rows], 0.0)
        fitter = KaplanMeierFitter().fit(days, courses.dropped_out[rows])
        median = float(fitter.median_survival_time_)
        table = fitter.survival_function_
        times, surv = table.index.to_numpy(float), table.to_numpy(float)[:, 0]
        step = max(1, math.ceil(len(times) / CURVE_POINTS))
        pick = sorted({*range(0, len(times), step), len(times) - 1})
        out[modality] = {
            "n": n,
            "dropouts": int(courses.dropped_out[rows].sum()),
            "median_days": median if math.isfinite(median) else None,
            "curve": [[float(times[i]), float(surv[i])] for i in pick],
        }
    return out or {"not_run": "no courses in scope"}
