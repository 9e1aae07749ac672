"""Privacy on disk: owner-only files and folders; no patient name or MRN in the log."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from engines import raw_connect
from mbctracker import logs
from mbctracker.domain import ValidationError
from mbctracker.domain.course import CourseId, PatientId
from mbctracker.services import backups
from mbctracker.services.patients import PatientInput, get_patient, register_patient
from mbctracker.storage import Database, open_database
from mbctracker.storage.redaction import protect_all

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A careless umask (0o000): privacy must not depend on the user's settings."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh log whose privacy filter knows only this test's patients.

    The filter is process-wide: a test run earlier in the same worker (the
    stateful flag test registers "Model Patient 3") would otherwise redact
    words this test expects to keep, such as "patient".
    """
    for name in ("_names", "_mrns", "_spaced_mrns"):
        monkeypatch.setattr(logs.PRIVACY, name, set())
    monkeypatch.setattr(logs.PRIVACY, "_spaced", None)
    path = logs.setup_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, logs.PrivateRotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def test_database_wal_shm_backups_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "new-folder" / "clinic.sqlite3"
    db = open_database(path, actor="tester")
    try:
        patient = register_patient(db, PatientInput("SYN-P1", "Synthetic Pi", date(1970, 1, 1)))
        assert patient.id
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        made = backups.backup_now(db)
        auto = backups.startup_backup(db)
        assert auto is not None
        seen = {
            p.name: oct(_mode(p)) for p in (path.parent, path, wal, shm, made.parent, made, auto)
        }
        kept = backups.restore_backup(made, path)
        assert kept is not None
        seen[kept.name] = oct(_mode(kept))
    finally:
        db.dispose()
    print("permissions seen:", seen)
    assert seen.pop(path.parent.name) == seen.pop(made.parent.name) == "0o700"
    assert set(seen.values()) == {"0o600"}


def test_existing_database_is_tightened_but_its_folder_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "Documents"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    path = shared / "clinic.sqlite3"
    open_database(path, actor="tester").dispose()
    path.chmod(0o644)
    open_database(path, actor="tester").dispose()
    assert (_mode(path), _mode(shared)) == (0o600, 0o755)


def test_log_files_are_owner_only_including_rotated_ones(
    log_file: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h, logs.PrivateRotatingFileHandler)
    )
    monkeypatch.setattr(handler, "maxBytes", 300)
    log = logging.getLogger("mbctracker.test")
    for i in range(20):
        log.info("assessment %d saved for course %d", i, 7)
    files = sorted(log_file.parent.iterdir())
    assert len(files) > 1, "the log should have rotated"
    assert {oct(_mode(f)) for f in files} == {"0o600"}
    assert oct(_mode(log_file.parent)) == "0o700"


def test_log_never_holds_a_registered_patients_name_or_mrn(
    db: Database, course_id: CourseId, log_file: Path
) -> None:
    log = logging.getLogger("mbctracker.test")
    name, mrn = "Synthetic Quentin-Marlowe", "SYN-Q-4471"
    patient = register_patient(db, PatientInput(mrn, name, date(1985, 2, 3)))
    try:
        register_patient(db, PatientInput(mrn.lower(), "Synthetic Other"))
    except ValidationError:
        log.exception("save refused for patient %d", patient.id)
    log.warning("opened %s (%s), patient id %d", name, mrn, patient.id)
    log.info("Marlowe called; quentin stays lower-case text; %s", f"mrn={mrn}.")
    text = log_file.read_text(encoding="utf-8")
    for secret in ("Quentin", "Marlowe", "SYN-Q-4471", "syn-q-4471"):
        assert secret not in text
    assert f"patient id {patient.id}" in text and "[redacted]" in text
    assert "ValidationError" in text, "the traceback is kept, only identifiers go"


def test_patients_only_loaded_from_the_database_are_protected_too(
    db: Database, log_file: Path
) -> None:
    """A row another workstation wrote (no ORM event here) is protected once loaded."""
    with closing(raw_connect(db)) as conn:
        cursor = conn.execute(
            "INSERT INTO patient(mrn, name, sex, comorbidities, notes, version, created_at, "
            "updated_at) VALUES ('SYN-LOADED-9', 'Synthetic Loadedperson', 'unknown', '[]', '', "
            "1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.commit()
        new_id = conn.execute("SELECT id FROM patient WHERE mrn = 'SYN-LOADED-9'").fetchone()[0]
    assert cursor is not None
    found = get_patient(db, PatientId(new_id))
    logging.getLogger("mbctracker.test").error("could not print %s (%s)", found.name, found.mrn)
    text = log_file.read_text(encoding="utf-8")
    assert "Loadedperson" not in text and "SYN-LOADED-9" not in text


def test_protect_all_registers_patients_never_loaded(db: Database, log_file: Path) -> None:
    with closing(raw_connect(db)) as conn:
        conn.execute(
            "INSERT INTO patient(mrn, name, sex, comorbidities, notes, version, created_at, "
            "updated_at) VALUES ('SYN-RAW-3', 'Synthetic Rawinsertson', 'unknown', '[]', '', "
            "1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.commit()
    assert protect_all(db) >= 1
    logging.getLogger("mbctracker.test").warning("list row: Rawinsertson / syn-raw-3")
    text = log_file.read_text(encoding="utf-8")
    assert "Rawinsertson" not in text and "syn-raw-3" not in text.lower()


def test_a_database_error_in_the_log_never_carries_the_rows_values(
    db: Database, log_file: Path
) -> None:
    """str(IntegrityError) used to include the INSERT's parameters: name, birth date."""
    from sqlalchemy.exc import IntegrityError

    from mbctracker.storage.tables import Patient

    register_patient(db, PatientInput("SYN-DUP-1", "Synthetic Firstholder"))
    with pytest.raises(IntegrityError) as caught, db.write() as session:
        session.add(
            Patient(
                mrn="SYN-DUP-1",
                mrn_key="syn-dup-1",
                name="Synthetic Neverlogged",
                date_of_birth=date(1966, 6, 6),
            )
        )
        session.flush()
    logging.getLogger("mbctracker.test").error("save failed", exc_info=caught.value)
    text = log_file.read_text(encoding="utf-8")
    unique = "duplicate key value" if db.on_server else "UNIQUE constraint failed"
    assert "IntegrityError" in text and unique in text
    assert "Neverlogged" not in text and "1966-06-06" not in text
