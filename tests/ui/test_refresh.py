"""The refresh plumbing: an operation says what changed; each view follows by itself.

Anki's ``operation_did_execute`` is the model: nobody refreshes a view by hand
after a write, so a write made anywhere (a dialog, the File menu, a script) keeps
every view current.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

from ui_helpers import open_patient

from mbctracker.domain.course import EventKind, PatientId
from mbctracker.services.events import record_event
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.storage import open_database
from mbctracker.ui.operations import Changed, ChangeKind

UI = Path(__file__).parents[2] / "src" / "mbctracker" / "ui"


def test_replacing_the_database_alone_refreshes_every_view(qtbot, window, clinic, tmp_path):
    open_patient(qtbot, window, clinic.patient_id)
    other = open_database(tmp_path / "second.sqlite3", actor="test")
    register_patient(
        other, PatientInput("SYN-9001", "Synthetic Second", date(1970, 1, 1), "female")
    )
    window.ops.replace_database(other)  # no view is told by hand
    assert window.patients.model.total == 1
    assert window.course.patient is None and window.course.timeline is None
    assert "second.sqlite3" in window.windowTitle()
    assert str(other.path) in window.statusBar().currentMessage()


def test_a_write_made_outside_any_dialog_reaches_the_course_view(qtbot, window, clinic):
    open_patient(qtbot, window, clinic.patient_id)
    before = len(window.course.timeline.events)
    window.ops.run(
        Changed(ChangeKind.EVENT, clinic.patient_id, clinic.course_id),
        record_event,
        clinic.course_id,
        EventKind.ED_VISIT,
        date.today(),
        description="Synthetic visit",
    )
    assert len(window.course.timeline.events) == before + 1
    assert window.statusBar().currentMessage() == "Saved event."


def test_a_new_patient_written_through_the_operation_is_listed_and_opened(qtbot, window):
    data = PatientInput("SYN-9002", "Synthetic Newcomer", date(1990, 2, 3), "male")
    info = window.ops.run(Changed(ChangeKind.PATIENT), register_patient, data)
    assert window.patients.search.text() == "SYN-9002"
    assert window.course.patient is not None and window.course.patient.id == PatientId(info.id)


def test_file_actions_do_not_know_the_main_window() -> None:
    """The File menu reaches the views through the operations, not the window's insides."""
    source = (UI / "dialogs" / "file_actions.py").read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "main_window" not in imported
    assert not re.search(r"window\.(_\w+|patients|course)\b", source)


def test_every_signal_the_ui_declares_is_connected() -> None:
    """A signal nobody connects is a refresh someone believes happens and does not."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in UI.rglob("*.py")}
    everything = "\n".join(p.read_text(encoding="utf-8") for p in UI.parent.rglob("*.py"))
    declared = {
        (name, match)
        for name, text in sources.items()
        for match in re.findall(r"^\s+(\w+) = Signal\(", text, re.M)
    }
    unconnected = sorted(
        f"{name}: {signal}"
        for name, signal in declared
        if not re.search(rf"\.{signal}\.connect\(|connect\([^)]*\.{signal}\)", everything)
    )
    assert unconnected == []


def test_the_save_and_report_block_lives_in_one_base() -> None:
    """Only ui/dialogs/forms.py turns a stale save into the message-and-close behaviour."""
    catching = sorted(
        p.name for p in UI.rglob("*.py") if "except StaleRecordError" in p.read_text("utf-8")
    )
    assert catching == ["forms.py", "operations.py"]  # operations only re-raises it
