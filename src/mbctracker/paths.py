"""The one owner of file locations.

Precedence for the database: ``--db PATH`` on the command line, then the
``MBCTRACKER_DB`` environment variable, then the platformdirs user data folder.
Tests and a second clinic database pass an explicit path, so they never touch
the user's real folders.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "mbctracker"
APP_AUTHOR = "mbctracker"
DB_ENV = "MBCTRACKER_DB"
DB_FILENAME = "mbctracker.sqlite3"
PRIVATE_DIR = 0o700


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def print_dir() -> Path:
    """Where File -> Print puts its PDFs: emptied at exit and at the next start."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "print"


def desk_settings_path() -> Path:
    """This desk's own choices (View -> Theme): the user's config folder, never beside a
    database that other workstations share."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "desk.ini"


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to open: explicit path, else $MBCTRACKER_DB, else the default.

    ``realpath`` rather than ``Path.resolve``: on a symlink loop it returns the path
    (opening it then fails with a plain "too many levels of symbolic links") instead
    of raising RuntimeError.
    """
    if explicit:
        return Path(os.path.realpath(Path(explicit).expanduser()))
    env = os.environ.get(DB_ENV)
    if env:
        return Path(os.path.realpath(Path(env).expanduser()))
    return default_db_path()


SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(target: object) -> bool:
    """True when ``target`` is a clinic server's ``postgresql://`` address, not a file."""
    return isinstance(target, str) and target.split("://", 1)[0].lower() in SERVER_SCHEMES


def resolve_db(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """Like :func:`resolve_db_path`, but a ``postgresql://`` address is kept as text.

    Commands and the app open either; code that needs a file keeps using
    :func:`resolve_db_path`.
    """
    for given in (explicit, os.environ.get(DB_ENV)):
        if given and is_server_url(os.fspath(given)):
            return os.fspath(given)
        if given:
            return resolve_db_path(given)
    return default_db_path()


def current_user() -> str:
    """The OS user, recorded in the change log unless a clinician name is chosen."""
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` owner-only when missing; an existing folder keeps its mode.

    Health data must not be world-readable, but a folder we did not create is not
    ours to change: chmodding, say, /tmp or a shared Documents folder would lock
    other users out or change what they share. It lives here, beside the folders it
    makes, so the log set-up below storage can use it too.
    """
    if path.is_dir():
        return path
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name == "posix":
        for created in missing:
            with contextlib.suppress(OSError):
                os.chmod(created, PRIVATE_DIR, follow_symlinks=False)  # umask filters mkdir
    return path
