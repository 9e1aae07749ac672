"""Clinic outcome figures (issue 15): loading, the fast analyses, trajectory models.

Runs on a private copy of the cached demo database (the SQLite backup API reads the
cache without writing to it). ``MBC_OUTCOMES_PATIENTS`` picks the size (default 22,481,
the largest study's). Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from .common import CACHE, demo_db

PATIENTS = int(os.environ.get("MBC_OUTCOMES_PATIENTS", "22481"))


def private_copy(source: Path) -> Path:
    """A copy to work on; the cached source is opened read-only and never changed."""
    target = CACHE / f"mbctracker-outcomes-bench-{PATIENTS}-{os.getpid()}.sqlite3"
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return target


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def run() -> Iterator[str]:
    from mbctracker.analytics import lcga, models, rates
    from mbctracker.analytics.run import trajectories
    from mbctracker.services.outcomes import OutcomeFilters, load_outcome_data
    from mbctracker.storage import open_database

    path = private_copy(demo_db(PATIENTS))
    db = open_database(path, actor="bench")
    try:
        load_s, data = timed(lambda: load_outcome_data(db, OutcomeFilters()), 3)
        c, defs = data.courses, data.definitions  # type: ignore[attr-defined]
        yield f"{PATIENTS:,} patients, {len(c):,} courses: load (SQL + columns) {load_s:.2f} s"

        def fast() -> object:
            flags = rates.classify_all(c)
            rates.by_modality(c, flags)
            rates.ketamine_infusions(c, flags, defs.min_group)
            models.week6_change(c)
            models.week6_adjusted(c, defs.reference_modality, defs.min_group)
            return models.cm_hospitalization(c, defs.min_group, defs.min_events)

        fast()  # first call imports statsmodels/scipy: reported apart
        fast_s, _ = timed(fast, 5)
        yield f"rates + 4 vs 6 + 6-week change (OLS) + C/M (GLM), after load: {fast_s:.2f} s"
        for code, traj in data.trajectories.items():  # type: ignore[attr-defined]
            start = time.perf_counter()
            out = trajectories(traj, data, lambda *_: None, code)  # type: ignore[arg-type]
            took = time.perf_counter() - start
            yield (
                f"trajectories {code}: {len(traj.mrn):,} patients x {traj.totals.shape[1]} "
                f"visits, k = {out.get('k', '-')}, BIC over 1-6: {took:.1f} s"
            )
        yield _synthetic_lcga(lcga)
    finally:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _synthetic_lcga(lcga: object) -> str:
    """The issue's figure exactly: 22,481 patients x 8 visits (plus baseline), 1-6 classes."""
    import numpy as np

    rng = np.random.default_rng(1)
    curves = np.array([[35 - d * v for v in range(9)] for d in (0.3, 1.5, 3.0, 2.2)])
    truth = rng.choice(4, size=22481, p=(0.2, 0.3, 0.3, 0.2))
    totals = curves[truth] + rng.normal(0, 3, (22481, 9))
    totals[:, 1:][rng.random((22481, 8)) < 0.15] = np.nan
    start = time.perf_counter()
    fit, _ = lcga.choose(totals, 6, 2, 5, 2026)  # type: ignore[attr-defined]
    took = time.perf_counter() - start
    return f"trajectories, synthetic 22,481 x 9 visits, 5 starts, BIC over 1-6: {took:.1f} s (k = {fit.k})"
