"""What only a clinic server has: roles enforced by PostgreSQL, its failures as plain
messages, the change log append-only there too, and workstation processes racing saves.

Every test runs against the real throw-away cluster of tests/conftest.py (``pg``), or is
skipped with the reason when PostgreSQL cannot be started here.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest

from engines import target
from mbctracker.__main__ import main
from mbctracker.domain.access import PermissionDenied, Role
from mbctracker.domain.course import Modality
from mbctracker.services import patient_list, patients, server_backups
from mbctracker.services.assessments import AssessmentInput, record_assessment
from mbctracker.services.courses import start_course
from mbctracker.services.interchange.csv_import import ImportRefused
from mbctracker.services.users import add_user, list_users
from mbctracker.storage import Database, NewerDatabaseError, open_database
from mbctracker.storage.errors import (
    ConnectionLostError,
    DiskFullError,
    NotAllowedError,
    ServerUnreachableError,
    WrongPasswordError,
)
from mbctracker.storage.server import translate_server
from pg_cluster import Cluster

PASSWORD = "synthetic-pass-1"
PEOPLE = {"dr.ada": "clinician", "nurse.ben": "nurse", "desk.cy": "frontdesk", "it.di": "admin"}


def _as(pg: Cluster, url: str, user: str) -> str:
    """The same database, signed in as ``user``."""
    return pg.url(url.split("@/", 1)[1].split("?", 1)[0], user=user, password=PASSWORD)


@pytest.fixture
def clinic(pg: Cluster, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server set up as docs/clinic-server.md says: server-init, then one person per role."""
    assert main(["server-init", "--db", pg_url]) == 0
    assert main(["server-init", "--db", pg_url]) == 0, "server-init runs again harmlessly"
    for name, role in PEOPLE.items():
        pg.psql(f'DROP ROLE IF EXISTS "{name}"')
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["user-add", "--db", pg_url, name, "--role", role]) == 0
    yield pg_url
    pg.drop_database(pg_url.split("@/", 1)[1].split("?", 1)[0])
    for name in PEOPLE:
        pg.psql(f'DROP ROLE IF EXISTS "{name}"')


def _refused(url: str, sql: str) -> bool:
    """True when PostgreSQL refuses ``sql`` for lack of privilege (SQLSTATE 42501)."""
    with psycopg.connect(url) as conn:
        try:
            conn.execute(sql)
        except psycopg.errors.InsufficientPrivilege:
            return True
        conn.rollback()
        return False


def test_the_app_takes_each_persons_role_from_their_server_group(pg: Cluster, clinic: str) -> None:
    """The window shows a nurse what a nurse may do: the role comes from the login's group."""
    expected = {
        "dr.ada": Role.CLINICIAN,
        "nurse.ben": Role.NURSE,
        "desk.cy": Role.FRONT_DESK,
        "it.di": Role.ADMINISTRATOR,
    }
    for name, role in expected.items():
        db = open_database(_as(pg, clinic, name), actor=name)
        try:
            assert db.role == role, name
        finally:
            db.dispose()
    owner = open_database(clinic, actor="owner")
    try:
        assert owner.role is None  # the owner who ran server-init: the database limits it
    finally:
        owner.dispose()


