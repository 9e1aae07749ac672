"""Clinic -> Outcomes: filters typed, the run off the UI thread, tables and plots filled,
a class listed and a patient opened from it, Cancel, a bad date refused plainly."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import closed, shown_window

from mbctracker.services.outcomes import OutcomeFilters, run_clinic_outcomes
from mbctracker.storage import open_database
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.widgets import outcomes_window as outcomes_window_module
from mbctracker.ui.widgets.outcomes_window import OutcomesWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from analytics.clinic_generator import generate

WAIT = 120_000  # ms: a ceiling for a hung job, never a speed assertion


@pytest.fixture
def outcome_window(qtbot: Any, db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    db = open_database(db_path, actor="test")
    generate(db, patients=150, tms=40)
    db.dispose()
    with shown_window(qtbot, db_path, tmp_path) as win:
        yield win


def _open(qtbot: Any, win: MainWindow) -> OutcomesWindow:
    win.actions_by_name["outcomes"].trigger()
    outcomes = win.outcomes
    assert isinstance(outcomes, OutcomesWindow)
    qtbot.waitExposed(outcomes)
    return outcomes


def _run_with_keys(qtbot: Any, outcomes: OutcomesWindow, date_from: str) -> None:
    outcomes.date_from.setFocus()
    qtbot.keyClicks(outcomes.date_from, date_from)
    with qtbot.waitSignal(outcomes.analysis_finished, timeout=WAIT):
        qtbot.keyClick(outcomes.date_from, Qt.Key.Key_Return)


def test_outcomes_run_fill_tables_and_open_a_patient_from_a_class(
    qtbot: Any, outcome_window: MainWindow
) -> None:
    outcomes = _open(qtbot, outcome_window)
    _run_with_keys(qtbot, outcomes, "2024-01-01")
    expected = run_clinic_outcomes(outcome_window.db, OutcomeFilters())
    assert outcomes.result is not None
    assert outcomes.result["by_modality"] == expected["by_modality"]
    assert outcomes.rates_table.rowCount() == 9  # ECT (the anchor), IV ketamine, TMS x 3
    assert "191 courses of 191 patients" in outcomes.status.text()
    iv_phq = expected["by_modality"]["iv_ketamine"]["PHQ9"]
    assert outcomes.rates_table.item(3, 2).text() == str(iv_phq["evaluable"])
    # Trajectories: the planted MADRS classes; Down in the class table lists class 2.
    outcomes.tabs.setCurrentIndex(3)
    traj = expected["trajectories"]["MADRS"]
    assert outcomes.class_table.rowCount() == traj["k"]
    outcomes.class_table.setFocus()
    outcomes.class_table.setCurrentCell(0, 0)
    qtbot.keyClick(outcomes.class_table, Qt.Key.Key_Down)
    members = sorted(m for m, k in traj["assignment"].items() if k == 1)
    listed = [outcomes.patients.item(i).text() for i in range(outcomes.patients.count())]
    assert sorted(listed) == members and members
    # Enter on the first listed patient opens them in the main window.
    outcomes.patients.setFocus()
    qtbot.keyClick(outcomes.patients, Qt.Key.Key_Return)
    shown = outcome_window.course.patient
    assert shown is not None and shown.mrn == listed[0]


def test_a_rates_cell_lists_the_patients_behind_it(qtbot: Any, outcome_window: MainWindow) -> None:
    outcomes = _open(qtbot, outcome_window)
    _run_with_keys(qtbot, outcomes, "")
    row = outcomes.rate_keys.index(("tms", "PHQ9"))
    outcomes.rates_table.setCurrentCell(row, 3)  # the Response column
    responding = outcomes.result["by_modality"]["tms"]["PHQ9"]["response"]  # type: ignore[index]
    assert outcomes.patients.count() == responding
    assert outcomes.patients_label.text() == f"TMS, PHQ-9: response: {responding} patient(s)"


def test_cancel_stops_the_run_and_keeps_nothing(
    qtbot: Any, outcome_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel pressed while the job runs: the job is held at a gate until Cancel is
    pressed, so the test never races the thread (a fast job used to finish first)."""
    gate = threading.Event()

    def held(db: Any, chosen: Any, progress: Any) -> Any:
        gate.wait(WAIT / 1000)
        return real_analyse(db, chosen, progress)

    real_analyse = outcomes_window_module.analyse
    monkeypatch.setattr(outcomes_window_module, "analyse", held)
    outcomes = _open(qtbot, outcome_window)
    with qtbot.waitSignal(outcomes.analysis_finished, timeout=WAIT):
        outcomes.run()
        assert outcomes.job is not None
        outcomes.cancel()
        gate.set()
    assert outcomes.result is None
    assert outcomes.status.text() == "Stopped; nothing was changed."
    assert outcomes.run_button.isEnabled() and not outcomes.cancel_button.isEnabled()


