"""Analysis 6: linear mixed-effects model of the total over the visit index
(random intercept and slope per patient), statsmodels MixedLM.

Slow at 180,000 rows (minutes), so the app runs it as a background job and the command
line only with ``--mixed-model``; progress is reported per instrument.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .data import Cancelled, FloatArray, IntArray, Progress, Trajectories, no_progress

Z95 = 1.959963984540054
OPTIMIZERS = ("lbfgs", "cg", "powell")
"""Tried in turn until one converges. L-BFGS alone stopped short on the MADRS of the
22,481-patient demo clinic (|gradient| ~6,000) with a slope variance three times the
optimum that CG and Powell both find; such a fit must never be reported as found."""


def long_form(traj: Trajectories) -> tuple[FloatArray, FloatArray, IntArray]:
    """Observed totals, their visit index and the patient's row, one entry per visit."""
    patient, visit = np.nonzero(~np.isnan(traj.totals))
    return traj.totals[patient, visit], visit.astype(float), patient.astype(np.int64)


def fit_growth(y: FloatArray, t: FloatArray, groups: IntArray) -> dict[str, Any]:
    """Fixed intercept and slope with 95% intervals, and the random-effect covariance.

    ``converged`` is False when no optimizer converged: the figures are then the last
    iterate, kept in the JSON for a statistician, never shown as a result.
    """
    from statsmodels.regression.mixed_linear_model import MixedLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    exog = np.column_stack([np.ones_like(t), t])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = MixedLM(y, exog, groups=groups, exog_re=exog).fit(reml=True, method=list(OPTIMIZERS))
    params, bse = np.asarray(fit.fe_params), np.asarray(fit.bse_fe)
    cov = np.asarray(fit.cov_re)
    return {
        "n_patients": len(np.unique(groups)),
        "n_rows": len(y),
        "intercept": _estimate(params[0], bse[0]),
        "slope_per_visit": _estimate(params[1], bse[1]),
        "intercept_variance": float(cov[0, 0]),
        "slope_variance": float(cov[1, 1]),
        "intercept_slope_covariance": float(cov[0, 1]),
        "residual_variance": float(fit.scale),
        "converged": bool(fit.converged),
    }


def _estimate(value: float, se: float) -> dict[str, float]:
    return {
        "estimate": float(value),
        "ci_low": float(value - Z95 * se),
        "ci_high": float(value + Z95 * se),
    }


def mixed_models(
    trajectories: dict[str, Trajectories],
    min_patients: int,
    progress: Progress = no_progress,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Any]:
    """One growth model per instrument, or why not (too few patients with two visits).

    With ``cancelled`` each fit runs in a child process that Cancel ends at once.
    """
    out: dict[str, Any] = {}
    for i, (code, traj) in enumerate(trajectories.items()):
        progress(f"mixed model {code}", i / max(1, len(trajectories)))
        y, t, groups = long_form(traj)
        repeated = int((np.bincount(groups, minlength=len(traj.mrn)) >= 2).sum())
        if repeated < min_patients:
            out[code] = {
                "not_run": f"{repeated} patients with two or more visits (needs {min_patients})"
            }
            continue
        if cancelled is None:
            out[code] = fit_growth(y, t, groups)
        else:
            out[code] = fit_growth_cancellable(y, t, groups, cancelled)
    return out


def _child(y: FloatArray, t: FloatArray, groups: IntArray, conn: Any) -> None:
    """Runs in a separate process: fit and send the result back."""
    conn.send(fit_growth(y, t, groups))
    conn.close()


def fit_growth_cancellable(
    y: FloatArray,
    t: FloatArray,
    groups: IntArray,
    cancelled: Callable[[], bool],
    poll_seconds: float = 0.1,
) -> dict[str, Any]:
    """:func:`fit_growth` in a child process, stopped at once when ``cancelled()`` says so.

    statsmodels' optimiser cannot be interrupted inside a thread, and at 180,000 rows it
    runs for minutes; a process can be ended the moment the person presses Cancel.

    Raises:
        Cancelled: the person cancelled (the child is terminated, nothing is kept).
    """
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(y, t, groups, child), daemon=True)
    proc.start()
    child.close()
    try:
        while not parent.poll(poll_seconds):
            if cancelled():
                raise Cancelled
            if not proc.is_alive() and not parent.poll():
                raise RuntimeError(f"the mixed-model process ended (exit {proc.exitcode})")
        result: dict[str, Any] = parent.recv()
        return result
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join()
        parent.close()
