"""Start-up paints the patient list before SQLAlchemy loads (issue 11), showing exactly
what the services would show, and builds the rest of the window after that paint."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import NAMES, Clinic, closed

from mbctracker.app import make_window
from mbctracker.domain.course import Modality, PatientId
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.patient_list import patient_page
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import Database
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.models.patient_model import FIRST_PAGE

WAIT = 120_000  # ms: a ceiling for a hung start, never a speed assertion

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.UserRole,
)


def _flag(db: Database, clinic: Clinic) -> None:
    """An open safety flag (PHQ-9 item 9 = 2) and a prorated score on the clinic's course."""
    when = datetime.now() - timedelta(hours=2)
    record_assessment(db, clinic.course_id, AssessmentInput("PHQ9", [3] * 8 + [2], when))
    when += timedelta(minutes=5)
    record_assessment(db, clinic.course_id, AssessmentInput("PHQ9", [3] * 7 + [None, 2], when))


def _late_patients(db: Database, count: int) -> PatientId:
    """Patients sorting after the first page; the last one has a course. Returns it."""
    for i in range(count):
        register_patient(db, PatientInput(mrn=f"LATE-{i:03d}", name=f"Zz Late {i:03d}"))
    last = register_patient(db, PatientInput(mrn="LATE-999", name="Zzz Last"))
    start_course(db, last.id, Modality.TMS, date.today() - timedelta(days=3), 20)
    return last.id


def _cells(win: MainWindow, rows: range) -> list[tuple[object, ...]]:
    model = win.patients.model
    return [
        tuple(model.index(r, c).data(role) for c in range(model.columnCount()) for role in ROLES)
        for r in rows
    ]


def _fast(db_path: Path, ini: Path) -> MainWindow:
    return make_window(db_path, settings_path=ini, fast_start=True)


