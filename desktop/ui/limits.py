"""The editor keeps to the sizes its own readers accept (``desktop/models/limits.py``).

What the clerk can type or paste into the window must come back from the 数据包 and the
workbook the window writes, so every field, cell and table stops at the readers' limits
and says so, in the clerk's words: the field, the limit, and that the rest was not taken.

- a one-line field: ``limit_line`` (``maxLength`` and a notice at the limit);
- a multi-line text: ``LimitedPlainTextEdit`` (the excess just typed or pasted is cut);
- an amount: ``amount_refusal`` (a number too large to store is refused, not kept as text);
- the row tables take theirs in ``desktop/ui/row_table.py`` with the messages below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from desktop.models.amounts import AmountReading, read_amount
from desktop.models.limits import MAX_AMOUNT_CHARS, MAX_FIELD_CHARS, MAX_NAME_CHARS, MAX_ROWS

_DIGITS = re.compile(r"\d+")
# What may not be typed or pasted at all: no file and no database holds a NUL (a 数据包
# with one is refused); it comes only from a broken clipboard and is dropped unseen.
NUL = "\x00"


def field_limit(key: str) -> int:
    """The most characters a project field holds: 项目名称 is a name, the rest free text.

    The same fields as the readers (``desktop/export/package.py``, ``xlsx_reader.py``):
    only ``name`` is held to ``MAX_NAME_CHARS``.
    """
    return MAX_NAME_CHARS if key == "name" else MAX_FIELD_CHARS


def cut_message(what: str, limit: int) -> str:
    """What the clerk is told when a field or cell is at its limit."""
    return f"{what}最多 {limit} 个字符，已达上限：超出的部分未录入。"


def rows_full_message(title: str) -> str:
    """What the clerk is told when a row would be added to a full table."""
    return (
        f"{title}最多 {MAX_ROWS} 行，已达上限，未添加新行：请删除不需要的行，或把内容分成几个项目。"
    )


def rows_left_message(title: str, taken: int, left: int, verb: str = "加入") -> str:
    """What the clerk is told when a paste (``verb`` 粘贴) or an insertion did not all fit."""
    return (
        f"{title}最多 {MAX_ROWS} 行：已{verb} {taken} 行，其余 {left} 行超出上限，未{verb}。"
        "请删除不需要的行，或把内容分成几个项目。"
    )


def amount_refusal(text: str, reading: AmountReading | None = None) -> str | None:
    """Why typed amount ``text`` must not be stored at all, or None.

    An unreadable amount is normally kept as typed (rule F01 names it); but a number that
    is only too large (``read_amount`` refuses it for its size), or a text longer than an
    amount can be in a file, would make the project's own 数据包 unreadable: it is refused
    and the field or cell keeps its value. The answer is ``read_amount``'s own message.
    """
    stripped = text.strip()
    if len(stripped) > MAX_AMOUNT_CHARS:
        return f"金额最多 {MAX_AMOUNT_CHARS} 个字符，请填写数字金额，例如 1234.50 或 12.5万"
    reading = reading or read_amount(text)
    if reading.error is None:
        return None
    # The same writing with every run of digits made small: readable means only the size was wrong.
    if read_amount(_DIGITS.sub("1", stripped)).error is None:
        return reading.error
    return None


def _units(text: str) -> int:
    """``text``'s length as Qt counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- one-line fields


def limit_line(line: QLineEdit, limit: int, what: str, tell: Callable[[str], None]) -> LineLimit:
    """Hold ``line`` to ``limit`` characters; ``tell`` the clerk when typing or pasting hits it."""
    line.setMaxLength(limit)
    return LineLimit(line, what, tell)


class LineLimit(QObject):
    """Tells the clerk when a ``maxLength`` line edit is full and more was typed or pasted."""

    def __init__(self, line: QLineEdit, what: str, tell: Callable[[str], None]) -> None:
        super().__init__(line)  # the line is found as the parent: no Python reference to go stale
        self.limit = line.maxLength()
        self.what = what
        self._tell = tell
        line.textEdited.connect(self._edited)
        line.installEventFilter(self)

    def message(self) -> str:
        return cut_message(self.what, self.limit)

    def _full(self, text: str) -> bool:
        return _units(text) >= self.limit

    def _edited(self, text: str) -> None:
        line = self.parent()
        if NUL in text and isinstance(line, QLineEdit):
            # no file and no database holds a NUL: it goes before anyone reads the text
            at = line.cursorPosition() - text[: line.cursorPosition()].count(NUL)
            line.setText(text.replace(NUL, ""))
            line.setCursorPosition(at)
        if self._full(text):  # a paste cut at the limit, or the last character that fits
            self._tell(self.message())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # only the events that bring text in: the line is alive then (not being destroyed)
        kind = event.type()
        more = False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            typed = event.text()
            more = event.matches(QKeySequence.StandardKey.Paste) or (
                bool(typed) and typed.isprintable()
            )
        elif kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            more = bool(event.commitString())
        if (
            more
            and isinstance(watched, QLineEdit)
            and not watched.hasSelectedText()
            and self._full(watched.text())
        ):
            self._tell(self.message())
        return False


# ---------------------------------------------------------------- multi-line texts


class LimitedPlainTextEdit(QPlainTextEdit):
    """A multi-line text held to ``limit`` characters; ``limited`` says so when it cuts.

    What was just typed or pasted beyond the limit is cut at once, before anyone listening
    to ``textChanged`` after construction reads the text, so the document's undo step holds
    the text as kept and the cursor stays after what was kept. Text the box already held
    (set by the program) is never cut: only what an edit added is.
    """

    limited = Signal(str)

    def __init__(self, limit: int, what: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.what = what
        self._before = ""  # the text before the change being handled
        self.textChanged.connect(self._cap)  # first: others read the text as kept
        # the program sets the text with the box's signals blocked (no textChanged)
        self.document().contentsChanged.connect(self._set_silently)

    def _set_silently(self) -> None:
        if self.signalsBlocked():
            self._before = self.toPlainText()

    def _cap(self) -> None:
        if NUL in self.toPlainText():
            self._drop_nul()
        text = self.toPlainText()
        before, self._before = self._before, text
        excess = len(text) - self.limit
        if excess <= 0:
            return
        start, end = _added(before, text)
        keep_to = max(start, end - excess)
        if keep_to < end:
            cursor = QTextCursor(self.document())
            cursor.setPosition(_units(text[:keep_to]))
            cursor.setPosition(_units(text[:end]), QTextCursor.MoveMode.KeepAnchor)
            with QSignalBlocker(self):
                cursor.removeSelectedText()  # _set_silently remembers the text as kept
        self.limited.emit(cut_message(self.what, self.limit))


    def _drop_nul(self) -> None:
        cursor = QTextCursor(self.document())
        with QSignalBlocker(self):
            while True:
                cursor = self.document().find(NUL, cursor)
                if cursor.isNull():
                    break
                cursor.removeSelectedText()


def _added(before: str, after: str) -> tuple[int, int]:
    """Where ``after`` differs from ``before``: the span [start, end) of ``after`` that is new."""
    shortest = min(len(before), len(after))
    start = 0
    while start < shortest and before[start] == after[start]:
        start += 1
    tail = 0
    while tail < shortest - start and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return start, len(after) - tail
