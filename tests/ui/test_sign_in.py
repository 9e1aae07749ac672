"""Sign-in at a desk that lists its people, driven by the keyboard alone.

The people are added through the services before the window opens; each test then
signs in as a role by typing name, Tab, PIN, Enter, and checks what the window
shows and offers, and that the services still refuse what the role may not do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import Clinic, closed, open_patient, shown_window, status_messages

from mbctracker.domain.access import PermissionDenied, Role
from mbctracker.services.people import MAX_FAILURES, add_person, list_people, sign_in
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.ui.dialogs.patient_dialog import PatientDialog
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.models.patient_model import FLAG_COLUMN, SESSIONS_COLUMN, columns


@pytest.fixture
def staffed_window(
    qtbot, db: Database, clinic: Clinic, db_path: Path, tmp_path: Path
) -> Iterator[MainWindow]:
    add_person(db, "Ada Admin", Role.ADMINISTRATOR, "9999")
    sign_in(db, "Ada Admin", "9999")
    add_person(db, "Nia Nurse", Role.NURSE, "2222")
    add_person(db, "Fred Desk", Role.FRONT_DESK, "3333")
    with shown_window(qtbot, db_path, tmp_path) as win:
        yield win


def type_sign_in(qtbot, win: MainWindow, name: str, pin: str) -> None:
    curtain = win.sign_in.curtain
    assert curtain.isVisible()
    curtain.name.setFocus()
    qtbot.keyClicks(curtain.name, name)
    qtbot.keyClick(curtain.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(curtain.focusWidget(), pin)
    qtbot.keyClick(curtain.focusWidget(), Qt.Key.Key_Return)


def test_nothing_shows_before_sign_in(staffed_window: MainWindow) -> None:
    win = staffed_window
    assert win.sign_in.curtain.isVisible()
    assert win.db.signed_out
    assert win.patients.model.total == 0  # no names behind the curtain
    assert not win.actions_by_name["new_patient"].isEnabled()
    assert not win.actions_by_name["open_db"].isEnabled()
    assert win.actions_by_name["quit"].isEnabled()


def test_a_nurse_signs_in_and_records_but_cannot_edit_the_course(
    qtbot, staffed_window: MainWindow, clinic: Clinic
) -> None:
    win = staffed_window
    with status_messages(win) as shown:
        type_sign_in(qtbot, win, "nia nurse", "2222")
    assert not win.sign_in.curtain.isVisible()
    assert (win.db.actor, win.db.role) == ("Nia Nurse", Role.NURSE)
    assert win.patients.model.total == len(clinic.other_ids) + 1
    open_patient(qtbot, win, clinic.patient_id)
    assert win.course.timeline is not None  # the nurse sees the scores
    assert win.actions_by_name["entry"].isEnabled()
    assert win.actions_by_name["session"].isEnabled()
    assert not win.actions_by_name["edit_course"].isEnabled()
    assert not win.actions_by_name["preferences"].isEnabled()
    assert not win.actions_by_name["people"].isEnabled()
    assert any("Signed in as Nia Nurse" in text for text in shown)


def test_front_desk_signs_in_and_sees_no_scores(
    qtbot, staffed_window: MainWindow, clinic: Clinic
) -> None:
    win = staffed_window
    type_sign_in(qtbot, win, "Fred Desk", "3333")
    assert win.db.role == Role.FRONT_DESK
    table = win.patients.table
    assert table.isColumnHidden(FLAG_COLUMN)
    assert all(table.isColumnHidden(c) for c in range(SESSIONS_COLUMN + 1, len(columns())))
    assert not table.isColumnHidden(1)  # names and MRNs stay
    open_patient(qtbot, win, clinic.patient_id)
    assert win.course.timeline is None  # demographics only
    assert not win.course.tabs.isVisible()
    assert win.actions_by_name["new_patient"].isEnabled()
    assert win.actions_by_name["edit_patient"].isEnabled()
    assert not win.actions_by_name["entry"].isEnabled()
    assert not win.actions_by_name["today"].isEnabled()
    assert not win.flags_label.isVisible()
    with pytest.raises(PermissionDenied, match="front desk role may not see scores"):
        load_timeline(win.db, clinic.course_id)  # the service, not the hidden tab, enforces
    qtbot.keyClick(
        win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: isinstance(win.dialog, PatientDialog) and win.dialog.isVisible())
    dialog = win.dialog
    assert isinstance(dialog, PatientDialog)
    assert not dialog.notes.isVisible() and dialog.notes.toPlainText() == ""  # notes are clinical
    dialog.reject()


def test_wrong_pins_get_a_plain_line_then_a_pause(qtbot, staffed_window: MainWindow) -> None:
    win = staffed_window
    curtain = win.sign_in.curtain
    for attempt in range(MAX_FAILURES):
        type_sign_in(qtbot, win, "Nia Nurse", "0000")
        if attempt < MAX_FAILURES - 1:
            assert curtain.message.text() == "Name or PIN not recognised; check both and try again."
            curtain.name.clear()
    assert "pauses for 30 seconds" in curtain.message.text()
    assert not curtain.button.isEnabled()
    curtain.name.clear()
    type_sign_in(qtbot, win, "Nia Nurse", "2222")  # even the right PIN waits
    assert win.db.signed_out and curtain.isVisible()


def test_the_idle_lock_signs_out_and_the_next_person_signs_in(
    qtbot, staffed_window: MainWindow, clinic: Clinic
) -> None:
    win = staffed_window
    type_sign_in(qtbot, win, "Nia Nurse", "2222")
    open_patient(qtbot, win, clinic.patient_id)
    win.idle_lock.minutes = 5
    win.idle_lock._lock()  # the timer's slot, called rather than waited for
    assert win.db.signed_out and win.sign_in.curtain.isVisible()
    assert win.idle_lock.locked
    assert not win.actions_by_name["entry"].isEnabled()
    type_sign_in(qtbot, win, "Fred Desk", "3333")
    assert win.db.actor == "Fred Desk"
    assert win.course.timeline is None  # the nurse's course is not left on screen


@pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise")
def test_the_today_list_goes_at_the_lock_and_comes_back_fresh_for_the_next_nurse(
    qtbot, staffed_window: MainWindow, db: Database, clinic: Clinic
) -> None:
    """Even torn off into a window of its own (which the curtain would not cover), the
    Today list is hidden and emptied at the lock; what changed while the desk was locked
    is on it when the next person who may see it signs in, and never for the front desk."""
    from datetime import datetime

    from mbctracker.services.assessments import AssessmentInput, record_assessment

    win = staffed_window
    type_sign_in(qtbot, win, "Nia Nurse", "2222")
    qtbot.keyClick(
        win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(win.today_dock.isVisible)
    assert win.today.lines("flags") == []
    win.today_dock.setFloating(True)
    win.idle_lock.minutes = 5
    win.idle_lock._lock()
    assert win.sign_in.curtain.isVisible() and not win.today_dock.isVisible()
    assert win.today.tree.topLevelItemCount() == 0, "no names left in the hidden list"
    sign_in(db, "Nia Nurse", "2222")  # at the infusion room meanwhile: item 9 = 2
    when = datetime.now().replace(second=0, microsecond=0)
    record_assessment(db, clinic.course_id, AssessmentInput("PHQ9", [1] * 8 + [2], when))
    type_sign_in(qtbot, win, "Fred Desk", "3333")
    assert not win.today_dock.isVisible(), "the front desk sees no scores"
    win.idle_lock._lock()
    type_sign_in(qtbot, win, "Nia Nurse", "2222")
    qtbot.waitUntil(lambda: len(win.today.lines("flags")) == 1, timeout=60_000)
    assert win.today_dock.isVisible()


def test_the_administrator_adds_a_person_from_edit_people(
    qtbot, staffed_window: MainWindow
) -> None:
    win = staffed_window
    type_sign_in(qtbot, win, "Ada Admin", "9999")
    assert win.patients.model.total == 0
    assert win.panes.currentWidget().objectName() == "noPatientsPage"
    dialog = win.people()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Cleo Clinician")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.role, Qt.Key.Key_Down)  # administrator -> clinician
    qtbot.keyClick(dialog.role, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.pin, "12")
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # animated click
    qtbot.waitUntil(lambda: dialog.message.text().startswith("PIN: has 2 digits; allowed: 4-12"))
    assert dialog.name.text() == "Cleo Clinician"  # the form is kept
    qtbot.keyClicks(dialog.pin, "3456")
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.message.text() == "Added Cleo Clinician (clinician).")
    added = {p.name: p.role for p in list_people(win.db)}
    assert added["Cleo Clinician"] == Role.CLINICIAN
    dialog.close()
    qtbot.waitUntil(lambda: closed(dialog))


def test_an_unstaffed_desk_asks_nobody(qtbot, window: MainWindow) -> None:
    assert not window.sign_in.curtain.isVisible()
    assert not window.db.signed_out
    window.idle_lock.minutes = 5
    window.idle_lock._lock()
    assert window.idle_lock.curtain.isVisible()  # the plain privacy curtain, as before
    assert not window.sign_in.curtain.isVisible()


def test_the_idle_lock_closes_a_dialog_the_last_person_left_open(
    qtbot, staffed_window: MainWindow, clinic: Clinic
) -> None:
    """A dialog over the curtain would show the nurse's patient and save as the next person."""
    win = staffed_window
    type_sign_in(qtbot, win, "Nia Nurse", "2222")
    open_patient(qtbot, win, clinic.patient_id)
    dialog = win.new_entry()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    win.idle_lock.minutes = 5
    win.idle_lock._lock()
    qtbot.waitUntil(lambda: closed(dialog))
    assert win.sign_in.curtain.isVisible()
