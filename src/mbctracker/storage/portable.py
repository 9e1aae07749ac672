"""The few SQL details that differ between SQLite and PostgreSQL, for raw bulk writes.

Most SQL is written once for both engines (PostgreSQL gets SQLite's functions in
migration 0011); what cannot be is here: driver placeholders, values stored the
way SQLite keeps them (booleans 0/1) and the id sequences that explicit ids leave
behind on PostgreSQL.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def local_zone() -> str:
    """This computer's time zone as PostgreSQL names it: "local" in the clinic's SQL.

    SQLite's ``'localtime'`` and Python's ``astimezone()`` both follow ``TZ`` (else the
    system's zone); a server is told the same zone by name (``AT TIME ZONE``), never
    left to its own ``TimeZone`` setting. Without ``TZ`` the system's zone name comes
    from ``tzlocal`` (``/etc/localtime`` on Linux and macOS; Windows' own zone mapped
    to its IANA name, so a Windows clinic follows daylight saving too). Where no name
    can be found, the current UTC offset as a POSIX zone (daylight saving not followed).
    """
    setting = os.environ.get("TZ")
    if setting is not None:
        name = setting.lstrip(":").split("zoneinfo/")[-1]
        return name if _known_zone(name) else ("UTC" if not name else _fixed_offset())
    found = _system_zone()
    return found if found and _known_zone(found) else _fixed_offset()


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, OSError, ZoneInfoNotFoundError):
        return False
    return True


def _system_zone() -> str | None:
    """The operating system's IANA zone name, or None when it names none."""
    import tzlocal

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no configuration, defaulting to UTC": ours decides
        try:
            return tzlocal.get_localzone_name()
        except (LookupError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
            return None


def _fixed_offset() -> str:
    """The current offset as a POSIX zone (``<+0530>-5:30``: POSIX counts hours west)."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, west = ("+", "-") if minutes >= 0 else ("-", "+")
    hours, rest = divmod(abs(minutes), 60)
    return f"<{sign}{hours:02d}{rest:02d}>{west}{hours}:{rest:02d}"
