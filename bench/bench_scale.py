"""The honest bench: every figure of issue 11 at 200, 2,000 and 22,481 patients.

Each figure is timed to the paint (the event loop's pass that paints what changed,
and a synchronous repaint when that pass painted nothing of the widget; see
:func:`_paint`), repeated 30+ times, and printed as median, p95 and the ratio to a
floor measured in the same run:

- search keystroke / clear: the same SQL run raw through stdlib ``sqlite3`` plus a
  bare ``QTableView`` repaint of 40 rows;
- patient switch (click, Down key): the course's rows read raw plus the same bare repaint;
- save to chart: the service's write alone (no views);
- showing a course: its timeline read alone;
- start-up: a fresh interpreter showing an empty ``QMainWindow`` (QApplication + window);
  the app is timed to its list painted the way ``mbctracker`` starts (``fast_start``: the
  first page through stdlib sqlite3), on byte-compiled code; the rest of the window,
  built after that paint, is reported on its own line;
- memory: that floor process's peak RSS (``VmHWM``: ``ru_maxrss`` would carry the
  bench process's own peak across ``exec`` on Linux);
- backup: a plain file copy.

The machine may be shared: ratios travel, absolute figures do not.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .common import head_db

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "200,2000,22481").split(","))
"""Clinic sizes; ``BENCH_SIZES=200 make bench`` for a quick look."""
REPS = 30


def stats(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def line(name: str, samples: list[float], floor: list[float] | None = None) -> str:
    med, p95 = stats(samples)
    text = f"{name}: median {med:.1f} ms, p95 {p95:.1f} ms"
    if floor:
        fmed, _ = stats(floor)
        text += f" = {med / fmed:.2f}x floor ({fmed:.1f} ms)"
    return text


def timed(action: Callable[[], object], reps: int = REPS) -> list[float]:
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _paint(widget: Any) -> None:
    """Let queued work run, as the event loop does for the user, and see ``widget`` painted.

    Qt paints every dirty part of a window in one pass of the event loop; when that pass
    painted ``widget`` or anything in it, that paint is what the user sees. Only when
    nothing of it was painted is it painted now, so the clock never stops before a paint.
    (Until 2026-11-22 the widget was always repainted after the pass: a second, full
    paint of the course view the user never waits for, 5 ms of a save to chart.)
    """
    app = _app()
    seen = _paint_seen_class()(widget)
    app.installEventFilter(seen)
    try:
        app.processEvents()
    finally:
        app.removeEventFilter(seen)
    if not seen.painted:
        widget.repaint()


@functools.cache
def _paint_seen_class() -> Any:
    """Made on first use: the bench imports Qt late."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    class PaintSeen(QObject):
        """Notes whether a widget, or one inside it, received a paint event."""

        def __init__(self, widget: Any) -> None:
            super().__init__()
            self.widget, self.painted = widget, False

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if (
                not self.painted
                and event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget)
                and (obj is self.widget or self.widget.isAncestorOf(obj))
            ):
                self.painted = True
            return False

    return PaintSeen


@contextmanager
def _window(db: Path, work: Path) -> Iterator[Any]:
    from mbctracker.app import freeze_startup_objects, make_window

    win = make_window(db, settings_path=work / f"bench-{time.monotonic_ns()}.ini")
    win.resize(1600, 940)
    win.show()
    _paint(win)
    win.course.warm_chart()
    _paint(win)
    freeze_startup_objects()  # as the app does once it is ready
    try:
        yield win
    finally:
        win.close()
        win.db.dispose()


def _bare_table(rows: int = 40, cols: int = 11) -> Callable[[], None]:
    """Refill and repaint a plain table of the list's size: the paint part of a floor."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.resize(900, 800)
    view.show()

    def refill() -> None:
        model = QStandardItemModel(rows, cols)
        for r in range(rows):
            for c in range(cols):
                model.setItem(r, c, QStandardItem(f"r{r}c{c}"))
        view.setModel(model)
        _paint(view.viewport())

    refill.view = view  # type: ignore[attr-defined]  # keep it alive
    return refill


def _raw_search(path: Path, query: str) -> Callable[[], None]:
    """The list's SQL for a query run through stdlib sqlite3 (count + 40 ids)."""
    from mbctracker.services.patients import like_pattern
    from mbctracker.storage.search_text import fold

    conn = sqlite3.connect(path)
    folded = fold(query)
    if len(folded) >= 3:
        where = (
            "p.id IN (SELECT rowid FROM patient_fts WHERE patient_fts MATCH :phrase) "
            "AND p.search_key LIKE :pattern ESCAPE '\\'"
        )
    else:
        where = "p.search_key LIKE :pattern ESCAPE '\\'"
    params = {"phrase": '"' + folded.replace('"', '""') + '"', "pattern": like_pattern(query)}
    count = f"SELECT count(*) FROM patient p WHERE p.deleted_at IS NULL AND {where}"
    page = (
        f"SELECT p.id, p.name FROM patient p WHERE p.deleted_at IS NULL AND {where} "
        "ORDER BY p.name COLLATE NOCASE, p.id LIMIT 40"
    )

    def run() -> None:
        conn.execute(count, params).fetchone()
        conn.execute(page, params).fetchall()

    return run


