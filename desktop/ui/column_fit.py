"""Row tables fit their width (issue 15: an office laptop's 1366×768, or 1920×1080 at 150%).

The level words (一级/二级), 制度保障's kind and its three 保障阶段 check boxes take what
their header and contents need, never clipped; amounts keep a width the clerk may
change; the free texts (三级指标, 目标值, 文件名称, 具体措施 …) share the rest, so the
table never scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTableView

STRETCH_KINDS = frozenset({"text", "target"})
CONTENT_KINDS = frozenset({"level1", "level2", "guarantee_kind", "stage"})
MIN_SECTION = 48


def fit_columns(table: QTableView, columns: Sequence[Any]) -> None:
    """Resize modes for ``columns`` (``row_table.Column``: ``kind`` and ``width``)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(MIN_SECTION)
    stretched = False
    for n, column in enumerate(columns):
        if column.kind in STRETCH_KINDS:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch)
            stretched = True
        elif column.kind in CONTENT_KINDS:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
        else:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Interactive)
            table.setColumnWidth(n, max(column.width, header.sectionSizeHint(n)))
    if not stretched:
        header.setStretchLastSection(True)
