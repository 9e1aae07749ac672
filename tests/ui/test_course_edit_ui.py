"""Issue 10 §1 on real widgets, by keyboard, in the order a clinic works.

The patient phones to stop before anyone ends the course; a dose is typed with a
slipped digit; a payer letter needs the diagnosis and the prior trials.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from ui_helpers import closed, open_patient

from mbctracker.domain import limits
from mbctracker.domain.course import CourseStatus, DropoutReason, EventKind, Modality
from mbctracker.domain.limits import PlausibilityWarning, SessionFacts
from mbctracker.reports import render_summary
from mbctracker.services.courses import start_course
from mbctracker.services.events import record_event
from mbctracker.services.timeline import load_timeline
from mbctracker.ui.dialogs.course_dialogs import EditCourseDialog, EndCourseDialog, EventDialog
from mbctracker.ui.dialogs.forms import to_qdatetime
from mbctracker.ui.dialogs.session_dialog import SessionDialog


def _question(qtbot, parent: QWidget, name: str) -> QMessageBox:
    """The question named ``name`` on screen now (an answered one may linger until deleted)."""

    def shown() -> list[QMessageBox]:
        return [b for b in parent.findChildren(QMessageBox, name) if b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    box = shown()[0]
    qtbot.waitExposed(box)
    return box


def _enter(qtbot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)  # Return presses the form's default (Save)


def _dropout_dialog(qtbot, window) -> EventDialog:
    dialog = window.record_event()
    assert isinstance(dialog, EventDialog)
    qtbot.keyClicks(dialog.kind, "Dr")
    qtbot.keyClicks(dialog.reason, "L")
    assert dialog.kind.currentData() == EventKind.DROPOUT
    assert dialog.reason.currentData() == DropoutReason.LOGISTICAL
    qtbot.keyClicks(dialog.description, "moved away")
    return dialog


def _dropouts(window, course_id) -> int:
    events = load_timeline(window.db, course_id).events
    return sum(e.kind == EventKind.DROPOUT for e in events)


def test_a_dropout_event_offers_to_end_the_course_and_counts_once(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    dialog = _dropout_dialog(qtbot, window)
    _enter(qtbot, dialog.description)
    offer = _question(qtbot, window, "endCourseOffer")
    assert "End the course as discontinued" in offer.text()
    qtbot.keyClick(offer, Qt.Key.Key_E)  # "End the course"
    qtbot.waitUntil(lambda: window.course.timeline.course.status == CourseStatus.DISCONTINUED)
    course = window.course.timeline.course
    assert course.discontinue_reason == DropoutReason.LOGISTICAL
    assert _dropouts(window, clinic.course_id) == 1
    assert window.course.events_model.rowCount() == 1


def test_kept_active_then_ended_by_hand_still_counts_one_dropout(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    dialog = _dropout_dialog(qtbot, window)
    _enter(qtbot, dialog.description)
    offer = _question(qtbot, window, "endCourseOffer")
    qtbot.keyClick(offer, Qt.Key.Key_Escape)  # keep it active (for now)
    qtbot.waitUntil(lambda: closed(offer))
    assert window.course.timeline.course.status == CourseStatus.ACTIVE
    end = window.end_course()
    assert isinstance(end, EndCourseDialog)
    assert end.status.currentData() == CourseStatus.DISCONTINUED  # started from the dropout
    assert end.reason.currentData() == DropoutReason.LOGISTICAL
    _enter(qtbot, end.description)
    qtbot.waitUntil(lambda: window.course.timeline.course.status == CourseStatus.DISCONTINUED)
    assert _dropouts(window, clinic.course_id) == 1
    second = _dropout_dialog(qtbot, window)  # a second dropout is refused, plainly
    _enter(qtbot, second.description)
    assert second.error.text().startswith("⚠ Event: this course already has a dropout (")
    assert second.isVisible()


def test_an_event_is_corrected_deleted_and_restored_from_the_course_view(
    qtbot, window, clinic, monkeypatch
):
    record_event(window.db, clinic.course_id, EventKind.ED_VISIT, date.today())
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.tabs.setCurrentWidget(course.events_view)
    course.events_view.selectRow(0)
    window.actions_by_name["correct_event"].trigger()
    dialog = window.dialog
    assert isinstance(dialog, EventDialog) and dialog.existing is not None
    qtbot.keyClicks(dialog.kind, "Ps")  # psychiatric hospitalization
    qtbot.keyClicks(dialog.description, "admitted for 3 days")
    _enter(qtbot, dialog.description)
    qtbot.waitUntil(lambda: course.events_model.record(0).kind == EventKind.HOSPITALIZATION)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    course.events_view.selectRow(0)
    assert window.delete_event()
    assert course.events_model.rowCount() == 0
    course.tabs.setCurrentWidget(course.change_log)
    model = course.change_log.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.record(r).action == "delete" and model.record(r).table == "event"
    )
    course.change_log.table.selectRow(row)
    assert window.restore_deleted()
    assert course.events_model.record(0).description == "admitted for 3 days"


@pytest.fixture
def im_course(window, clinic):
    """An IM ketamine (KAP) course started ten days ago for the clinic's patient."""
    start = date.today() - timedelta(days=10)
    return start_course(window.db, clinic.patient_id, Modality.IM_KETAMINE, start, 6)


