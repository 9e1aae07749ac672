"""The change watchers: SQLite's data_version poll and PostgreSQL's LISTEN/NOTIFY.

SQLite: two open databases on one file (two engines, as two workstations would
have) and a plain sqlite3 connection writing behind the app's back. PostgreSQL: a
throw-away local cluster (initdb + pg_ctl as an unprivileged user, unix socket in
a temporary folder, no network), skipped with its reason where one cannot start.
"""

from __future__ import annotations

import os
import select
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from mbctracker.services.patients import PatientInput, register_patient, update_patient
from mbctracker.storage import Database, open_database
from mbctracker.storage.watch import (
    CHANNEL,
    PROCESS_TOKEN,
    ExternalChange,
    PostgresWatcher,
    SqliteWatcher,
    mark_floor,
    notify_change,
    watcher_for,
)


@pytest.fixture
def second(db: Database, db_path: Path) -> Iterator[Database]:
    """Another workstation's open database on the same file."""
    other = open_database(db_path, actor="infusion room")
    yield other
    other.dispose()


@pytest.mark.sqlite_only  # data_version polling; the listener has its own tests below
def test_nothing_changed_reads_nothing(db: Database) -> None:
    watcher = watcher_for(db.engine)
    try:
        assert watcher.fileno() is None  # polled on a timer
        assert watcher.poll() is None
    finally:
        watcher.close()


@pytest.mark.sqlite_only  # data_version polling; the listener has its own tests below
def test_another_workstations_write_names_its_patient(db: Database, second: Database) -> None:
    watcher = watcher_for(db.engine)
    try:
        mine = register_patient(db, PatientInput(mrn="A-1", name="Ann Able"))
        assert watcher.poll() is None  # this desk's own write is not news
        theirs = register_patient(second, PatientInput(mrn="B-1", name="Bo Baker"))
        assert watcher.poll() == ExternalChange(patients=frozenset({theirs.id}))
        assert watcher.poll() is None  # reported once
        update_patient(
            second,
            mine.id,
            PatientInput(mrn="A-1", name="Ann Able-Smith"),
            expected_version=mine.version,
        )
        register_patient(db, PatientInput(mrn="A-2", name="Al Able"))  # mixed with our own
        assert watcher.poll() == ExternalChange(patients=frozenset({mine.id}))
    finally:
        watcher.close()


@pytest.mark.sqlite_only  # data_version polling; the listener has its own tests below
def test_a_write_outside_the_app_means_read_everything(db: Database, db_path: Path) -> None:
    register_patient(db, PatientInput(mrn="A-1", name="Ann Able", date_of_birth=date(1970, 1, 1)))
    watcher = watcher_for(db.engine)
    try:
        raw = sqlite3.connect(db_path)
        raw.execute("UPDATE patient SET notes = 'typed elsewhere'")
        raw.commit()
        raw.close()
        assert watcher.poll() == ExternalChange(everything=True)
    finally:
        watcher.close()


@pytest.mark.sqlite_only  # data_version polling; the listener has its own tests below
def test_the_watcher_never_writes(db: Database, db_path: Path) -> None:
    watcher = SqliteWatcher(db_path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            watcher._conn.execute("DELETE FROM app_meta")
    finally:
        watcher.close()


# -- PostgreSQL ---------------------------------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_user(args: list[str]) -> list[str]:
    """initdb refuses root: run the cluster as the unprivileged ``postgres`` user."""
    if os.geteuid() != 0:
        return args
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL unprivileged")
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="module")
def pg_conninfo() -> Iterator[str]:
    """A throw-away cluster on a unix socket; its conninfo for user postgres.

    Its folder is made directly under the temp folder: pytest's own is root-only,
    which the unprivileged server user could not enter.
    """
    pytest.importorskip("psycopg")
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL server binaries not found in {PG_BIN}")
    base = Path(tempfile.mkdtemp(prefix="mbct-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        base.chmod(0o700)
    run = lambda *a: subprocess.run(_as_user(list(a)), capture_output=True, timeout=120)  # noqa: E731
    made = run(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust")
    if made.returncode != 0:
        pytest.skip(f"initdb failed: {made.stderr.decode(errors='replace')[-200:]}")
    options = f"-c listen_addresses='' -c unix_socket_directories={sock}"
    log = str(base / "server.log")  # the server must not hold our output pipes open
    started = run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", log, "-o", options, "-w", "start")
    if started.returncode != 0:
        pytest.skip(f"pg_ctl start failed: {started.stderr.decode(errors='replace')[-200:]}")
    try:
        yield f"host={sock} user=postgres dbname=postgres"
    finally:
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _readable(fd: int, seconds: float = 5.0) -> bool:
    ready, _w, _x = select.select([fd], [], [], seconds)
    return bool(ready)


def test_postgres_listener_hears_another_workstation(pg_conninfo: str) -> None:
    import psycopg

    watcher = PostgresWatcher(pg_conninfo)
    try:
        fd = watcher.fileno()
        assert fd is not None
        with psycopg.connect(pg_conninfo, autocommit=True) as other:
            other.execute("SELECT pg_notify(%s, %s)", (CHANNEL, '{"token": "x", "patients": [7]}'))
        assert _readable(fd)  # what the QSocketNotifier waits on
        assert watcher.poll() == ExternalChange(patients=frozenset({7}))
        with psycopg.connect(pg_conninfo, autocommit=True) as other:
            own = f'{{"token": "{PROCESS_TOKEN}", "patients": [8]}}'
            other.execute("SELECT pg_notify(%s, %s)", (CHANNEL, own))
            other.execute("SELECT pg_notify(%s, %s)", (CHANNEL, "not json"))
        assert _readable(fd)
        assert watcher.poll() == ExternalChange(everything=True)  # own skipped, junk = reread
    finally:
        watcher.close()


def test_notify_change_is_sent_on_commit_only(pg_conninfo: str) -> None:
    """``Database.write``'s hook on PostgreSQL: the NOTIFY names the patients the
    transaction's change-log rows touched, and a rolled-back write announces nothing."""
    engine = create_engine("postgresql+psycopg://", connect_args=_kwargs(pg_conninfo))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS change_log, course"))
        conn.execute(text("CREATE TABLE course (id int PRIMARY KEY, patient_id int)"))
        conn.execute(
            text("CREATE TABLE change_log (id serial PRIMARY KEY, patient_id int, course_id int)")
        )
        conn.execute(text("INSERT INTO course VALUES (1, 41)"))
    watcher = PostgresWatcher(pg_conninfo)
    try:
        _write(engine, commit=False)
        _write(engine, commit=True)
        assert _readable(watcher.fileno() or -1)
        # this process's own NOTIFY is skipped by token; a second process would see it:
        assert watcher.poll() is None
        import psycopg

        with psycopg.connect(pg_conninfo, autocommit=True) as conn:
            conn.execute("LISTEN " + CHANNEL)
            _write(engine, commit=True)
            notes = list(conn.notifies(timeout=5, stop_after=1))
        assert len(notes) == 1
        assert '"patients": [41]' in notes[0].payload
    finally:
        watcher.close()
        engine.dispose()


def _kwargs(conninfo: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in conninfo.split())


def _write(engine: object, *, commit: bool) -> None:
    with Session(engine) as session:  # type: ignore[call-overload]
        mark_floor(session, None, session.connection())
        session.execute(text("INSERT INTO change_log (patient_id, course_id) VALUES (NULL, 1)"))
        notify_change(session, ["assessment"])
        if commit:
            session.commit()
        else:
            session.rollback()
