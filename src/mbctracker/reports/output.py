"""Writing summaries to disk: atomically, one at a time or as a cancellable batch.

A PDF is rendered fully in memory first, then written to a temporary file in
the destination folder and renamed over the target with :func:`os.replace`, so
a crash, a full disk or a rendering bug never leaves a half-written summary
that could be printed and filed as if it were complete.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

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
) -> Path:
    """Render and write atomically to ``out``; returns ``out``.

    Raises:
        ReportWriteError: the file cannot be written; the message names the path.
    """
    data = render(timeline, generated_at=generated_at, settings=settings)
    return write_atomic(Path(out), data)


def write_atomic(out: Path, data: bytes) -> Path:
    """Temp file in the same folder (same file system), fsync, then one rename."""
    folder = out.parent
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise _write_error(out, error) from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, out)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise _write_error(out, error) from error
        raise
    _sync_folder(folder)
    return out


def _write_error(out: Path, error: OSError) -> ReportWriteError:
    reason = error.strerror or str(error)
    return ReportWriteError(error.errno, f"Cannot write the summary to {out}: {reason}")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows (POSIX); best effort elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
) -> list[Path]:
    """Write one summary per course into ``out_dir`` (created if missing).

    ``progress(done, total)`` is called before the first and after each file;
    returning False stops the batch. Files already written are complete and
    stay; the list of written paths is returned.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _write_error(out_dir, error) from error
    total, written = len(items), list[Path]()
    if progress is not None and progress(0, total) is False:
        return written
    for done, item in enumerate(items, start=1):
        timeline = item if isinstance(item, CourseTimeline) else item()
        path = out_dir / summary_filename(timeline, generated_at)
        written.append(write_summary(timeline, path, generated_at=generated_at, settings=settings))
        if progress is not None and progress(done, total) is False:
            break
    return written
