"""Undoable edits of the in-memory project: every change the clerk makes is one of these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand, QUndoStack


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

    def id(self) -> int:
        return self.ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
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


class SetExplanations(QUndoCommand):
    """Write, change or remove 说明 on answered warnings (``Project.explanations``): one step.

    ``changes`` maps a finding's key to its new 说明, or to None to remove it; several
    keys (the same 说明 on every warning of a group) are one step too.
    """

    def __init__(
        self,
        explanations: dict[str, str],
        changes: dict[str, str | None],
        changed: Callable[[], None],
        text: str = "说明",
    ) -> None:
        super().__init__(text)
        self.explanations = explanations
        self.new = dict(changes)
        self.old = {key: explanations.get(key) for key in changes}
        self.changed = changed

    def _apply(self, values: dict[str, str | None]) -> None:
        for key, text in values.items():
            if text is None:
                self.explanations.pop(key, None)
            else:
                self.explanations[key] = text
        self.changed()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class DocumentUndoStack(QUndoStack):
    """The project's undo stack; ``stepped`` names each command undone or redone.

    ``stepped(command, undone)`` comes after the step, so the editor can show the
    section and the field or cell it changed. ``before_step`` runs first, whoever
    asks (a key, the 编辑 menu): the editor commits what is being typed there, so the
    typed text becomes a step and is the one undone.
    """

    stepped = Signal(object, bool)
    before_step: Callable[[], None] | None = None

    def undo(self) -> None:
        if self.before_step is not None:
            self.before_step()
        if not self.canUndo():
            return
        command = self.command(self.index() - 1)
        super().undo()
        self.stepped.emit(command, True)

    def redo(self) -> None:
        if self.before_step is not None:
            self.before_step()
        if not self.canRedo():
            return
        command = self.command(self.index())
        super().redo()
        self.stepped.emit(command, False)
