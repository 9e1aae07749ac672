"""Printing through Qt: the report's own PDF, previewed with page thumbnails, then printed.

This PySide6 build has no QtPdf, so PDFium (pypdfium2) renders each page of the PDF
bytes the report made, in memory (never a temporary file), and the image is painted
on the :class:`QPrinter` at the printer's resolution (capped at :data:`MAX_DPI`). The
page's text is painted first, under the opaque image, so a print to a PDF file stays
searchable and copyable, as a scanned-and-recognised document would be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QShortcut,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..storage.errors import StorageError
from .errors import guarded
from .i18n import translate

MAX_DPI = 600
"""Pages are rasterised at the printer's resolution up to this: a Letter page is 135 MB
of pixels at 600 dpi and 538 MB at 1,200 (a PDF printer's), for no visible gain."""
THUMB_WIDTH = 140
"""Thumbnail width in screen pixels."""


@dataclass(frozen=True, slots=True)
class TextRun:
    """One line segment of a page's text and its box, in PDF points from the top left."""

    box: QRectF
    text: str


class PdfPages:
    """A PDF held in memory and rendered page by page with PDFium."""

    def __init__(self, data: bytes) -> None:
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise StorageError(
                translate("printing", "The document to print could not be read: {0}").format(exc)
            ) from None

    def __len__(self) -> int:
        return len(self._doc)

    def size(self, index: int) -> QSizeF:
        """The page's size in PDF points."""
        width, height = self._doc[index].get_size()
        return QSizeF(width, height)

    def image(self, index: int, pixels_per_point: float) -> QImage:
        """The page as an opaque RGB image, ``pixels_per_point`` pixels per PDF point."""
        bitmap = self._render(index, pixels_per_point)
        try:
            return _wrap(bitmap).copy()  # own the pixels: PDFium frees the bitmap's buffer
        finally:
            bitmap.close()

    def draw(self, painter: QPainter, target: QRectF, index: int, pixels_per_point: float) -> None:
        """Render the page and paint it into ``target`` without copying its pixels (a
        Letter page at 600 dpi is 135 MB)."""
        bitmap = self._render(index, pixels_per_point)
        try:
            painter.drawImage(target, _wrap(bitmap))
        finally:
            bitmap.close()

    def _render(self, index: int, pixels_per_point: float) -> pdfium.PdfBitmap:
        page = self._doc[index]
        return page.render(scale=pixels_per_point, rev_byteorder=True, prefer_bgrx=True)

    def text_runs(self, index: int) -> list[TextRun]:
        """The page's text by segment (PDFium's rectangles), for the hidden text layer."""
        page = self._doc[index]
        height = page.get_height()
        textpage = page.get_textpage()
        runs = []
        for n in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(n)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if text and right > left and top > bottom:
                runs.append(TextRun(QRectF(left, height - top, right - left, top - bottom), text))
        return runs

    def close(self) -> None:
        self._doc.close()


def _wrap(bitmap: pdfium.PdfBitmap) -> QImage:
    """A QImage over PDFium's pixels (RGBX, 4 bytes a pixel), valid while ``bitmap`` is."""
    return QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
    )


def thumbnail(pages: PdfPages, index: int, width: int = THUMB_WIDTH) -> QImage:
    return pages.image(index, width / pages.size(index).width())


def prepare_printer(printer: QPrinter, pages: PdfPages) -> None:
    """Paper as the PDF's first page (Letter or A4, the clinic's choice), no margins:
    the PDF has its own."""
    if len(pages):
        size = pages.size(0)
        match = QPageSize.SizeMatchPolicy.FuzzyMatch
        printer.setPageSize(QPageSize(size, QPageSize.Unit.Point, "", match))
        landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    printer.setFullPage(True)


def chosen_pages(printer: QPrinter, count: int) -> range:
    """The pages the print dialog chose (1-based From/To), else all of them."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
        return range(first - 1, last)
    return range(count)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Paint the PDF ``data`` on ``printer``; returns the number of pages printed.

    Raises:
        StorageError: the printer could not be started (no such printer, the output
            file cannot be written); nothing was printed.
    """
    _check_output_file(printer)
    pages = PdfPages(data)
    try:
        wanted = chosen_pages(printer, len(pages))
        if not wanted:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            where = (
                printer.outputFileName()
                or printer.printerName()
                or translate("printing", "the printer")
            )
            raise StorageError(
                translate(
                    "printing", "Printing could not start on {0}; nothing was printed."
                ).format(where)
            )
        try:
            for n, index in enumerate(wanted):
                if n:
                    printer.newPage()
                paint_page(painter, printer, pages, index)
        finally:
            painter.end()
        return len(wanted)
    finally:
        pages.close()


