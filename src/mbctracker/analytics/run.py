"""One outcome run: every analysis on the loaded data, as the documented JSON contract.

An analysis that cannot run says why under ``not_run``; none returns a number from
nothing. Progress is reported between steps (the UI's callback may cancel there).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from ..domain.outcome_definitions import DEFINITIONS_VERSION, OUTCOME_INSTRUMENTS
from . import lcga, models, rates, retention
from .data import OutcomeData, Progress, Trajectories, no_progress


def run_outcomes(
    data: OutcomeData,
    progress: Progress | None = None,
    *,
    mixed_model: bool = False,
    generated: datetime | None = None,
) -> dict[str, Any]:
    """Analyses 1-5 and 7 (and 6 when asked); keys as in docs/outcomes.md."""
    report = progress or no_progress
    c, defs = data.courses, data.definitions
    report("rates", 0.0)
    flags = rates.classify_all(c)
    by_modality, intervals = rates.by_modality(c, flags)
    infusions, comparison = rates.ketamine_infusions(c, flags, defs.min_group)
    report("models", 0.1)
    result: dict[str, Any] = {
        "generated": (generated or datetime.now().astimezone()).isoformat(timespec="seconds"),
        "definitions_version": DEFINITIONS_VERSION,
        "by_modality": by_modality,
        "ketamine_infusions": infusions,
        "week6_phq9": models.week6_change(c),
        "week6_adjusted": models.week6_adjusted(c, defs.reference_modality, defs.min_group),
        "cm_hospitalization": models.cm_hospitalization(c, defs.min_group, defs.min_events),
    }
    report("retention", 0.2)
    result["retention"] = retention.retention(c, defs.min_group)
    result["dropouts"] = rates.dropouts(c)
    result["trajectories"] = {
        code: trajectories(data.trajectories[code], data, report, code)
        for code in OUTCOME_INSTRUMENTS
    }
    if mixed_model:
        from .mixed import mixed_models

        result["mixed_model"] = mixed_models(data.trajectories, defs.min_group, report)
    result["intervals"] = intervals
    result["ketamine_comparison"] = comparison
    result["scope"] = _scope(data)
    report("done", 1.0)
    return result


def _scope(data: OutcomeData) -> dict[str, Any]:
    """What the run covered: filters, the record's dates, counts, and the definitions used."""
    from dataclasses import asdict

    return {
        "filters": data.filters,
        "record_first_date": data.first_date.isoformat() if data.first_date else None,
        "record_last_date": data.last_date.isoformat() if data.last_date else None,
        "courses": len(data.courses),
        "patients": len(set(data.courses.patient_id.tolist())),
        "definitions": asdict(data.definitions),
    }


def trajectories(
    traj: Trajectories, data: OutcomeData, progress: Progress, code: str
) -> dict[str, Any]:
    """Analysis 5 for one instrument: classes chosen by BIC, with shares, curves and APPA."""
    defs = data.definitions
    keep = (~np.isnan(traj.totals)).sum(axis=1) >= 2
    totals = traj.totals[keep]
    mrns = [m for m, k in zip(traj.mrn, keep, strict=True) if k]
    needed = max(defs.min_group, 2 * defs.trajectory_max_classes)
    if len(mrns) < needed:
        return {
            "not_run": f"{len(mrns)} IV ketamine patients with a baseline and a "
            f"pre-infusion value (needs {needed})"
        }
    last = int(np.flatnonzero((~np.isnan(totals)).any(axis=0)).max())
    totals = totals[:, : last + 1]
    fit, bic = lcga.choose(
        totals,
        defs.trajectory_max_classes,
        defs.trajectory_degree,
        defs.trajectory_starts,
        defs.trajectory_seed,
        progress,
        code,
    )
    appa = fit.appa()
    classes = []
    for k in range(fit.k):
        share = float(fit.shares[k])
        flags = [
            f
            for f, bad in (
                ("appa below threshold", appa[k] < defs.trajectory_min_appa),
                ("small class", share < defs.trajectory_min_share),
            )
            if bad
        ]
        classes.append(
            {
                "share": share,
                "mean": [float(v) for v in fit.means[k]],
                "appa": float(appa[k]),
                "flags": flags,
            }
        )
    return {
        "k": fit.k,
        "bic": {str(k): float(v) for k, v in bic.items()},
        "classes": classes,
        "assignment": dict(zip(mrns, (int(a) for a in fit.assignment), strict=True)),
    }


def responders(data: OutcomeData, modality: str, code: str, outcome: str) -> list[int]:
    """Course rows behind one bar: evaluable courses of ``modality`` meeting ``outcome``
    (response, partial, remission or evaluable) for instrument ``code``."""
    which = ("evaluable", "response", "partial", "remission").index(outcome)
    mask = rates.classify(data.courses, code)[which] & (data.courses.modality == modality)
    return [int(i) for i in np.flatnonzero(mask)]


def class_members(result: dict[str, Any], code: str, k: int) -> list[str]:
    """MRNs of the patients assigned to trajectory class ``k`` of instrument ``code``."""
    assignment = result["trajectories"][code].get("assignment", {})
    return sorted(m for m, c in assignment.items() if c == k)
