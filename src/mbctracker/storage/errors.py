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


class DatabaseInUseError(DatabaseLockedError):
    """Another program holds the file locked: in use, which is never damage."""

    def __init__(self, path: Path, action: str = "be opened") -> None:
        StorageError.__init__(
            self,
            f"The database {path} is in use: another program or workstation holds it locked, "
            f"so it could not {action}. It is not damaged and was not changed; close the "
            "other program (or wait until it finishes) and try again.",
        )


class MissingDatabaseError(StorageError):
    """No data where a database was used before (its backups exist): never start empty."""

    def __init__(self, path: Path, state: str, backup: Path | None) -> None:
        self.backup = backup
        super().__init__(
            f"The database {path} is {state}, but backups of it exist, so it was not opened "
            f"as a new empty database. {_restore_hint(backup)} To really start an empty "
            "database there, move its backups folder away first."
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


class DuplicateMrnKeyError(StorageError):
    """Migration 0005 found patients whose MRNs are one MRN once normalised.

    Merging them silently could put one patient's record under another's name,
    so the upgrade stops and names the records (ids only, never the MRNs).
    """

    def __init__(self, groups: list[list[int]]) -> None:
        self.groups = groups
        listed = "; ".join(", ".join(str(i) for i in group) for group in groups)
        super().__init__(
            "This database cannot be upgraded: patient records with ids "
            f"{listed} have MRNs that are the same once case, accents, full-width "
            "characters and spaces are ignored, so a look-up by MRN could open the wrong "
            "patient. The file was not changed. Give each of these records its own MRN "
            "with the mbctracker version that made this file, then open it again."
        )


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


class ServerError(StorageError):
    """A problem reaching or using the clinic's PostgreSQL server (issue 13)."""


class ServerUnreachableError(ServerError):
    def __init__(self, where: Path, why: str) -> None:
        super().__init__(
            f"Cannot reach the clinic database {where}: {why}. Nothing was changed; check the "
            "address, that the server is running and that this workstation is on the clinic "
            "network, or ask the clinic's IT person."
        )


class WrongPasswordError(ServerError):
    def __init__(self, where: Path) -> None:
        super().__init__(
            f"The clinic database {where} refused the sign-in: wrong user name or password. "
            "Nothing was changed; type them again or ask the clinic's administrator."
        )


class ConnectionLostError(ServerError):
    def __init__(self, where: Path) -> None:
        super().__init__(
            f"The connection to the clinic database {where} was lost. The last change was not "
            "saved unless it shows after reopening the record; check the network and try again."
        )


class SignedOutError(ServerError):
    """The person signed out of the clinic server (the idle lock): no connection is left."""

    def __init__(self, where: Path) -> None:
        super().__init__(
            f"Signed out of the clinic database {where}. Nothing was changed; sign in again "
            "to continue."
        )


class ServerDiskFullError(DiskFullError):
    def __init__(self, where: Path) -> None:
        StorageError.__init__(
            self,
            f"The clinic database server holding {where} is out of disk space (or another "
            "resource). Nothing was saved; ask the clinic's IT person to free space.",
        )


class NotAllowedError(ServerError):
    """The database refused a read or write the signed-in person's role does not allow."""

    def __init__(self, where: Path, table: str | None = None) -> None:
        self.table = table
        what = f"the {table.replace('_', ' ')} records" if table else "this"
        super().__init__(
            f"You are not allowed to see or change {what} in {where} with your role. "
            "Nothing was saved; ask the clinic's administrator if your role should allow it."
        )
