"""Live updates: what another workstation saves appears here without a click.

"Another workstation" is a real second process writing to the same SQLite file
through the services; the window notices through ``PRAGMA data_version`` and the
test waits for the result with ``qtbot.waitUntil`` (never a fixed sleep).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

from ui_helpers import Clinic, open_patient, shown_window

from mbctracker.domain.course import PatientId
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.operations import Changed, ChangeKind
from mbctracker.ui.widgets.entry_form import EntryForm

WORKSTATION = """
import sys
from datetime import datetime
from mbctracker.domain.course import Modality
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.storage import open_database

db = open_database(sys.argv[1], actor="infusion room")
course_id = int(sys.argv[3]) if sys.argv[3] != "new" else start_course(
    db, int(sys.argv[2]), Modality.IV_KETAMINE, datetime.now().date(), planned_sessions=6
).id
item9 = int(sys.argv[4])
when = datetime.now().replace(second=0, microsecond=0)
record_assessment(db, course_id, AssessmentInput("PHQ9", [1] * 8 + [item9], when))
db.dispose()
"""


def other_workstation(db_path: Path, patient: int, course: int | str, item9: int) -> None:
    """Record a PHQ-9 from a separate process, as a second workstation would."""
    args = [sys.executable, "-c", WORKSTATION, str(db_path), str(patient), str(course), str(item9)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


_NONE = SimpleNamespace(open_flags=None)
"""Stands for a row not loaded yet."""


def list_row(win: MainWindow, patient_id: PatientId):
    row = win.patients.model.row_of(patient_id)
    return None if row is None else win.patients.model.patient_at(row)


def test_a_flag_raised_elsewhere_appears_on_the_list(
    qtbot, window: MainWindow, clinic: Clinic, db_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    other = clinic.other_ids[3]
    before = list_row(window, other)
    assert before is not None and before.open_flags == 0
    shown = window.course.timeline
    other_workstation(db_path, other, "new", item9=2)
    qtbot.waitUntil(lambda: (list_row(window, other) or before).open_flags == 1)
    qtbot.waitUntil(lambda: "1 open safety flag" in window.flags_label.text(), timeout=60_000)
    # the selection and the course on the right stayed where the clinician left them
    assert window.patients.current_patient() == clinic.patient_id
    assert window.course.timeline is shown  # another patient's save: not re-read


def test_the_open_course_refreshes_and_an_open_entry_keeps_its_digits(
    qtbot, window: MainWindow, clinic: Clinic, db_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    count = len(window.course.timeline.assessments)
    dialog = window.new_entry()
    qtbot.waitExposed(dialog)
    form = next(f for f in dialog.findChildren(EntryForm) if "PHQ" in f.accessibleName())
    form.setFocus()
    qtbot.keyClicks(form, "1201")
    assert form.responses[:4] == [1, 2, 0, 1]
    other_workstation(db_path, clinic.patient_id, clinic.course_id, item9=0)
    qtbot.waitUntil(lambda: len(window.course.timeline.assessments) == count + 1)
    assert dialog.isVisible()
    assert form.responses[:4] == [1, 2, 0, 1]  # the typed digits are untouched


def test_this_desks_own_save_is_not_news(qtbot, window: MainWindow, clinic: Clinic) -> None:
    from mbctracker.services.patients import PatientInput, register_patient

    external: list[Changed] = []
    window.ops.changed.connect(
        lambda c: external.append(c) if c.kind == ChangeKind.EXTERNAL else None
    )
    window.ops.run(
        Changed(ChangeKind.PATIENT), register_patient, PatientInput(mrn="OWN-1", name="Own Desk")
    )
    assert window.live.watcher is not None
    assert window.live.watcher.poll() is None  # the watcher skips this desk's own rows
    assert external == []


def _another_program_sets_item9(db_path: Path, course_id: int) -> None:
    """A script (not mbctracker) writes item 9 = 2 into the baseline PHQ-9's items."""
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "UPDATE assessment SET responses = '[2,3,2,2,2,2,2,2,2]' "
            "WHERE course_id = ? AND timepoint = 'baseline'",
            (course_id,),
        )
        conn.commit()


def test_a_flag_another_program_writes_into_the_items_appears_on_the_list(
    qtbot, window: MainWindow, clinic: Clinic, db_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    assert list_row(window, clinic.patient_id).open_flags == 0
    _another_program_sets_item9(db_path, clinic.course_id)
    qtbot.waitUntil(lambda: list_row(window, clinic.patient_id).open_flags == 1, timeout=60_000)
    qtbot.waitUntil(lambda: "1 open safety flag" in window.flags_label.text(), timeout=60_000)
    qtbot.waitUntil(lambda: len(window.course.timeline.open_flags) == 1, timeout=60_000)


def test_a_flag_written_while_no_app_was_open_is_on_the_first_list(
    qtbot, clinic: Clinic, db_path: Path, tmp_path: Path
) -> None:
    """Closed overnight, a script changed the items: the first list of the morning
    (read before SQLAlchemy loads) is corrected as soon as the window is ready."""
    _another_program_sets_item9(db_path, clinic.course_id)
    with shown_window(qtbot, db_path, tmp_path) as window:
        qtbot.waitUntil(
            lambda: (list_row(window, clinic.patient_id) or _NONE).open_flags == 1,
            timeout=60_000,
        )
        qtbot.waitUntil(lambda: "1 open safety flag" in window.flags_label.text(), timeout=60_000)
