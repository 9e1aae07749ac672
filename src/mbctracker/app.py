"""Composition root: paths, database, QApplication and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from . import __version__
from .paths import current_user, resolve_db_path
from .storage import open_database
from .ui.main_window import MainWindow


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("mbctracker")
    app.setOrganizationName("mbctracker")
    app.setApplicationVersion(__version__)
    return app


def make_window(db_path: str | os.PathLike[str] | None) -> MainWindow:
    """Build the whole main window over ``db_path`` without showing it (tests, scripts)."""
    ensure_application()
    db = open_database(resolve_db_path(db_path), actor=current_user())
    return MainWindow(db)


def run_app(db_path: str | os.PathLike[str] | None = None) -> int:
    app = ensure_application()
    window = make_window(Path(db_path) if db_path else None)
    window.show()
    return app.exec()
