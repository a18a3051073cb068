"""Printing the exported PDF itself, so the printed page is the PDF's page.

QtPdf is not part of PySide6-Essentials; PDFium (pypdfium2) renders each page
to an image at the printer's resolution (capped, to bound memory), and the
image is drawn onto the printer's page in the page's own orientation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300  # an A4 page at 300 dpi is ~35 MB as an image; enough for 宋体 10.5 pt


def a4_printer() -> QPrinter:
    """A printer on A4 paper that draws edge to edge: the PDF carries the form's margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName("绩效目标申报表")
    return printer


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages(pdf: bytes, dpi: float) -> Iterator[tuple[QImage, bool]]:
    """Each page as an image at ``dpi`` and whether it is landscape (one page in memory at a time)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72, prefer_bgrx=True)
            # BGRx bytes are QImage's RGB32 on little-endian machines (every PC we ship to).
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB32,
            ).copy()
            page.close()
            yield image, width > height
    finally:
        doc.close()


def print_documents(printer: QPrinter, documents: Sequence[bytes]) -> int:
    """Print every page of every PDF in order; returns the number of pages printed."""
    dpi = min(printer.resolution(), MAX_DPI)
    painter: QPainter | None = None
    printed = 0
    try:
        for pdf in documents:
            for image, landscape in render_pages(pdf, dpi):
                orientation = (
                    QPageLayout.Orientation.Landscape
                    if landscape
                    else QPageLayout.Orientation.Portrait
                )
                if painter is None:
                    printer.setPageOrientation(orientation)
                    painter = QPainter()
                    if not painter.begin(printer):
                        raise PrintError("无法开始打印：请检查打印机是否可用。")
                else:
                    printer.setPageOrientation(orientation)
                    printer.newPage()
                _draw_page(painter, printer, image)
                printed += 1
    finally:
        if painter is not None:
            painter.end()
    return printed


def _draw_page(painter: QPainter, printer: QPrinter, image: QImage) -> None:
    # The PDF already has the form's margins: fill the whole paper, keeping proportions.
    # (A printer not set to full page paints from its margin: the image then shrinks to fit.)
    paper = painter.viewport()
    scaled = image.size().scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = paper.x() + (paper.width() - scaled.width()) // 2
    y = paper.y() + (paper.height() - scaled.height()) // 2
    painter.drawImage(QRect(x, y, scaled.width(), scaled.height()), image)


class PrintError(RuntimeError):
    """Printing could not start; the message is Chinese."""
