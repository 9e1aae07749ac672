"""Core figures: scoring, loading a course, the patient list at 22,481 patients."""

from __future__ import annotations

import time

from mbctracker.domain import score
from mbctracker.domain.timeline import summarize

from .common import demo_db, median_ms


def run() -> list[str]:
    from mbctracker.services.patient_list import count_patients, patient_page
    from mbctracker.services.timeline import load_timeline
    from mbctracker.storage import open_database

    lines = [
        f"score one PHQ-9: {median_ms(lambda: score('PHQ9', [1] * 9), repeat=200) * 1000:.1f} us"
    ]
    start = time.perf_counter()
    big = demo_db(22481, seed=7)
    built = time.perf_counter() - start
    if built > 1:
        lines.append(f"demo generator, 22,481 patients: {built:.1f} s (one run)")
    db = open_database(big, actor="bench")
    course = patient_page(db, "", limit=1)[0].course_id
    assert course is not None
    ms = median_ms(lambda: summarize(load_timeline(db, course)))
    lines.append(f"load + summarize one course: {ms:.1f} ms")
    for query in ("", "ana", "ana du", "DEMO-01234"):
        ms = median_ms(lambda q=query: (count_patients(db, q), patient_page(db, q, limit=40)))
        lines.append(f"patient list count + 40 rows, 22,481 patients, query {query!r}: {ms:.1f} ms")
    db.dispose()
    return lines
