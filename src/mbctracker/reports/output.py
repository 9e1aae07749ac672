"""Writing summaries to disk: atomically, one at a time or as a cancellable batch.

A PDF is rendered fully in memory first, then written to a temporary file in
the destination folder and renamed over the target with :func:`os.replace`, so
a crash, a full disk or a rendering bug never leaves a half-written summary
that could be printed and filed as if it were complete.

Nothing is written through a symlink or over a file named in ``keep`` (the
clinic database and its ``-wal``/``-shm``/``-journal``), and an existing file is
replaced only with ``overwrite``: without it a hard link publishes the file, so
one appearing meanwhile is never replaced either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from .. import fileio
from ..domain.settings import ClinicSettings
from ..domain.timeline import CourseTimeline
from .summary import render

Progress = Callable[[int, int], bool | None]
"""Called with (done, total); returning False cancels the batch."""

TimelineSource = CourseTimeline | Callable[[], CourseTimeline]
"""A timeline, or a zero-argument loader so a large batch need not hold them all in memory."""


class ReportWriteError(OSError):
    """The summary could not be written (missing folder, no permission, disk full)."""


def render_summary(
    timeline: CourseTimeline, *, generated_at: datetime, settings: ClinicSettings | None = None
) -> bytes:
    """The summary as PDF bytes (for printing or previewing without a file).

    ``settings`` supplies the clinic name and page size; thresholds always come
    from the course's own settings (those in force when it started). Defaults
    to the course's settings.
    """
    return render(timeline, generated_at=generated_at, settings=settings)


def write_summary(
    timeline: CourseTimeline,
    out: Path,
    *,
    generated_at: datetime,
    settings: ClinicSettings | None = None,
    overwrite: bool = True,
    keep: Collection[Path] = (),
) -> Path:
    """Render and write atomically to ``out``; returns ``out``.

    Raises:
        ReportWriteError: the file cannot be written, exists (without ``overwrite``),
            is a symlink or one of ``keep``; the message names the path.
    """
    out = Path(out)
    check_target(out, overwrite=overwrite, keep=keep)
    data = render(timeline, generated_at=generated_at, settings=settings)
    return write_atomic(out, data, overwrite=overwrite)


def check_target(out: Path, *, overwrite: bool, keep: Collection[Path] = ()) -> None:
    """Refuse what :func:`mbctracker.fileio.unsafe_target` refuses.

    Raises:
        ReportWriteError: naming the path and what to do instead.
    """
    why = fileio.unsafe_target(out, overwrite=overwrite, keep=keep)
    if why is not None:
        _refuse(out, why)


def _refuse(out: Path, why: str) -> NoReturn:
    raise ReportWriteError(
        errno.EEXIST, f"Not writing the summary to {out}: {why}. Nothing written."
    )


def write_atomic(out: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write through :func:`mbctracker.fileio.write_atomic` (private temp, fsync, rename).

    A symlink at ``out`` is refused by name; without ``overwrite`` an existing
    file is refused, atomically.
    """
    if out.is_symlink():
        _refuse(out, "it is a symbolic link; choose a real file name")
    try:
        return fileio.write_atomic(out, data, overwrite=overwrite)
    except FileExistsError:
        _refuse(out, "the file already exists; choose another name or pass --force to replace it")
    except OSError as error:
        raise _write_error(out, error) from error


def _write_error(out: Path, error: OSError) -> ReportWriteError:
    reason = error.strerror or str(error)
    return ReportWriteError(error.errno, f"Cannot write the summary to {out}: {reason}")


def summary_filename(timeline: CourseTimeline, generated_at: datetime) -> str:
    """MRN_course-ID_YYYY-MM-DD.pdf: sortable, unique per course and day, safe on any OS."""
    mrn = re.sub(r"[^A-Za-z0-9._-]+", "-", timeline.patient.mrn).strip(".-") or "patient"
    return f"{mrn}_course-{timeline.course.id}_{generated_at.date().isoformat()}.pdf"


def write_summaries(
    items: Sequence[TimelineSource],
    out_dir: Path,
    *,
    generated_at: datetime,
    progress: Progress | None = None,
    settings: ClinicSettings | None = None,
    overwrite: bool = True,
    keep: Collection[Path] = (),
) -> list[Path]:
    """Write one summary per course into ``out_dir`` (created owner-only if missing).

    ``progress(done, total)`` is called before the first and after each file;
    returning False stops the batch. Files already written are complete and
    stay; the list of written paths is returned.
    """
    out_dir = Path(out_dir)
    private_folder(out_dir)
    total, written = len(items), list[Path]()
    if progress is not None and progress(0, total) is False:
        return written
    for done, item in enumerate(items, start=1):
        timeline = item if isinstance(item, CourseTimeline) else item()
        path = out_dir / summary_filename(timeline, generated_at)
        written.append(
            write_summary(
                timeline,
                path,
                generated_at=generated_at,
                settings=settings,
                overwrite=overwrite,
                keep=keep,
            )
        )
        if progress is not None and progress(done, total) is False:
            break
    return written


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) 0700; an existing folder keeps its mode.

    Raises:
        ReportWriteError: it is a symlink or a file, or cannot be created.
    """
    if folder.is_symlink():
        _refuse(folder, "it is a symbolic link; choose a real folder")
    if folder.is_dir():
        return
    missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
    try:
        folder.mkdir(parents=True, mode=0o700)
    except OSError as error:
        raise _write_error(folder, error) from error
    if os.name == "posix":
        for created in missing:
            with contextlib.suppress(OSError):
                os.chmod(created, 0o700, follow_symlinks=False)  # mkdir's mode is umasked
