"""Review marks in the editor: fields copied from last year that await the clerk's check.

``Project.review`` holds their paths (``funding.total``). The editor paints them
amber; editing such a field clears its mark in the same undo step, and
全部确认 clears them all in one step of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from desktop.ui.commands import SetAttr

REVIEW_TIP = "沿用上年数据，请核对后修改或确认"
REVIEW_STYLE = "background:#ffe3a3; border:1px dashed #b7791f;"


class ReviewedSetAttr(SetAttr):
    """An edit of a field marked for review: the mark goes with the edit and comes back on undo.

    It keeps SetAttr's merge id, so the rest of the typing in that field joins this
    step and one Ctrl+Z restores both the value and the mark.
    """

    def __init__(
        self,
        target: Any,
        attr: str,
        value: Any,
        changed: Callable[[Any, str], None],
        review: list[str],
        path: str,
        text: str = "修改",
    ) -> None:
        super().__init__(target, attr, value, changed, text)
        self.review = review
        self.path = path
        self.position = review.index(path) if path in review else len(review)

    def redo(self) -> None:
        if self.path in self.review:
            self.review.remove(self.path)
        super().redo()

    def undo(self) -> None:
        if self.path not in self.review:
            self.review.insert(min(self.position, len(self.review)), self.path)
        super().undo()


class ConfirmReview(QUndoCommand):
    """全部确认: the clerk accepts last year's values as they are."""

    def __init__(self, review: list[str], changed: Callable[[], None]) -> None:
        super().__init__("确认沿用上年数据")
        self.review = review
        self.saved = list(review)
        self.changed = changed

    def redo(self) -> None:
        self.review.clear()
        self.changed()

    def undo(self) -> None:
        self.review[:] = self.saved
        self.changed()