def test_the_first_paint_shows_what_the_services_show_before_sqlalchemy_is_used(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    _flag(db, clinic)
    db.dispose()
    fast = _fast(db_path, tmp_path / "fast.ini")
    qtbot.addWidget(fast)
    assert not fast.is_ready and not fast.db.engine_made, "nothing read through SQLAlchemy yet"
    usual = make_window(db_path, settings_path=tmp_path / "usual.ini")
    qtbot.addWidget(usual)
    rows = fast.patients.model.rowCount()
    assert rows == usual.patients.model.rowCount() == len(NAMES) * 4 + 1
    assert _cells(fast, range(rows)) == _cells(usual, range(rows))
    flagged = [r for r in range(rows) if fast.patients.model.index(r, 0).data()]
    assert len(flagged) == 1 and "2 open" in fast.patients.model.index(flagged[0], 0).data()
    assert fast.patients.count_label.text() == usual.patients.count_label.text()
    fast.show()
    qtbot.waitUntil(lambda: fast.is_ready)  # built right after the first paint
    assert _cells(fast, range(rows)) == _cells(usual, range(rows))
    assert fast.flags_label.text() == usual.flags_label.text()
    for win in (fast, usual):
        win.close()
        win.db.dispose()


def test_the_reopened_patient_is_selected_at_the_first_paint_then_shown(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    """A patient far past the first page: their row is found and painted selected."""
    last = _late_patients(db, FIRST_PAGE + 30)
    db.dispose()
    ini = tmp_path / "ui.ini"
    ini.write_text(f"[last]\npatient={int(last)}\n", encoding="utf-8")
    fast = _fast(db_path, ini)
    qtbot.addWidget(fast)
    assert not fast.is_ready
    assert fast.patients.current_patient() == last
    row = fast.patients.table.currentIndex().row()
    assert row > FIRST_PAGE and fast.patients.model.index(row, 1).data() == "Zzz Last"
    assert fast.patients.model.index(0, 1).data() is None, "rows above are read later"
    fast.show()
    qtbot.waitUntil(lambda: fast.is_ready)
    assert fast.course.patient is not None and fast.course.patient.id == last
    first = patient_page(fast.db, offset=0, limit=1)[0].name
    assert fast.patients.model.index(0, 1).data() == first, "read once loaded"
    fast.close()
    fast.db.dispose()


def test_a_course_changed_outside_the_app_is_computed_not_shown_stale(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    """A row whose stored summary is marked stale makes start-up read the usual way."""
    db.dispose()
    with sqlite3.connect(db_path) as conn:  # another program rewrites a score
        conn.execute("UPDATE assessment SET total = 27 WHERE course_id = ?", (clinic.course_id,))
    fast = _fast(db_path, tmp_path / "ui.ini")
    qtbot.addWidget(fast)
    assert fast.is_ready, "loaded through the services, which compute the stale course"
    fast.close()
    fast.db.dispose()


def test_a_new_database_is_built_the_usual_way(qtbot, tmp_path) -> None:
    """Creating (or migrating) a file loads SQLAlchemy anyway: no two-step start."""
    win = _fast(tmp_path / "new.sqlite3", tmp_path / "ui.ini")
    qtbot.addWidget(win)
    assert win.is_ready and win.panes.currentWidget() is win.welcome
    win.close()
    win.db.dispose()


def test_a_shortcut_used_before_the_rest_is_built_still_works(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    db.dispose()
    win = _fast(db_path, tmp_path / "ui.ini")
    qtbot.addWidget(win)
    assert not win.is_ready
    win.actions_by_name["new_patient"].trigger()  # Ctrl+N typed while it loads
    assert win.is_ready and win.dialog is not None and win.dialog.isVisible()
    win.dialog.close()
    qtbot.waitUntil(lambda: closed(win.dialog))
    win.close()
    win.db.dispose()


def test_closing_before_the_rest_is_built_keeps_the_last_patient(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    db.dispose()
    ini = tmp_path / "ui.ini"
    ini.write_text(f"[last]\npatient={int(clinic.patient_id)}\n", encoding="utf-8")
    win = _fast(db_path, ini)
    qtbot.addWidget(win)
    win.close()
    assert not win.is_ready
    assert int(win.settings.value("last/patient")) == clinic.patient_id
    win.db.dispose()


def test_a_window_closed_before_the_rest_is_built_stays_closed(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    """The unpainted-finish timer of a window already closed builds nothing: it used to
    start live updates over the let-go database, in whichever test ran next."""
    db.dispose()
    win = _fast(db_path, tmp_path / "ui.ini")
    qtbot.addWidget(win)
    timer = win.unpainted_timer
    assert timer is not None and timer.isActive()
    with qtbot.waitSignal(timer.timeout, timeout=WAIT):
        win.close()
        win.db.dispose()
    assert not win.is_ready and not hasattr(win, "live")


PAINT_ONLY = """
import sys
from PySide6.QtWidgets import QApplication
from mbctracker.app import make_window
app = QApplication(sys.argv[:1])
win = make_window(sys.argv[1], settings_path=sys.argv[2], fast_start=True)
win.show(); app.processEvents(); win.repaint()
heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic", "pyqtgraph", "numpy", "pandas",
                           "reportlab", "statsmodels", "importlib.metadata",
                           "mbctracker.presentation") if m in sys.modules)
print(win.patients.model.rowCount(), win.is_ready, heavy)
"""


def test_the_first_paint_imports_no_sqlalchemy_pyqtgraph_or_reportlab(
    db, db_path, clinic, tmp_path
) -> None:
    db.dispose()
    done = subprocess.run(
        [sys.executable, "-c", PAINT_ONLY, str(db_path), str(tmp_path / "ui.ini")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.split("\n")[0] == f"{len(NAMES) * 4 + 1} False []"


def test_the_split_and_docks_are_restored_around_the_first_paint(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    db.dispose()
    ini = tmp_path / "ui.ini"
    first = make_window(db_path, settings_path=ini)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.split.setSizes([430, 1200])
    first.show_today()
    left = first.split.sizes()[0]
    first.close()
    first.db.dispose()
    again = _fast(db_path, ini)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.is_ready)
    assert again.split.sizes()[0] == left
    assert again.today_dock.isVisible()
    again.close()
    again.db.dispose()


def test_a_window_that_never_paints_is_finished_anyway(
    qtbot, db, db_path, clinic, tmp_path
) -> None:
    """Started minimised or on another desktop: no paint, but the rest is still built."""
    db.dispose()
    win = _fast(db_path, tmp_path / "ui.ini")
    qtbot.addWidget(win)
    assert not win.is_ready and not win.isVisible()
    qtbot.waitUntil(lambda: win.is_ready)
    assert win.course is not None
    win.close()
    win.db.dispose()
