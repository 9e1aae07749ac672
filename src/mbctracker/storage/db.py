"""Engine set-up and transactions.

SQLite in WAL mode with foreign keys on and ``synchronous=FULL`` (an
acknowledged write survives a power cut). The Python driver's own transaction
handling is switched off so that write transactions start with
``BEGIN IMMEDIATE``: two windows or workstations then queue for the write lock
(``busy_timeout``) instead of failing half-way with "database is locked".

SQLAlchemy, sqlmodel and the table classes are imported when the engine is first
needed, not when a :class:`Database` is made: they cost about half a second at
start-up, and the window paints its first page of the patient list before that
(through stdlib ``sqlite3``, see ``storage.list_rows``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .backup import newest_backup
from .errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyDatabaseError,
    StorageError,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    from ..domain.access import Role

BUSY_TIMEOUT_MS = 5000
"""How long a save waits for another window's or workstation's write lock."""


def _pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        _configure(dbapi_conn, busy_timeout_ms)

    return on_connect


def _configure(dbapi_conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _on_begin(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine over one SQLite file, with the pragmas and BEGIN handling above.

    ``hide_parameters``: an error's text (and so a crash report or the log)
    never carries the row's values, such as a new patient's name and birth date.
    """
    from sqlalchemy import event
    from sqlmodel import create_engine

    from . import redaction  # noqa: F401  (registers patient identifiers with the log filter)
    from .summaries import forget_named
    from .summaries import on_commit as keep_summaries

    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False}, hide_parameters=True
    )
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))
    event.listen(engine, "begin", _on_begin)
    # Every transaction, whoever wrote it, recomputes the course summaries it touched.
    event.listen(engine, "commit", keep_summaries)
    event.listen(engine, "rollback", forget_named)
    return engine


@dataclass
class Database:
    """One open clinic database: the engine plus who is making changes.

    ``actor`` is written into the change log for every create, update and delete.
    The engine is made on first use (by any thread, once), so opening a file whose
    schema is current imports no SQLAlchemy. ``url`` is the PostgreSQL address
    (password hidden) on a clinic server, None for a file; ``path`` then only names
    the database in messages, and the server's engine is given when opened.
    ``role`` is the signed-in person's (None: no people list, a single desk may do
    everything); ``signed_out`` is True while a people list exists and nobody has
    signed in (the idle lock), when every checked use case is refused.
    """

    path: Path
    actor: str
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    url: str | None = None
    role: Role | None = None
    signed_out: bool = False
    _engine: Engine | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) when first asked for."""
        if self._engine is None:
            with self._lock:
                if self._engine is None and self.on_server:
                    from .errors import SignedOutError

                    raise SignedOutError(self.path)  # closed (signed out): never reconnect
                if self._engine is None:
                    self._engine = make_engine(self.path, self.busy_timeout_ms)
        return self._engine

    @property
    def engine_made(self) -> bool:
        """Whether SQLAlchemy has been loaded for this file yet (tests, the start-up path)."""
        return self._engine is not None

    @property
    def on_server(self) -> bool:
        """True on a clinic's PostgreSQL server, False on a SQLite file."""
        return self.url is not None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (deferred transaction).

        Raises:
            StorageError: the file is damaged, locked or unreadable (a plain message).
        """
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            self._raise_known(exc)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use case, one transaction: committed whole or not at all.

        Raises:
            DatabaseLockedError: another program held the write lock past the timeout.
            StorageError: disk full, read-only or damaged file (a plain message).
        """
        from sqlalchemy.exc import DBAPIError

        from .audit import AuditedSession
        from .watch import WRITER, notify_change

        bind = self.engine.execution_options(immediate=True)
        session = AuditedSession(bind, expire_on_commit=False)
        session.info["actor"] = self.actor
        session.info[WRITER] = id(self.engine)
        try:
            yield session
            session.flush()
            notify_change(session)  # other processes' views learn of it (storage.watch)
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            self._raise_known(exc)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _raise_known(self, exc: DBAPIError) -> NoReturn:
        """Raise the plain-message error for a condition the user can act on, else ``exc``."""
        if self.on_server:
            from .server import translate_server

            known = translate_server(exc.orig, self.path)
        else:
            known = translate(exc.orig, self.path)
        if known is None:
            raise exc
        raise known from exc

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def close(self) -> None:
        """Close every connection and drop the engine, with the password in its address.

        A server database is then unusable (:class:`SignedOutError`) until it is opened
        again with someone's password: the idle lock's sign-out on a clinic server.
        """
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()


def translate(error: BaseException | None, path: Path) -> StorageError | None:
    """Map SQLite's error codes to errors a user can act on; None means a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLockedError(path)
    if primary == sqlite3.SQLITE_FULL:
        return DiskFullError(path)
    if primary == sqlite3.SQLITE_READONLY:
        return ReadOnlyDatabaseError(path)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return CorruptDatabaseError(path, str(error), newest_backup(path))
    return None
