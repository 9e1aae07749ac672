"""A PHQ-9 from a patient portal with item 9 = 2, imported as FHIR before the clinic
opens the app: the flag is on the list and the alert shows when the patient is opened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from ui_helpers import Clinic, shown_window

from fhir_helpers import MRN_SYSTEM, batch, portal_response
from mbctracker.services.fhir.importer import import_document
from mbctracker.storage import Database
from mbctracker.ui.dialogs.safety_dialog import SafetyActionDialog
from mbctracker.ui.main_window import MainWindow


@pytest.fixture
def imported(db: Database, clinic: Clinic) -> Clinic:
    """This morning's tablet answers for MRN-0001, item 9 = 2 (urgent review)."""
    authored = (datetime.now() - timedelta(hours=1)).astimezone().isoformat(timespec="seconds")
    response = portal_response("tablet-1", [1, 1, 1, 1, 1, 1, 1, 1, 2], authored=authored)
    saved = import_document(db, batch(response), mrn_system=MRN_SYSTEM).saved
    assert [s.flagged for s in saved] == [True]
    return clinic


@pytest.fixture
def opened(qtbot, db_path: Path, imported: Clinic, tmp_path: Path) -> Iterator[MainWindow]:
    with shown_window(qtbot, db_path, tmp_path) as win:
        yield win


def test_the_imported_flag_is_listed_and_alerts_when_the_patient_is_opened(
    qtbot, opened: MainWindow, imported: Clinic
) -> None:
    window = opened
    qtbot.waitUntil(
        lambda: window.flags_label.text() == "⚠ 1 open safety flag(s), 1 patient(s)", timeout=60_000
    )
    row = window.patients.model.row_of(imported.patient_id)
    assert window.patients.model.index(row, 0).data() == "⚠ 1 open"

    search = window.findChild(QLineEdit, "patientSearch")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, "ødeg")
    qtbot.waitUntil(lambda: window.patients.model.total == 1)
    qtbot.keyClick(search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.course.patient is not None)
    assert window.course.patient.id == imported.patient_id
    assert window.course.flags_shown()
    assert "1 open safety flag(s)" in window.course.banner.text()
    assert "PHQ-9" in window.course.banner.text()

    alert = window.record_safety_action()
    assert isinstance(alert, SafetyActionDialog) and alert.isVisible()
    assert "Tier 2" in alert.findChild(QLabel, "safetyBanner").text()
    qtbot.keyClick(alert, "3")  # structured risk assessment, for tier 2
    alert.record_action()
    assert not window.course.flags_shown()
    qtbot.waitUntil(lambda: window.flags_label.text() == "No open safety flags", timeout=60_000)
