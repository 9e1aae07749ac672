"""Acceptance for "instruments are data": a scale defined here, in the test alone.

The definition below is registered for the test's length (no source edit) and
must flow through scoring, the course summary, the keyboard entry form and the
entry dialog, the chart, the patient list (it is a list and headline
instrument), the PDF and the change-log CSV export.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from ui_helpers import Clinic, open_patient, shown_window

from mbctracker.domain import DEFAULT_SETTINGS, score
from mbctracker.domain.course import Timepoint
from mbctracker.domain.instruments import (
    INSTRUMENTS,
    Band,
    Instrument,
    InstrumentThresholds,
    Item,
    Rater,
    SafetyRule,
    registered,
)
from mbctracker.domain.timeline import summarize
from mbctracker.presentation import series
from mbctracker.reports import render_summary
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.audit_log import export_changes_csv
from mbctracker.services.patient_list import patient_page
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.ui import style
from mbctracker.ui.dialogs.entry_dialog import EntryDialog
from mbctracker.ui.models.patient_model import PatientListModel
from mbctracker.ui.widgets import chart_data
from mbctracker.ui.widgets.entry_form import EntryForm

TEST_DEP = Instrument(
    code="TESTDEP",
    name="Test-Dep 6",
    rater=Rater.PATIENT,
    recall="Over the last week, how much have these bothered you?",
    items=tuple(Item(n, f"Symptom {n}", f"Synthetic symptom number {n}") for n in range(1, 7)),
    item_min=0,
    item_max=3,
    answer_labels={0: "None", 1: "A little", 2: "A lot", 3: "Extremely"},
    bands=(Band(0, 5, "low"), Band(6, 11, "medium"), Band(12, 18, "high")),
    thresholds=InstrumentThresholds(
        max_missing=1, remission_max=3, reliable_change=4, safety_item_min=2, safety_urgent_min=3
    ),
    safety=SafetyRule(item=6, flags_missing=True),
    colour="#123456",
    list_column=True,
    headline_rank=0,
    early_improvement=True,
    bands_source="Synthetic 2026",
    licence="synthetic test instrument",
)
OLD_JSON = (
    '{"page_size": "letter", "safety_urgent_min": 2, "response_fraction": [1, 2], '
    '"thresholds": {"MADRS": {"caseness_min": null, "max_missing": 2, "mcid": null, '
    '"reliable_change": null, "remission_max": 12, "safety_item_min": 4}, "PHQ9": '
    '{"caseness_min": 10, "max_missing": 2, "mcid": 5, "reliable_change": 6, '
    '"remission_max": 4, "safety_item_min": 1}}}'
)
"""Part of a settings_json as the previous release stored it (no per-instrument tiers)."""
BASELINE = [3, 3, 2, 2, 2, 0]  # 12 high
LATER = [1, 1, 0, 0, 1, 0]  # 3 low: remission, response, reliable improvement


@pytest.fixture
def test_dep() -> Iterator[Instrument]:
    with registered(TEST_DEP) as inst:
        yield inst


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _record_course(db: Database, clinic: Clinic) -> None:
    """A baseline before the first session and a later assessment, through the service."""
    start = load_timeline(db, clinic.course_id).sessions[0].when
    for values, when, point in (
        (BASELINE, start - timedelta(hours=2), Timepoint.BASELINE),
        (LATER, start + timedelta(days=5), Timepoint.PRE_SESSION),
    ):
        record_assessment(
            db, clinic.course_id, AssessmentInput("TESTDEP", values, when, timepoint=point)
        )


def test_score_reads_thresholds_and_safety_rule_from_the_definition(test_dep) -> None:
    prorated = score("TESTDEP", [1, 1, 1, 1, 1, None])
    assert (prorated.total, prorated.prorated, prorated.severity) == (6, True, "medium")
    assert (prorated.safety_reason, prorated.safety_tier) == ("unanswered", 1)
    assert score("TESTDEP", [0, 0, 0, 0, 0, 2]).safety_tier == 1
    assert score("TESTDEP", [0, 0, 0, 0, 0, 3]).safety_tier == 2
    assert not score("TESTDEP", [3, 3, 3, 3, 3, 1]).safety_flag
    assert not score("TESTDEP", [1, 1, None, None, 1, 1]).valid  # 2 missing > max 1
    assert DEFAULT_SETTINGS.for_instrument("TESTDEP").remission_max == 3


def test_unknown_code_is_refused_after_unregistering() -> None:
    with registered(TEST_DEP):
        pass
    with pytest.raises(Exception, match="TESTDEP"):
        score("TESTDEP", BASELINE)


def test_summary_pdf_list_chart_and_export(test_dep, db: Database, clinic, tmp_path) -> None:
    _record_course(db, clinic)
    timeline = load_timeline(db, clinic.course_id)

    summary = summarize(timeline)
    item = summary.get("TESTDEP")
    assert item is not None and summary.headline is item
    assert (item.change.category, item.change.remission) == ("response", True)
    assert item.change.reliable_change == "improvement"
    assert item.early is not None  # a depression-like measure: early improvement judged

    points = chart_data.points(series(timeline, "TESTDEP"), by_date=True)
    assert [p.record.score.total for p in points] == [12, 3]
    assert style.INSTRUMENT_COLOURS["TESTDEP"] == "#123456"

    text = _text(render_summary(timeline, generated_at=datetime(2026, 3, 1, 12, 0)))
    assert "Test-Dep 6" in text and "Test-Dep 6 (Synthetic 2026)" in text
    assert "Test-Dep 6 \u2264 3" in text  # remission cut-off from the definition
    assert "Test-Dep 6 item 6 \u2265 2 or unanswered (tier 2 from 3)" in text
    assert "Test-Dep 6 item 6 over time:" in text

    row = next(r for r in patient_page(db, "", limit=100) if r.patient_id == clinic.patient_id)
    assert row.latest("TESTDEP") == "3" and row.badge == "Remission"

    out = tmp_path / "changes.csv"
    export_changes_csv(db, out, course_id=clinic.course_id)
    lines = out.read_text(encoding="utf-8").splitlines()
    cells = [cell for line in csv.reader(lines) for cell in line]
    assert any("TESTDEP" in cell for cell in cells)


def test_entry_form_by_keyboard(test_dep, qtbot) -> None:
    form = EntryForm(TEST_DEP, DEFAULT_SETTINGS)
    qtbot.addWidget(form)
    form.show()
    assert len(form.rows) == 6
    for key in "33222":
        qtbot.keyClick(form, key)
    qtbot.keyClick(form, Qt.Key.Key_3)
    assert form.responses == [3, 3, 2, 2, 2, 3]
    assert form.total_line.text() == "Test-Dep 6 total 15 · high"
    assert "Tier 2" in form.safety.text() and "Symptom 6" in form.safety.text()


def test_entry_dialog_list_and_chart_in_the_app(
    test_dep, qtbot, db: Database, db_path: Path, clinic, tmp_path
) -> None:
    with shown_window(qtbot, db_path, tmp_path) as win:
        model = PatientListModel(db)
        headers = [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
        ]
        assert headers[-4:] == ["PHQ-9", "MADRS", "Test-Dep 6", "Outcome"]
        open_patient(qtbot, win, clinic.patient_id)
        win.new_entry("TESTDEP")
        qtbot.waitUntil(lambda: isinstance(win.dialog, EntryDialog) and win.dialog.isVisible())
        dialog = win.dialog
        assert isinstance(dialog, EntryDialog)
        dialog.show_instrument("TESTDEP")
        form = dialog.forms["TESTDEP"]
        for key in "21101":
            qtbot.keyClick(form, key)
        qtbot.keyClick(form, Qt.Key.Key_0)
        qtbot.keyClick(form, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(load_timeline(db, clinic.course_id).of("TESTDEP")))
        saved = load_timeline(db, clinic.course_id).of("TESTDEP")
        assert [a.score.total for a in saved] == [5]
        box = win.course.chart.checks["TESTDEP"]
        qtbot.waitUntil(box.isEnabled)
        box.click()  # the clinician ticks it; its colour comes from the definition
        assert win.course.chart.point_count("TESTDEP") == 1
        assert "#123456" in box.styleSheet()
        row = win.patients.model.row_of(clinic.patient_id)
        assert row is not None
        shown = win.patients.model.index(row, len(headers) - 2).data()
        assert shown == "5"


def test_phq8_entered_scored_and_printed(qtbot, db: Database, clinic) -> None:
    form = EntryForm(INSTRUMENTS["PHQ8"], DEFAULT_SETTINGS)
    qtbot.addWidget(form)
    form.show()
    for key in "21212121":
        qtbot.keyClick(form, key)
    assert form.total_line.text() == "PHQ-8 total 12 · moderate" and form.safety.isHidden()
    when = load_timeline(db, clinic.course_id).sessions[-1].when + timedelta(hours=1)
    record_assessment(db, clinic.course_id, AssessmentInput("PHQ8", form.responses, when))
    timeline = load_timeline(db, clinic.course_id)
    text = _text(render_summary(timeline, generated_at=datetime(2026, 3, 1, 12, 0)))
    assert "PHQ-8" in text and "12 moderate" in text
    assert "PHQ-8 (Kroenke 2009)" in text  # explained because this course used it


def test_pdf_without_phq8_is_unchanged(db: Database, clinic) -> None:
    text = _text(
        render_summary(load_timeline(db, clinic.course_id), generated_at=datetime(2026, 3, 1))
    )
    assert "PHQ-8" not in text
    assert (
        "Severity bands: PHQ-9 (Kroenke 2001), GAD-7 (Spitzer 2006), MADRS (Snaith); CGI-S is "
        "ordinal, so no percent change or response category is shown for it. MADRS item "
        "descriptions are not reproduced (licensing): short labels only." in text
    )
    assert "PHQ-9 item 9 \u2265 1 or unanswered (tier 2 from 2); MADRS item 10 \u2265 4." in text
    assert (
        "MADRS \u2264 10. Reliable change (NHS Talking Therapies): PHQ-9 \u2265 6 points, " in text
    )
    assert "GAD-7 \u2265 4 points; MADRS has no standard value." in text
    assert "PHQ-9 item 9 is never imputed." in text


def test_course_stored_with_old_settings_json_still_opens(
    db: Database, db_path: Path, clinic
) -> None:
    with sqlite3.connect(db_path) as con:
        con.execute(
            "UPDATE course SET settings_json = ? WHERE id = ?", (OLD_JSON, clinic.course_id)
        )
    timeline = load_timeline(db, clinic.course_id)
    assert timeline.course.settings.for_instrument("MADRS").remission_max == 12
    assert timeline.course.settings.for_instrument("PHQ9").safety_urgent_min == 2
    text = _text(render_summary(timeline, generated_at=datetime(2026, 3, 1)))
    assert "MADRS \u2264 12" in text
