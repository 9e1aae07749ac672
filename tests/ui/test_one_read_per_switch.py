"""A patient switch reads the patient, their courses and the course shown in one snapshot.

It took four read transactions (patient, the course to open, the course list, the
timeline); each is a BEGIN and an end on a file and round trips on a server, and
two snapshots could show a course list and a timeline from different moments.
Transactions are counted at the engine as the switch runs, by the keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from sqlalchemy import event
from ui_helpers import Clinic, open_patient

from mbctracker.storage import Database
from mbctracker.ui.main_window import MainWindow


@contextmanager
def transactions(db: Database) -> Iterator[list[str]]:
    """The transactions begun on the engine while the block runs."""
    begun: list[str] = []

    def begin(_conn) -> None:
        begun.append("begin")

    event.listen(db.engine, "begin", begin)
    try:
        yield begun
    finally:
        event.remove(db.engine, "begin", begin)


def test_a_switch_by_the_arrow_key_is_one_read(qtbot, window: MainWindow, clinic: Clinic) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    table = window.patients.table
    table.setFocus()
    start = window.course.patient
    with transactions(window.db) as begun:
        qtbot.keyClick(table, Qt.Key.Key_Up)  # Zoë sorts last
        qtbot.waitUntil(lambda: window.course.patient is not start)
    assert len(begun) == 1