def _im_session_form(qtbot, window, clinic, dose: str) -> SessionDialog:
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    assert dialog.course.modality == Modality.IM_KETAMINE
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    dialog.when.setDateTime(to_qdatetime(when))
    qtbot.keyClicks(dialog.inputs["dose_mg_per_kg"], dose)
    qtbot.keyClicks(dialog.notes, "Integration session booked")
    return dialog


def test_a_3_mg_per_kg_im_session_is_confirmed_then_marked_on_screen_and_paper(
    qtbot, window, clinic, im_course, tmp_path: Path
):
    dialog = _im_session_form(qtbot, window, clinic, "3")
    assert "plausible 0.2-2 mg/kg" in dialog.hints["dose_mg_per_kg"].text()
    _enter(qtbot, dialog.inputs["dose_mg_per_kg"])
    question = _question(qtbot, dialog, "confirmWarnings")
    assert "• Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg)" in question.text()
    qtbot.keyClick(question, Qt.Key.Key_Return)  # the default is "Go back": nothing saved
    qtbot.waitUntil(lambda: "check the unusual values" in dialog.error.text())
    assert load_timeline(window.db, im_course.id).sessions == ()
    assert dialog.focusWidget() is dialog.inputs["dose_mg_per_kg"]
    _enter(qtbot, dialog.inputs["dose_mg_per_kg"])
    qtbot.keyClick(_question(qtbot, dialog, "confirmWarnings"), Qt.Key.Key_S)  # Save anyway
    qtbot.waitUntil(lambda: closed(dialog))
    (saved,) = load_timeline(window.db, im_course.id).sessions
    assert [w.text for w in saved.warnings] == [
        "Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg)"
    ]
    sessions = window.course.sessions_model
    column = [sessions.headerData(c, Qt.Orientation.Horizontal) for c in range(6)].index("Warnings")
    shown = sessions.index(0, column).data()
    assert shown == "⚠ Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg)"
    pdf = render_summary(load_timeline(window.db, im_course.id), generated_at=datetime.now())
    text = _pdf_text(pdf)
    assert "⚠ Dose of 3 mg/kg is unusual (plausible 0.2-2 mg/kg)" in text
    assert "Integration session booked" in text
    assert "⚠ 1 session(s) saved with unusual values confirmed at save (session 1;" in text
    _look_at(pdf, tmp_path / "warned")


def test_a_correction_that_keeps_a_confirmed_warning_is_not_asked_again(
    qtbot, window, clinic, im_course
):
    dialog = _im_session_form(qtbot, window, clinic, "3")
    _enter(qtbot, dialog.inputs["dose_mg_per_kg"])
    qtbot.keyClick(_question(qtbot, dialog, "confirmWarnings"), Qt.Key.Key_S)
    qtbot.waitUntil(lambda: closed(dialog))
    window.course.sessions_view.selectRow(0)
    fix = window.correct_session()
    assert isinstance(fix, SessionDialog)
    qtbot.keyClicks(fix.notes, " - reviewed")
    _enter(qtbot, fix.inputs["dose_mg"])
    qtbot.waitUntil(lambda: closed(fix))
    assert fix.question is None
    assert len(load_timeline(window.db, im_course.id).sessions[0].warnings) == 1