QUERIES = ("ana silva", "demo-01234", "zoë", "chen")


def search(db: Path, work: Path) -> list[str]:
    floor_paint = _bare_table()
    with _window(db, work) as win:
        panel, table = win.patients, win.patients.table
        keys, clears, floor = [], [], []
        for _ in range(2):
            for text in QUERIES:
                for n in range(1, len(text) + 1):
                    raw = _raw_search(db, text[:n])
                    start = time.perf_counter()
                    raw()
                    floor_paint()
                    floor.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    panel.search.setText(text[:n])
                    panel.apply_search()  # what the debounce timer runs
                    _paint(table.viewport())
                    keys.append(time.perf_counter() - start)
                start = time.perf_counter()
                panel.search.clear()
                panel.apply_search()
                _paint(table.viewport())
                clears.append(time.perf_counter() - start)
    return [
        line("search keystroke -> list painted", keys, floor),
        line("clear search -> list painted", clears, floor),
    ]


def _raw_course(path: Path, course_id: int) -> Callable[[], None]:
    conn = sqlite3.connect(path)

    def run() -> None:
        for table in ("treatment_session", "assessment", "event", "safety_action"):
            conn.execute(
                f"SELECT * FROM {table} WHERE course_id = ? AND deleted_at IS NULL", (course_id,)
            ).fetchall()

    return run


