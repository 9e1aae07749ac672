"""The app in Spanish for docs/ and the README: the course view with the Today dock,
and the pre-session entry form (its item texts stay English: see the About box).

Run with ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.screenshots_es``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bench.common import DEMO_TODAY, demo_db
from bench.screenshots import SIZE, course_patient, entry_patient, grab, pick, settle
from mbctracker.app import ensure_application, make_window
from mbctracker.ui import i18n
from mbctracker.ui.dialogs.entry_dialog import EntryDialog


def main() -> int:
    ensure_application()
    assert i18n.install("es"), "no Spanish catalogue: run `make translations`"
    work = Path(tempfile.mkdtemp(prefix="mbctracker-shots-es-"))
    db_path = work / "demo.sqlite3"
    shutil.copy(demo_db(200), db_path)
    win = make_window(db_path, settings_path=work / "ui.ini")
    win.resize(*SIZE)
    win.show()
    win.today.today = lambda: DEMO_TODAY
    win.show_today()
    row = pick(win, course_patient)
    win.open_patient(row.patient_id)
    win.course.chart.set_shown(["PHQ9", "MADRS"])
    settle()
    written = [grab(win, "screenshot-es.png")]
    win.open_patient(pick(win, entry_patient).patient_id)
    dialog = win.new_entry("GAD7")
    assert isinstance(dialog, EntryDialog)
    dialog.resize(860, 700)
    for value in (1, 2, 1):
        dialog.forms["GAD7"].answer(value)
    written.append(grab(dialog, "screenshot-es-entry.png"))
    dialog.close()
    win.close()
    win.db.dispose()
    i18n.uninstall()
    shutil.rmtree(work, ignore_errors=True)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    sys.exit(main())
