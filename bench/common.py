"""Helpers shared by the benchmarks: medians over repeats and cached demo databases."""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

CACHE = Path("/tmp")
DEMO_TODAY = date(2026, 11, 1)


def median_ms(action: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``action`` in milliseconds (noisy shared machines: medians)."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def demo_db(patients: int, seed: int = 1) -> Path:
    """A demo database of ``patients``, generated once and cached under /tmp."""
    path = CACHE / f"mbctracker-bench-{patients}.sqlite3"
    if not path.exists():
        from mbctracker.services.demo import generate_demo
        from mbctracker.storage import open_database

        partial = path.with_suffix(".building")
        for stale in CACHE.glob(partial.name + "*"):
            stale.unlink()
        db = open_database(partial, actor="bench")
        generate_demo(db, patients=patients, seed=seed, today=DEMO_TODAY)
        db.dispose()
        partial.rename(path)
    return path


def head_db(patients: int) -> Path:
    """A demo database at this branch's schema, cached under a name holding the revision.

    The plain cache (``mbctracker-bench-N.sqlite3``) may be shared with other
    checkouts at older schemas: it is copied and the copy migrated, never opened.
    """
    from mbctracker.storage import SCHEMA_HEAD, open_database

    path = CACHE / f"mbctracker-bench-{patients}-r{SCHEMA_HEAD}.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for stale in CACHE.glob(partial.name + "*"):
        stale.unlink()
    plain = CACHE / f"mbctracker-bench-{patients}.sqlite3"
    if plain.exists():
        shutil.copyfile(plain, partial)
        open_database(partial, actor="bench").dispose()  # migrates the copy
    else:
        from mbctracker.services.demo import generate_demo

        db = open_database(partial, actor="bench")
        generate_demo(db, patients=patients, today=DEMO_TODAY)
        db.dispose()
    partial.rename(path)
    return path
