"""Both engines side by side, through the services (issue 13, Speed).

The same seeded demo clinic is written to a SQLite file and to a PostgreSQL database
(``MBCT_BENCH_PG=postgresql://...``, else a throw-away local cluster started as the
tests start theirs), then each figure is the median of repeated service calls:

- search keystroke: ``count_patients`` plus the first page of 40 rows for a query;
- patient switch: the patient's list row, courses and the current course's timeline;
- save to chart: ``record_assessment`` (one PHQ-9) on a course with 20 sessions;
- seen elsewhere: a second connection (another workstation) reads that save back.

Service calls, not painted widgets (bench_scale times the window on SQLite). Run alone:
``BENCH_SIZES=2000 .venv/bin/python -m bench.bench_server``; 22,481 patients takes
minutes to generate on each engine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .common import DEMO_TODAY, demo_db, median_ms

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "2000").split(","))
QUERIES = ("ana silva", "demo-01234", "chen")


@contextmanager
def _server() -> Iterator[tuple[str, Any]]:
    given = os.environ.get("MBCT_BENCH_PG")
    if given:
        yield given, None
        return
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    import pg_cluster

    cluster = pg_cluster.start()
    if isinstance(cluster, str):
        raise RuntimeError(cluster)
    try:
        yield cluster.url(cluster.new_database()), cluster
    finally:
        cluster.stop()


def _figures(db: Any, other: Any) -> dict[str, float]:
    from mbctracker.services import patient_list
    from mbctracker.services.assessments import AssessmentInput, record_assessment
    from mbctracker.services.courses import list_courses
    from mbctracker.services.timeline import load_timeline

    out: dict[str, float] = {}
    for query in QUERIES:
        out[f"search {query!r}"] = median_ms(
            lambda q=query: (
                patient_list.count_patients(db, q),
                patient_list.patient_page(db, q, limit=40),
            )
        )
    rows = patient_list.patient_page(db, limit=40)
    picks = [r for r in rows if r.course_id is not None][:10]

    def switch() -> None:
        for row in picks:
            patient_list.patient_row(db, row.patient_id)
            list_courses(db, row.patient_id)
            load_timeline(db, row.course_id)

    out["patient switch"] = median_ms(switch) / max(1, len(picks))
    course = picks[0].course_id
    moments = iter(datetime(2026, 10, 31, 8) - timedelta(minutes=i) for i in range(1000))
    out["save to chart"] = median_ms(
        lambda: record_assessment(db, course, AssessmentInput("PHQ9", [1] * 9, next(moments)))
    )
    out["save seen by another workstation (read)"] = median_ms(lambda: load_timeline(other, course))
    return out


def run() -> list[str]:
    from mbctracker.services.demo import generate_demo
    from mbctracker.storage import open_database

    lines = []
    for size in SIZES:
        sqlite_path = demo_db(size)
        with _server() as (url, _cluster):
            server = open_database(url, actor="bench")
            generate_demo(server, patients=size, seed=1, today=DEMO_TODAY)
            dbs = {"sqlite": open_database(sqlite_path, actor="bench"), "postgresql": server}
            seconds = {
                "sqlite": open_database(sqlite_path, actor="b2"),
                "postgresql": open_database(url, actor="b2"),
            }
            try:
                figures = {e: _figures(dbs[e], seconds[e]) for e in dbs}
            finally:
                for db in (*dbs.values(), *seconds.values()):
                    db.dispose()
        for name in figures["sqlite"]:
            lines.append(
                f"{size} patients, {name}: SQLite {figures['sqlite'][name]:.1f} ms, "
                f"PostgreSQL {figures['postgresql'][name]:.1f} ms"
            )
    return lines


if __name__ == "__main__":
    for text in run():
        print(text, flush=True)
