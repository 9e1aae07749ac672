"""Entry dialog: Esc never throws typed answers away unasked; auto-advance reaches CGI-S."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_entry import entry_form, open_entry, press
from ui_helpers import closed

from mbctracker.services.timeline import load_timeline


def test_saving_each_instrument_moves_on_to_the_next_cgi_s_included(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    press(qtbot, entry_form(dialog, "PHQ9"), [*"000000000", Qt.Key.Key_Return])
    assert dialog.current_form() is entry_form(dialog, "GAD7")
    press(qtbot, entry_form(dialog, "GAD7"), [*"0000000", Qt.Key.Key_Return])
    assert dialog.current_form() is entry_form(dialog, "MADRS")
    press(qtbot, entry_form(dialog, "MADRS"), [*"0000000000", Qt.Key.Key_Return])
    assert dialog.current_form() is entry_form(dialog, "CGIS")
    press(qtbot, entry_form(dialog, "CGIS"), ["3", Qt.Key.Key_Return])
    assert dialog.saved_codes == {"PHQ9", "GAD7", "MADRS", "CGIS"}
    # the battery is done: no PHQ-8 or CGI-I offered next
    assert dialog.current_form() is entry_form(dialog, "CGIS")


def _typed_then_escape(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, [*"3333", Qt.Key.Key_Escape])
    qtbot.waitUntil(lambda: dialog.confirm is not None and dialog.confirm.isVisible())
    return dialog, form


def test_escape_with_typed_answers_asks_and_esc_again_keeps_them(qtbot, window, clinic):
    before = len(load_timeline(window.db, clinic.course_id).assessments)
    dialog, form = _typed_then_escape(qtbot, window, clinic)
    box = dialog.confirm
    assert isinstance(box, QMessageBox) and "PHQ-9" in box.text()
    assert dialog.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc twice must not lose the paper form
    qtbot.waitUntil(lambda: dialog.confirm is None)
    assert dialog.isVisible() and form.responses[:4] == [3, 3, 3, 3]
    press(qtbot, form, list("33333"))  # typing goes on where it stopped
    assert form.responses == [3] * 9
    assert len(load_timeline(window.db, clinic.course_id).assessments) == before


def test_escape_then_discard_closes_without_saving(qtbot, window, clinic):
    before = len(load_timeline(window.db, clinic.course_id).assessments)
    dialog, _form = _typed_then_escape(qtbot, window, clinic)
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_D)  # the button's mnemonic
    qtbot.waitUntil(lambda: closed(dialog))
    assert len(load_timeline(window.db, clinic.course_id).assessments) == before


def test_escape_on_another_tab_still_asks_about_the_typed_one(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    press(qtbot, entry_form(dialog, "PHQ9"), list("12"))
    dialog.show_instrument("GAD7")
    press(qtbot, entry_form(dialog, "GAD7"), [Qt.Key.Key_Escape])
    qtbot.waitUntil(lambda: dialog.confirm is not None)
    assert "PHQ-9" in dialog.confirm.text() and "GAD-7" not in dialog.confirm.text()


def test_escape_with_nothing_typed_or_all_saved_closes_at_once(qtbot, window, clinic):
    dialog = open_entry(qtbot, window, clinic)
    press(qtbot, entry_form(dialog, "PHQ9"), [*"000000000", Qt.Key.Key_Return])
    press(qtbot, dialog.current_form(), [Qt.Key.Key_Escape])
    qtbot.waitUntil(lambda: closed(dialog))
    assert dialog.confirm is None
