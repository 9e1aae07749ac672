"""UI fixtures: a real SQLite file built through the services, and the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from ui_helpers import Clinic, build_clinic, shown_window

from mbctracker.storage import Database
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.qt_compat import guard_none_refcount

guard_none_refcount()  # PySide6 6.12.0 on Python 3.11 leaks references to None

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns on every top-level show; it is not our warning."""
    for item in items:
        if "tests/ui" in str(item.fspath):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _application(qapp: QApplication) -> QApplication:
    """Every UI test runs with the QApplication, even one that asks for no widget.

    A QPrinter built first in a worker (random order, or one test run alone) aborted
    the whole process: Qt needs the application before any paint device.
    """
    return qapp


@pytest.fixture
def clinic(db: Database) -> Clinic:
    return build_clinic(db)


@pytest.fixture
def window(qtbot, db_path: Path, clinic: Clinic, tmp_path: Path) -> Iterator[MainWindow]:
    """The real main window over the clinic file, shown and active (shortcuts need it)."""
    with shown_window(qtbot, db_path, tmp_path) as win:
        yield win


@pytest.fixture
def spanish_window(qtbot, db_path: Path, clinic: Clinic, tmp_path: Path) -> Iterator[MainWindow]:
    """The real main window built after the Spanish catalogues are installed."""
    from mbctracker.ui import i18n

    del clinic  # used for its set-up: the clinic file
    assert i18n.install("es")
    try:
        with shown_window(qtbot, db_path, tmp_path) as win:
            yield win
    finally:
        i18n.uninstall()
