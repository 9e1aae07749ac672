"""Two windows or two workstations on one file: no lost update, stale saves refused.

Each ``Database`` below has its own engine and connections, exactly like a
second app instance; SQLite's file locks are what keep them apart.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from engines import hold_write_lock, reopen, target
from mbctracker.domain.course import AssessmentId, Phase
from mbctracker.domain.timeline import CourseInfo, PatientInfo
from mbctracker.services import courses, patients
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    delete_assessment,
    record_assessment,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database, DatabaseLockedError, StaleRecordError


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second window (or workstation) on the same file."""
    second = reopen(db, "second workstation")
    yield second
    second.dispose()


def _as_input(info: PatientInfo, **changes: object) -> patients.PatientInput:
    data = patients.PatientInput(
        info.mrn, info.name, info.date_of_birth, info.sex, info.comorbidities, info.notes
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def test_stale_patient_save_is_refused_and_fresh_data_reloads(
    db: Database, other: Database, patient: PatientInfo
) -> None:
    mine = patients.get_patient(db, patient.id)
    theirs = patients.get_patient(other, patient.id)
    patients.update_patient(
        other, patient.id, _as_input(theirs, notes="seen by B"), expected_version=theirs.version
    )
    with pytest.raises(StaleRecordError, match="changed elsewhere") as caught:
        patients.update_patient(
            db, patient.id, _as_input(mine, notes="seen by A"), expected_version=mine.version
        )
    assert "not saved" in str(caught.value)
    fresh = patients.get_patient(db, patient.id)
    assert fresh.notes == "seen by B" and fresh.version == mine.version + 1
    merged = _as_input(fresh, notes="seen by B; seen by A")
    patients.update_patient(db, patient.id, merged, expected_version=fresh.version)
    assert patients.get_patient(other, patient.id).notes == "seen by B; seen by A"


def test_stale_assessment_correction_and_delete_are_refused(
    db: Database, other: Database, course: CourseInfo
) -> None:
    saved = record_assessment(
        db, course.id, AssessmentInput("PHQ9", [2] * 9, datetime(2026, 1, 5, 9))
    ).record
    correct_assessment(other, saved.id, [1] * 9, expected_version=saved.version)
    with pytest.raises(StaleRecordError):
        correct_assessment(db, saved.id, [3] * 9, expected_version=saved.version)
    with pytest.raises(StaleRecordError):
        delete_assessment(db, AssessmentId(saved.id), expected_version=saved.version)
    (reloaded,) = load_timeline(db, course.id).assessments
    assert reloaded.score.total == 9 and reloaded.version == saved.version + 1


def test_stale_course_phase_change_is_refused(
    db: Database, other: Database, course: CourseInfo
) -> None:
    courses.set_phase(other, course.id, Phase.MAINTENANCE, expected_version=course.version)
    with pytest.raises(StaleRecordError):
        courses.set_phase(db, course.id, Phase.CONTINUATION, expected_version=course.version)
    assert courses.get_course(db, course.id).phase == Phase.MAINTENANCE


def _append_note(
    db: Database,
    patient_id: int,
    token: str,
    stale: list[str],
    meet: threading.Barrier | None = None,
) -> None:
    """Read, think, save; on a stale save reload and try again (what the UI does).

    With ``meet``, the first read waits there for the other window's read, so both
    save over the same version: one stale save is certain, not left to the scheduler.
    """
    rng = random.Random(token)
    while True:
        current = patients.get_patient(db, patient_id)  # type: ignore[arg-type]
        if meet is not None:
            meet.wait()
            meet = None
        time.sleep(rng.uniform(0, 0.004))
        data = _as_input(current, notes=f"{current.notes}{token};")
        try:
            patients.update_patient(db, current.id, data, expected_version=current.version)
            return
        except StaleRecordError:
            stale.append(token)


def test_racing_windows_lose_no_update(db: Database, other: Database, patient: PatientInfo) -> None:
    stale: list[str] = []
    both_read = threading.Barrier(2, timeout=60)  # a ceiling for a hang

    def window(database: Database, name: str) -> None:
        for i in range(40):
            _append_note(database, patient.id, f"{name}{i}", stale, both_read if i == 0 else None)

    threads = [threading.Thread(target=window, args=(d, n)) for d, n in ((db, "A"), (other, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = patients.get_patient(db, patient.id)
    tokens = final.notes.rstrip(";").split(";")
    assert sorted(tokens) == sorted([f"A{i}" for i in range(40)] + [f"B{i}" for i in range(40)])
    assert final.version == patient.version + 80
    print(f"racing windows: 80 saves, {len(stale)} stale saves detected and retried")
    assert stale, "the race should have produced at least one stale save"


@pytest.fixture
def impatient(db: Database) -> Iterator[Database]:
    """A window that waits only 150 ms for the write lock (the app default is 5 s)."""
    quick = reopen(db, "impatient", busy_timeout_ms=150)
    yield quick
    quick.dispose()


def test_lock_held_past_the_timeout_is_a_plain_message(
    impatient: Database, patient: PatientInfo
) -> None:
    before = patients.get_patient(impatient, patient.id)
    with closing(hold_write_lock(impatient)) as holder:
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError) as caught:
            patients.update_patient(
                impatient, patient.id, _as_input(before, notes="x"), expected_version=1
            )
        waited = time.monotonic() - started
        assert patients.get_patient(impatient, patient.id).notes == "", "reads still work"
        holder.execute("ROLLBACK")
    assert waited >= 0.1, "the write waited for the lock before giving up"
    message = str(caught.value)
    assert "busy" in message and "Nothing was saved" in message and "try again" in message
    saved = patients.update_patient(
        impatient, patient.id, _as_input(before, notes="x"), expected_version=1
    )
    assert saved.notes == "x"


def test_short_lock_is_waited_for(db: Database, patient: PatientInfo) -> None:
    """The save asks for the lock while another program holds it, and is saved once it
    lets go: the lock is released only after the save's lock statement has started."""
    from sqlalchemy import event

    data = _as_input(patients.get_patient(db, patient.id), notes="waited")
    holder = hold_write_lock(db)
    asked = threading.Event()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "BEGIN IMMEDIATE" in statement or "pg_advisory_xact_lock" in statement:
            asked.set()

    def let_go() -> None:
        assert asked.wait(60)
        time.sleep(0.2)  # the save is inside its lock statement, waiting
        holder.execute("COMMIT")
        holder.close()

    event.listen(db.engine, "before_cursor_execute", before)
    release = threading.Thread(target=let_go)
    release.start()
    try:
        saved = patients.update_patient(db, patient.id, data, expected_version=patient.version)
    finally:
        release.join()
        event.remove(db.engine, "before_cursor_execute", before)
    assert saved.notes == "waited", "it waited for the lock instead of giving up"


def test_second_workstation_registering_the_same_mrn_is_refused(
    db: Database, other: Database
) -> None:
    from mbctracker.domain import ValidationError

    patients.register_patient(
        db, patients.PatientInput("SYN-77", "Synthetic Beta", date(1990, 1, 1))
    )
    with pytest.raises(ValidationError, match="already used"):
        patients.register_patient(
            other, patients.PatientInput("syn-77", "Synthetic Gamma", date(1991, 1, 1))
        )


_WORKSTATION = """
import sys
from pathlib import Path
from mbctracker.services import patients
from mbctracker.storage import StorageError, open_database
target = sys.argv[1]
db = open_database(target if "://" in target else Path(target), actor="workstation 2")
try:
    current = patients.get_patient(db, int(sys.argv[2]))
    data = patients.PatientInput(current.mrn, current.name, current.date_of_birth, notes="ws2")
    patients.update_patient(db, current.id, data, expected_version=int(sys.argv[3]))
    print("saved")
except StorageError as exc:
    print(type(exc).__name__, exc)
finally:
    db.dispose()
"""


def _workstation(db: Database, patient_id: int, expected_version: int) -> str:
    args = [
        sys.executable,
        "-c",
        _WORKSTATION,
        target(db),
        str(patient_id),
        str(expected_version),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_a_second_workstation_process_gets_stale_and_lock_messages(
    db: Database, patient: PatientInfo
) -> None:
    """Two processes, as on two workstations sharing a folder."""
    opened = patients.get_patient(db, patient.id)
    patients.update_patient(
        db, patient.id, _as_input(opened, notes="ws1"), expected_version=opened.version
    )
    answer = _workstation(db, patient.id, opened.version)
    assert answer.startswith("StaleRecordError") and "changed elsewhere" in answer
    assert patients.get_patient(db, patient.id).notes == "ws1"
    assert _workstation(db, patient.id, opened.version + 1) == "saved"
    assert patients.get_patient(db, patient.id).notes == "ws2"
