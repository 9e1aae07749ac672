"""Course -> Phases… on real widgets, in the clinic's order: Maintenance is picked on the
drop-down a week late (dated today), then moved back to the day it began, then removed
as entered in error; a hostile edit of the course start's phase is refused in the form."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from ui_helpers import closed, open_patient

from mbctracker.domain.course import Phase
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.forms import to_qdate
from mbctracker.ui.dialogs.phase_dialog import PhaseChangesDialog


def _phases(window, course_id) -> list[tuple[Phase, date]]:
    return [(c.phase, c.started_on) for c in load_timeline(window.db, course_id).phases]


def _dialog(qtbot, window) -> PhaseChangesDialog:
    window.actions_by_name["phases"].trigger()
    dialog = window.dialog
    assert isinstance(dialog, PhaseChangesDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)  # mnemonics (Alt+R) reach the active window
    return dialog


def test_a_late_phase_change_is_moved_back_then_removed(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    combo = window.course.phase
    combo.setFocus()
    qtbot.keyClicks(combo, "M")  # Maintenance, dated today by the drop-down
    qtbot.waitUntil(lambda: window.course.timeline.course.phase == Phase.MAINTENANCE)
    start = window.course.timeline.course.start_date
    assert _phases(window, clinic.course_id) == [
        (Phase.INDUCTION, start),
        (Phase.MAINTENANCE, date.today()),
    ]

    dialog = _dialog(qtbot, window)
    assert dialog.chosen() == window.course.timeline.phases[-1]  # the latest is chosen
    real_day = start + timedelta(days=5)  # between session 1 (day 3) and session 2 (day 6)
    dialog.started_on.setDate(to_qdate(real_day))
    qtbot.keyClick(dialog.started_on, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    assert _phases(window, clinic.course_id) == [
        (Phase.INDUCTION, start),
        (Phase.MAINTENANCE, real_day),
    ]
    shown = window.course.timeline
    assert [s.phase for s in shown.sessions] == [Phase.INDUCTION, Phase.MAINTENANCE]
    assert "maintenance 1" in window.course.progress.text()

    dialog = _dialog(qtbot, window)
    assert dialog.remove.isEnabled()
    qtbot.keyClick(dialog.changes, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: closed(dialog))
    assert _phases(window, clinic.course_id) == [(Phase.INDUCTION, start)]
    assert window.course.timeline.course.phase == Phase.INDUCTION


def test_the_course_start_phase_keeps_its_day_and_the_form_says_why(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    before = _phases(window, clinic.course_id)
    dialog = _dialog(qtbot, window)
    dialog.changes.setCurrentRow(0)  # the course start's induction
    assert not dialog.remove.isEnabled()
    dialog.started_on.setDate(dialog.started_on.date().addDays(2))
    qtbot.keyClick(dialog.started_on, Qt.Key.Key_Return)
    assert dialog.isVisible() and "the first phase starts with the course" in dialog.error.text()
    assert _phases(window, clinic.course_id) == before
    dialog.reject()


def test_a_new_phase_change_gets_the_day_typed(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    start = window.course.timeline.course.start_date
    dialog = _dialog(qtbot, window)
    dialog.changes.setFocus()
    qtbot.keyClick(dialog.changes, Qt.Key.Key_End)  # "New phase change…"
    assert dialog.chosen() is None and not dialog.remove.isEnabled()
    dialog.phase.setFocus()
    qtbot.keyClicks(dialog.phase, "C")  # Continuation
    assert dialog.phase.currentData() == Phase.CONTINUATION
    dialog.started_on.setDate(to_qdate(start + timedelta(days=4)))
    qtbot.keyClick(dialog.phase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    assert _phases(window, clinic.course_id)[-1] == (Phase.CONTINUATION, start + timedelta(days=4))
    assert window.course.timeline.sessions[-1].phase == Phase.CONTINUATION
