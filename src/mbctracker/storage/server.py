"""PostgreSQL: the clinic-server engine beside the SQLite file (issue 13).

The same tables, migrations, services and change log run on both engines; what
differs stays here. Writes keep SQLite's guarantee that two workstations never
interleave a use case: every write transaction first takes one transaction-level
advisory lock (``pg_advisory_xact_lock``), the PostgreSQL form of ``BEGIN
IMMEDIATE``, so a service's read-check-write (stale-version check, next session
number, summary recompute) is as atomic as on the file. ``lock_timeout`` bounds the
wait like SQLite's ``busy_timeout``. psycopg is imported by SQLAlchemy only when a
``postgresql://`` URL is opened, so the desktop default never loads it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import create_engine

from ..paths import SERVER_SCHEMES as SCHEMES
from .errors import (
    ConnectionLostError,
    DatabaseLockedError,
    NotAllowedError,
    ServerDiskFullError,
    ServerUnreachableError,
    StorageError,
    WrongPasswordError,
)
from .summaries import forget_named
from .summaries import on_commit as keep_summaries

WRITE_LOCK_KEY = 0x6D626374  # "mbct": the one advisory lock every write transaction takes


def server_url(text: str) -> URL:
    """The SQLAlchemy URL for ``text`` (``postgresql://`` means psycopg 3).

    Raises:
        StorageError: not a PostgreSQL URL SQLAlchemy can read.
    """
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StorageError(
            f"{redact(text)} is not a database address; write it as "
            "postgresql://user@host/database (or a file path for a single desk)."
        ) from exc
    if url.get_backend_name() != "postgresql" or url.drivername not in SCHEMES:
        raise StorageError(f"{redact(text)}: only postgresql:// addresses are supported.")
    if not url.database:
        raise StorageError(
            f"{redact(text)} names no database; add it after the host: postgresql://user@host/DB."
        )
    return url.set(drivername="postgresql+psycopg")


def redact(text: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", text)


def label(url: URL) -> Path:
    """What messages call the database: ``database on host`` (as a Path, like a file's name)."""
    host = url.host or url.query.get("host") or "localhost"
    return Path(f"{url.database} on {host}".replace("/", "_"))


def make_server_engine(url: URL, lock_timeout_ms: int) -> Engine:
    """An engine on a PostgreSQL database with the write lock and summary hook.

    ``hide_parameters``: an error's text never carries a row's values (a name, a birth date).
    """
    engine = create_engine(
        url,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 10,
            "options": f"-c lock_timeout={int(lock_timeout_ms)} -c TimeZone=UTC",
            "application_name": "mbctracker",
        },
    )
    event.listen(engine, "connect", _json_as_text)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "commit", keep_summaries)
    event.listen(engine, "rollback", forget_named)
    return engine


def _json_as_text(dbapi_connection: Any, _record: Any) -> None:
    """``jsonb`` values arrive as JSON text, as from a SQLite file, so every query (raw SQL
    included) sees what it sees on a desk; ``storage.jsontext`` types the columns."""
    from psycopg.types.string import TextLoader

    dbapi_connection.adapters.register_loader("jsonb", TextLoader)


def _on_begin(conn: Any) -> None:
    """A write transaction waits (up to ``lock_timeout``) for any other write to finish."""
    if conn.get_execution_options().get("immediate"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


_UNREACHABLE = (
    "could not connect",
    "connection refused",
    "no such file or directory",
    "could not translate host name",
    "timeout expired",
    "name or service not known",
    "network is unreachable",
    "no route to host",
)
_DENIED = re.compile(r"permission denied for (?:table|relation|column|sequence|schema) (\w+)")


def translate_server(error: BaseException | None, where: Path) -> StorageError | None:
    """Map PostgreSQL's SQLSTATEs and connection failures to plain errors; None means a bug."""
    state = getattr(error, "sqlstate", None) or ""
    text = str(error).lower()
    if state in ("28P01", "28000") or any(
        clue in text for clue in ("password authentication failed", "no password supplied")
    ):
        return WrongPasswordError(where)
    if state == "42501" or "permission denied" in text:
        found = _DENIED.search(text)
        return NotAllowedError(where, found.group(1) if found else None)
    if state in ("55P03", "40P01", "40001"):
        return DatabaseLockedError(where)
    if state.startswith("53"):
        return ServerDiskFullError(where)
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return ConnectionLostError(where)
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return ServerUnreachableError(where, "the database does not exist on that server")
    if not state and any(clue in text for clue in _UNREACHABLE):
        return ServerUnreachableError(where, "the server did not answer")
    if not state and ("server closed the connection" in text or "connection is lost" in text):
        return ConnectionLostError(where)
    return None


def login_name(address: str) -> str | None:
    """The person an address signs in as (the change log's actor on a server), if it names one."""
    return server_url(address).username or None


def as_person(address: str, name: str, password: str) -> str:
    """``address`` (host and database kept) signed in as ``name`` with ``password``.

    The name is put into the URL as one field (SQLAlchemy quotes ``@``, ``/``, ``?``), so a
    typed name can never change the host or database.
    """
    url = server_url(address).set(username=name, password=password or None)
    return url.render_as_string(hide_password=False)


def with_password(address: str, password: str) -> str:
    """``address`` with ``password`` in it (typed separately in the app); unchanged if empty.

    Raises:
        StorageError: not a PostgreSQL address (the plain message of :func:`server_url`).
    """
    url = server_url(address)
    if password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)
