"""The backup after changes runs from the app, off the UI thread, at most every 30 min."""

from __future__ import annotations

from ui_helpers import open_patient

from mbctracker.services.backups import AUTO, find_backups
from mbctracker.ui.main_window import MainWindow


def _newest_auto(window: MainWindow) -> str | None:
    autos = [b.path.name for b in find_backups(window.db.path) if b.label == AUTO]
    return autos[0] if autos else None


def _add_to_notes(qtbot, window: MainWindow, text: str) -> None:
    dialog = window.edit_patient()
    assert dialog is not None
    qtbot.keyClicks(dialog.notes, text)
    dialog.save()
    assert not dialog.isVisible()
    window.ops.wait_for_backup()


def test_a_change_in_the_app_writes_a_backup_then_waits_for_the_interval(
    qtbot, window, clinic
) -> None:
    assert _newest_auto(window) is None
    open_patient(qtbot, window, clinic.patient_id)
    _add_to_notes(qtbot, window, "First visit.")
    first = _newest_auto(window)
    assert first is not None, "the first change is copied"
    qtbot.waitUntil(lambda: first in window.statusBar().currentMessage())
    _add_to_notes(qtbot, window, " Second.")
    assert _newest_auto(window) == first, "a copy younger than 30 minutes: no new one"
    window.ops.backup_interval_minutes = 0  # as if 30 minutes had passed
    _add_to_notes(qtbot, window, " Third.")
    newest = _newest_auto(window)
    assert newest is not None and newest != first
