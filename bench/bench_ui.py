"""Desktop figures: start-up against bare Qt, patient switch, save-to-chart, search.

Start-up is measured in fresh subprocesses (wall clock from spawn to "ready"),
alternating app and baseline runs so machine noise hits both alike. The other
figures are medians in one process over the real main window (offscreen).
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from .common import demo_db

BASELINE = """
import sys, time
from PySide6.QtWidgets import QApplication
import pyqtgraph
app = QApplication(sys.argv[:1])
print(time.time())
"""

APP = """
import sys, time
from PySide6.QtWidgets import QApplication
from mbctracker.app import make_window
win = make_window(sys.argv[1], settings_path=sys.argv[2])
win.show()
QApplication.instance().processEvents()
assert win.patients.model.rowCount() > 0
print(time.time())
"""


def _spawn(script: str, *args: str) -> float:
    """Seconds from spawning a fresh interpreter to the script printing its time."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip().splitlines()[-1]) - start


def _reopening_ini(work: Path, patient_id: int) -> Path:
    """Settings as a previous session leaves them: the last patient is reopened."""
    ini = work / "reopen.ini"
    ini.write_text(f"[last]\npatient={patient_id}\n", encoding="utf-8")
    return ini


def startup(db: Path, work: Path, runs: int = 7) -> list[str]:
    """Fresh start (list only) and a restart that reopens the last patient's course."""
    from mbctracker.services.patient_list import patient_page
    from mbctracker.storage import open_database

    handle = open_database(db, actor="bench")
    patient = next(r for r in patient_page(handle, "", limit=50) if r.course_id)
    handle.dispose()
    reopen = _reopening_ini(work, patient.patient_id)
    fresh, again, base = [], [], []
    for i in range(runs):
        base.append(_spawn(BASELINE))
        fresh.append(_spawn(APP, str(db), str(work / f"fresh-{i}.ini")))
        again.append(_spawn(APP, str(db), str(reopen)))
    base_ms, fresh_ms, again_ms = (statistics.median(t) * 1000 for t in (base, fresh, again))
    return [
        f"baseline: import PySide6 + pyqtgraph, create QApplication: {base_ms:.0f} ms",
        f"start-up to shown window with the list filled (200 patients): {fresh_ms:.0f} ms "
        f"= {fresh_ms / base_ms:.2f}x baseline (target <= 2x)",
        f"start-up reopening the last patient (list + course + chart): {again_ms:.0f} ms "
        f"= {again_ms / base_ms:.2f}x baseline",
    ]


def _settle(app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        app.processEvents()


def _started(app) -> None:  # type: ignore[no-untyped-def]
    """What run_app does once the window is up: settle, then freeze start-up objects."""
    _settle(app)
    gc.collect()
    gc.freeze()


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def patient_switch(db: Path, work: Path) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from mbctracker.app import make_window

    win = make_window(db, settings_path=work / "switch.ini")
    win.resize(1600, 940)
    win.show()
    app = QApplication.instance()
    _started(app)
    times = []
    for row in list(range(24)) * 2:
        start = time.perf_counter()
        win.patients.select_row(row)
        _settle(app)
        times.append(time.perf_counter() - start)
    win.close()
    win.db.dispose()
    return [
        f"patient switch (list row -> course, chart, summary drawn): {_median_ms(times):.1f} ms"
    ]


def save_to_chart(db: Path, work: Path) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from mbctracker.app import make_window
    from mbctracker.services.assessments import AssessmentInput, record_assessment
    from mbctracker.services.patient_list import patient_page
    from mbctracker.ui.operations import Changed, ChangeKind

    copy = work / "save.sqlite3"
    shutil.copy(db, copy)
    win = make_window(copy, settings_path=work / "save.ini")
    win.resize(1600, 940)
    win.show()
    app = QApplication.instance()
    row = next(r for r in patient_page(win.db, "", limit=200) if r.status == "Active")
    win.open_patient(row.patient_id)
    win.course.chart.set_shown(["PHQ9"])
    _started(app)
    times = []
    for _ in range(20):
        before = win.course.chart.point_count("PHQ9")
        data = AssessmentInput("PHQ9", [1] * 9, datetime.now().replace(microsecond=0))
        start = time.perf_counter()
        change = Changed(ChangeKind.ASSESSMENT, patient_id=row.patient_id, course_id=row.course_id)
        win.ops.run(change, record_assessment, row.course_id, data)
        _settle(app)
        times.append(time.perf_counter() - start)
        assert win.course.chart.point_count("PHQ9") == before + 1
    win.close()
    win.db.dispose()
    return [f"save assessment -> chart redrawn: {_median_ms(times):.1f} ms"]


def search(db: Path, work: Path) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from mbctracker.app import make_window
    from mbctracker.ui.widgets.patient_panel import SEARCH_DEBOUNCE_MS

    win = make_window(db, settings_path=work / "search.ini")
    win.resize(1600, 940)
    win.show()
    app = QApplication.instance()
    _started(app)
    times = []
    for text in ("ana silva", "demo-01234", "zoë", "chen"):
        for n in range(1, len(text) + 1):
            start = time.perf_counter()
            win.patients.search.setText(text[:n])
            win.patients.apply_search()  # what the debounce timer runs
            _settle(app)
            times.append(time.perf_counter() - start)
    win.close()
    win.db.dispose()
    worst = max(times) * 1000
    return [
        f"search keystroke -> list updated, 22,481 patients: median {_median_ms(times):.1f} ms, "
        f"worst {worst:.1f} ms (plus the {SEARCH_DEBOUNCE_MS} ms typing debounce)"
    ]


def run() -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="mbctracker-bench-ui-"))
    small, big = demo_db(200), demo_db(22481)
    try:
        lines = startup(small, work)
        lines += patient_switch(small, work)
        lines += save_to_chart(small, work)
        lines += search(big, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
