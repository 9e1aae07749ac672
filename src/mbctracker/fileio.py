"""The one way a finished file reaches its name: private temp file, fsync, one rename.

A summary PDF, a change-log CSV or a database backup is written beside its
target under a random ``.NAME.RANDOM.part`` name created with O_EXCL|O_NOFOLLOW
(owner-only), flushed to disk, and only then renamed into place, so a crash or a
full disk never leaves a half-written file under the real name, and a planted
file or symlink is never written through. Callers turn ``OSError`` into their
own plain message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".part"


@contextlib.contextmanager
def atomic_file(out: Path, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Yield a private temp file beside ``out``; on a clean exit it becomes ``out``.

    On an error (or an exception in the caller's block) the temp file is removed
    and ``out`` is untouched.

    Raises:
        FileExistsError: ``out`` exists and ``overwrite`` is False.
        OSError: the folder is missing or not writable, the disk is full...
    """
    folder = out.parent
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=TEMP_SUFFIX, dir=folder)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        publish(temp, out, overwrite=overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    sync_folder(folder)


def write_atomic(out: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``out`` through :func:`atomic_file`; returns ``out``."""
    with atomic_file(out, overwrite=overwrite) as file:
        file.write(data)
    return out


def publish(temp: Path, dest: Path, *, overwrite: bool) -> None:
    """Move a finished ``temp`` file to ``dest`` in one step.

    Without ``overwrite`` a hard link makes "create only if absent" atomic (a file
    or symlink appearing at ``dest`` meanwhile is never replaced); file systems
    without hard links fall back to a check then a rename. A rename replaces a
    symlink itself, never the file it points to.
    """
    if overwrite:
        os.replace(temp, dest)
        return
    try:
        os.link(temp, dest, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(dest):
            raise FileExistsError(errno.EEXIST, "File exists", str(dest)) from None
        os.replace(temp, dest)
        return
    os.unlink(temp)


_NO_DIR_FSYNC = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES}


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a folder that cannot be synced is skipped.

    Windows has no directory fsync, and some file systems refuse one (EINVAL);
    any other error (EIO) is real and raised.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _NO_DIR_FSYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_FSYNC:
            raise
    finally:
        os.close(fd)


# --- where an export may write --------------------------------------------------------------

_SQLITE_HEADER = b"SQLite format 3\x00"


def unsafe_target(out: Path, *, overwrite: bool, keep: Collection[Path] = ()) -> str | None:
    """Why writing a report or export to ``out`` is refused, or None when it may be written.

    The one guard behind ``report``, ``export`` (CSV, research, FHIR) and ``outcomes``:
    never the clinic database or its companions (``keep``, also under another name), never
    any SQLite file (a backup, another clinic), never through a symlink or onto a folder,
    and an existing file only with ``overwrite`` (--force).
    """
    if any(_same_file(out, protected) for protected in keep):
        return "that is the clinic database (or one of its files); choose another name"
    if out.is_symlink():
        return "it is a symbolic link; choose a real file name"
    if out.is_dir():
        return "it is a folder; give a file name"
    if _is_sqlite(out):
        return "it is a database (a backup or another clinic file), never replaced"
    if out.exists() and not overwrite:
        return "the file already exists; choose another name or pass --force to replace it"
    return None


def _same_file(out: Path, other: Path) -> bool:
    """Same resolved path, or the same file under another name (hard link, bind mount)."""
    if out.resolve() == other.resolve():
        return True
    with contextlib.suppress(OSError):
        return os.path.samefile(out, other)
    return False


def _is_sqlite(out: Path) -> bool:
    try:
        with out.open("rb") as file:
            return file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False