def test_a_bad_date_is_refused_plainly(qtbot: Any, outcome_window: MainWindow) -> None:
    outcomes = _open(qtbot, outcome_window)
    qtbot.keyClicks(outcomes.date_to, "last week")
    qtbot.keyClick(outcomes.date_to, Qt.Key.Key_Return)
    boxes = outcomes.findChildren(QMessageBox, "userError")
    assert boxes and "To: 'last week' is not a date; allowed: YYYY-MM-DD" in boxes[-1].text()
    assert outcomes.job is None and outcomes.result is None


def test_mixed_models_run_in_the_background(qtbot: Any, outcome_window: MainWindow) -> None:
    outcomes = _open(qtbot, outcome_window)
    _run_with_keys(qtbot, outcomes, "")
    assert outcomes.mixed_button.isEnabled()
    with qtbot.waitSignal(outcomes.analysis_finished, timeout=WAIT):
        outcomes.mixed_button.click()
    assert outcomes.mixed_table.rowCount() == 3
    assert outcomes.mixed_table.item(0, 0).text() == "PHQ-9"
    assert outcomes.status.text() == "Mixed-effects models fitted."


def test_outcomes_run_on_a_clinic_server(qtbot: Any, pg_url: str, tmp_path: Path) -> None:
    """The Outcomes window over a PostgreSQL clinic server: the same run as on a file."""
    db = open_database(pg_url, actor="test")
    generate(db, patients=40, tms=10)
    expected = run_clinic_outcomes(db, OutcomeFilters())
    db.dispose()
    with shown_window(qtbot, pg_url, tmp_path) as win:  # type: ignore[arg-type]
        assert win.db.on_server
        outcomes = _open(qtbot, win)
        _run_with_keys(qtbot, outcomes, "")
        assert outcomes.result is not None
        assert outcomes.result["by_modality"] == expected["by_modality"]
        assert "51 courses of 51 patients" in outcomes.status.text()
        assert outcomes.rates_table.rowCount() == 9


def test_opening_another_database_closes_the_outcomes_of_the_old_one(
    qtbot: Any, outcome_window: MainWindow, tmp_path: Path
) -> None:
    """Its figures and patients were the old clinic's: left open, Enter on a listed patient
    would look them up in the new file, and Run would analyse the old one."""
    from mbctracker.ui.dialogs import file_actions

    old = _open(qtbot, outcome_window)
    _run_with_keys(qtbot, old, "")
    file_actions.switch_database(outcome_window, tmp_path / "second clinic.sqlite3")
    assert outcome_window.outcomes is None and closed(old)
    fresh = _open(qtbot, outcome_window)
    assert fresh is not old and fresh.db is outcome_window.db and fresh.result is None


def test_a_mixed_model_that_did_not_converge_shows_no_estimates(
    qtbot: Any, outcome_window: MainWindow
) -> None:
    outcomes = _open(qtbot, outcome_window)
    failed = {
        "n_patients": 40,
        "n_rows": 240,
        "intercept": {"estimate": 98.7, "ci_low": 98.0, "ci_high": 99.0},
        "slope_per_visit": {"estimate": -9.87, "ci_low": -9.9, "ci_high": -9.8},
        "converged": False,
    }
    outcomes.show_mixed({"MADRS": failed})
    shown = [outcomes.mixed_table.item(0, c).text() for c in range(4)]
    assert shown == [
        "MADRS",
        "-",
        "did not converge: estimates not shown",
        "40 patients, 240 visits",
    ]
