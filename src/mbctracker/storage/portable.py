"""The few SQL details that differ between SQLite and PostgreSQL, for raw bulk writes.

Most SQL is written once for both engines (PostgreSQL gets SQLite's functions in
migration 0011); what cannot be is here: driver placeholders, values stored the
way SQLite keeps them (booleans 0/1) and the id sequences that explicit ids leave
behind on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Boolean, Connection
from sqlmodel import SQLModel


def insert_sql(conn: Connection, table: str, names: Sequence[str]) -> str:
    """``INSERT`` for ``exec_driver_sql`` with the driver's placeholders.

    Values come as SQLite stores them; on PostgreSQL a 0/1 boolean is cast, and UTC
    text times are read in the session's UTC zone (``storage.server``).
    """
    if conn.dialect.name == "sqlite":
        marks = ["?"] * len(names)
    else:
        columns = SQLModel.metadata.tables[table].c
        marks = [
            "(%s)::integer::boolean" if isinstance(columns[n].type, Boolean) else "%s"
            for n in names
        ]
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(marks)})"


def advance_ids(conn: Connection, tables: Iterable[str]) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequences past them.

    SQLite takes the next rowid from the table itself, so there is nothing to do there.
    """
    if conn.dialect.name == "sqlite":
        return
    for table in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


def upsert_meta_sql(conn: Connection) -> str:
    """Set one ``app_meta`` key (one positional value for the key) on either engine."""
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    return (
        f"INSERT INTO app_meta(key, value) VALUES ({mark}, '1') "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    )
