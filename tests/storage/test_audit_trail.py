"""The change log: append-only, complete (who, when, old and new), exportable."""

from __future__ import annotations

import csv
import os
import stat
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from engines import integrity_errors, raw_connect, reopen
from mbctracker.domain.course import AssessmentId, CourseId, PatientId
from mbctracker.services import audit_log, patients
from mbctracker.services.assessments import (
    AssessmentInput,
    correct_assessment,
    delete_assessment,
    record_assessment,
    restore_assessment,
)
from mbctracker.services.timeline import load_timeline
from mbctracker.storage import Database
from mbctracker.storage.tables import ChangeLog


def _log_rows(db: Database) -> list[tuple[object, ...]]:
    with closing(raw_connect(db)) as conn:
        return conn.execute("SELECT * FROM change_log ORDER BY id").fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE change_log SET actor = 'someone else'",
        "UPDATE change_log SET changes = '{}' WHERE id = 1",
        "DELETE FROM change_log",
        "DELETE FROM change_log WHERE id = 1",
    ],
)
def test_change_log_refuses_raw_sql_edits(db: Database, course_id: CourseId, sql: str) -> None:
    before = _log_rows(db)
    assert before
    with closing(raw_connect(db)) as conn, pytest.raises(integrity_errors()) as err:
        conn.execute(sql)
    assert "append-only" in str(err.value)
    assert _log_rows(db) == before


def test_change_log_refuses_edits_through_the_orm(db: Database, course_id: CourseId) -> None:
    before = _log_rows(db)
    for statement in (update(ChangeLog).values(actor="x"), delete(ChangeLog)):
        with pytest.raises(IntegrityError, match="append-only"), db.write() as session:
            session.execute(statement)
    assert _log_rows(db) == before


def test_every_change_is_logged_with_actor_and_old_and_new_values(
    db: Database, course_id: CourseId
) -> None:
    when = datetime.now() - timedelta(days=3)
    saved = record_assessment(db, course_id, AssessmentInput("PHQ9", [2] * 9, when)).record
    second = reopen(db, "dr-second")
    try:
        corrected = correct_assessment(second, saved.id, [1] * 9, expected_version=saved.version)
    finally:
        second.dispose()
    aid = AssessmentId(saved.id)
    delete_assessment(db, aid, expected_version=corrected.record.version)
    assert load_timeline(db, course_id).assessments == ()
    restore_assessment(db, aid)
    assert [a.score.total for a in load_timeline(db, course_id).assessments] == [9]

    entries = [e for e in audit_log.course_changes(db, course_id) if e.table == "assessment"]
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "tester"),
        ("update", "dr-second"),
        ("delete", "tester"),
        ("restore", "tester"),
    ]
    create, correction, deletion, restore = entries
    assert create.changes["total"] == [None, 18]
    assert correction.changes["total"] == [18, 9]
    assert correction.changes["severity"] == ["moderately severe", "mild"]
    assert deletion.changes["deleted_at"][0] is None and deletion.changes["deleted_at"][1]
    assert restore.changes["deleted_at"][1] is None
    assert "total: 18 -> 9" in correction.describe()


def test_patient_delete_and_restore_are_logged_and_reversible(
    db: Database, course_id: CourseId
) -> None:
    (patient,) = patients.find_patients(db, "Synthetic Alpha")
    data = patients.PatientInput(patient.mrn, "Synthetic Alpha-Beta", patient.date_of_birth)
    updated = patients.update_patient(db, patient.id, data, expected_version=patient.version)
    patients.delete_patient(db, patient.id, expected_version=updated.version)
    assert patients.find_patients(db, "Synthetic Alpha") == []
    restored = patients.restore_patient(db, patient.id)
    assert restored.name == "Synthetic Alpha-Beta"
    mine = [e for e in audit_log.patient_changes(db, patient.id) if e.table == "patient"]
    assert [e.action for e in mine] == ["create", "update", "delete", "restore"]
    assert mine[1].changes["name"] == ["Synthetic Alpha", "Synthetic Alpha-Beta"]
    assert {e.actor for e in mine} == {"tester"}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_changes_csv_per_course_patient_and_all(
    db: Database, course_id: CourseId, tmp_path: Path
) -> None:
    when = datetime.now() - timedelta(days=3)
    saved = record_assessment(db, course_id, AssessmentInput("GAD7", [3] * 7, when)).record
    correct_assessment(db, saved.id, [1] * 7, expected_version=saved.version)
    other = patients.register_patient(
        db, patients.PatientInput("SYN-0002", "=HYPERLINK(1)", date(1990, 1, 1))
    )

    per_course = tmp_path / "course.csv"
    count = audit_log.export_changes_csv(db, per_course, course_id=course_id)
    rows = _read_csv(per_course)
    assert count == len(rows) and tuple(rows[0]) == audit_log.CSV_COLUMNS
    totals = [r for r in rows if r["action"] == "update" and r["field"] == "total"]
    assert [(r["old_value"], r["new_value"], r["actor"]) for r in totals] == [("21", "7", "tester")]
    assert all(r["at_utc"].endswith("+00:00") for r in rows)
    if os.name == "posix":
        assert stat.S_IMODE(per_course.stat().st_mode) == 0o600

    per_patient = tmp_path / "patient.csv"
    audit_log.export_changes_csv(db, per_patient, patient_id=PatientId(other.id))
    names = [r["new_value"] for r in _read_csv(per_patient) if r["field"] == "name"]
    assert names == ["'=HYPERLINK(1)"], "formula-like text is quoted for spreadsheets"

    everything = tmp_path / "all.csv"
    audit_log.export_changes_csv(db, everything)
    tables = {r["table"] for r in _read_csv(everything)}
    assert {"patient", "course", "assessment"} <= tables
