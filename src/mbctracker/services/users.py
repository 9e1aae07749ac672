"""People on a clinic server: set up the roles, add a person, list them (issue 13 §2).

Each person signs in as their own PostgreSQL login role, a member of one of the
groups in :data:`ROLES` (``storage.roles`` says what each may do; the database
enforces it). Only an administrator (a member of ``mbct_admin`` with CREATEROLE, or
the database owner who ran ``server-init``) can add people. SQLite files have no
people here: a single desk needs no sign-in.

The UI calls :func:`add_user` and :func:`list_users`; ``mbctracker user-add`` and
``mbctracker server-init`` call them from the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.access import Action
from ..domain.errors import ValidationError
from ..storage import roles
from ..storage.db import Database
from .access import requires

ROLES: tuple[str, ...] = tuple(roles.GROUPS)
"""The roles a person can have, as the app says them: clinician, nurse, frontdesk, admin."""
ROLE_LABELS = {
    "clinician": "Clinician (everything)",
    "nurse": "Nurse (scores, sessions, vitals, safety actions, REMS; reads all)",
    "frontdesk": "Front desk (demographics and scheduling; no scores, no notes)",
    "admin": "Administrator (people and clinic settings)",
}
_NAME = re.compile(r"[a-z][a-z0-9._-]{1,62}")
MIN_PASSWORD = 10


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A person who can sign in, and their role (one of :data:`ROLES`)."""

    name: str
    role: str


@requires(Action.MANAGE_PEOPLE)
def server_init(db: Database) -> None:
    """Create or bring up to date the four roles and their privileges (idempotent).

    ``db`` is opened by the database owner, so the schema is already migrated.

    Raises:
        ValidationError: ``db`` is a SQLite file.
        StorageError: not allowed, or the server failed (plain messages).
    """
    _require_server(db)
    with db.write() as session:
        roles.grant_all(session.connection())


@requires(Action.MANAGE_PEOPLE)
def add_user(db: Database, name: str, role: str, password: str) -> UserInfo:
    """Add a person who signs in as ``name`` with ``role``; nothing is created when refused.

    Raises:
        ValidationError: a bad name, role or password, or the name is taken.
        NotAllowedError: the signed-in person is not an administrator.
    """
    _require_server(db)
    clean = _checked_name(name)
    group = _checked_role(role)
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"Password: at least {MIN_PASSWORD} characters; allowed: any characters",
            field="password",
        )
    with db.write() as session:
        conn = session.connection()
        if roles.role_exists(conn, clean):
            raise ValidationError(
                f"Name: {clean!r} is already used on this server; allowed: a new name",
                field="name",
            )
        roles.create_login(conn, clean, group, password)
    return UserInfo(clean, role)


@requires(Action.MANAGE_PEOPLE)
def list_users(db: Database) -> list[UserInfo]:
    """Everyone who can sign in to the clinic database, by name (empty on a file)."""
    if not db.on_server:
        return []
    back = {group: role for role, group in roles.GROUPS.items()}
    with db.read() as session:
        return [UserInfo(name, back[group]) for name, group in roles.logins(session.connection())]


def _require_server(db: Database) -> None:
    if not db.on_server:
        raise ValidationError(
            "Database: people and roles exist on a clinic server only; allowed: a "
            "postgresql:// address",
            field="db",
        )


def _checked_name(name: str) -> str:
    clean = name.strip()
    if not _NAME.fullmatch(clean) or clean.startswith(("mbct_", "pg_")):
        raise ValidationError(
            f"Name: {clean[:40]!r} cannot be a sign-in name; allowed: 2-63 characters, "
            "lower-case letters, digits, '.', '_' or '-', starting with a letter "
            "(not mbct_ or pg_)",
            field="name",
        )
    return clean


def _checked_role(role: str) -> str:
    group = roles.GROUPS.get(role.strip().lower())
    if group is None:
        raise ValidationError(
            f"Role: {role[:40]!r} is not a role; allowed: {', '.join(ROLES)}", field="role"
        )
    return group
