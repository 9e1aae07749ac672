"""Storage: sqlmodel tables, the SQLite engine, migrations, backups and repositories."""

from .db import Database
from .errors import (
    DatabaseLockedError,
    NewerDatabaseError,
    NotADatabaseError,
    NotFoundError,
    StaleRecordError,
    StorageError,
)
from .migrate import SCHEMA_HEAD, open_database

__all__ = [
    "SCHEMA_HEAD",
    "Database",
    "DatabaseLockedError",
    "NewerDatabaseError",
    "NotADatabaseError",
    "NotFoundError",
    "StaleRecordError",
    "StorageError",
    "open_database",
]
