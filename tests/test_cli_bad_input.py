"""The headless commands meet bad files and tampered rows with one plain line and exit 2.

Issue 8 section 4: a full disk while creating a database, a symlink loop as --db, a
backup target under a regular file, a missing database given to ``report``, and rows
changed with raw SQL (invalid JSON, a 3-item PHQ-9, sex='x') never print a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from mbctracker.__main__ import main
from mbctracker.domain.course import EventKind, Modality, SafetyActionKind
from mbctracker.services.assessments import (
    AssessmentInput,
    record_assessment,
    record_safety_action,
)
from mbctracker.services.courses import start_course
from mbctracker.services.patients import PatientInput, register_patient
from mbctracker.services.sessions import SessionInput, record_session
from mbctracker.storage import open_database


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the command in-process; its one-line complaint on stderr."""
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip()


@pytest.fixture
def clinic_file(tmp_path: Path) -> Path:
    """One synthetic patient with a course, a session and a flagged PHQ-9 with an action."""
    path = tmp_path / "clinic.sqlite3"
    db = open_database(path, actor="t")
    patient = register_patient(db, PatientInput("SYN-1", "Synthetic Alpha", date(1980, 1, 1)))
    course = start_course(db, patient.id, Modality.IV_KETAMINE, date(2026, 1, 5), 6)
    record_session(db, course.id, SessionInput(datetime(2026, 1, 6, 10), {"dose_mg": 35.0}))
    flagged = record_assessment(
        db, course.id, AssessmentInput("PHQ9", [1] * 8 + [2], datetime(2026, 1, 6, 9))
    )
    record_safety_action(db, flagged.record.id, SafetyActionKind.REVIEWED)
    db.dispose()
    return path


TAMPERING = [
    ("invalid JSON in session details", "UPDATE treatment_session SET details = '{oops'",
     ("treatment_session record 1", "details")),
    ("sex = 'x'", "UPDATE patient SET sex = 'x'",
     ("patient record 1", "sex", "'x' is not one of female, male, other, unknown")),
    ("unknown modality", "UPDATE course SET modality = 'laser'", ("course record 1", "modality")),
    ("unknown action kind", "UPDATE safety_action SET kind = 'shrug'", ("safety_action record 1",)),
    ("comorbidities not a list", "UPDATE patient SET comorbidities = '\"ptsd\"'",
     ("comorbidities", "expected a JSON list")),
    ("damaged clinic settings",
     "INSERT OR REPLACE INTO app_meta(key, value) VALUES ('clinic_settings', '{oops')",
     ("app_meta record clinic_settings", "unreadable clinic settings")),
    ("damaged course thresholds", "UPDATE course SET settings_json = '{\"response_fraction\": 1}'",
     ("settings_json",)),
]  # fmt: skip


DAMAGED_ITEMS = [
    ("invalid JSON in responses", "UPDATE assessment SET responses = '[1, 2,'"),
    ("a 3-item PHQ-9", "UPDATE assessment SET responses = '[1, 2, 3]'"),
    ("text items", "UPDATE assessment SET responses = '[\"a\",1,1,1,1,1,1,1,1]'"),
]  # fmt: skip


@pytest.mark.parametrize("sql", [t[1] for t in DAMAGED_ITEMS], ids=[t[0] for t in DAMAGED_ITEMS])
def test_report_prints_damaged_items_with_a_warning_never_hiding_the_course(
    clinic_file: Path, tmp_path: Path, sql: str, capsys
) -> None:
    """Damaged items are named on paper; the rest of the course (and any flag) still prints."""
    with closing(sqlite3.connect(clinic_file)) as conn, conn:
        conn.execute(sql)
    out = tmp_path / "summary.pdf"
    code, err = _run(
        capsys, "report", "--db", str(clinic_file), "--patient", "SYN-1", "--out", str(out)
    )
    assert code == 0, err
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "stored record(s) disagree with their items" in " ".join(text.split())


@pytest.mark.parametrize(("sql", "says"), [t[1:] for t in TAMPERING], ids=[t[0] for t in TAMPERING])
def test_report_on_a_tampered_row_is_one_plain_line_and_exit_2(
    clinic_file: Path, tmp_path: Path, sql: str, says: tuple[str, ...], capsys
) -> None:
    with closing(sqlite3.connect(clinic_file)) as conn, conn:
        conn.execute(sql)
    out = tmp_path / "summary.pdf"
    code, err = _run(
        capsys, "report", "--db", str(clinic_file), "--patient", "SYN-1", "--out", str(out)
    )
    assert code == 2 and err.startswith("mbctracker report: ") and "\n" not in err, err
    for words in says:
        assert words in err
    assert not out.exists()
    code, err = _run(
        capsys,
        "report",
        "--db",
        str(clinic_file),
        "--all-active",
        "--out-dir",
        str(tmp_path / "all"),
    )
    assert code == 2 and err.splitlines()[-1].startswith("mbctracker report: "), err
    code, _ = _run(
        capsys, "backup", "--db", str(clinic_file), "--to", str(tmp_path / "copy.sqlite3")
    )
    assert code == 0, "a tampered row does not stop a byte-faithful backup"
    print(err)


