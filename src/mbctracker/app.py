"""Composition root: paths, logging, database, QApplication and the main window.

Bugs are caught here by ``sys.excepthook``: they are written to the log and a
crash dialog says so, never with a traceback on screen. Errors the user can act
on (a locked or foreign file, a refused value) are plain dialogs instead.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from .paths import current_user, data_dir, resolve_db, resolve_db_path
from .storage import Database, open_database
from .storage.errors import StorageError
from .ui import i18n
from .ui.about import DESKTOP_ID
from .ui.errors import USER_ERRORS, show_crash, show_user_error, user_message
from .ui.i18n import translate
from .ui.main_window import MainWindow
from .ui.qt_compat import guard_none_refcount

log = logging.getLogger("mbctracker")
_log_path: Path | None = None


def ensure_application() -> QApplication:
    guard_none_refcount()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("mbctracker")
    app.setOrganizationName("mbctracker")
    # the version is set once the window is ready: reading it costs ~20 ms before the paint
    app.setDesktopFileName(DESKTOP_ID)
    return app


def settings_path_for(db_path: Path | str) -> Path:
    """Window state beside the database, so tests and a second clinic file never share it
    (a clinic server's in this workstation's data folder)."""
    if isinstance(db_path, str):
        return data_dir() / "clinic-server.ui.ini"
    return db_path.with_name(db_path.name + ".ui.ini")


def make_window(
    db_path: str | os.PathLike[str] | None,
    *,
    settings_path: str | os.PathLike[str] | None = None,
    fast_start: bool = False,
) -> MainWindow:
    """Build the main window over ``db_path`` without showing it (tests, scripts).

    Window geometry and the last patient are kept in an ini file (``settings_path``,
    by default beside the database), never in the user's global Qt settings.
    With ``fast_start`` (the app) the list's first page is read through stdlib
    sqlite3 and the rest is built after the first paint (``window.ready``); without
    it (tests, scripts) the window is whole on return.
    """
    ensure_application()
    path = resolve_db(db_path)
    db = open_database(path, actor=_actor(path))
    ini = Path(settings_path) if settings_path else settings_path_for(path)
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    window = MainWindow(db, settings, fast_start=fast_start)
    window.ops.backup_finished.connect(lambda text: window.statusBar().showMessage(text, 10000))
    return window


def _actor(target: Path | str) -> str:
    """Who the change log names: a server's login (one per person), else the OS user."""
    if isinstance(target, str):
        from .storage.server import login_name

        return login_name(target) or current_user()
    return current_user()


def when_ready(window: MainWindow, then: Callable[[], object]) -> None:
    """Run ``then`` once the window is whole (now, or after its first paint)."""
    if window.is_ready:
        then()
    else:
        window.ready.connect(then)


def setup_logging() -> Path:
    """The private rotating log; returns its path for the crash dialog."""
    from .logs import setup_logging as setup

    return setup()


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log every uncaught exception; show a plain dialog (user errors) or the crash dialog."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    parent = QApplication.activeWindow()
    if isinstance(exc, USER_ERRORS):
        log.warning("user-actionable error: %s", type(exc).__name__)
        show_user_error(parent, exc)
        return
    log.critical("uncaught exception", exc_info=(kind, exc, tb))
    if QApplication.instance() is not None:
        show_crash(parent, _log_path)
    else:
        sys.__excepthook__(kind, exc, tb)


def _start_window(db_path: str | os.PathLike[str] | None) -> MainWindow | None:
    """The window; when the file cannot be opened, say why and offer a way out.

    A corrupt file, another program's database or one from a newer mbctracker is
    never overwritten: the user may restore a backup (the current file is kept
    first), open another file, or quit. Never a traceback.
    """
    if isinstance(resolve_db(db_path), str):
        return _start_server_window(str(resolve_db(db_path)))
    path = resolve_db_path(db_path)
    for _attempt in range(5):
        try:
            return make_window(path, fast_start=True)
        except StorageError as exc:
            chosen = _recover(path, exc)
        if chosen is None:
            return None
        path = chosen
    return None


def _start_server_window(address: str) -> MainWindow | None:
    """A clinic server that cannot be opened: say why (no file to restore or pick here)."""
    try:
        return make_window(address)
    except StorageError as exc:
        QMessageBox.critical(
            None, translate("app", "Cannot open the clinic database"), user_message(exc)
        )
        return None


