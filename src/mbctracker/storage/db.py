"""Engine set-up and transactions.

SQLite in WAL mode with foreign keys on and ``synchronous=FULL`` (an
acknowledged write survives a power cut). The Python driver's own transaction
handling is switched off so that write transactions start with
``BEGIN IMMEDIATE``: two windows or workstations then queue for the write lock
(``busy_timeout``) instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from .audit import AuditedSession
from .errors import DatabaseLockedError

BUSY_TIMEOUT_MS = 5000


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _on_begin(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    """An engine over one SQLite file, with the pragmas and BEGIN handling above."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


@dataclass
class Database:
    """One open clinic database: the engine plus who is making changes.

    ``actor`` is written into the change log for every create, update and delete.
    """

    path: Path
    engine: Engine
    actor: str

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (deferred transaction)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use case, one transaction: committed whole or not at all.

        Raises:
            DatabaseLockedError: another program held the write lock past the timeout.
        """
        bind = self.engine.execution_options(immediate=True)
        session = AuditedSession(bind, expire_on_commit=False)
        session.info["actor"] = self.actor
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise DatabaseLockedError(self.path) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
