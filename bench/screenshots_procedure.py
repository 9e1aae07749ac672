"""Screenshots of the procedure day (issue 10 §2): the vitals flowsheet and a REMS form.

Run with ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.screenshots_procedure``.
A fresh 200-patient demo database is generated in a temporary folder (not the shared
bench cache, whose schema may come from another branch); one esketamine session gets
its vitals and REMS record through the services, as a nurse would enter them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bench.common import DEMO_TODAY
from bench.screenshots import DOCS, SIZE, grab, settle
from mbctracker.app import make_window
from mbctracker.domain.course import CourseId, Modality, PatientId
from mbctracker.domain.procedure import RemsRecord, VitalPoint, VitalSigns
from mbctracker.services.courses import start_course
from mbctracker.services.demo import generate_demo
from mbctracker.services.procedure import save_vitals
from mbctracker.services.rems import rems_form_pdf, save_rems_record
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import Database, open_database


def _esketamine_day(db: Database, patient_id: PatientId) -> tuple[CourseId, int]:
    """A short esketamine course whose latest session has vitals and a REMS record."""
    day = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    course = start_course(db, patient_id, Modality.ESKETAMINE, (day - timedelta(days=7)).date(), 8)
    for offset, dose in ((7, "56"), (4, "56"), (0, "84")):
        when = day - timedelta(days=offset)
        details = {
            "dose_mg": dose,
            "monitoring_min": 125,
            "sedation": "mild",
            "dissociation": "mild",
        }
        session = record_session(db, course.id, SessionInput(when, details)).record
    readings = [
        VitalSigns(VitalPoint.PRE_DOSE, day - timedelta(minutes=5), 146, 88, 74, 98),
        VitalSigns(VitalPoint.DURING, day + timedelta(minutes=40), 168, 96, 82, 96),
        VitalSigns(VitalPoint.DISCHARGE, day + timedelta(minutes=125), 134, 84, 72, 98),
    ]
    save_vitals(db, session.id, readings)
    record = RemsRecord(
        lot_number="LOT-5521A",
        monitoring_start=day,
        monitoring_end=day + timedelta(minutes=125),
        ready_to_leave_at=day + timedelta(minutes=130),
        respiratory_status="normal",
        concomitant=("benzodiazepines",),
    )
    save_rems_record(db, session.id, record)
    return course.id, session.id


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mbctracker-shots-"))
    db_path = work / "demo.sqlite3"
    db = open_database(db_path, actor="screenshots")
    generate_demo(db, patients=200, seed=1, today=DEMO_TODAY)
    from mbctracker.services.patients import PatientInput, register_patient

    patient = register_patient(db, PatientInput(mrn="DEMO-9001", name="Sam Demo-Rivera"))
    course_id, session_id = _esketamine_day(db, patient.id)
    pdf = work / "rems.pdf"
    pdf.write_bytes(rems_form_pdf(db, session_id))  # type: ignore[arg-type]
    db.dispose()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(DOCS / "rems-form")],
        check=True,
    )
    win = make_window(db_path, settings_path=work / "ui.ini")
    win.resize(*SIZE)
    win.show()
    settle()
    win.open_patient(patient.id)
    win.course.tabs.setCurrentWidget(win.course.vitals)
    written = [grab(win, "screenshot-vitals.png"), DOCS / "rems-form.png"]
    win.close()
    win.db.dispose()
    shutil.rmtree(work, ignore_errors=True)
    del course_id
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    sys.exit(main())