def _recover(path: Path, exc: StorageError) -> Path | None:
    """Ask what to do about a database that cannot be opened; the path to try next."""
    box = QMessageBox(
        QMessageBox.Icon.Critical, translate("app", "Cannot open the database"), user_message(exc)
    )
    restore = box.addButton(
        translate("app", "Restore a backup…"), QMessageBox.ButtonRole.AcceptRole
    )
    other = box.addButton(translate("app", "Open another file…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(translate("app", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is other:
        chosen, _ = QFileDialog.getOpenFileName(
            None, translate("app", "Open database"), str(path.parent)
        )
        return Path(chosen) if chosen else None
    if box.clickedButton() is restore:
        return _restore_at_startup(path)
    return None


def _restore_at_startup(path: Path) -> Path | None:
    from .services.backups import list_backups, restore_backup

    found = list_backups(path)
    folder = str(found[0].parent) if found else str(path.parent)
    chosen, _ = QFileDialog.getOpenFileName(None, translate("app", "Restore from backup"), folder)
    if not chosen:
        return None
    try:
        kept = restore_backup(Path(chosen), path)
    except StorageError as exc:
        QMessageBox.critical(None, translate("app", "Backup not restored"), user_message(exc))
        return None
    if kept is not None:
        QMessageBox.information(
            None,
            translate("app", "Backup restored"),
            translate("app", "The previous file was kept as:\n{0}").format(kept),
        )
    return path


def _protect_identifiers(db: Database) -> None:
    """Teach the log's privacy filter every patient name and MRN (off the UI thread)."""
    from .storage.redaction import protect_all

    try:
        protect_all(db)
    except StorageError as exc:
        log.warning("could not register identifiers with the log filter: %s", type(exc).__name__)


class _BackupReporter(QObject):
    """Carries the start-up backup's outcome from its thread to the status bar."""

    finished = Signal(str)


def _startup_backup(window: MainWindow) -> threading.Thread | None:
    """Back up in a thread once the window is up: a large file must not delay the first paint.

    The same thread first registers every patient identifier with the log's privacy
    filter (about 80 ms at 22,481 patients), so no name or MRN can reach the log file.
    """
    from .services.backups import startup_backup, verify_newest_backup

    reporter = _BackupReporter(window)
    reporter.finished.connect(lambda text: window.statusBar().showMessage(text, 10000))
    db = window.db

    def work() -> None:
        _protect_identifiers(db)
        if db.on_server:
            return  # the server's IT person schedules pg_dump (docs/clinic-server.md)
        try:
            made = startup_backup(db)
        except StorageError as exc:
            log.warning("start-up backup failed: %s", exc)
            reporter.finished.emit(translate("app", "Start-up backup failed: {0}").format(exc))
            return
        if made is not None:
            reporter.finished.emit(
                translate("app", "Start-up backup written: {0}").format(made.name)
            )
        _verify_idle(db.path, verify_newest_backup, reporter)

    thread = threading.Thread(target=work, name="startup-backup", daemon=True)
    thread.start()
    return thread


def _verify_idle(
    path: Path, verify: Callable[[Path], Path | None], reporter: _BackupReporter
) -> None:
    """Full integrity check of the newest copy, off the window's thread (the idle job)."""
    try:
        damaged = verify(path)
    except (StorageError, OSError) as exc:
        log.warning("backup verification did not run: %s", type(exc).__name__)
        return
    if damaged is not None:
        reporter.finished.emit(
            translate("app", "A backup failed its full integrity check: {0}").format(damaged.name)
        )


def after_first_paint(window: MainWindow, delay_ms: int = 100) -> None:
    """Work the first screen does not need, queued behind its paint: the chart's import."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(delay_ms, window.course.warm_chart)


def _remove_stale_prints() -> None:
    """PDFs an earlier run printed and could not remove (a crash, a killed process)."""
    import time

    from .ui.dialogs.file_actions import remove_stale_prints

    try:
        remove_stale_prints(time.time())
    except OSError as exc:
        log.warning("could not empty the print folder: %s", exc.strerror or type(exc).__name__)


def choose_language(db_path: str | os.PathLike[str] | None, requested: str | None) -> str:
    """``--lang``, else this desk's choice in the window's settings file, else the system's;
    installed before any window or message box is built, so all of them speak it."""
    ini = settings_path_for(resolve_db(db_path))  # a clinic server's in the data folder
    stored = QSettings(str(ini), QSettings.Format.IniFormat) if ini.exists() else None
    language = i18n.choose_language(requested, stored)
    if not i18n.install(language):
        log.warning("no catalogue for language %s; the window stays in English", language)
    return language


def _after_ready(window: MainWindow) -> None:
    """Start-up work behind the first paint: version, chart warm-up, prints, backup."""
    from . import __version__

    QApplication.instance().setApplicationVersion(__version__)  # type: ignore[union-attr]
    after_first_paint(window)
    _remove_stale_prints()
    _startup_backup(window)
    freeze_startup_objects()


def freeze_startup_objects() -> None:
    """Start-up objects live for the session: kept out of the collector's full passes,
    which otherwise walk them all inside some later switch or save."""
    gc.collect()
    gc.freeze()


def run_app(db_path: str | os.PathLike[str] | None = None, lang: str | None = None) -> int:
    """Open the window: the patient list paints first, the rest follows (``when_ready``)."""
    global _log_path
    _log_path = setup_logging()
    app = ensure_application()
    choose_language(db_path, lang)
    sys.excepthook = excepthook
    window = _start_window(db_path)
    if window is None:
        return 2
    window.show()
    when_ready(window, lambda: _after_ready(window))
    return app.exec()
