"""The Today view, driven from the keyboard in the real main window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import closed, open_patient

from mbctracker.domain.course import CourseStatus, Modality, Phase
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import end_course, get_course, start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.ui.operations import Changed, ChangeKind


def open_today(qtbot, window) -> None:
    """Ctrl+Shift+T (Ctrl+T is the platforms' New Tab)."""
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_T, modifiers)


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def test_ctrl_t_arrows_and_enter_open_the_due_patient(qtbot, window, clinic) -> None:
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: focused() == "todayList")
    today = window.today
    # the clinic's IV ketamine course had its last infusion 6 days ago: due every 3 days
    assert [ln.patient_id for ln in today.lines("due")] == [clinic.patient_id]
    line = today.current_line()
    assert line is not None and line.patient_id == clinic.patient_id  # first line selected
    qtbot.keyClick(today.tree, Qt.Key.Key_Down)
    qtbot.keyClick(today.tree, Qt.Key.Key_Up)
    qtbot.keyClick(today.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.course.patient is not None)
    assert window.course.patient.id == clinic.patient_id
    assert window.course.timeline is not None
    assert window.course.timeline.course.id == clinic.course_id
    assert window.patients.current_patient() == clinic.patient_id


def test_enter_opens_the_lines_course_not_the_latest_one(qtbot, window, clinic) -> None:
    db = window.db
    p = register_patient(db, PatientInput(mrn="MRN-7777", name="Two Courses"))
    ended_day = date.today() - timedelta(days=7)
    old = start_course(db, p.id, Modality.IV_KETAMINE, ended_day - timedelta(days=6), 6)
    for back in (6, 3, 0):
        when = datetime.combine(ended_day - timedelta(days=back), datetime.min.time())
        record_session(db, old.id, SessionInput(when.replace(hour=9)))
    end_course(db, old.id, CourseStatus.COMPLETED, ended_day, expected_version=1)
    new = start_course(db, p.id, Modality.TMS, date.today(), 30)
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.today.lines("follow_up")))
    [line] = window.today.lines("follow_up")
    assert line.course_id == old.id and "1-week follow-up" in line.what
    tree = window.today.tree
    while window.today.current_line() != line:
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.course.patient is not None and window.course.patient.id == p.id)
    assert window.course.timeline is not None and window.course.timeline.course.id == old.id
    assert new.id != old.id


def test_tab_leaves_the_worklist(qtbot, window, clinic) -> None:
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: focused() == "todayList")
    before = window.today.current_line()
    qtbot.keyClick(window.today.tree, Qt.Key.Key_Tab)
    assert focused() != "todayList"
    assert window.today.current_line() == before  # Tab moved the focus, not the line


def test_a_save_updates_the_list_and_the_view_menu_reopens_it(qtbot, window, clinic) -> None:
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.today.lines("due")))
    open_patient(qtbot, window, clinic.patient_id)
    course = get_course(window.db, clinic.course_id)
    window.ops.run(  # the save a session dialog makes, through the one door
        Changed(ChangeKind.SESSION, patient_id=clinic.patient_id, course_id=course.id),
        record_session,
        course.id,
        SessionInput(datetime.now().replace(second=0, microsecond=0)),
    )
    qtbot.waitUntil(lambda: bool(window.today.lines("today")))
    assert window.today.lines("due") == []  # a session today: not due any more
    window.today_dock.close()
    assert not window.today_dock.isVisible()
    window.actions_by_name["today"].trigger()
    assert window.today_dock.isVisible() and focused() == "todayList"


def test_open_flag_line_and_phase_change_follow_the_operations(qtbot, window, clinic) -> None:
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: window.today.sections != [])
    assert window.today.lines("flags") == []
    record_assessment(
        window.db,
        clinic.course_id,
        AssessmentInput("PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 3], datetime.now().replace(second=0)),
    )
    qtbot.keyClick(window.today.tree, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: bool(window.today.lines("flags")))
    assert window.today.lines("flags")[0].patient_id == clinic.patient_id
    assert Phase.INDUCTION.label.lower() in window.today.lines("due")[0].what


def test_the_session_interval_is_typed_and_moves_the_course_off_the_due_list(
    qtbot, window, clinic
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    open_today(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.today.lines("due")))
    dialog = window.set_interval()
    assert dialog is not None
    assert "Clinic default (Induction: every 3 days)" in dialog.days.text()
    qtbot.keyClicks(dialog.days, "400")  # hostile: above the limit, the spin box keeps 40
    assert dialog.days.value() <= 365
    dialog.days.selectAll()
    qtbot.keyClicks(dialog.days, "7")
    qtbot.keyClick(dialog.days, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    assert get_course(window.db, clinic.course_id).session_interval_days == 7
    qtbot.waitUntil(lambda: window.today.lines("due") == [])  # last infusion 6 days ago


def test_the_dock_opens_on_ctrl_t_and_stays_open_after_a_restart(
    qtbot, window, clinic, db_path, tmp_path
) -> None:
    from mbctracker.app import make_window

    assert not window.today_dock.isVisible()  # closed until asked for
    open_today(qtbot, window)
    assert window.today_dock.isVisible()
    window.close()
    again = make_window(db_path, settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.today_dock.isVisible()
    qtbot.waitUntil(lambda: bool(again.today.lines("due")))  # read when shown
    again.close()
    again.db.dispose()


def test_arrows_home_and_end_skip_the_section_headings(qtbot, window, clinic) -> None:
    record_assessment(
        window.db,
        clinic.course_id,
        AssessmentInput("PHQ9", [1, 1, 1, 1, 1, 1, 1, 1, 2], datetime.now().replace(second=0)),
    )
    open_today(qtbot, window)
    tree = window.today.tree
    qtbot.waitUntil(lambda: focused() == "todayList")
    seen = []
    for key in (Qt.Key.Key_Home, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_End, Qt.Key.Key_Up):
        qtbot.keyClick(tree, key)
        seen.append(window.today.current_line())
    assert all(line is not None for line in seen)  # never a heading
    sections = [s.key for s in window.today.sections for _ in s.lines]
    assert {"awaiting", "due", "flags"} <= set(sections)


def test_a_save_refreshes_today_off_the_ui_thread_once_per_burst(
    qtbot, window, clinic, monkeypatch
) -> None:
    """At 22,481 patients the worklist takes 0.1-0.4 s: read on the UI thread, it froze the
    window right after every save. The read after a change runs on a worker thread, and a
    burst of changes while it runs gives one more read, not one per change."""
    import threading

    from mbctracker.ui.widgets import today_view

    open_today(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.today.lines("due")))
    qtbot.waitUntil(lambda: window.today._reader is None)  # the read on showing is in
    gate, threads = threading.Event(), []
    real = today_view.today_worklist

    def held(*args, **kwargs):
        threads.append(threading.current_thread())
        gate.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(today_view, "today_worklist", held)
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    change = Changed(ChangeKind.SESSION, clinic.patient_id, clinic.course_id)
    window.ops.run(change, record_session, clinic.course_id, SessionInput(when))
    qtbot.waitUntil(lambda: len(threads) == 1)
    for _ in range(5):  # more saves while the first read is held
        window.ops.changed.emit(change)
    gate.set()
    qtbot.waitUntil(lambda: window.today.lines("due") == [] and window.today._reader is None)
    qtbot.waitUntil(lambda: len(threads) == 2 and window.today._reader is None)
    assert all(t is not threading.main_thread() for t in threads)
    assert [ln.patient_id for ln in window.today.lines("today")] == [clinic.patient_id]
