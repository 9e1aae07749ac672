"""Noticing writes made by another process or workstation, without Qt.

Each engine has its own cheap signal: SQLite's ``PRAGMA data_version`` changes on a
connection when any *other* connection commits (polled every ~500 ms by the UI on
a dedicated read-only connection: one pragma, no table read), and PostgreSQL
delivers ``NOTIFY mbctracker_changes`` to a listening connection whose socket the
UI watches. Either way the watcher answers "what changed elsewhere" as an
:class:`ExternalChange` naming the patients touched, read from the change log, so
a view reloads only when its patient was touched.

This process's own writes are not external: :func:`notify_change`, called by
``Database.write`` in every write transaction just before it commits, records the
change-log ids the transaction wrote (SQLite; the write lock is held, so they are
exactly the rows above the floor read when the transaction began) or sends the
NOTIFY with this process's token (PostgreSQL), and the watcher skips them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

CHANNEL = "mbctracker_changes"
"""The PostgreSQL NOTIFY channel every write announces itself on."""
PROCESS_TOKEN = uuid.uuid4().hex
"""Names this process in NOTIFY payloads, so it can skip its own announcements."""
POLL_INTERVAL_MS = 500
"""How often the UI asks an SQLite watcher: well within the one second promised."""
_MAX_PATIENTS = 200
"""More patients than this in one write (an import) is announced as "everything"."""
_FLOOR = "mbct_log_floor"


@dataclass(frozen=True, slots=True)
class ExternalChange:
    """What another process or workstation committed since the last look.

    Attributes:
        patients: the patients whose records changed (from the change log).
        everything: something changed that names no patient (settings, people, an
            import, a write outside the app): every view should read again.
    """

    patients: frozenset[int] = frozenset()
    everything: bool = False

    def touches(self, patient_id: int | None) -> bool:
        return self.everything or (patient_id is not None and patient_id in self.patients)


class ChangeWatcher(Protocol):
    """What the UI adapter needs from a watcher (Qt-free, engine-independent)."""

    def fileno(self) -> int | None:
        """A socket to wait on (PostgreSQL), or None: call :meth:`poll` on a timer."""

    def poll(self) -> ExternalChange | None:
        """What changed elsewhere since the last call, or None (cheap when nothing did)."""

    def close(self) -> None: ...


# -- this process's own writes ------------------------------------------------------------

_own_lock = threading.Lock()
_own_ranges: dict[tuple[str, int], deque[tuple[int, int]]] = {}
"""(database file, writer) -> change-log id ranges that writer committed."""
WRITER = "mbct_writer"
"""``session.info`` key: which open database (engine) writes, so its own watcher skips it."""


def _key(path: Path | str) -> str:
    return str(Path(path).resolve())


def mark_floor(session: Session, _transaction: Any, connection: Connection) -> None:
    """When a write transaction begins: the change log's last id (a session event).

    On SQLite the write lock is held from BEGIN IMMEDIATE, so every row above it at
    commit is this transaction's.
    """
    floor = connection.execute(text("SELECT coalesce(max(id), 0) FROM change_log"))
    session.info[_FLOOR] = int(floor.scalar_one())


def notify_change(session: Session, tables: Iterable[str] = ()) -> None:
    """Announce this write transaction (call just before it commits).

    SQLite: remember the change-log ids it wrote, so this process's watcher skips
    them. PostgreSQL: ``pg_notify`` on :data:`CHANNEL` with this process's token and
    the patients touched (delivered by the server only if the transaction commits).
    ``tables`` names what was written when a caller knows (kept in the payload).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        _remember_own(session)
    elif dialect == "postgresql":
        _pg_notify(session, sorted(set(tables)))


def _remember_own(session: Session) -> None:
    floor = session.info.get(_FLOOR)
    if floor is None:
        return
    conn = session.connection()
    top = int(conn.execute(text("SELECT coalesce(max(id), 0) FROM change_log")).scalar_one())
    if top > floor:
        owner = (_key(conn.engine.url.database or ""), int(session.info.get(WRITER, 0)))
        with _own_lock:
            _own_ranges.setdefault(owner, deque(maxlen=256)).append((floor, top))


def _own(owner: tuple[str, int], log_id: int) -> bool:
    with _own_lock:
        return any(low < log_id <= high for low, high in _own_ranges.get(owner, ()))


def _pg_notify(session: Session, tables: list[str]) -> None:
    patients = _patients_since(session, session.info.get(_FLOOR))
    payload: dict[str, object] = {"token": PROCESS_TOKEN, "tables": tables}
    payload |= {"everything": True} if patients is None else {"patients": patients}
    session.connection().execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": json.dumps(payload)},
    )


