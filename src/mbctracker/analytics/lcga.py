"""Group-based trajectory modelling: latent class growth analysis by EM, in numpy.

Each class has a polynomial mean curve in the visit index and its own residual
variance; errors are normal and independent given the class; a missing visit simply
adds nothing to a patient's likelihood. There is no maintained Python package for
this (the field uses SAS PROC TRAJ or R lcmm), so it is small and tested against
planted classes. Several starts per number of classes (one from splitting patients by
their slope, the others random and seeded) and the best likelihood is kept; the
number of classes is the one with the lowest BIC (n = patients).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .data import FloatArray, IntArray, Progress, no_progress

MAX_ITER = 400
TOLERANCE = 1e-7
VARIANCE_FLOOR = 1e-2


@dataclass(frozen=True, slots=True)
class Fit:
    """One fitted mixture: classes ordered by their mean level, highest first."""

    k: int
    loglik: float
    bic: float
    shares: FloatArray
    means: FloatArray
    """Classes x visits: each class's mean curve."""
    posterior: FloatArray
    """Patients x classes."""

    @property
    def assignment(self) -> IntArray:
        out: IntArray = np.argmax(self.posterior, axis=1).astype(np.int64)
        return out

    def appa(self) -> FloatArray:
        """Average posterior probability of each class among the patients assigned to it."""
        assigned = self.assignment
        return np.array(
            [
                float(self.posterior[assigned == k, k].mean()) if (assigned == k).any() else 0.0
                for k in range(self.k)
            ]
        )


def basis(n_visits: int, degree: int) -> FloatArray:
    """Polynomial columns in the visit index scaled to 0-1 (keeps the solve well-conditioned)."""
    t = np.arange(n_visits, dtype=float) / max(1, n_visits - 1)
    return np.vander(t, degree + 1, increasing=True)


@dataclass(frozen=True, slots=True)
class _Data:
    """The visit matrix in the forms every EM iteration reuses (computed once)."""

    obs: FloatArray
    """1 where a visit was observed, else 0."""
    oy: FloatArray
    """Observed totals, 0 where missing."""
    oyy: FloatArray
    """Each patient's sum of squared observed totals."""
    n_obs: FloatArray
    x: FloatArray

    @classmethod
    def of(cls, totals: FloatArray, degree: int) -> _Data:
        obs = (~np.isnan(totals)).astype(float)
        oy = np.nan_to_num(totals)
        return cls(obs, oy, (oy * oy).sum(axis=1), obs.sum(axis=1), basis(totals.shape[1], degree))


def _squares(d: _Data, mu: FloatArray) -> FloatArray:
    """Patients x classes: sum of squared residuals over each patient's observed visits.

    Expanded as sum(o y^2) - 2 (o y) mu' + o mu^2' so no patients x classes x visits array
    is built (the EM's inner loop at 22,481 patients).
    """
    out: FloatArray = d.oyy[:, None] - 2 * d.oy @ mu.T + d.obs @ (mu * mu).T
    return np.maximum(out, 0.0)