def test_a_symlink_loop_as_db_is_a_plain_line(tmp_path: Path, capsys) -> None:
    loop_a, loop_b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    commands = [
        ["report", "--patient", "SYN-1", "--out", str(tmp_path / "s.pdf")],
        ["backup"],
        ["demo", "--patients", "1"],
        ["restore", str(tmp_path / "none.sqlite3")],
    ]
    for command in commands:
        code, err = _run(capsys, "--db", str(loop_a), *command)
        assert code == 2 and err.startswith(f"mbctracker {command[0]}: "), err
        assert "\n" not in err
        print(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite3", "b.sqlite3"]


@pytest.mark.parametrize("target", ["afile/backup.sqlite3", "afile/sub/backup.sqlite3"])
def test_a_backup_folder_that_is_a_file_is_a_plain_line(
    clinic_file: Path, tmp_path: Path, target: str, capsys
) -> None:
    """Root ignores chmod, so "cannot write the folder" is made with a file as the folder."""
    (tmp_path / "afile").write_text("not a folder")
    code, err = _run(capsys, "backup", "--db", str(clinic_file), "--to", str(tmp_path / target))
    assert code == 2 and err.startswith("mbctracker backup: ") and "\n" not in err, err
    assert "afile" in err and "nothing was backed up" in err.lower()
    assert "database was not changed" in err
    assert (tmp_path / "afile").read_text() == "not a folder"
    print(err)


def test_report_on_a_missing_database_creates_nothing(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "no" / "such" / "clinic.sqlite3"
    out = tmp_path / "s.pdf"
    code, err = _run(
        capsys, "report", "--db", str(missing), "--patient", "SYN-1", "--out", str(out)
    )
    assert code == 2 and "no database" in err.lower() and str(missing) in err, err
    assert list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    code, err = _run(
        capsys, "report", "--db", str(empty), "--all-active", "--out-dir", str(tmp_path / "o")
    )
    assert code == 2 and "no database" in err.lower()
    assert [p.name for p in tmp_path.iterdir()] == ["empty.sqlite3"] and empty.stat().st_size == 0


@pytest.fixture
def disk_full_after_pages() -> Iterator[None]:
    """Every new SQLite connection may hold 2 pages: SQLite then fails with SQLITE_FULL
    ("database or disk is full"), exactly as on a full disk."""

    def limit(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA max_page_count = 2")

    event.listen(Engine, "connect", limit)
    yield
    event.remove(Engine, "connect", limit)


def test_a_full_disk_while_creating_a_database_is_a_plain_line(
    tmp_path: Path, disk_full_after_pages: None, capsys
) -> None:
    path = tmp_path / "new" / "clinic.sqlite3"
    code, err = _run(capsys, "demo", "--db", str(path), "--patients", "2")
    assert code == 2 and "is full" in err and "\n" not in err.strip(), err
    assert not path.exists() and not Path(f"{path}-wal").exists(), "no half-made database"
    print(err)


def _mount_tiny_tmpfs(folder: Path) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def test_a_really_full_disk_while_creating_a_database_is_a_plain_line(
    tmp_path: Path, capsys
) -> None:
    """The same on a 64 kB tmpfs, where the system allows mounting one (root)."""
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if not _mount_tiny_tmpfs(tiny):
        pytest.skip("mounting a tmpfs needs root")
    try:
        code, err = _run(capsys, "demo", "--db", str(tiny / "clinic.sqlite3"), "--patients", "50")
        leftovers = sorted(p.name for p in tiny.iterdir())
    finally:
        subprocess.run(["umount", "-l", str(tiny)], check=True)  # lazy: never left mounted
    assert code == 2 and "is full" in err, err
    assert leftovers in ([], ["backups"]), leftovers
    print(err)


def _pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_report_clips_a_megabyte_of_old_free_text_and_finishes(
    clinic_file: Path, tmp_path: Path, capsys
) -> None:
    """Rows written before the limits (or with raw SQL) may be huge: the PDF clips them.

    No timing is asserted; the time is printed (run with -s) for the record.
    """
    import time

    from mbctracker.services.events import record_event

    db = open_database(clinic_file, actor="t")
    record_event(db, 1, EventKind.ADVERSE_EVENT, date(2026, 1, 7), description="short")  # type: ignore[arg-type]
    db.dispose()
    huge = ("lorem ipsum dolor sit amet " * 40_000)[:1_000_000]
    with closing(sqlite3.connect(clinic_file)) as conn, conn:
        conn.execute("UPDATE event SET description = ?", (huge,))
        conn.execute("UPDATE safety_action SET text = ?", ("t" * 300_000,))
        conn.execute("UPDATE patient SET name = ?", ("Synthetic " + "N" * 500_000,))
    out = tmp_path / "summary.pdf"
    started = time.perf_counter()
    code, err = _run(
        capsys, "report", "--db", str(clinic_file), "--patient", "SYN-1", "--out", str(out)
    )
    elapsed = time.perf_counter() - started
    assert code == 0, err
    text = _pdf_text(out)
    assert "(truncated, 1,000,000 characters)" in text
    assert "(truncated, 300,0" in text.replace("\n", "")  # the action, wrapped in its cell
    assert "(truncated, 500,010 characters)" in text.replace("\n", "")  # the header's name
    print(f"report with a 1 MB description: {elapsed:.1f} s, {len(PdfReader(out).pages)} pages")
