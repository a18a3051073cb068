"""A date field typed as in Excel (``20210301``, ``2021-3-1``, ``2021年3月1日`` …) with a calendar button.

The text is read by ``desktop.models.dates.read_date`` when the field is left
(Tab, Enter, a click elsewhere) or a day is picked in the calendar; a readable
date is handed to ``commit``, an unreadable one is kept on screen in red with a
Chinese message naming the field, and is not stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from desktop.models.dates import EXAMPLES, date_text, read_date

INVALID_STYLE = "background:#fde2e1; border:1px solid #c0392b;"


class DateField(QWidget):
    """A line for typing the date, a 日历 button beside it (or Alt+↓, F4), a message below when unreadable."""

    def __init__(
        self, title: str, commit: Callable[[dt.date | None], None], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.title = title
        self._commit = commit
        self._value: dt.date | None = None
        self.line = QLineEdit()
        self.line.setObjectName("dateText")
        self.line.setAccessibleName(title)  # what a screen reader says on the focused line
        self.line.setPlaceholderText("如 2021-03-01 或 20210301")
        self.line.setToolTip(f"可输入 {EXAMPLES}")
        self.line.setMaximumWidth(200)
        self.line.editingFinished.connect(self.commit_text)
        self.line.installEventFilter(self)  # Alt+↓ or F4 opens the calendar, as in a combo box
        self.button = QToolButton()
        self.button.setObjectName("dateCalendarButton")
        self.button.setText("日历")
        self.button.setAccessibleName(f"{title}日历")
        self.button.setToolTip(f"从日历中选择{title}")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes on to the next field
        self.button.clicked.connect(self.show_calendar)
        self.message = QLabel()
        self.message.setObjectName("dateMessage")
        self.message.setStyleSheet("color:#b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line)
        row.addWidget(self.button)
        row.addStretch()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(row)
        outer.addWidget(self.message)
        self.setFocusProxy(self.line)
        self.calendar: QCalendarWidget | None = None
        self._menu: QMenu | None = None

    # ------------------------------------------------------------ value

    def set_date(self, value: dt.date | None) -> None:
        """Show the stored value (after an edit, an undo, a load); clears any message."""
        self._value = value
        self.line.setText(date_text(value))
        self._show_error(None)

    def date(self) -> dt.date | None:
        return self._value

    @property
    def error(self) -> str | None:
        return self.message.text() or None

    def commit_text(self) -> bool:
        """Read the typed text; store it when it is a date (or blank). False when unreadable."""
        if self.line.isReadOnly():
            return True
        reading = read_date(self.line.text())
        if reading.error is not None:
            self._show_error(f"{self.title}：{reading.error}未保存。")
            return False
        self._show_error(None)
        if reading.value != self._value:
            self._commit(reading.value)
        self.line.setText(date_text(self._value))
        return True

    def _show_error(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        self.line.setProperty("invalid", bool(text))
        if text:
            self.line.setStyleSheet(INVALID_STYLE)
            self.line.setToolTip(text)
        else:
            self.line.setStyleSheet("")
            self.line.setToolTip(f"可输入 {EXAMPLES}")

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    # ------------------------------------------------------------ calendar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.line
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not self.line.isReadOnly()
            and (
                event.key() == Qt.Key.Key_F4
                or (
                    event.key() == Qt.Key.Key_Down
                    and event.modifiers() & Qt.KeyboardModifier.AltModifier
                )
            )
        ):
            self.show_calendar()
            return True
        return super().eventFilter(watched, event)

    def show_calendar(self) -> None:
        """The calendar under the field, on the stored date (or today); a click picks the day."""
        if self._menu is None:
            self._menu = QMenu(self)
            self.calendar = QCalendarWidget()
            self.calendar.setObjectName("dateCalendar")
            self.calendar.setGridVisible(True)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
            action = QWidgetAction(self._menu)
            action.setDefaultWidget(self.calendar)
            self._menu.addAction(action)
        assert self.calendar is not None
        day = self._value or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._menu.popup(self.line.mapToGlobal(QPoint(0, self.line.height())))
        self.calendar.setFocus()

    def _picked(self, q: QDate) -> None:
        if self._menu is not None:
            self._menu.close()
        self.line.setText(date_text(dt.date(q.year(), q.month(), q.day())))
        self.commit_text()
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)
