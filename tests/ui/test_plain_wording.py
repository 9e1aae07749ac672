"""Words the clinician reads: field labels not internal names, MADRS flag text, chart
titles and readout, heatmap columns, reference-line labels above the data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from test_entry import entry_form, open_entry, press
from ui_helpers import open_patient

from mbctracker.domain.course import SESSION_FIELDS, Modality, Timepoint
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.ui.dialogs.session_dialog import SessionDialog
from mbctracker.ui.errors import field_label
from mbctracker.ui.style import flag_cell_colours


def _session_dialog(qtbot, window, patient_id) -> SessionDialog:
    open_patient(qtbot, window, patient_id)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.dialog, SessionDialog))
    assert isinstance(window.dialog, SessionDialog)
    return window.dialog


@pytest.mark.parametrize(
    ("modality", "key", "typed", "wanted", "internal"),
    [
        (Modality.TMS, "percent_mt", "200", "Intensity of 200 % MT is impossible", "Percent mt"),
        (Modality.ECT, "charge_mc", "5000", "Charge of 5000 mC is impossible", "Charge mc"),
        (Modality.IM_KETAMINE, "dose_mg_per_kg", "9", "Dose of 9 mg/kg", "Dose mg per kg"),
    ],
)
def test_a_refused_session_value_is_named_by_its_label(
    qtbot, window, clinic, modality, key, typed, wanted, internal
) -> None:
    patient = clinic.other_ids[1]
    start_course(window.db, patient, modality, date.today() - timedelta(days=3), 10)
    dialog = _session_dialog(qtbot, window, patient)
    field = dialog.inputs[key]
    field.setFocus()
    qtbot.keyClicks(field, typed)
    dialog.save()
    shown = dialog.error.text()
    assert wanted in shown and internal not in shown, shown
    assert dialog.isVisible()


def test_every_session_field_is_named_by_its_form_label() -> None:
    for fields in SESSION_FIELDS.values():
        for spec in fields:
            shown = field_label(spec.key)
            assert shown is not None and shown.lower() in f"{spec.label} ({spec.unit})".lower()
            assert shown != spec.key.replace("_", " ").capitalize() or spec.key.isalpha()
    assert field_label("duration_min") == "Duration (min)"  # infusion or session duration
    assert field_label("percent_mt") == "Intensity (% MT)"


def test_madrs_flag_text_gives_the_range_not_the_number_twice(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    dialog.show_instrument("MADRS")
    form = entry_form(dialog, "MADRS")
    press(qtbot, form, list("3333333334"))
    assert "item 10 (Suicidal thoughts) = 4 on 0-6" in form.safety.text()
    assert "(4)" not in form.safety.text()
    press(qtbot, form, [Qt.Key.Key_Return])
    assert dialog.alert is not None
    shown = [label.text() for label in dialog.alert.findChildren(type(form.safety))]
    assert any("= 4 on 0-6" in t for t in shown) and not any("(4)" in t for t in shown)


def test_phq9_flag_text_keeps_the_answer_label(qtbot, window, clinic) -> None:
    dialog = open_entry(qtbot, window, clinic)
    form = entry_form(dialog, "PHQ9")
    press(qtbot, form, list("000000002"))
    assert "= 2 (More than half the days)" in form.safety.text()


def test_heatmap_labels_unlinked_scores_by_date(qtbot, window, clinic) -> None:
    # scores typed today with no session after them stay unlinked (issue 10 links by date)
    record_assessment(
        window.db,
        clinic.course_id,
        AssessmentInput("PHQ9", [1] * 9, datetime.now().replace(second=0, microsecond=0)),
    )
    open_patient(qtbot, window, clinic.patient_id)
    model = window.course.heatmap.model
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    unlinked = [
        r for r in model.records if r.session_number is None and r.timepoint.value == "pre_session"
    ]
    assert unlinked and "–" not in labels
    assert labels[0] == "BL"
    for record, label in zip(model.records[1:], labels[1:], strict=True):
        if record.session_number is None:
            assert label == f"{record.when.day} {record.when:%b}"
        else:
            assert label == f"S{record.session_number}"


def test_heatmap_red_only_for_a_madrs_item10_of_4_or_more(qtbot, window, clinic) -> None:
    when = datetime.now().replace(second=0, microsecond=0)
    for hours, item10 in ((3, 3), (2, 1), (1, 4)):
        answers = [2] * 9 + [item10]
        record_assessment(
            window.db,
            clinic.course_id,
            AssessmentInput("MADRS", answers, when - timedelta(hours=hours)),
        )
    open_patient(qtbot, window, clinic.patient_id)
    heatmap = window.course.heatmap
    heatmap.show_instrument("MADRS")
    model = heatmap.model
    flag_red = flag_cell_colours(model.dark)[0]  # every cell has a colour for its number
    red = [
        model.data(model.index(9, c), Qt.ItemDataRole.ForegroundRole).color() == flag_red
        for c in range(model.columnCount())
    ]
    assert red == [False, False, True]


def test_chart_date_axis_says_date_and_readout_shows_a_lone_baseline(qtbot, window, clinic) -> None:
    patient = clinic.other_ids[2]
    course = start_course(window.db, patient, Modality.IV_KETAMINE, date.today(), 6)
    when = datetime.now().replace(second=0, microsecond=0)
    record_assessment(
        window.db, course.id, AssessmentInput("PHQ9", [2] * 9, when, timepoint=Timepoint.BASELINE)
    )
    open_patient(qtbot, window, patient)
    chart = window.course.chart
    assert "No scores yet" not in chart.readout.text()
    assert f"baseline 18 on {when.date():%Y-%m-%d}" in chart.readout.text()
    chart.axis_mode.setFocus()
    qtbot.keyClick(chart.axis_mode, Qt.Key.Key_Down)
    title = chart.plot.getAxis("bottom").labelText
    assert title == "Date" and "Days" not in title


def test_reference_line_labels_sit_above_the_data(qtbot, window, clinic) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    chart = window.course.chart
    assert chart.line_labels
    order = chart.plot.scene().items()  # topmost first
    points = [i for i in order if type(i).__name__ == "ScatterPlotItem"]
    for label in chart.line_labels:
        assert all(order.index(label) < order.index(p) for p in points)


def test_two_events_after_one_session_share_one_label_on_screen(qtbot, window, clinic) -> None:
    from mbctracker.domain.course import DropoutReason, EventKind
    from mbctracker.services.events import record_event

    day = date.today() - timedelta(days=5)  # after the first infusion, before the second
    record_event(window.db, clinic.course_id, EventKind.ADVERSE_EVENT, day, description="BP")
    record_event(
        window.db, clinic.course_id, EventKind.DROPOUT, day, reason=DropoutReason.LOGISTICAL
    )
    open_patient(qtbot, window, clinic.patient_id)
    chart = window.course.chart
    assert chart.event_labels == ["Adverse event · Dropout (Logistical)"]
    chart.axis_mode.setFocus()
    qtbot.keyClick(chart.axis_mode, Qt.Key.Key_Down)  # by date: the same day, one label
    assert chart.event_labels == ["Adverse event · Dropout (Logistical)"]


def test_two_scores_before_one_session_have_their_own_heatmap_labels(qtbot, window, clinic) -> None:
    """Two PHQ-9s linked to session 1 (the nurse re-asked after a correction) read "S1a"
    and "S1b" in time order, never "S1" twice; every column label is its own."""
    from mbctracker.services.timeline import load_timeline

    first = next(
        r for r in load_timeline(window.db, clinic.course_id).of("PHQ9") if r.session_number == 1
    )
    record_assessment(
        window.db,
        clinic.course_id,
        AssessmentInput("PHQ9", [1] * 9, first.when + timedelta(minutes=10)),
    )
    open_patient(qtbot, window, clinic.patient_id)
    model = window.course.heatmap.model
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    linked = [
        label for r, label in zip(model.records, labels, strict=True) if r.session_number == 1
    ]
    assert linked == ["S1a", "S1b"], labels
    assert len(set(labels)) == len(labels)


def test_repeated_labels_of_every_kind_are_told_apart() -> None:
    from mbctracker.ui.widgets.heatmap import distinct_labels

    assert distinct_labels(["BL", "S1", "S1", "S2", "3 Nov", "3 Nov", "FU", "FU", "FU"]) == [
        "BL", "S1a", "S1b", "S2", "3 Nov a", "3 Nov b", "FU a", "FU b", "FU c",
    ]  # fmt: skip
    assert distinct_labels([]) == []
    many = distinct_labels(["FU"] * 28)
    assert len(set(many)) == 28 and many[25:] == ["FU z", "FU 27", "FU 28"]
