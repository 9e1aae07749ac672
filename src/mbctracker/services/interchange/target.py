"""Where an export may write: a private folder, never over the database or without --force.

Each file goes through :func:`~mbctracker.fileio.atomic_file` (owner-only temp file,
fsync, one rename), so a crash or a full disk never leaves a half-written CSV under
its real name, and nothing is written through a symlink.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, NoReturn

from ...domain.errors import ValidationError
from ...fileio import atomic_file, unsafe_target
from ...paths import ensure_private_dir


def database_files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it: never to be written over."""
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]


def prepare_folder(
    folder: Path, names: Collection[str], *, keep: Collection[Path], overwrite: bool
) -> Path:
    """Check every target in ``folder`` first, then create the folder (0700) if missing.

    Raises:
        ValidationError: a target is the database (or one of its files), another
            database, a symlink or folder, or exists without ``overwrite``; nothing written.
    """
    if folder.exists() and not folder.is_dir():
        _refuse(folder, "it is a file, not a folder; give a folder name")
    for name in names:
        check_file(folder / name, keep=keep, overwrite=overwrite)
    return ensure_private_dir(folder)


def check_file(out: Path, *, keep: Collection[Path], overwrite: bool) -> None:
    """Refuse one target the way ``report --out`` does (:func:`fileio.unsafe_target`)."""
    why = unsafe_target(out, overwrite=overwrite, keep=keep)
    if why is not None:
        _refuse(out, why)


def _refuse(out: Path, why: str) -> NoReturn:
    raise ValidationError(f"Not writing {out}: {why}. Nothing was written.", field="out")


@contextlib.contextmanager
def csv_writer(out: Path, *, overwrite: bool = True) -> Iterator[Any]:
    """A ``csv.writer`` (RFC 4180, CRLF line ends) into an owner-only atomic file."""
    with atomic_file(out, overwrite=overwrite) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield csv.writer(text, lineterminator="\r\n")
        text.flush()
        text.detach()  # atomic_file fsyncs and closes the file itself
