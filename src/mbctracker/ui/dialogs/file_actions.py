"""File menu actions: databases, backups and the PDF summary.

Heavy modules load here on demand: reportlab only when a summary is made, so
start-up never pays for it.
"""

from __future__ import annotations

import contextlib
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QStatusBar,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.settings import ClinicSettings
from ...domain.timeline import CourseTimeline
from ...paths import data_dir, print_dir
from ...services.clinic import load_clinic_settings
from ...storage import open_database
from ...storage.db import Database
from ...storage.errors import StorageError
from ...storage.server import login_name
from ..errors import show_info, show_user_error
from ..i18n import translate
from ..operations import Operations

if TYPE_CHECKING:
    from ..printing import PrintPreview


class Host(Protocol):
    """What the File menu needs of its window (the main window; a test double could do).

    Typed as a protocol so this module never imports the main window: the window
    calls these actions, and they reach the views only through :class:`Operations`.
    """

    ops: Operations

    @property
    def db(self) -> Database: ...

    @property
    def timeline(self) -> CourseTimeline | None: ...

    def statusBar(self) -> QStatusBar: ...

    def save_state(self) -> None: ...


def _widget(window: Host) -> QWidget:
    """The window as the parent of the file dialogs it opens."""
    assert isinstance(window, QWidget)
    return window


def clinic_settings(window: Host) -> ClinicSettings:
    """The clinic's defaults for new courses (stored in the database when available)."""
    return load_clinic_settings(window.db)


# -- databases -----------------------------------------------------------------
def switch_database(window: Host, path: Path | str) -> None:
    """Open ``path`` (created if new; or a clinic server's address) and show it; the old
    database stays untouched."""
    actor = window.db.actor
    if isinstance(path, str):  # a clinic server: the change log names the person's login
        actor = login_name(path) or actor
    db = open_database(path, actor=actor)
    window.save_state()
    window.ops.replace_database(db)  # every view follows the DATABASE change


DEMO_FILE_NAME = "mbctracker-demo.sqlite3"
DEMO_PATIENTS = 200


def open_demo_clinic(window: Host) -> Path | None:
    """Write the synthetic demo clinic beside the open database (once) and open it.

    Never into the open file: the demo has its own file, marked as demo data, and a
    file of that name holding anything else is refused, not overwritten.
    """
    from ...services.demo import generate_demo, non_demo_refusal

    path = window.db.path.with_name(DEMO_FILE_NAME)
    if window.db.on_server:  # no folder of its own: the demo file goes to the data folder
        path = data_dir() / DEMO_FILE_NAME
    refusal = non_demo_refusal(path)
    if refusal is not None:
        show_user_error(_widget(window), ValidationError(refusal, field="demo"))
        return None
    if not path.exists():
        progress = QProgressDialog(
            translate("file_actions", "Writing the demo clinic (synthetic patients)…"),
            "",
            0,
            DEMO_PATIENTS,
            _widget(window),
        )
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, _total: int) -> None:
            progress.setValue(done)
            QApplication.processEvents()

        db = open_database(path, actor="demo generator")
        try:
            generate_demo(db, patients=DEMO_PATIENTS, seed=1, progress=step)
        finally:
            db.dispose()
            progress.close()
    switch_database(window, path)
    return path


def new_database(window: Host) -> None:
    chosen, _ = QFileDialog.getSaveFileName(
        _widget(window),
        translate("file_actions", "New database"),
        str(window.db.path.parent / "clinic.sqlite3"),
        translate("file_actions", "mbctracker databases (*.sqlite3)"),
    )
    if chosen:
        path = Path(chosen)
        if path.exists():
            raise StorageError(
                translate(
                    "file_actions", "{0} already exists; choose Open database to use it."
                ).format(path)
            )
        switch_database(window, path)


def open_clinic_server(window: Host) -> None:
    """File -> Open a clinic server…: ask for the address, then open it like a file."""
    from ..errors import guarded
    from .server_dialog import ask_server

    parent = _widget(window)
    ask_server(parent, lambda url: guarded(parent, lambda: switch_database(window, url)))


def open_database_file(window: Host) -> None:
    chosen, _ = QFileDialog.getOpenFileName(
        _widget(window),
        translate("file_actions", "Open database"),
        str(window.db.path.parent),
        translate("file_actions", "mbctracker databases (*.sqlite3 *.db);;All files (*)"),
    )
    if chosen:
        switch_database(window, Path(chosen))


