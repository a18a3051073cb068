"""Draw the program's icon: ``resources/icon.png`` (window) and ``resources/icon.ico`` (the .exe).

    QT_QPA_PLATFORM=offscreen python resources/make_icon.py

Run it again only when the drawing changes, and commit both files. The icon is
drawn rather than typed so that it needs no font: a red 公文 sheet with ruled
lines and a green tick, on a rounded blue square. The .ico holds one PNG per
size Windows asks for (16 to 256 px), which every Windows since Vista reads.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)

BLUE = QColor("#1f4e79")
PAPER = QColor("#fdfbf7")
RED = QColor("#c0392b")
LINE = QColor("#9aa5b1")
GREEN = QColor("#2e8b57")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # drawn on a 256 grid, scaled down
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    # The sheet, with a red header band as on an official form.
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(56, 36, 144, 184), 10, 10)
    p.setBrush(RED)
    p.drawRect(QRectF(56, 36, 144, 30))
    pen = QPen(LINE, 9 if size >= 48 else 14)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    for y in (92, 120, 148) if size >= 32 else (100, 140):
        p.drawLine(QPointF(78, y), QPointF(178, y))
    tick = QPainterPath(QPointF(104, 182))
    tick.lineTo(132, 208)
    tick.lineTo(214, 128)
    pen = QPen(GREEN, 26)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICONDIR, one ICONDIRENTRY per size, then the PNG images (256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in pngs.items():
        edge = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    (HERE / "icon.png").write_bytes(pngs[256])
    (HERE / "icon.ico").write_bytes(ico_bytes(pngs))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
