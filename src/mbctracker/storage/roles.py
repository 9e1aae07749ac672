"""Who may do what on a clinic server, enforced by PostgreSQL itself (issue 13 §2).

Four group roles (NOLOGIN); each person is a login role in one of them
(:func:`create_login`). The app hides what a role may not do, but the database
refuses it too, so another program signed in as a nurse or the front desk cannot
read or change more than the role allows:

- ``mbct_clinician``: everything (reads and writes every clinical table);
- ``mbct_nurse``: reads everything; records scores (assessments), sessions, vitals,
  safety actions and REMS records;
- ``mbct_frontdesk``: demographics and scheduling only: patients and courses
  without their ``notes`` columns, session dates without details or notes; no
  access at all to assessments, safety actions, vitals, REMS records, the stored
  course summaries (latest scores) or the change log (column GRANTs);
- ``mbct_admin``: people and clinic settings (``app_meta``), no clinical rows.

Every group may append to the change log; nobody may UPDATE, DELETE or TRUNCATE it
(revoked here, and refused by migration 0011's triggers even for the owner).
:func:`grant_all` is idempotent: it revokes and re-grants, so running ``server-init``
again after an upgrade (new tables) brings every group up to date.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlmodel import SQLModel

from . import tables  # noqa: F401  (registers the tables)

GROUPS = {
    "clinician": "mbct_clinician",
    "nurse": "mbct_nurse",
    "frontdesk": "mbct_frontdesk",
    "admin": "mbct_admin",
}
"""Role name as the app and the command line say it -> PostgreSQL group role."""

NURSE_RECORDS = ("assessment", "treatment_session", "vital_sign", "safety_action", "rems_record")
"""What a nurse records (and corrects): scores, sessions, vitals, safety actions, REMS."""
SUMMARIES = ("course_summary", "summary_dirty")
"""Kept by the commit hook of whoever records a score or session (storage.summaries)."""
FRONT_DESK_HIDDEN = {
    "patient": ("notes",),
    "course": ("notes", "settings_json", "threshold_change_reason"),
    "treatment_session": (
        "notes",
        "details",
        "side_effects",
        "side_effects_text",
        "prn_medication",
        "warnings",
    ),
}
"""Columns the front desk may never read or write on the tables it schedules with."""
FRONT_DESK_WRITES = ("patient", "course", "course_phase_change")
FRONT_DESK_READS = ("app_meta", "alembic_version", "course_phase_change", "event")


def _tables() -> list[str]:
    return sorted({*SQLModel.metadata.tables, "alembic_version"})


def _columns(table: str, hidden: Iterable[str]) -> str:
    hide = set(hidden)
    return ", ".join(c.name for c in SQLModel.metadata.tables[table].c if c.name not in hide)


def _ensure_groups(conn: Connection) -> None:
    for group in GROUPS.values():
        conn.exec_driver_sql(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"'{group}') THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
        )


def _common(conn: Connection, group: str, everything: str) -> None:
    run = conn.exec_driver_sql
    run(f"REVOKE ALL ON {everything} FROM {group}")
    run(f"GRANT USAGE ON SCHEMA {_schema(conn)} TO {group}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_schema(conn)} TO {group}")
    run(f"GRANT SELECT ON alembic_version, app_meta TO {group}")
    run(f"GRANT INSERT ON change_log TO {group}")


def _schema(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT current_schema()").scalar())


def grant_all(conn: Connection) -> None:
    """Create the four groups (once) and give each exactly its privileges (again).

    Runs as the database owner (``server-init``), in the caller's transaction.
    """
    _ensure_groups(conn)
    everything = ", ".join(_tables())
    run = conn.exec_driver_sql
    run("REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM PUBLIC")
    for group in GROUPS.values():
        _common(conn, group, everything)
    clinician, nurse = GROUPS["clinician"], GROUPS["nurse"]
    clinical = ", ".join(t for t in _tables() if t not in ("alembic_version", "change_log"))
    run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {clinical} TO {clinician}")
    # an import gives rows their ids and then moves the sequences past them (setval)
    run(f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA {_schema(conn)} TO {clinician}")
    run(f"GRANT SELECT ON change_log TO {clinician}")
    run(f"GRANT SELECT ON {everything} TO {nurse}")
    run(f"GRANT INSERT, UPDATE ON {', '.join(NURSE_RECORDS)} TO {nurse}")
    run(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(SUMMARIES)} TO {nurse}")
    _front_desk(conn)
    run(f"GRANT INSERT, UPDATE ON app_meta TO {GROUPS['admin']}")
    # the change log's ids, not its contents: every workstation tells its own writes
    # from other workstations' and names the patients touched by id (storage.watch)
    ids = "id, patient_id, course_id"
    run(f"GRANT SELECT ({ids}) ON change_log TO {GROUPS['frontdesk']}, {GROUPS['admin']}")
    run(f"GRANT SELECT (id, patient_id) ON course TO {GROUPS['admin']}")


def _front_desk(conn: Connection) -> None:
    group, run = GROUPS["frontdesk"], conn.exec_driver_sql
    for table, hidden in FRONT_DESK_HIDDEN.items():
        run(f"GRANT SELECT ({_columns(table, hidden)}) ON {table} TO {group}")
    for table in FRONT_DESK_WRITES:
        allowed = _columns(table, FRONT_DESK_HIDDEN.get(table, ()))
        # a new row carries every column (the hidden ones with their defaults: the
        # services refuse notes typed by the front desk); reading and changing them stays
        # refused, so no stored note is ever seen or overwritten
        run(f"GRANT INSERT ON {table} TO {group}")
        run(f"GRANT UPDATE ({allowed}) ON {table} TO {group}")
    run(f"GRANT SELECT ON {', '.join(FRONT_DESK_READS)} TO {group}")


def member_group(conn: Connection) -> str | None:
    """The group (``GROUPS`` key) the signed-in login belongs to; None for a login in none
    (the database owner who ran server-init), which the database alone then limits."""
    found = conn.exec_driver_sql(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = current_user"
    ).all()
    names = {str(r[0]) for r in found}
    return next((key for key, group in GROUPS.items() if group in names), None)


def create_login(conn: Connection, name: str, group: str, password: str) -> None:
    """A login role for one person in ``group`` (the name and role are checked by the caller).

    DDL takes no bind parameters, so the name is quoted as an identifier and the
    password as a literal by psycopg itself; errors pass through SQLAlchemy, so a
    refusal becomes the plain :class:`NotAllowedError`. An administrator also gets CREATEROLE,
    which PostgreSQL does not pass on through group membership.
    """
    from psycopg import sql

    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection in the caller's transaction
    extra = sql.SQL(" CREATEROLE") if group == GROUPS["admin"] else sql.SQL("")
    statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}{} IN ROLE {}").format(
        sql.Identifier(name), sql.Literal(password), extra, sql.Identifier(group)
    )
    # no parameters: the driver sends the text as it is (no placeholder parsing)
    conn.exec_driver_sql(statement.as_string(raw))


def logins(conn: Connection) -> list[tuple[str, str]]:
    """(person, group) for every login role in one of the four groups, by name."""
    found = conn.exec_driver_sql(
        "SELECT u.rolname, g.rolname FROM pg_roles u "
        "JOIN pg_auth_members m ON m.member = u.oid JOIN pg_roles g ON g.oid = m.roleid "
        "WHERE u.rolcanlogin AND g.rolname IN ("
        + ", ".join(f"'{g}'" for g in GROUPS.values())
        + ") ORDER BY u.rolname, g.rolname"
    )
    return [(str(r[0]), str(r[1])) for r in found]


def role_exists(conn: Connection, name: str) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(n)s", {"n": name})
    return found.scalar() is not None