# -- backups -------------------------------------------------------------------
def back_up_now(window: Host) -> Path:
    from ...services.backups import backup_now

    path = backup_now(window.db)
    show_info(
        _widget(window),
        translate("file_actions", "Backup written"),
        translate("file_actions", "A verified copy of the database was written to:\n{0}").format(
            path
        ),
    )
    return path


def restore(window: Host, backup: Path | None = None) -> Path | None:
    """Replace the open database with a backup; the current file is copied first."""
    from ...services.backups import list_backups, restore_backup

    if backup is None:
        start = list_backups(window.db.path)
        folder = str(start[0].parent) if start else str(window.db.path.parent)
        chosen, _ = QFileDialog.getOpenFileName(
            _widget(window),
            translate("file_actions", "Restore from backup"),
            folder,
            translate("file_actions", "Backups (*.sqlite3);;All files (*)"),
        )
        if not chosen:
            return None
        backup = Path(chosen)
        answer = QMessageBox.question(
            _widget(window),
            translate("file_actions", "Restore from backup"),
            translate(
                "file_actions",
                "Replace the open database with\n{0}?\n\nA copy of the current file is kept first.",
            ).format(backup),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    path = window.db.path
    window.db.dispose()
    kept = restore_backup(backup, path)
    switch_database(window, path)
    where = (
        translate("file_actions", "\nThe previous file was kept as:\n{0}").format(kept)
        if kept
        else ""
    )
    show_info(
        _widget(window),
        translate("file_actions", "Backup restored"),
        translate("file_actions", "Restored {0}.{1}").format(backup.name, where),
    )
    return kept


# -- the PDF summary -----------------------------------------------------------
def _write_pdf(window: Host, out: Path) -> Path | None:
    timeline = window.timeline
    if timeline is None:
        window.statusBar().showMessage(
            translate("file_actions", "Select a patient with a course first."), 5000
        )
        return None
    from ...reports import ReportWriteError, write_summary  # lazy: reportlab is heavy

    try:
        return write_summary(
            timeline, out, generated_at=datetime.now(), settings=clinic_settings(window)
        )
    except ReportWriteError as exc:
        raise StorageError(str(exc)) from exc


def save_summary(window: Host, out: Path | None = None) -> Path | None:
    """File -> Save summary as PDF: choose where, write, open it."""
    timeline = window.timeline
    if timeline is None:
        window.statusBar().showMessage(
            translate("file_actions", "Select a patient with a course first."), 5000
        )
        return None
    if out is None:
        from ...reports import summary_filename

        suggested = window.db.path.parent / summary_filename(timeline, datetime.now())
        chosen, _ = QFileDialog.getSaveFileName(
            _widget(window),
            translate("file_actions", "Save summary as PDF"),
            str(suggested),
            translate("file_actions", "PDF files (*.pdf)"),
        )
        if not chosen:
            return None
        out = Path(chosen)
    written = _write_pdf(window, out)
    if written:
        window.statusBar().showMessage(
            translate("file_actions", "Summary saved: {0}").format(written), 8000
        )
    return written


def remove_stale_prints(started: float) -> int:
    """At start-up: delete the PDFs that versions before printing through Qt left in
    their print folder (older than ``started``); printing writes no file any more."""
    folder = print_dir()
    if not folder.is_dir():
        return 0
    stale = [p for p in folder.iterdir() if p.lstat().st_mtime < started]
    for path in stale:
        with contextlib.suppress(FileNotFoundError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    return len(stale)


def print_summary(window: Host) -> PrintPreview | None:
    """File -> Print summary: the same PDF as Save summary, previewed with page
    thumbnails and printed through Qt's print dialog; no file is written."""
    timeline = window.timeline
    if timeline is None:
        window.statusBar().showMessage(
            translate("file_actions", "Select a patient with a course first."), 5000
        )
        return None
    from ...reports import render_summary  # lazy: reportlab is heavy

    data = render_summary(timeline, generated_at=datetime.now(), settings=clinic_settings(window))
    title = translate("file_actions", "{0} - progress summary").format(timeline.patient.name)
    return print_preview(_widget(window), data, title, window.statusBar())


def print_preview(
    parent: QWidget, data: bytes, title: str, status: QStatusBar | None = None
) -> PrintPreview:
    """Open the print preview of the PDF ``data`` (non-blocking); the status bar, when
    given, says how many pages were printed."""
    from ..printing import PrintPreview

    preview = PrintPreview(data, title, parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.setWindowModality(Qt.WindowModality.WindowModal)
    if status is not None:
        preview.printed.connect(
            lambda pages: status.showMessage(
                translate("file_actions", "Printed {0} page(s) of {1}.").format(pages, title), 8000
            )
        )
    preview.open()
    return preview