def test_each_role_is_refused_what_it_may_not_do(pg: Cluster, clinic: str) -> None:
    """Issue 13 §2: enforced by the database, not only by hidden buttons."""
    owner = open_database(clinic, actor="owner")
    try:
        patient = patients.register_patient(
            owner, patients.PatientInput("SYN-R1", "Synthetic Roles", date(1980, 1, 1))
        )
        start_course(owner, patient.id, Modality.TMS, date(2026, 1, 5), 20)
    finally:
        owner.dispose()
    desk, nurse, doctor, admin = (
        _as(pg, clinic, n) for n in ("desk.cy", "nurse.ben", "dr.ada", "it.di")
    )
    # front desk: demographics and scheduling only
    assert not _refused(desk, "SELECT name, mrn, date_of_birth FROM patient")
    assert not _refused(desk, "SELECT start_date, planned_sessions, status FROM course")
    assert not _refused(desk, "UPDATE course SET planned_sessions = 30")
    for sql in (
        "SELECT * FROM assessment",
        "SELECT * FROM safety_action",
        "SELECT notes FROM patient",
        "SELECT notes FROM treatment_session",
        "SELECT * FROM course_summary",
        "SELECT * FROM change_log",
        "UPDATE patient SET notes = 'x'",
    ):
        assert _refused(desk, sql), sql
    # nurse: reads all, records scores and sessions, but no patient or course edits
    assert not _refused(nurse, "SELECT * FROM assessment, safety_action, patient")
    assert _refused(nurse, "UPDATE patient SET notes = 'x'")
    assert _refused(nurse, "UPDATE course SET planned_sessions = 2")
    # administrator: people and settings, no clinical rows
    assert _refused(admin, "SELECT * FROM patient")
    assert not _refused(admin, "SELECT value FROM app_meta")
    # the change log: appended by all, changed by none (not even the clinician)
    for url in (doctor, nurse, desk, admin):
        for sql in (
            "UPDATE change_log SET actor = 'x'",
            "DELETE FROM change_log",
            "TRUNCATE change_log",
        ):
            assert _refused(url, sql), (url, sql)
    assert not _refused(doctor, "UPDATE patient SET notes = 'seen'")


def test_a_refused_use_case_is_one_plain_message_and_saves_nothing(
    pg: Cluster, clinic: str
) -> None:
    owner = open_database(clinic, actor="owner")
    try:
        patient = patients.register_patient(
            owner, patients.PatientInput("SYN-R2", "Synthetic Nurse", date(1980, 1, 1))
        )
        course = start_course(owner, patient.id, Modality.IV_KETAMINE, date(2026, 1, 5), 6)
    finally:
        owner.dispose()
    nurse = open_database(_as(pg, clinic, "nurse.ben"), actor="nurse.ben")
    try:
        when = datetime(2026, 1, 6, 9, 0)
        record_assessment(nurse, course.id, AssessmentInput("PHQ9", [1] * 9, when))
        before = patients.get_patient(nurse, patient.id)
        data = patients.PatientInput(before.mrn, before.name, before.date_of_birth, notes="x")
        with pytest.raises(PermissionDenied, match="the nurse role may not"):
            patients.update_patient(nurse, patient.id, data, expected_version=before.version)
        nurse.role = None  # a client without the app's own check: the database still refuses
        with pytest.raises(NotAllowedError, match="You are not allowed to see or change the"):
            patients.update_patient(nurse, patient.id, data, expected_version=before.version)
        assert patients.get_patient(nurse, patient.id).notes == ""
    finally:
        nurse.dispose()


def test_only_an_administrator_adds_people(pg: Cluster, clinic: str) -> None:
    admin = open_database(_as(pg, clinic, "it.di"), actor="it.di")
    nurse = open_database(_as(pg, clinic, "nurse.ben"), actor="nurse.ben")
    try:
        pg.psql('DROP ROLE IF EXISTS "new.nurse"')
        add_user(admin, "new.nurse", "nurse", PASSWORD)
        assert ("new.nurse", "nurse") in {(u.name, u.role) for u in list_users(admin)}
        with pytest.raises(PermissionDenied):
            add_user(nurse, "sneaky.one", "clinician", PASSWORD)
        nurse.role = None  # a client without the app's own check: the database still refuses
        with pytest.raises(NotAllowedError):
            add_user(nurse, "sneaky.one", "clinician", PASSWORD)
        with pytest.raises(Exception, match="Role: 'surgeon' is not a role; allowed: clinician"):
            add_user(admin, "x.person", "surgeon", PASSWORD)
    finally:
        admin.dispose()
        nurse.dispose()
        pg.psql('DROP ROLE IF EXISTS "new.nurse"')


