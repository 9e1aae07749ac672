"""Storage errors a user can act on; each message says what to do."""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """A problem with the database file that the user can act on."""


def _restore_hint(backup: Path | None) -> str:
    """The offer to restore, naming the newest backup when there is one."""
    if backup is None:
        return "No backup of it was found."
    return (
        f"The newest backup is {backup}: restore it with File -> Restore from backup "
        f"or `mbctracker restore {backup}`."
    )


class DatabaseLockedError(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The database {path.name} is busy: another window or workstation is saving. "
            "Nothing was saved; wait a moment and try again."
        )


class StaleRecordError(StorageError):
    """Someone else saved this record after it was opened here."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"This {what} was changed elsewhere (another window or workstation) after you "
            "opened it. Your change was not saved; the current version has been reloaded."
        )


class NewerDatabaseError(StorageError):
    def __init__(
        self, path: Path, db_version: str, db_schema: str, app_version: str, app_schema: str
    ) -> None:
        super().__init__(
            f"{path.name} was written by mbctracker {db_version} (schema {db_schema}); this is "
            f"mbctracker {app_version} (schema {app_schema}). Update mbctracker to open it; "
            "the file was not changed."
        )


class NotADatabaseError(StorageError):
    """Not SQLite, or another program's SQLite database; ``backup`` is the newest backup."""

    def __init__(self, path: Path, detail: str, backup: Path | None = None) -> None:
        self.backup = backup
        super().__init__(
            f"{path} is not an mbctracker database ({detail}). It was not changed. "
            f"Open another file or restore a backup. {_restore_hint(backup)}"
        )


class CorruptDatabaseError(StorageError):
    """An mbctracker database SQLite reports as damaged; ``backup`` is the newest backup."""

    def __init__(self, path: Path, detail: str, backup: Path | None = None) -> None:
        self.backup = backup
        super().__init__(
            f"The database {path} is damaged ({detail}). It was not changed. "
            f"{_restore_hint(backup)}"
        )


class DiskFullError(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The disk holding {path.parent} is full. Nothing was saved; free some space "
            "and try again."
        )


class ReadOnlyDatabaseError(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The database {path} cannot be written (read-only file, folder or disk). "
            "Nothing was saved; check the file's permissions."
        )


class NotFoundError(StorageError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"No {what} {key} in this database.")


class DamagedRecordError(StorageError):
    """A stored row cannot be read back (changed outside mbctracker, or an old bug).

    Raised by the mappers instead of a raw ``JSONDecodeError`` or ``ValueError``, so
    a command prints one line and the app a plain message naming the record.
    """

    def __init__(self, table: str, row_id: int | str | None, column: str, detail: str) -> None:
        self.table, self.row_id, self.column = table, row_id, column
        super().__init__(
            f"The {table} record {row_id} is damaged ({column}: {detail}); it cannot be "
            "shown until it is repaired. It was not changed: restore a backup made before "
            "the damage, or ask your administrator."
        )
