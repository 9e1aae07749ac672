"""The ``db`` fixtures' body for either engine (tests/storage and tests/services)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from mbctracker.storage import Database, open_database
from summary_check import check_summaries


def engine_db(
    engine: str, db_path: Path, request: pytest.FixtureRequest, actor: str
) -> Iterator[Database]:
    """The ``db`` fixture's body for either engine (``db.path`` is a file only on SQLite)."""
    target: Path | str = db_path
    if engine == "postgresql":
        target = request.getfixturevalue("pg_url")
    database = open_database(target, actor=actor)
    yield database
    try:
        check_summaries(database)
    finally:
        database.dispose()


class _PgRaw:
    """A DB-API connection to the test's PostgreSQL database that takes SQLite's ``?``.

    Tests that check the stored rows (or tamper with them, as another program would)
    read them with a plain driver connection, never the app's engine.
    """

    def __init__(self, db: Database) -> None:
        import psycopg
        from psycopg.types.string import TextLoader

        url = db.engine.url
        self._conn = psycopg.connect(
            dbname=url.database,
            user=url.username,
            password=url.password,
            host=str(url.query["host"]),
        )
        # JSON columns read back as text, as from the SQLite file (jsonb's own spelling)
        self._conn.adapters.register_loader("jsonb", TextLoader)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql.replace("?", "%s"), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)

    def commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        self._conn.close()


def raw_connect(db: Database) -> Any:
    """A plain driver connection to ``db`` (sqlite3 for a file, psycopg on PostgreSQL)."""
    if db.on_server:
        return _PgRaw(db)
    return sqlite3.connect(db.path)


def integrity_errors() -> tuple[type[BaseException], ...]:
    """What a raw edit the database refuses raises, on either engine."""
    import psycopg

    return (sqlite3.IntegrityError, psycopg.Error)


def reopen(db: Database, actor: str, **options: Any) -> Database:
    """A second window or workstation on the same database (file or server)."""
    return open_database(target(db) if db.on_server else db.path, actor=actor, **options)


def target(db: Database) -> str:
    """What ``--db`` takes for ``db``: its file, or its server address (with the password)."""
    if db.on_server:
        return db.engine.url.render_as_string(hide_password=False)
    return str(db.path)


def hold_write_lock(db: Database) -> Any:
    """Another program in the middle of a write (SQLite's lock, or the server's write lock).

    End it with ``.execute("ROLLBACK")`` or ``.execute("COMMIT")``.
    """
    if not db.on_server:
        conn = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        return conn
    import psycopg

    from mbctracker.storage.server import WRITE_LOCK_KEY

    url = db.engine.url
    holder = psycopg.connect(
        dbname=url.database,
        user=url.username,
        password=url.password,
        host=str(url.query["host"]),
        autocommit=True,
    )
    holder.execute("BEGIN")
    holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
    return holder