def switch(db: Path, work: Path) -> list[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    floor_paint = _bare_table()
    with _window(db, work) as win:
        model = win.patients.model
        rows = [r for r in range(min(model.rowCount(), 40)) if model.patient_at(r).course_id]
        clicks, downs, floor = [], [], []
        for row in (rows * 2)[:REPS]:
            raw = _raw_course(db, model.patient_at(row).course_id)
            start = time.perf_counter()
            raw()
            floor_paint()
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            win.patients.select_row(row)
            _paint(win.course)
            clicks.append(time.perf_counter() - start)
        win.patients.select_row(0)
        _paint(win)
        win.patients.table.setFocus()
        for _ in range(REPS):
            start = time.perf_counter()
            QTest.keyClick(win.patients.table, Qt.Key.Key_Down)
            _paint(win.course)
            downs.append(time.perf_counter() - start)
    return [
        line("patient switch by click -> course view painted", clicks, floor),
        line("patient switch by Down key -> course view painted", downs, floor),
    ]


def list_pages(db: Path, work: Path) -> list[str]:
    """Loading the next 60 rows as the list scrolls (fetchMore), timed to the paint."""
    from PySide6.QtCore import QModelIndex

    with _window(db, work) as win:
        model, view = win.patients.model, win.patients.table
        times = []
        for _ in range(REPS):
            if not model.canFetchMore(QModelIndex()):
                break
            start = time.perf_counter()
            model.fetchMore(QModelIndex())
            view.scrollToBottom()
            _paint(view.viewport())
            times.append(time.perf_counter() - start)
    return [line("next 60 list rows -> painted", times)] if times else []


# -- courses of 10, 60 and 300 sessions -------------------------------------------


def _course_of(db: Any, sessions: int) -> tuple[int, int]:
    """A patient with a ``sessions``-session TMS course, a PHQ-9 before each session."""
    from mbctracker.domain.course import Modality
    from mbctracker.services.assessments import AssessmentInput, record_assessment
    from mbctracker.services.courses import start_course
    from mbctracker.services.patients import PatientInput, register_patient
    from mbctracker.services.sessions import SessionInput, record_session

    start = datetime(2020, 1, 6, 9, 0)
    person = register_patient(db, PatientInput(f"BENCH-{sessions}", f"Bench Course{sessions}"))
    course = start_course(db, person.id, Modality.TMS, start.date(), sessions)
    for n in range(sessions):
        when = start + timedelta(days=n // 2 * 3 + n % 2, hours=n % 2)
        item = max(0, 3 - n * 4 // max(sessions, 1))
        record_assessment(db, course.id, AssessmentInput("PHQ9", [item] * 8 + [0], when))
        record_session(db, course.id, SessionInput(when + timedelta(minutes=30)))
    return int(person.id), int(course.id)


def course_figures(db_path: Path, work: Path) -> list[str]:
    """Save-to-chart and showing a course, on 10, 60 and 300 sessions (scaling by sessions)."""
    from mbctracker.services.timeline import load_timeline
    from mbctracker.storage import open_database

    copy = Path(tempfile.mkdtemp(prefix="mbct-bench-", dir="/dev/shm")) / "courses.sqlite3"
    shutil.copy(db_path, copy)
    db = open_database(copy, actor="bench")
    made = {n: _course_of(db, n) for n in (10, 60, 300)}
    db.dispose()
    lines = []
    with _window(copy, work) as win:
        for sessions, (patient, course) in made.items():
            shows, reads = [], []
            for _ in range(REPS):
                reads += timed(lambda c=course: load_timeline(win.db, c), 1)
                start = time.perf_counter()
                win.open_patient(patient)
                _paint(win.course)
                shows.append(time.perf_counter() - start)
                win.patients.select_row(0)
                _paint(win)
            win.open_patient(patient)
            _paint(win)
            saves, writes = _saves(win, patient, course, CALM, datetime(2024, 1, 1, 8, 0))
            lines.append(line(f"show a {sessions}-session course -> painted", shows, reads))
            lines.append(line(f"save -> chart painted, {sessions} sessions", saves, writes))
        patient, course = made[10]
        win.open_patient(patient)
        _paint(win)
        saves, writes = _saves(win, patient, course, FLAGGED, datetime(2024, 6, 1, 8, 0))
        lines.append(
            line(
                "save raising a safety flag -> banner and chart painted, 10 sessions", saves, writes
            )
        )
    shutil.rmtree(copy.parent, ignore_errors=True)
    return lines


CALM, FLAGGED = [2] * 8 + [0], [2] * 9
"""PHQ-9 answers of a save: most raise no flag; item 9 = 2 raises one (tier 2).

Until the fifth session of 2026-11-22 every save here raised a flag and none was
answered, so a course ended the run with 60 open flags listed in its banner and panel.
"""


def _saves(
    win: Any, patient: int, course: int, answers: list[int], when: datetime
) -> tuple[list[float], list[float]]:
    """REPS saves through the window, timed to the course view's paint, and as many
    writes alone (the floor). Each flag raised is answered (untimed) before the next
    save, as a nurse does, so each save raises exactly one."""
    from mbctracker.domain.course import SafetyActionKind
    from mbctracker.services.assessments import (
        AssessmentInput,
        record_assessment,
        record_safety_action,
    )
    from mbctracker.services.timeline import load_timeline
    from mbctracker.ui.operations import Changed, ChangeKind

    change = Changed(ChangeKind.ASSESSMENT, patient_id=patient, course_id=course)
    saves, writes = [], []
    for i in range(REPS):
        data = AssessmentInput("PHQ9", answers, when + timedelta(hours=i))
        start = time.perf_counter()
        record_assessment(win.db, course, data)
        writes.append(time.perf_counter() - start)
        data = AssessmentInput("PHQ9", answers, when + timedelta(hours=i, minutes=30))
        start = time.perf_counter()
        win.ops.run(change, record_assessment, course, data)
        _paint(win.course)
        saves.append(time.perf_counter() - start)
        for flag in load_timeline(win.db, course).open_flags:
            record_safety_action(win.db, flag.id, SafetyActionKind.REVIEWED)
    return saves, writes


# -- start-up, restart, memory (fresh interpreters) --------------------------------

FLOOR = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
win = QMainWindow(); win.resize(1600, 940); win.show(); win.repaint()
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(time.time(), hwm)
"""

APP = """
import sys, time
from PySide6.QtWidgets import QApplication
from mbctracker.app import make_window
app = QApplication(sys.argv[:1])
win = make_window(sys.argv[1], settings_path=sys.argv[2], fast_start=True)
win.resize(1600, 940); win.show(); app.processEvents(); win.repaint()
assert win.patients.model.rowCount() > 0
if sys.argv[3] != "0":
    assert win.patients.current_patient() == int(sys.argv[3]), "the last patient is selected"
stamp = time.time()
hwm_paint = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
start = time.perf_counter()
while not win.is_ready:
    app.processEvents()
ready = time.perf_counter() - start
start = time.perf_counter(); win.course.warm_chart(); warm = time.perf_counter() - start
here = win.patients.table.currentIndex().row()
rows = [r for r in range(win.patients.model.rowCount()) if r != here]
from bench.bench_scale import _paint  # timed to the paint as every other figure
start = time.perf_counter(); win.patients.select_row(rows[0]); _paint(win.course)
first = time.perf_counter() - start
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(stamp, hwm, first, warm, hwm_paint, ready)
"""


def _spawn(script: str, *args: str) -> list[float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    fields = [float(x) for x in out.stdout.strip().splitlines()[-1].split()]
    return [fields[0] - start, *fields[1:]]


def _far_patient(db: Path) -> tuple[int, int]:
    """The patient sorting last (past row 2,000 in the big clinic) and their row."""
    with closing(sqlite3.connect(db)) as conn:
        pid = conn.execute(
            "SELECT id FROM patient WHERE deleted_at IS NULL "
            "ORDER BY name COLLATE NOCASE DESC, id DESC LIMIT 1"
        ).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM patient WHERE deleted_at IS NULL").fetchone()
    return int(pid), int(total[0]) - 1


def _compile_package() -> None:
    """Byte-compile mbctracker first, as an installed app is (pip, PyInstaller).

    With ``PYTHONDONTWRITEBYTECODE`` set (as on the shared machine) every start
    would otherwise compile each module from source, about 60 ms of the first paint.
    """
    import compileall

    import mbctracker

    compileall.compile_dir(Path(mbctracker.__file__).parent, quiet=1)


def startup(db: Path, work: Path, runs: int = 7) -> list[str]:
    _compile_package()
    pid, row = _far_patient(db)
    ini = work / "reopen.ini"
    floor, fresh, again = [], [], []
    for i in range(runs):
        floor.append(_spawn(FLOOR))
        fresh.append(_spawn(APP, str(db), str(work / f"fresh-{i}.ini"), "0"))
        ini.write_text(f"[last]\npatient={pid}\n", encoding="utf-8")  # each run moves on
        again.append(_spawn(APP, str(db), str(ini), str(pid)))
    pick = lambda runs_, k: [r[k] for r in runs_]  # noqa: E731
    floor_rss = statistics.median(pick(floor, 1))
    rss = statistics.median(pick(fresh, 1)) / floor_rss
    at_paint = statistics.median(pick(fresh, 4))
    return [
        line("start-up to a painted list", pick(fresh, 0), pick(floor, 0)),
        line(f"restart reopening the patient at row {row:,}", pick(again, 0), pick(fresh, 0))
        + " (floor: the plain start-up)",
        line(
            "rest of the window built after the first paint (SQLAlchemy, course view)",
            pick(fresh, 5),
        ),
        line("first switch after start-up (chart warmed after paint)", pick(fresh, 2)),
        f"chart warm-up after the first paint (off the critical path): "
        f"median {statistics.median(pick(fresh, 3)) * 1000:.0f} ms",
        f"memory at the first paint: {at_paint / 1024:.0f} MB peak RSS = "
        f"{at_paint / floor_rss:.2f}x floor process",
        f"memory, app open: {statistics.median(pick(fresh, 1)) / 1024:.0f} MB peak RSS = "
        f"{rss:.2f}x floor process ({floor_rss / 1024:.0f} MB)",
    ]


def backup(db: Path) -> list[str]:
    from mbctracker.services.backups import backup_file

    folder = Path(tempfile.mkdtemp(prefix="mbct-bench-backup-", dir=db.parent))
    made, copies = [], []
    try:
        for i in range(3):
            start = time.perf_counter()
            shutil.copyfile(db, folder / f"plain-{i}")
            copies.append(time.perf_counter() - start)
            (folder / f"plain-{i}").unlink()
            start = time.perf_counter()
            backup_file(db, folder / f"copy-{i}.sqlite3")
            made.append(time.perf_counter() - start)
            (folder / f"copy-{i}.sqlite3").unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [line("backup (online copy + quick_check of the copy)", made, copies)]


def run() -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app()
    work = Path(tempfile.mkdtemp(prefix="mbctracker-bench-scale-"))
    lines: list[str] = []
    try:
        for size in SIZES:
            db = head_db(size)
            lines.append(f"--- {size:,} patients ({db.stat().st_size / 2**20:.0f} MB) ---")
            for part in (search, switch, list_pages):
                lines += part(db, work)
            lines += startup(db, work)
            lines += backup(db)
        largest = max(SIZES)  # the clinic the targets are set for, with all its costs
        lines.append(f"--- sessions per course ({largest:,}-patient clinic) ---")
        lines += course_figures(head_db(largest), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"(bench process peak RSS {peak:.0f} MB)")
    return lines


if __name__ == "__main__":
    for text in run():
        print(text, flush=True)