def _patients_since(session: Session, floor: int | None) -> list[int] | None:
    """Patients this transaction's change-log rows name (None: unknown or too many)."""
    if floor is None:
        return None
    rows = session.connection().execute(text(_TOUCHED), {"seen": floor}).all()
    return _summarised((int(r.id), r.patient_id) for r in rows)


_TOUCHED = (
    "SELECT l.id AS id, coalesce(l.patient_id, c.patient_id) AS patient_id "
    "FROM change_log l LEFT JOIN course c ON c.id = l.course_id "
    "WHERE l.id > :seen ORDER BY l.id"
)
"""Change-log rows after an id, each with its patient (a course's rows through the course)."""


def _summarised(rows: Iterable[tuple[int, int | None]]) -> list[int] | None:
    patients: set[int] = set()
    for _id, patient in rows:
        if patient is None:
            return None
        patients.add(int(patient))
    return sorted(patients) if len(patients) <= _MAX_PATIENTS else None


# -- SQLite ----------------------------------------------------------------------------------


class SqliteWatcher:
    """Polls ``PRAGMA data_version`` on its own read-only connection.

    The pragma reads no table; only when it moves is the change log read past the
    last id seen, this process's own rows skipped.
    """

    def __init__(self, path: Path, writer: int = 0) -> None:
        """``writer``: the open database whose own writes are not news (``id(engine)``)."""
        self.owner = (_key(path), writer)
        self._conn = sqlite3.connect(
            f"file:{Path(path).resolve().as_posix()}?mode=ro",
            uri=True,
            isolation_level=None,  # autocommit: never holds a read snapshot open
            check_same_thread=False,
        )
        self._conn.execute("PRAGMA busy_timeout = 1000")
        self._version = self._data_version()
        self._seen = self._last_log_id()

    def fileno(self) -> int | None:
        return None

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _last_log_id(self) -> int:
        return int(self._conn.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0])

    def poll(self) -> ExternalChange | None:
        try:
            version = self._data_version()
            if version == self._version:
                return None
            self._version = version
            rows = self._conn.execute(_TOUCHED.replace(":seen", "?"), (self._seen,)).fetchall()
        except sqlite3.Error:
            return None  # busy or briefly unreadable: the next tick tries again
        if not rows:
            return ExternalChange(everything=True)  # a write that left no change log row
        self._seen = int(rows[-1][0])
        foreign = [(int(i), p) for i, p in rows if not _own(self.owner, int(i))]
        if not foreign:
            return None
        patients = _summarised(foreign)
        if patients is None:
            return ExternalChange(everything=True)
        return ExternalChange(patients=frozenset(patients))

    def close(self) -> None:
        self._conn.close()


# -- PostgreSQL ------------------------------------------------------------------------------


class PostgresWatcher:
    """``LISTEN mbctracker_changes`` on its own psycopg 3 connection (autocommit).

    The UI waits on :meth:`fileno` (a QSocketNotifier) and calls :meth:`poll` when
    the socket is readable, so nothing blocks the UI thread.
    """

    def __init__(self, conninfo: str, connect: Callable[..., Any] | None = None) -> None:
        if connect is None:
            import psycopg

            connect = psycopg.connect
        self._conn = connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int | None:
        return int(self._conn.fileno())

    def poll(self) -> ExternalChange | None:
        patients: set[int] = set()
        everything = False
        for payload in self._pending():
            found = _parsed(payload)
            if found is None:
                continue
            everything = everything or found.everything
            patients |= found.patients
        if not everything and not patients:
            return None
        return ExternalChange(frozenset(patients), everything)

    def _pending(self) -> list[str]:
        """Every NOTIFY already arrived, without waiting: each read takes one packet, so
        read until one comes back empty (libpq may hold more than the socket shows)."""
        payloads: list[str] = []
        while True:
            batch = [n.payload for n in self._conn.notifies(timeout=0)]
            if not batch:
                return payloads
            payloads += batch

    def close(self) -> None:
        self._conn.close()


def _parsed(payload: str) -> ExternalChange | None:
    """A NOTIFY payload as a change; None for this process's own (or an unreadable one)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return ExternalChange(everything=True)
    if not isinstance(data, dict) or data.get("token") == PROCESS_TOKEN:
        return None
    patients = data.get("patients")
    if data.get("everything") or not isinstance(patients, list):
        return ExternalChange(everything=True)
    return ExternalChange(patients=frozenset(int(p) for p in patients if isinstance(p, int)))


def watcher_for(engine: Engine) -> ChangeWatcher:
    """The watcher for an open database's engine: its SQLite file or its PostgreSQL server."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresWatcher(conninfo)
    return SqliteWatcher(Path(url.database or ""), writer=id(engine))
