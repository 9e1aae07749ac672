"""``mbctracker user-add --db URL NAME --role nurse``: a person who signs in (administrators).

The password is read from standard input when it is not a terminal (one line), else
asked twice without echo; it never appears on the command line or in the log.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from ..paths import resolve_db
from . import add_db_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..services.users import ROLES

    add_db_argument(parser)
    parser.add_argument("name", help="the sign-in name (lower-case letters, digits, . _ -)")
    parser.add_argument("--role", required=True, choices=ROLES, help="what the person may do")


def _password() -> str:
    from ..domain.errors import ValidationError

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password for the new person: ")
    if getpass.getpass("Again: ") != first:
        raise ValidationError("Password: the two entries differ; allowed: the same twice")
    return first


def run(args: argparse.Namespace) -> int:
    from ..services.users import add_user
    from ..storage import open_database

    password = _password()
    db = open_database(resolve_db(getattr(args, "db", None)), actor="user-add", upgrade=False)
    try:
        added = add_user(db, args.name, args.role, password)
    finally:
        db.dispose()
    print(f"{added.name} can now sign in to {db.path} as {added.role}.")
    return 0
