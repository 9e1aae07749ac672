"""The patient to reopen is written once the person settles on one, and at closing.

Writing it on every switch made QSettings rewrite and fsync its file on each one;
the window now writes it REMEMBER_PATIENT_MS after the last switch (and at once
when it closes), so holding Down through the list writes it once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from ui_helpers import Clinic, open_patient

from mbctracker.ui.main_window import MainWindow


def _written(window: MainWindow) -> str | None:
    """The last patient as the settings file holds it (another process's view)."""
    window.settings.sync()  # what this window wrote so far reaches the file
    value = QSettings(window.settings.fileName(), QSettings.Format.IniFormat).value("last/patient")
    return None if value in (None, "") else str(value)


def test_the_last_patient_is_written_once_the_switching_stops_and_at_closing(
    qtbot, window: MainWindow, clinic: Clinic
) -> None:
    window.remember_patient.setInterval(60_000)  # the test fires it, no waiting
    before = _written(window)
    for patient_id in clinic.other_ids[:5]:  # the person runs down the list
        open_patient(qtbot, window, patient_id)
        QApplication.processEvents()
    assert _written(window) == before, "a switch wrote the settings file"
    assert window.remember_patient.isActive()
    window.remember_patient.timeout.emit()  # the person stopped on the fifth
    assert _written(window) == str(clinic.other_ids[4])
    open_patient(qtbot, window, clinic.patient_id)
    window.close()  # before the delay: closing writes the patient shown
    assert _written(window) == str(clinic.patient_id)
    assert not window.remember_patient.isActive()
    assert Path(window.settings.fileName()).stat().st_mode & 0o077 == 0
