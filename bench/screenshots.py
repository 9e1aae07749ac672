"""Screenshots of the app on a 200-patient demo database, for docs/ and the README.

Run with ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.screenshots``. The
cached demo database is copied first: the entry screenshot saves a score.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from bench.common import DEMO_TODAY, demo_db
from mbctracker.app import make_window
from mbctracker.services.patient_list import PatientListRow, patient_page
from mbctracker.ui.dialogs.entry_dialog import EntryDialog
from mbctracker.ui.main_window import MainWindow

DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZE = (1760, 1000)


def settle(rounds: int = 5) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        app.processEvents()


def pick(win: MainWindow, wanted: callable) -> PatientListRow:  # type: ignore[valid-type]
    rows = patient_page(win.db, "", offset=0, limit=400)
    return next(r for r in rows if wanted(r))


def course_patient(row: PatientListRow) -> bool:
    return (
        row.modality == "IV ketamine"
        and row.sessions_done >= 6
        and row.badge in ("Response", "Remission")
        and bool(row.latest("PHQ9"))
    )


def entry_patient(row: PatientListRow) -> bool:
    return row.status == "Active" and row.modality == "IV ketamine" and not row.open_flags


def grab(widget: QWidget, name: str) -> Path:
    settle()
    out = DOCS / name
    widget.grab().save(str(out))
    return out


def composite(back: QWidget, front: QWidget, name: str) -> Path:
    """The alert drawn over the entry form, as the clinician sees it."""
    settle()
    base = back.grab().toImage()
    top = front.grab().toImage()
    image = QImage(base.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(QPoint(0, 0), base)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
    x = (base.width() - top.width()) // 2
    y = (base.height() - top.height()) // 2
    painter.drawImage(QPoint(x, y), top)
    painter.end()
    out = DOCS / name
    image.save(str(out))
    return out


def today_shot(win: MainWindow) -> Path:
    """The Today dock on the demo's own "today", a due patient opened from it."""
    win.today.today = lambda: DEMO_TODAY
    win.show_today()
    settle()
    line = next(iter(win.today.lines("due") or win.today.lines("flags")), None)
    if line is not None:
        win.open_course(line.patient_id, line.course_id)
        win.show_today()
    return grab(win, "screenshot-today.png")


def outcome_shots(win: MainWindow) -> list[Path]:
    """Clinic -> Outcomes after a run: the rates, and the MADRS trajectory classes."""
    from PySide6.QtCore import QEventLoop

    outcomes = win.open_outcomes()
    outcomes.resize(1500, 900)
    loop = QEventLoop()
    outcomes.analysis_finished.connect(loop.quit)
    outcomes.run()
    loop.exec()
    settle()
    shots = [grab(outcomes, "screenshot-outcomes-rates.png")]
    outcomes.tabs.setCurrentIndex(3)
    outcomes.class_table.selectRow(0)
    settle()
    shots.append(grab(outcomes, "screenshot-outcomes-trajectories.png"))
    outcomes.close()
    return shots


def preference_shots(win: MainWindow) -> list[Path]:
    """Edit -> Preferences: the clinic tab, and the vitals limits with their sources."""
    prefs = win.preferences()
    settle()
    shots = [grab(prefs, "screenshot-preferences.png")]
    tabs = prefs.tabs  # type: ignore[attr-defined]
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Around the session"))
    shots.append(grab(prefs, "screenshot-preferences-session.png"))
    prefs.close()
    return shots


def dark_shot(win: MainWindow) -> Path:
    """View -> Theme -> Dark: the course with the chart and the item heatmap."""
    win.set_theme("dark")
    settle(10)
    row = pick(win, course_patient)
    win.open_patient(row.patient_id)
    win.course.chart.set_shown(["PHQ9", "MADRS"])
    shot = grab(win, "screenshot-dark.png")
    win.set_theme("system")
    settle(10)
    return shot


def print_shot(win: MainWindow) -> Path:
    """File -> Print: the preview with its page thumbnails, before the print dialog."""
    from mbctracker.ui.dialogs import file_actions

    row = pick(win, course_patient)
    win.open_patient(row.patient_id)
    preview = file_actions.print_summary(win)
    assert preview is not None
    preview.resize(1100, 900)
    preview.show_page(0)
    shot = grab(preview, "screenshot-print-preview.png")
    preview.reject()
    return shot


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mbctracker-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")  # View -> Theme: not this desk's
    db_path = work / "demo.sqlite3"
    shutil.copy(demo_db(200), db_path)
    win = make_window(db_path, settings_path=work / "ui.ini")
    win.resize(*SIZE)
    win.show()
    settle()
    written = []
    win.patients.show_worklist(1)  # open safety flags first: the worklist
    row = pick(win, lambda r: r.open_flags > 0)
    win.open_patient(row.patient_id)
    written.append(grab(win, "screenshot-patients.png"))
    win.patients.show_worklist(0)
    row = pick(win, course_patient)
    win.open_patient(row.patient_id)
    win.course.chart.set_shown(["PHQ9", "MADRS"])
    written.append(grab(win, "screenshot-course.png"))
    row = pick(win, entry_patient)
    win.open_patient(row.patient_id)
    dialog = win.new_entry("PHQ9")
    assert isinstance(dialog, EntryDialog)
    dialog.resize(860, 760)
    form = dialog.forms["PHQ9"]
    for value in (2, 2, 1, 2, 1, 1, 2, 1, 2, 1):  # nine items, then the difficulty answer
        form.answer(value)
    written.append(grab(dialog, "screenshot-entry-form.png"))
    dialog.save_current()
    assert dialog.alert is not None
    settle()
    written.append(composite(dialog, dialog.alert, "screenshot-entry-alert.png"))
    dialog.alert.reject()
    dialog.close()
    written += preference_shots(win)
    written.append(print_shot(win))
    written.append(dark_shot(win))
    written.append(today_shot(win))
    written += outcome_shots(win)
    win.close()
    win.db.dispose()
    empty = make_window(work / "new-clinic.sqlite3", settings_path=work / "empty.ini")
    empty.resize(*SIZE)
    empty.show()
    settle()
    written.append(grab(empty, "screenshot-welcome.png"))
    empty.close()
    empty.db.dispose()
    shutil.rmtree(work, ignore_errors=True)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    sys.exit(main())
