"""Every Qt model passes pytest-qt's model tester with real data in it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from ui_helpers import open_patient

from mbctracker.ui.models.patient_model import FIRST_PAGE, PAGE_SIZE, PatientListModel
from mbctracker.ui.widgets.heatmap import HeatmapModel


def test_patient_list_model(qtmodeltester, window) -> None:
    model = window.patients.model
    assert isinstance(model, PatientListModel)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_patient_list_model_pages_lazily(qtmodeltester, db, clinic) -> None:
    from mbctracker.services.patients import PatientInput, register_patient

    for i in range(FIRST_PAGE + PAGE_SIZE + 5):
        register_patient(db, PatientInput(mrn=f"BULK-{i:03d}", name=f"Bulk {i:03d}"))
    model = PatientListModel(db)
    model.set_query("bulk")
    total = FIRST_PAGE + PAGE_SIZE + 5
    assert (model.rowCount(), model.total) == (FIRST_PAGE, total)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == FIRST_PAGE + PAGE_SIZE
    model.fetchMore(QModelIndex())
    assert model.rowCount() == total and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_course_tables_heatmap_and_change_log(qtmodeltester, qtbot, window, clinic) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    course = window.course
    course.tabs.setCurrentWidget(course.change_log)
    for model in (
        course.sessions_model,
        course.assessments_model,
        course.events_model,
        course.heatmap.model,
        course.change_log.model,
    ):
        assert model.rowCount() > 0 or model is course.events_model
        qtmodeltester.check(model)
    assert isinstance(course.heatmap.model, HeatmapModel)
    assert course.heatmap.model.columnCount() == 3  # baseline + two pre-session PHQ-9s
