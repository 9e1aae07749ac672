"""One save reads the course once: the views reuse the timeline the save returned.

Before, a saved assessment read the course three times (the service's result,
the patient list's row, the course view's reload). The SELECTs are counted at the
cursor, as SQLite receives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from sqlalchemy import event
from test_entry import entry_form, open_entry, press

from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.summaries import TAG

COURSE_READ = re.compile(r"FROM assessment\s+WHERE assessment\.course_id", re.IGNORECASE)
"""A read of a course's assessment list: every timeline loader does it once per read."""


@contextmanager
def course_reads(db: Database) -> Iterator[list[str]]:
    """The SELECTs that read a course's assessments while the block runs."""
    seen: list[str] = []

    def before(_conn, _cursor, statement: str, *_args) -> None:
        # The stored list summary is recomputed inside the save's own transaction (a
        # narrower read of the list's instruments); the views must not read again.
        if TAG in statement:
            return
        if statement.lstrip().upper().startswith("SELECT") and COURSE_READ.search(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_one_save_reads_the_course_once(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    shown = window.course.timeline
    assert shown is not None
    with course_reads(window.db) as one_load:
        load_timeline(window.db, shown.course.id)
    assert one_load, "the pattern no longer matches the loader's SQL"
    with course_reads(window.db) as reads:
        press(qtbot, form, [*"111111110", Qt.Key.Key_Return])
    assert dialog.status.text().startswith("Saved"), dialog.status.text()
    assert len(reads) == len(one_load), reads
    # and every view shows the saved entry
    course = window.course.timeline
    assert course is not None and len(course.assessments) == len(shown.assessments) + 1
    row = window.patients.model.patient_at(window.patients.model.row_of(clinic.patient_id))
    assert row is not None and row.latest("PHQ9") == str(course.assessments[-1].score.total)
