"""File -> Print: the summary PDF previewed with page thumbnails, printed through Qt's
print dialog onto a real QPrinter (a PDF file here, read back with pypdf), and no
temporary file anywhere."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox
from ui_helpers import closed, open_patient

from mbctracker.paths import print_dir
from mbctracker.storage.errors import StorageError
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.printing import PrintPreview, print_pdf


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TMPDIR for Python and Qt alike, so "no temp file left" can be checked exactly."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    assert tempfile.gettempdir() == str(folder)
    return folder


def _text(data: bytes | Path) -> str:
    """The document's words, spaced (Qt's PDF places each word: pypdf joins them by tabs)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(source).pages).split())


def _preview(qtbot, window: MainWindow) -> PrintPreview:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(PrintPreview)))
    preview = window.findChildren(PrintPreview)[-1]
    qtbot.waitUntil(preview.isVisible)
    return preview


def _print_dialog(qtbot, preview: PrintPreview) -> QPrintDialog:  # type: ignore[no-untyped-def]
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.keyClick(preview.thumbs, Qt.Key.Key_Return)  # Print… is the default button
    qtbot.waitUntil(lambda: preview.print_dialog is not None)
    dialog = preview.print_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_ctrl_p_previews_the_summary_and_prints_it_to_the_printer_leaving_no_file(
    qtbot, window: MainWindow, clinic, private_tmp: Path, tmp_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    preview = _preview(qtbot, window)
    pages = len(PdfReader(io.BytesIO(preview.data)).pages)
    assert pages == preview.page_count() == preview.thumbs.count() >= 2
    assert "Zoë Ødegård" in _text(preview.data) and "Progress summary" in _text(preview.data)
    assert preview.page_view.pixmap() is not None and not preview.page_view.pixmap().isNull()
    qtbot.keyClick(preview.thumbs, Qt.Key.Key_Down)  # the second page, large
    assert preview.thumbs.currentRow() == 1
    out = tmp_path / "printed.pdf"
    preview.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.printer.setOutputFileName(str(out))
    dialog = _print_dialog(qtbot, preview)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(preview))
    printed = PdfReader(out)
    assert len(printed.pages) == pages
    text = _text(out)
    assert "Zoë Ødegård" in text and "MRN MRN-0001" in text  # a searchable copy
    assert "Progress summary" in text
    assert f"Printed {pages} page(s)" in window.statusBar().currentMessage()
    assert list(private_tmp.iterdir()) == [], "no temporary file left behind"
    assert not print_dir().exists(), "nothing written to the old print folder"


def test_the_page_range_chosen_in_the_print_dialog_is_honoured(
    qtbot, window: MainWindow, clinic, tmp_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    preview = _preview(qtbot, window)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "page2.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf(preview.data, printer) == 1
    assert "Page 2 of 2" in _text(tmp_path / "page2.pdf")
    preview.reject()


def test_a_printer_that_cannot_start_is_named_and_the_preview_stays(
    qtbot, window: MainWindow, clinic, tmp_path: Path
) -> None:
    open_patient(qtbot, window, clinic.patient_id)
    preview = _preview(qtbot, window)
    blocked = tmp_path / "no-such-folder" / "out.pdf"
    preview.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    preview.printer.setOutputFileName(str(blocked))
    dialog = _print_dialog(qtbot, preview)
    dialog.accept()
    qtbot.waitUntil(lambda: bool(preview.findChildren(QMessageBox, "userError")))
    box = preview.findChildren(QMessageBox, "userError")[-1]
    assert "Printing could not start" in box.text() and str(blocked) in box.text()
    assert preview.isVisible() and not blocked.exists()
    box.accept()
    preview.reject()
    qtbot.waitUntil(lambda: closed(preview))


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 truncated", b"%PDF-1.4\n1 0 obj garbage"])
def test_a_document_that_is_not_a_pdf_is_refused_plainly(tmp_path: Path, data: bytes) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "never.pdf"))
    with pytest.raises(StorageError, match="could not be read"):
        print_pdf(data, printer)
    assert not (tmp_path / "never.pdf").exists()
