"""File -> Import…: a CSV interchange folder in, with a progress dialog, all or nothing.

The import runs on the UI thread and pumps events from its progress callback (it
holds the write lock anyway, so there is nothing else to do meanwhile); Cancel rolls
the whole import back. Problems are listed in one plain dialog, every one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

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
from ...services.interchange.csv_import import ImportRefused, ImportResult, import_csv
from ...storage.db import Database
from ..i18n import translate
from ..operations import Operations

SHOWN = 30
"""Problems written in the dialog itself; all of them are under "Show Details…"."""

ALREADY_REGISTERED = "is already registered; allowed: a new MRN, or --merge"


class Host(Protocol):
    ops: Operations

    @property
    def db(self) -> Database: ...

    def statusBar(self) -> QStatusBar: ...


class ImportCancelled(ValidationError):
    """The person pressed Cancel: the transaction is rolled back, nothing is imported."""


def import_folder(window: Host, folder: Path | None = None) -> ImportResult | None:
    """Ask for a folder, import it (offering --merge for patients already registered)."""
    parent = _widget(window)
    if folder is None:
        chosen = QFileDialog.getExistingDirectory(
            parent,
            translate("import_dialog", "Import a CSV interchange folder"),
            str(window.db.path.parent),
        )
        if not chosen:
            return None
        folder = Path(chosen)
    try:
        result = _run(window, folder, merge=False)
    except ImportRefused as refused:
        if not _only_existing(refused) or not _merge_wanted(parent, refused):
            show_problems(parent, refused)
            return None
        try:
            result = _run(window, folder, merge=True)
        except ImportRefused as again:
            show_problems(parent, again)
            return None
    window.ops.replace_database(window.db)  # every view re-reads: many records changed
    counts = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in result.counts.items())
    window.statusBar().showMessage(
        translate("import_dialog", "Imported from {0}: {1}").format(folder.name, counts), 15000
    )
    return result


def _widget(window: Host) -> QWidget:
    assert isinstance(window, QWidget)
    return window


def _run(window: Host, folder: Path, *, merge: bool) -> ImportResult:
    dialog = QProgressDialog(
        translate("import_dialog", "Importing…"),
        translate("import_dialog", "Cancel"),
        0,
        1000,
        _widget(window),
    )
    dialog.setObjectName("importProgress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    stopped: list[bool] = []
    dialog.rejected.connect(lambda: stopped.append(True))  # Esc hides it: that cancels too

    def progress(done: int, total: int) -> None:
        dialog.setValue(1000 * done // total if total else 1000)
        QApplication.processEvents()
        if dialog.wasCanceled() or stopped:
            raise ImportCancelled(
                translate("import_dialog", "Import cancelled; nothing was imported."), field="file"
            )

    try:
        return import_csv(window.db, folder, merge=merge, progress=progress)
    finally:
        dialog.close()
        dialog.deleteLater()


def _only_existing(refused: ImportRefused) -> bool:
    return all(ALREADY_REGISTERED in p for p in refused.problems)


def _merge_wanted(parent: QWidget, refused: ImportRefused) -> bool:
    count = len(refused.problems)
    answer = QMessageBox.question(
        parent,
        translate("import_dialog", "Patients already registered"),
        (
            translate("import_dialog", "1 patient in the folder is already registered.")
            if count == 1
            else translate(
                "import_dialog", "{0} patients in the folder are already registered."
            ).format(count)
        )
        + "\n\n"
        + translate(
            "import_dialog",
            "Add the folder's courses to them? Their own details are kept as they are.",
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


def show_problems(parent: QWidget | None, refused: ImportRefused) -> QMessageBox:
    """Every problem, plainly: the first ones in the dialog, all under Show Details."""
    problems = refused.problems
    count = len(problems)
    box = QMessageBox(parent)
    box.setObjectName("importProblems")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("import_dialog", "Nothing was imported"))
    box.setText(
        translate("import_dialog", "{0} problem{1} found; nothing was imported.").format(
            count, "s" if count != 1 else ""
        )
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    more = (
        translate("import_dialog", "\n… and {0} more (Show Details…)").format(count - SHOWN)
        if count > SHOWN
        else ""
    )
    box.setInformativeText("\n".join(problems[:SHOWN]) + more)
    box.setDetailedText("\n".join(problems))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