def test_a_second_session_at_the_same_minute_is_refused_in_the_form(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    existing = load_timeline(window.db, clinic.course_id).sessions[0]
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    dialog.when.setDateTime(to_qdatetime(existing.when))
    qtbot.keyClicks(dialog.inputs["dose_mg"], "35")
    _enter(qtbot, dialog.inputs["dose_mg"])
    assert "Session date: session 1 of this course is already recorded" in dialog.error.text()
    assert dialog.focusWidget() is dialog.when
    assert len(load_timeline(window.db, clinic.course_id).sessions) == 2


def test_the_course_is_edited_by_keyboard_and_the_payer_record_is_printed(
    qtbot, window, clinic, tmp_path: Path
):
    open_patient(qtbot, window, clinic.patient_id)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(window.dialog, EditCourseDialog))
    dialog = window.dialog
    assert isinstance(dialog, EditCourseDialog)
    dialog.planned.selectAll()
    qtbot.keyClicks(dialog.planned, "8")
    dialog.diagnosis.setFocus()
    qtbot.waitUntil(dialog.diagnosis.hasFocus)
    qtbot.keyClicks(dialog.diagnosis, "F33.2 Major depressive disorder, recurrent, severe")
    qtbot.keyClick(dialog.diagnosis, Qt.Key.Key_Tab)  # Tab leaves the box, never types a tab
    assert dialog.focusWidget() is dialog.medications
    qtbot.keyClicks(dialog.medications, "Sertraline 150 mg daily")
    qtbot.keyClick(dialog.medications, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.medications, "Lamotrigine 100 mg daily")
    qtbot.keyClicks(dialog.prior, "Escitalopram 20 mg, 10 weeks: no response")
    qtbot.keyClicks(dialog.prescriber, "Dr. A. Synthetic, MD")
    qtbot.keyClick(dialog.remission["PHQ9"], Qt.Key.Key_Down)  # remission <= 3, not 4...
    assert dialog.remission["PHQ9"].value() == 3
    _enter(qtbot, dialog.prescriber)
    assert dialog.error.text() == (  # ...needs a reason
        "⚠ Reason for the change: is required when the thresholds change (they re-classify "
        "past scores); allowed: 1-500 characters"
    )
    assert dialog.focusWidget() is dialog.threshold_reason
    qtbot.keyClicks(dialog.threshold_reason, "clinic policy for this payer")
    _enter(qtbot, dialog.threshold_reason)
    qtbot.waitUntil(lambda: closed(dialog))
    course = window.course.timeline.course
    assert course.planned_sessions == 8
    assert course.record.current_medications == "Sertraline 150 mg daily\nLamotrigine 100 mg daily"
    assert course.settings.for_instrument("PHQ9").remission_max == 3
    pdf = render_summary(load_timeline(window.db, clinic.course_id), generated_at=datetime.now())
    text = _pdf_text(pdf)
    for expected in (
        "Diagnosis and treatment history",
        "F33.2 Major depressive disorder, recurrent, severe",
        "Sertraline 150 mg daily Lamotrigine 100 mg daily",
        "Escitalopram 20 mg, 10 weeks: no response",
        "Dr. A. Synthetic, MD",
        "after the course started: clinic policy for this payer",
        "induction 2/8",  # planned sessions edited to 8 (per-phase progress)
    ):
        assert expected in text, expected
    _look_at(pdf, tmp_path / "record")


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader gets it back, whitespace folded."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def _look_at(pdf: bytes, stem: Path) -> None:
    """Render page 1 with pdftoppm (when installed) so a person can look at it."""
    source = stem.with_suffix(".pdf")
    source.write_bytes(pdf)
    try:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(source), str(stem)],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except FileNotFoundError:
        return
    assert list(stem.parent.glob(f"{stem.name}*.png"))


def _implied_weight(facts: SessionFacts) -> list[PlausibilityWarning]:
    """A cross-check written in the test alone: mg and mg/kg imply an unlikely weight."""
    mg, per_kg = facts.details.get("dose_mg"), facts.details.get("dose_mg_per_kg")
    if not isinstance(mg, float) or not isinstance(per_kg, float) or per_kg <= 0:
        return []
    weight = mg / per_kg
    if 30 <= weight <= 200:
        return []
    text = f"Dose of {mg:g} mg at {per_kg:g} mg/kg implies {weight:g} kg"
    return [PlausibilityWarning("implied_weight", "dose_mg", text)]


def test_a_rule_added_to_the_list_reaches_the_form_the_record_and_the_pdf(
    qtbot, window, clinic, monkeypatch
):
    """The mechanism is data: one function appended to SESSION_WARNING_RULES, nothing else."""
    monkeypatch.setattr(
        limits, "SESSION_WARNING_RULES", (*limits.SESSION_WARNING_RULES, _implied_weight)
    )
    open_patient(qtbot, window, clinic.patient_id)
    dialog = window.record_session()
    assert isinstance(dialog, SessionDialog)
    qtbot.keyClicks(dialog.inputs["dose_mg_per_kg"], "1")
    qtbot.keyClicks(dialog.inputs["dose_mg"], "450")
    hint = dialog.hints["dose_mg"].text()
    assert hint.startswith("⚠ Dose of 450 mg is unusual")  # the range rule comes first
    _enter(qtbot, dialog.inputs["dose_mg"])
    question = _question(qtbot, dialog, "confirmWarnings")
    assert "• Dose of 450 mg at 1 mg/kg implies 450 kg" in question.text()
    qtbot.keyClick(question, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: closed(dialog))
    saved = load_timeline(window.db, clinic.course_id).sessions[-1]
    assert [w.rule for w in saved.warnings] == ["outside_plausible_range", "implied_weight"]
    text = _pdf_text(
        render_summary(load_timeline(window.db, clinic.course_id), generated_at=datetime.now())
    )
    assert "⚠ Dose of 450 mg at 1 mg/kg implies 450 kg" in text
