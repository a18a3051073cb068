"""Undoable edits of the in-memory project: every change the clerk makes is one of these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand


class SetAttr(QUndoCommand):
    """Set one attribute of a project or row; ``changed`` tells the views (and the rules) afterwards.

    Consecutive typing into the same field merges into one undo step (``merge``);
    a table cell committed with Enter or a box ticked is a step of its own.
    """

    ID = 1001

    def __init__(
        self,
        target: Any,
        attr: str,
        value: Any,
        changed: Callable[[Any, str], None],
        text: str = "修改",
        merge: bool = True,
    ) -> None:
        super().__init__(text)
        self.merge = merge
        self.target = target
        self.attr = attr
        self.old = getattr(target, attr)
        self.new = value
        self.changed = changed

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self.ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if (
            not isinstance(other, SetAttr)
            or other.target is not self.target
            or other.attr != self.attr
        ):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        setattr(self.target, self.attr, self.new)
        self.changed(self.target, self.attr)

    def undo(self) -> None:
        setattr(self.target, self.attr, self.old)
        self.changed(self.target, self.attr)
