"""``mbctracker server-init --db postgresql://owner@host/db``: schema and roles.

Run by the database's owner (docs/clinic-server.md): creates or upgrades the schema
with the same migrations as a file, then the four roles and their privileges
(``storage.roles``). Running it again is harmless and brings the privileges up to
date after an upgrade.
"""

from __future__ import annotations

import argparse

from ..paths import is_server_url, resolve_db
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ..domain.errors import ValidationError
    from ..services.users import ROLES, server_init
    from ..storage import open_database

    target = resolve_db(getattr(args, "db", None))
    if not is_server_url(target):
        raise ValidationError(
            "--db: server-init sets up a clinic server; allowed: a postgresql:// address",
            field="db",
        )
    db = open_database(target, actor="server-init")
    try:
        server_init(db)
    finally:
        db.dispose()
    print(f"{db.path}: schema up to date; roles {', '.join(ROLES)} ready (mbct_*).")
    return 0
