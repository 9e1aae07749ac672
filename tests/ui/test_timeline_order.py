"""The timeline in clinic order on real widgets: the link shown and changed from the
keyboard, per-phase progress, follow-up entries (issue 10, section 1)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from ui_helpers import Clinic, closed, open_patient

from mbctracker.domain.course import Phase, Timepoint
from mbctracker.services.courses import set_phase
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.entry_dialog import EntryDialog
from mbctracker.ui.dialogs.link_dialog import LinkSessionDialog
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.models.record_tables import session_link_text


def _link_dialog(qtbot, window: MainWindow) -> LinkSessionDialog:
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: isinstance(window.dialog, LinkSessionDialog) and window.dialog.isVisible()
    )
    dialog = window.dialog
    assert isinstance(dialog, LinkSessionDialog)
    return dialog


def _choose(qtbot, dialog: LinkSessionDialog, downs: int) -> None:
    """Home, then Down ``downs`` times, then Enter: the whole choice from the keyboard."""
    for key in [Qt.Key.Key_Home] + [Qt.Key.Key_Down] * downs + [Qt.Key.Key_Return]:
        qtbot.keyClick(dialog.choices, key)
    qtbot.waitUntil(lambda: closed(dialog))


def _newest_phq9(window: MainWindow) -> str:
    return session_link_text(window.course.assessments_model.record(0))


def test_scores_typed_first_are_linked_and_the_link_is_changed_by_keyboard(
    qtbot, window: MainWindow, clinic: Clinic
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.tabs.setCurrentWidget(course.assessments_view)
    assert _newest_phq9(window) == "2"  # typed 30 min before session 2, linked by the rule
    course.assessments_view.selectRow(0)
    dialog = _link_dialog(qtbot, window)
    assert dialog.chosen() == "automatic"  # the rule is what it follows now
    _choose(qtbot, dialog, 3)  # Automatic, Not linked, Session 2, Session 1
    assert _newest_phq9(window) == "1 (set by hand)"
    course.assessments_view.selectRow(0)
    _choose(qtbot, _link_dialog(qtbot, window), 1)
    assert _newest_phq9(window) == "not linked"
    course.assessments_view.selectRow(0)
    _choose(qtbot, _link_dialog(qtbot, window), 0)
    newest = load_timeline(window.db, clinic.course_id).assessments[-1]
    assert (newest.session_number, newest.link_manual) == (2, False)
    assert _newest_phq9(window) == "2"


def test_a_link_that_breaks_the_date_order_is_refused_in_the_dialog(
    qtbot, window: MainWindow, clinic: Clinic
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.tabs.setCurrentWidget(course.assessments_view)
    oldest = course.assessments_model.rowCount() - 2  # the PHQ-9 before session 1
    course.assessments_view.selectRow(oldest)
    assert session_link_text(course.assessments_model.record(oldest)) == "1"
    dialog = _link_dialog(qtbot, window)
    for key in (Qt.Key.Key_Home, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(dialog.choices, key)  # Session 2: it came after session 1
    assert dialog.isVisible()
    assert dialog.error.text().startswith("⚠ ") and "allowed:" in dialog.error.text()
    assert session_link_text(course.assessments_model.record(oldest)) == "1"  # unchanged


def test_header_progress_and_follow_up_default(qtbot, window: MainWindow, clinic: Clinic) -> None:
    timeline = load_timeline(window.db, clinic.course_id)
    set_phase(
        window.db,
        clinic.course_id,
        Phase.FOLLOW_UP,
        expected_version=timeline.course.version,
        started_on=date.today(),
    )
    open_patient(qtbot, window, clinic.patient_id)
    assert window.course.progress.text() == "Sessions: induction 2/6"
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.dialog, EntryDialog) and window.dialog.isVisible())
    dialog = window.dialog
    assert isinstance(dialog, EntryDialog)
    header = dialog.findChildren(QLabel)[0].text()
    assert "Follow-up · sessions induction 2/6" in header and " of 6" not in header
    assert dialog.timepoint.currentData() == Timepoint.FOLLOW_UP
    form = dialog.current_form()
    for key in [*"1111111110", Qt.Key.Key_Return]:
        qtbot.keyClick(form, key)
    saved = load_timeline(window.db, clinic.course_id).assessments[-1]
    assert (saved.timepoint, saved.session_number) == (Timepoint.FOLLOW_UP, None)
