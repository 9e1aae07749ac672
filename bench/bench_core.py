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
    lines += _worklist(db)
    db.dispose()
    return lines


def _worklist(db: object) -> list[str]:
    """The open-flag worklist at 22,481 patients, with the plain list page as its floor."""
    from mbctracker.services.patient_list import (
        ListFilter,
        count_patients,
        open_flag_totals,
        patient_page,
    )

    def page(wanted: ListFilter, offset: int = 0) -> object:
        return count_patients(db, wanted), patient_page(db, wanted, offset=offset, limit=40)  # type: ignore[arg-type]

    floor = median_ms(lambda: page(ListFilter()))
    patients, flags = open_flag_totals(db)  # type: ignore[arg-type]
    lines = [f"open flags in the demo clinic: {flags} in {patients} patients"]
    cases = {
        "status bar open-flag count": lambda: open_flag_totals(db),  # type: ignore[arg-type]
        "worklist 'flags only', count + 40 rows": lambda: page(ListFilter(flagged_only=True)),
        "worklist 'flags first', count + 40 rows": lambda: page(ListFilter(flags_first=True)),
        "worklist 'flags first', rows 10,000-10,040 (far)": lambda: page(
            ListFilter(flags_first=True), 10_000
        ),
    }
    for name, action in cases.items():
        ms = median_ms(action)
        lines.append(f"{name}: {ms:.1f} ms ({ms / floor:.1f}x the plain list page, {floor:.1f} ms)")
    return lines