def _check_output_file(printer: QPrinter) -> None:
    """A "Print to file" into a folder that is missing or not writable: say so before
    Qt starts a job it cannot finish."""
    name = printer.outputFileName()
    if printer.outputFormat() != QPrinter.OutputFormat.PdfFormat or not name:
        return
    folder = Path(name).parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise StorageError(
            translate(
                "printing",
                "Printing could not start on {0}: its folder is missing or not writable; "
                "nothing was printed.",
            ).format(name)
        )


def paint_page(painter: QPainter, printer: QPrinter, pages: PdfPages, index: int) -> None:
    """One page fitted to the paper, centred: its text layer, then the image over it."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    size = pages.size(index)
    scale = min(paper.width() / size.width(), paper.height() / size.height())
    target = QRectF(0, 0, size.width() * scale, size.height() * scale)
    target.moveCenter(QRectF(0, 0, paper.width(), paper.height()).center())
    _paint_text(painter, pages.text_runs(index), target.topLeft().x(), target.topLeft().y(), scale)
    resolution = max(1, printer.resolution())
    pixels_per_point = scale * min(1.0, MAX_DPI / resolution)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    pages.draw(painter, target, index, pixels_per_point)


def _paint_text(painter: QPainter, runs: list[TextRun], x0: float, y0: float, scale: float) -> None:
    """Each run stretched to its box, so copied or searched text sits where it prints."""
    font = QFont(painter.font())
    for run in runs:
        box = QRectF(
            x0 + run.box.x() * scale,
            y0 + run.box.y() * scale,
            run.box.width() * scale,
            run.box.height() * scale,
        )
        font.setPixelSize(max(1, round(box.height())))
        metrics = QFontMetricsF(font, painter.device())
        advance = metrics.horizontalAdvance(run.text)
        if advance <= 0:
            continue
        painter.save()
        painter.setFont(font)
        painter.translate(box.left(), box.top())
        painter.scale(box.width() / advance, 1.0)
        painter.drawText(0, round(metrics.ascent()), run.text)
        painter.restore()


class PrintPreview(QDialog):
    """The pages as thumbnails and one page large; Print… opens the system print dialog.

    Non-blocking throughout (``open()``), so the window stays responsive and tests can
    drive every step from the keyboard.
    """

    printed = Signal(int)
    """Pages sent to the printer."""

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(self.tr("Print preview - {0}").format(title))
        self.data = data
        self.pages = PdfPages(data)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName("mbctracker")  # print queues are shared: no patient name
        prepare_printer(self.printer, self.pages)
        self.print_dialog: QPrintDialog | None = None
        self.thumbs = self._thumbnails()
        self.page_view = QLabel()
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_view.setAccessibleName(self.tr("Page preview"))
        scroll = QScrollArea()
        scroll.setWidget(self.page_view)
        scroll.setWidgetResizable(True)
        scroll.setObjectName("previewPage")
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.choose_printer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.choose_printer)
        panes = QHBoxLayout()
        panes.addWidget(self.thumbs)
        panes.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(panes, 1)
        layout.addWidget(buttons)
        self.resize(980, 860)
        self.finished.connect(lambda _r: self.pages.close())
        if len(self.pages):
            self.thumbs.setCurrentRow(0)

    def _thumbnails(self) -> QListWidget:
        thumbs = QListWidget()
        thumbs.setAccessibleName(self.tr("Pages"))
        thumbs.setViewMode(QListView.ViewMode.IconMode)
        thumbs.setFlow(QListView.Flow.TopToBottom)
        thumbs.setWrapping(False)
        thumbs.setMovement(QListView.Movement.Static)
        first = self.pages.size(0) if len(self.pages) else QSizeF(612, 792)
        height = round(THUMB_WIDTH * first.height() / first.width())
        thumbs.setIconSize(QSize(THUMB_WIDTH, height))
        thumbs.setFixedWidth(THUMB_WIDTH + 40)
        for index in range(len(self.pages)):
            icon = QIcon(QPixmap.fromImage(thumbnail(self.pages, index)))
            item = QListWidgetItem(icon, self.tr("Page {0}").format(index + 1))
            thumbs.addItem(item)
        thumbs.currentRowChanged.connect(self.show_page)
        return thumbs

    def page_count(self) -> int:
        return len(self.pages)

    def show_page(self, index: int) -> None:
        """The chosen page at screen resolution, as wide as the view allows."""
        if not 0 <= index < len(self.pages):
            return
        ratio = self.devicePixelRatioF()
        width = max(400, min(820, self.width() - THUMB_WIDTH - 100))
        image = self.pages.image(index, width * ratio / self.pages.size(index).width())
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page_view.setPixmap(pixmap)

    def choose_printer(self) -> QPrintDialog:
        """The system print dialog (printer, copies, page range), opened non-blocking."""
        dialog = QPrintDialog(self.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, len(self.pages)))
        dialog.accepted.connect(lambda: guarded(self, self.print_now))
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() in PySide6 wants a receiver
        return dialog

    def print_now(self) -> int:
        count = print_pdf(self.data, self.printer)
        self.printed.emit(count)
        self.accept()
        return count