def test_user_add_is_refused_plainly_for_a_non_administrator(
    pg: Cluster, clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    url = _as(pg, clinic, "desk.cy")
    assert main(["user-add", "--db", url, "desk.friend", "--role", "clinician"]) == 2
    err = capsys.readouterr().err
    assert "the front desk role may not add" in err and "Traceback" not in err


def test_server_failures_are_plain_messages(pg: Cluster, pg_url: str) -> None:
    bad_password = pg_url.replace(":synthetic-test-password@", ":wrong@")
    with pytest.raises(WrongPasswordError, match="wrong user name or password"):
        open_database(bad_password, actor="t")
    nowhere = pg_url.split("?", 1)[0] + "?host=/nonexistent-socket-folder"
    with pytest.raises(ServerUnreachableError, match="Cannot reach the clinic database"):
        open_database(nowhere, actor="t")
    missing = pg_url.replace("@/t_", "@/nothere_")
    with pytest.raises(ServerUnreachableError, match="does not exist"):
        open_database(missing, actor="t")
    where = Path("clinic on server")
    assert isinstance(translate_server(psycopg.errors.DiskFull(), where), DiskFullError)
    assert isinstance(translate_server(psycopg.errors.AdminShutdown(), where), ConnectionLostError)
    assert translate_server(psycopg.errors.DivisionByZero(), where) is None, "a bug stays a bug"


def test_a_connection_lost_mid_save_is_a_plain_message_and_nothing_is_half_saved(
    pg: Cluster, pg_url: str
) -> None:
    db = open_database(pg_url, actor="t")
    try:
        info = patients.register_patient(db, patients.PatientInput("SYN-L1", "Synthetic Lost"))
        lost = pytest.raises(ConnectionLostError, match="connection to the clinic database")
        with lost, db.write() as session:
            conn = session.connection()
            conn.exec_driver_sql("UPDATE patient SET notes = 'half'")
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            pg.psql(f"SELECT pg_terminate_backend({int(pid or 0)})")
            conn.exec_driver_sql("UPDATE patient SET name = 'half'")
        again = patients.get_patient(db, info.id)
        assert (again.notes, again.name) == ("", "Synthetic Lost"), "reconnected; nothing saved"
    finally:
        db.dispose()


def test_a_newer_schema_on_the_server_is_refused_unchanged(pg: Cluster, pg_url: str) -> None:
    name = pg_url.split("@/", 1)[1].split("?", 1)[0]
    pg.psql("UPDATE alembic_version SET version_num = '9999'", database=name)
    with pytest.raises(NewerDatabaseError, match="schema 9999"):
        open_database(pg_url, actor="t")
    assert pg.psql("SELECT version_num FROM alembic_version", database=name).strip() == "9999"


def test_server_init_refuses_a_file_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server-init", "--db", str(tmp_path / "clinic.sqlite3")]) == 2
    assert "allowed: a postgresql:// address" in capsys.readouterr().err
    assert not (tmp_path / "clinic.sqlite3").exists()


_WORKSTATION = """
import sys
from mbctracker.services import patient_list, patients, server_backups
from mbctracker.services.interchange.csv_import import ImportRefused
from mbctracker.storage import StaleRecordError, open_database
url, pid, prefix, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
db = open_database(url, actor=prefix)
saved = stale = 0
for i in range(count):
    while True:
        now = patients.get_patient(db, pid)
        notes = now.notes + f"{prefix}{i};"
        data = patients.PatientInput(now.mrn, now.name, now.date_of_birth, notes=notes)
        try:
            patients.update_patient(db, pid, data, expected_version=now.version)
            saved += 1
            break
        except StaleRecordError:
            stale += 1
db.dispose()
print(saved, stale)
"""


@pytest.mark.parametrize("workstations", [2, 5])
def test_workstation_processes_racing_saves_lose_no_update(pg_url: str, workstations: int) -> None:
    """Issue 13 §4: 0 lost updates, and every save made on a stale version is refused."""
    db = open_database(pg_url, actor="t")
    try:
        _race(db, workstations)
    finally:
        db.dispose()


def _race(db: Database, workstations: int) -> None:
    each = 15
    info = patients.register_patient(db, patients.PatientInput("SYN-RACE", "Synthetic Race"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKSTATION, target(db), str(info.id), f"W{n}x", str(each)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(workstations)
    ]
    results = [tuple(int(v) for v in p.communicate(timeout=300)[0].split()) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    final = patients.get_patient(db, info.id)
    tokens = final.notes.rstrip(";").split(";")
    expected = [f"W{n}x{i}" for n in range(workstations) for i in range(each)]
    assert sorted(tokens) == sorted(expected), "no update lost, none doubled"
    assert final.version == info.version + workstations * each
    assert sum(saved for saved, _ in results) == workstations * each
    print(f"{workstations} workstations: {sum(s for _, s in results)} stale saves refused")


def test_backup_and_restore_with_pg_dump(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url, actor="t")
    try:
        kept = patients.register_patient(db, patients.PatientInput("SYN-B1", "Synthetic Kept"))
    finally:
        db.dispose()
    dump = tmp_path / "clinic.dump"
    assert main(["backup", "--db", pg_url, "--to", str(dump)]) == 0
    assert dump.stat().st_mode & 0o077 == 0, "owner-only, like a file backup"
    db = open_database(pg_url, actor="t")
    try:
        patients.register_patient(db, patients.PatientInput("SYN-B2", "Synthetic Later"))
        with db.write() as session:
            session.connection().exec_driver_sql("UPDATE patient SET name = 'Damaged'")
    finally:
        db.dispose()
    assert main(["restore", str(dump), "--db", pg_url]) == 0
    db = open_database(pg_url, actor="t")
    try:
        assert [p.name for p in patient_list.patient_page(db)] == ["Synthetic Kept"]
        assert _analysed(db, "assessment") and _analysed(db, "patient"), "planner statistics"
        assert patients.get_patient(db, kept.id).version == kept.version
        again = patients.register_patient(db, patients.PatientInput("SYN-B3", "Synthetic New"))
        assert again.id > kept.id, "ids continue after the restore"
    finally:
        db.dispose()


def _analysed(db: Database, table: str) -> bool:
    """Whether ``table`` has planner statistics from an ANALYZE (not autovacuum's)."""
    with db.read() as session:
        sql = "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s"
        found = session.connection().exec_driver_sql(sql, (table,)).scalar()
    return bool(found)


def test_without_pg_dump_a_backup_is_the_csv_interchange(
    pg: Cluster, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_backups, "find_tool", lambda _name: None)
    db = open_database(pg_url, actor="t")
    try:
        patients.register_patient(db, patients.PatientInput("SYN-C1", "Synthetic Csv"))
        folder = server_backups.server_backup(db, tmp_path / "clinic.dump")
    finally:
        db.dispose()
    assert (folder / "patients.csv").is_file()
    empty = pg.url(pg.new_database(pg.template))
    fresh = open_database(empty, actor="t")
    try:
        server_backups.server_restore(fresh, folder)
        assert [p.name for p in patient_list.patient_page(fresh)] == ["Synthetic Csv"]
        assert _analysed(fresh, "assessment")
        with pytest.raises(ImportRefused):
            server_backups.server_restore(fresh, folder)  # its MRN is there: nothing written
    finally:
        fresh.dispose()


def test_a_single_desk_file_moves_to_the_server_through_the_csv_interchange(
    pg: Cluster, clinic: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/clinic-server.md §9, as the clinician, not the owner."""
    desk = tmp_path / "desk.sqlite3"
    assert main(["demo", "--db", str(desk), "--patients", "12", "--seed", "5"]) == 0
    out = tmp_path / "move"
    assert main(["export", "--db", str(desk), "--format", "csv", "--out", str(out)]) == 0
    doctor = _as(pg, clinic, "dr.ada")
    assert main(["import", "--db", doctor, str(out)]) == 0
    capsys.readouterr()
    file_db, server_db = open_database(desk, actor="t"), open_database(doctor, actor="t")
    try:
        on_file = [
            (r.mrn, r.name, r.sessions_done, r.badge)
            for r in patient_list.patient_page(file_db, limit=100)
        ]
        on_server = [
            (r.mrn, r.name, r.sessions_done, r.badge)
            for r in patient_list.patient_page(server_db, limit=100)
        ]
        assert sorted(on_server) == sorted(on_file) and len(on_file) == 12
        more = patients.register_patient(server_db, patients.PatientInput("SYN-M1", "After Move"))
        assert more.id > 12, "new ids follow the imported ones"
    finally:
        file_db.dispose()
        server_db.dispose()
    results = []
    for db, name in ((str(desk), "file.json"), (doctor, "server.json")):
        assert main(["outcomes", "--db", db, "--json", str(tmp_path / name)]) == 0
        results.append(json.loads((tmp_path / name).read_text(encoding="utf-8")))
        del results[-1]["generated"]
    assert results[0] == results[1], "the clinic outcomes on the server are the file's"
