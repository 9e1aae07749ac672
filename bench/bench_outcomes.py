"""Clinic outcome figures (issue 15): loading, the fast analyses, trajectory models.

Runs on a private copy of the cached demo database (the SQLite backup API reads the
cache without writing to it). ``MBC_OUTCOMES_PATIENTS`` picks the size (default 22,481,
the largest study's). Wall and CPU seconds are both printed: on a shared machine the
wall time mostly measures the other processes. Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

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


def timed(action: Callable[[], Any], repeat: int = 3) -> tuple[str, Any]:
    """Median wall and CPU seconds over ``repeat`` runs, and the last value."""
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU", value


def run() -> Iterator[str]:
    from mbctracker.services.outcomes import OutcomeFilters, load_outcome_data
    from mbctracker.storage import open_database

    path = private_copy(demo_db(PATIENTS))
    db = open_database(path, actor="bench")
    try:
        took, data = timed(lambda: load_outcome_data(db, OutcomeFilters()))
        yield f"{PATIENTS:,} patients, {len(data.courses):,} courses: load {took}"
        yield from _fast(data)
        yield from _trajectories(data)
        yield _synthetic_lcga()
    finally:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _fast(data: Any) -> Iterator[str]:
    from mbctracker.analytics import models, rates

    c, defs = data.courses, data.definitions

    def fast() -> object:
        flags = rates.classify_all(c)
        rates.by_modality(c, flags)
        rates.ketamine_infusions(c, flags, defs.min_group)
        models.week6_change(c)
        models.week6_adjusted(c, defs.reference_modality, defs.min_group)
        return models.cm_hospitalization(c, defs.min_group, defs.min_events)

    fast()  # the first call imports statsmodels and scipy
    took, _ = timed(fast, 5)
    yield f"rates + 4 vs 6 + 6-week change (OLS HC3) + C/M (GLM HC0), after load: {took}"


def _trajectories(data: Any) -> Iterator[str]:
    from mbctracker.analytics.run import trajectories

    for code, traj in data.trajectories.items():
        took, out = timed(lambda t=traj, c=code: trajectories(t, data, lambda *_: None, c), 1)
        yield (
            f"trajectories {code}: {len(traj.mrn):,} patients x {traj.totals.shape[1]} "
            f"visits, BIC over 1-6 classes (k = {out.get('k', '-')}): {took}"
        )


def _synthetic_lcga() -> str:
    """The issue's figure: 22,481 patients x 8 visits after baseline, 1-6 classes."""
    import numpy as np

    from mbctracker.analytics.lcga import choose

    rng = np.random.default_rng(1)
    curves = np.array([[35 - d * v for v in range(9)] for d in (0.3, 1.5, 3.0, 2.2)])
    truth = rng.choice(4, size=22481, p=(0.2, 0.3, 0.3, 0.2))
    totals = curves[truth] + rng.normal(0, 3, (22481, 9))
    totals[:, 1:][rng.random((22481, 8)) < 0.15] = np.nan
    took, (fit, _) = timed(lambda: choose(totals, 6, 2, 5, 2026), 1)
    return (
        f"trajectories, synthetic 22,481 x 9 visits (4 planted), 1-6 classes: {took} (k = {fit.k})"
    )