def _m_step(d: _Data, post: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Shares, mean curves and variances that maximise the expected log-likelihood."""
    x = d.x
    weight = post.T @ d.obs  # classes x visits
    total = post.T @ d.oy
    k = post.shape[1]
    beta = np.empty((k, x.shape[1]))
    for c in range(k):
        a = x.T @ (weight[c][:, None] * x) + 1e-9 * np.eye(x.shape[1])
        beta[c] = np.linalg.solve(a, x.T @ total[c])
    mu = beta @ x.T
    ss = _squares(d, mu)
    var = np.maximum(
        (post * ss).sum(axis=0) / np.maximum(weight.sum(axis=1), 1e-12), VARIANCE_FLOOR
    )
    shares = np.maximum(post.mean(axis=0), 1e-12)
    return shares, mu, var, ss


def _e_step(
    n_obs: FloatArray, ss: FloatArray, shares: FloatArray, var: FloatArray
) -> tuple[FloatArray, float]:
    """Posteriors and the log-likelihood (log-sum-exp, so no patient underflows)."""
    ll = -0.5 * n_obs[:, None] * np.log(2 * math.pi * var)[None, :] - ss / (2 * var[None, :])
    log = ll + np.log(shares)[None, :]
    top = log.max(axis=1, keepdims=True)
    norm = top[:, 0] + np.log(np.exp(log - top).sum(axis=1))
    return np.exp(log - norm[:, None]), float(norm.sum())


def _start(
    y: FloatArray, obs: FloatArray, k: int, start: int, rng: np.random.Generator
) -> FloatArray:
    """Initial posteriors: start 0 splits patients by their change, the others are random."""
    n = y.shape[0]
    if start == 0:
        t = np.arange(y.shape[1], dtype=float)
        first = np.array([row[o > 0][0] for row, o in zip(y, obs, strict=True)])
        last = np.array([row[o > 0][-1] for row, o in zip(y, obs, strict=True)])
        span = np.array([t[o > 0][-1] - t[o > 0][0] for o in obs]) + 1
        order = np.argsort(first + 3 * (last - first) / span, kind="stable")
        post = np.full((n, k), 0.1 / max(1, k - 1) if k > 1 else 1.0)
        for c, part in enumerate(np.array_split(order, k)):
            post[part, c] = 0.9 if k > 1 else 1.0
        return post
    return rng.dirichlet(np.ones(k), size=n)


SHORT_RUN = 20
"""EM iterations each random start gets before only the best one runs on (Mplus's
initial-stage and final-stage optimisations): most of the time goes to the best start."""


def _em(
    d: _Data, post: FloatArray, iterations: int
) -> tuple[float, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Up to ``iterations`` EM steps from posteriors ``post``; stops when the
    log-likelihood gains less than :data:`TOLERANCE` (relative)."""
    previous = -math.inf
    ll = -math.inf
    for _ in range(iterations):
        shares, mu, var, ss = _m_step(d, post)
        post, ll = _e_step(d.n_obs, ss, shares, var)
        if ll - previous < TOLERANCE * abs(ll):
            break
        previous = ll
    return ll, shares, mu, var, post


def fit_k(
    totals: FloatArray,
    k: int,
    degree: int,
    starts: int,
    seed: int,
    progress: Progress = no_progress,
    stage: str = "",
) -> Fit:
    """The best of ``starts`` EM runs with ``k`` classes (patients x visits, NaN missing)."""
    d = _Data.of(totals, degree)
    rng = np.random.default_rng([seed, k])
    best: tuple[float, FloatArray, FloatArray, FloatArray, FloatArray] | None = None
    for s in range(starts):
        progress(stage, s / (starts + 1))
        run = _em(d, _start(d.oy, d.obs, k, s, rng), SHORT_RUN)
        if best is None or run[0] > best[0]:
            best = run
    assert best is not None
    progress(stage, starts / (starts + 1))
    final = _em(d, best[4], MAX_ITER)
    return _ordered(k, degree, len(totals), *final)


def _ordered(
    k: int,
    degree: int,
    n: int,
    ll: float,
    shares: FloatArray,
    mu: FloatArray,
    var: FloatArray,
    post: FloatArray,
) -> Fit:
    """Classes sorted by mean level, highest first, so the same data gives the same labels."""
    order = np.argsort(-mu.mean(axis=1), kind="stable")
    n_params = k * (degree + 1) + k + (k - 1)
    return Fit(
        k=k,
        loglik=ll,
        bic=-2 * ll + n_params * math.log(n),
        shares=shares[order] / shares.sum(),
        means=mu[order],
        posterior=post[:, order],
    )


def choose(
    totals: FloatArray,
    max_classes: int,
    degree: int,
    starts: int,
    seed: int,
    progress: Progress = no_progress,
    label: str = "",
) -> tuple[Fit, dict[int, float]]:
    """Fit 1..max_classes classes and keep the lowest BIC; patients need 2 visits or more."""
    fits: dict[int, Fit] = {}
    for k in range(1, max_classes + 1):
        stage = f"trajectories {label}: {k} class{'es' if k > 1 else ''}"
        progress(stage, 0.0)
        fits[k] = fit_k(totals, k, degree, starts if k > 1 else 1, seed, progress, stage)
    best = min(fits.values(), key=lambda f: (f.bic, f.k))
    return best, {k: f.bic for k, f in fits.items()}
