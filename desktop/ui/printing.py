"""Printing the exported PDF itself, so the printed page is the PDF's page.

QtPdf is not part of PySide6-Essentials; PDFium (pypdfium2) renders each page
to an image at the printer's resolution (capped, to bound memory), and the
image is drawn onto the printer's page in the page's own orientation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

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


class PreviewDialog(QDialog):
    """打印预览: the PDF's pages as they will print, each in its own orientation.

    Qt's QPrintPreviewDialog draws every page with one page layout, so a
    landscape 绩效目标 page would show squeezed onto portrait paper; this shows
    the pages themselves. 打印… hands the same documents to ``on_print``.
    """

    ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)

    def __init__(
        self,
        documents: Sequence[bytes],
        on_print: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("打印预览")
        self.documents = list(documents)
        self.zoom = 1.0
        self.on_print = on_print
        bar = QHBoxLayout()
        self.print_button = QPushButton("打印(&P)…")
        self.print_button.clicked.connect(self._print)
        smaller = QPushButton("缩小(&-)")
        smaller.clicked.connect(lambda: self.set_zoom(-1))
        larger = QPushButton("放大(&+)")
        larger.clicked.connect(lambda: self.set_zoom(+1))
        self.info = QLabel()
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for widget in (self.print_button, smaller, larger, self.info):
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(close)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages.setStyleSheet("background:#808080;")
        scroll = QScrollArea()
        scroll.setWidget(self.pages)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll)
        self.resize(960, 1000)
        self._render()

    def page_labels(self) -> list[QLabel]:
        return [
            w for w in self.pages.findChildren(QLabel) if w.pixmap() and not w.pixmap().isNull()
        ]

    def set_zoom(self, step: int) -> None:
        index = self.ZOOMS.index(self.zoom) + step
        if 0 <= index < len(self.ZOOMS):
            self.zoom = self.ZOOMS[index]
            self._render()

    def _render(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if (widget := item.widget()) is not None:
                widget.setParent(None)  # gone now, not at the next event loop turn
                widget.deleteLater()
        dpi = 96 * self.zoom * self.devicePixelRatioF()
        count = 0
        for pdf in self.documents:
            for image, _landscape in render_pages(pdf, dpi):
                label = QLabel()
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(self.devicePixelRatioF())
                label.setPixmap(pixmap)
                self.pages_layout.addWidget(label)
                count += 1
        self.info.setText(f"共 {count} 页　{int(self.zoom * 100)}%")

    def _print(self) -> None:
        self.accept()
        self.on_print()
