"""Every action ends in one of two ways: done, or a dialog that says why not.

The windowed program has no console: an exception that escapes a slot would
only be printed where nobody reads it, and the clerk would see nothing happen.
``guard`` wraps a slot (menu and toolbar actions, dialog buttons, list
signals): a failure of the store (``StoreError``, whose message is already
Chinese), of SQLite or of the file system (``OSError``) is logged with its
traceback and shown as ``<action>失败：<cause>``; the window then reads the list
again from the store, so what it shows is what is stored. Any other exception
is reported the same way and then passed on to ``sys.excepthook`` (marked as
reported), so tests and the reliability harness still see a bug as one.

``install_excepthook`` catches what no guard wraps (a slot of the editor, a
timer): logged, and shown once.
"""

from __future__ import annotations

import errno
import inspect
import logging
import re
import sqlite3
import sys
import threading
from collections.abc import Callable
from typing import Any

from desktop.logfile import log, log_failure, log_path
from desktop.store.errors import StoreError

# Marks an exception already logged and shown by a guard (the excepthook then only passes it on).
REPORTED = "_jixiao_reported"
UNEXPECTED_TITLE = "程序出错"

Name = str | Callable[[], str]

_OS_CAUSES = {
    errno.ENOSPC: "磁盘空间已满，请腾出空间（如删除不用的文件）后再试",
    errno.EACCES: "没有写入权限：文件或文件夹是只读的，或被其他程序占用",
    errno.EPERM: "没有权限：文件或文件夹是只读的，或被其他程序占用",
    errno.EROFS: "所在的磁盘或文件夹是只读的，不允许写入",
    errno.ENOENT: "找不到文件或文件夹（是否已被移走、改名，或 U 盘已拔出？）",
    errno.EIO: "读写文件时出错（U 盘是否已拔出、网络是否已断开？）",
}
if hasattr(errno, "EDQUOT"):
    _OS_CAUSES[errno.EDQUOT] = _OS_CAUSES[errno.ENOSPC]


def action_name(text: str) -> str:
    """A menu text as a name: ``删除到回收站(&D)…`` → ``删除到回收站``."""
    text = re.sub(r"\(&\w\)", "", text).replace("&", "")
    return text.rstrip("…. ").strip()


def is_environment(exc: BaseException) -> bool:
    """A failure of the database or the disk, not of the program: the clerk can act on it."""
    if isinstance(exc, StoreError | sqlite3.Error | OSError):
        return True
    if isinstance(getattr(exc, "orig", None), sqlite3.Error):  # SQLAlchemy's wrapper
        return True
    # the program's own errors that carry a Chinese sentence (WriteError, BackupError, FontError)
    return _own_message(exc) is not None


def _own_message(exc: BaseException) -> str | None:
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message and type(exc).__module__.startswith("desktop."):
        return message
    return None


def cause_of(exc: BaseException) -> str:
    """What went wrong, in the clerk's words."""
    if isinstance(exc, StoreError):
        return exc.message
    own = _own_message(exc)
    if own is not None:
        return own
    orig = getattr(exc, "orig", None)
    if isinstance(exc, sqlite3.Error) or isinstance(orig, sqlite3.Error):
        from desktop.store.health import sqlite_problem

        error = exc if isinstance(exc, sqlite3.Error) else orig
        assert isinstance(error, sqlite3.Error)
        _kind, words = sqlite_problem(error, "other")
        return f"{words}（SQLite：{error}）"
    if isinstance(exc, OSError):
        words = _OS_CAUSES.get(exc.errno or -1) or (exc.strerror or str(exc) or "读写文件时出错")
        where = f"“{exc.filename}”" if exc.filename else ""
        return f"{words}{'：' + where if where else ''}"
    detail = str(exc).strip()
    return f"程序内部错误（{type(exc).__name__}{'：' + detail if detail else ''}）"


def failure_text(action: str, exc: BaseException) -> str:
    """The dialog's text: the action, the cause, what to do, where the details are."""
    if is_environment(exc):
        advice = "解决上面的问题后可以再试一次；程序可以继续使用。"
    else:
        advice = "这是程序本身的问题，程序仍可继续使用；请把日志文件发给维护人员。"
    text = f"{action}失败：{cause_of(exc)}\n\n{advice}"
    path = log_path()
    if path is not None:
        text += f"\n详细记录已写入日志文件：{path}"
    return text


def report(owner: Any, action: str, exc: BaseException) -> None:
    """Log the failure with its traceback and show it in a dialog through ``owner.view``."""
    log_failure(action, exc)
    view = getattr(owner, "view", None)
    if view is None:
        return
    try:
        view.show_message(f"{action}失败", failure_text(action, exc), error=True)
    except Exception:  # a dialog that cannot be shown must not hide the first failure
        log.exception("无法显示“%s失败”的提示", action)


def _arity(slot: Callable[..., Any]) -> int:
    """How many of a signal's arguments ``slot`` takes (Qt's own methods: none)."""
    try:
        parameters = inspect.signature(slot).parameters.values()
    except (TypeError, ValueError):
        return 0
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in kinds and p.default is p.empty)


def guard(
    owner: Any,
    action: Name,
    slot: Callable[..., Any],
    after: Callable[[], None] | None = None,
) -> Callable[..., None]:
    """``slot`` for a signal, its failures reported as ``action``失败 (see the module's doc).

    ``owner`` is the main window (its ``view`` shows the dialog, its
    ``after_failure`` re-reads the list); ``after`` runs too (a dialog's refresh).
    The wrapper takes as many arguments as ``slot``: Qt passes a signal's
    arguments by the slot's signature (``triggered(bool)`` to ``set_list_shown``).
    """

    def call(*args: Any) -> None:
        try:
            slot(*args)
        except Exception as exc:
            name = action() if callable(action) else action
            report(owner, name, exc)
            _recover(owner, after)
            if not is_environment(exc):
                setattr(exc, REPORTED, True)
                raise  # a bug: reported to the clerk, and still a failure to tests and logs

    arity = _arity(slot)
    if arity == 0:
        return lambda: call()
    if arity == 1:
        return lambda a: call(a)
    if arity == 2:
        return lambda a, b: call(a, b)
    return lambda a, b, c: call(a, b, c)


class WindowOf:
    """The owner for ``guard`` of a widget inside the main window (an editor's button).

    The window is looked up when a failure is reported: an editor is built before
    it is placed in the window. Outside a window, a message box says it.
    """

    def __init__(self, widget: Any) -> None:
        self.widget = widget

    @property
    def view(self) -> Any:
        view = getattr(self.widget.window(), "view", None)
        if hasattr(view, "show_message"):
            return view
        from desktop.ui.main_window import View  # the window's own message box, over the widget

        return View(self.widget)

    def after_failure(self) -> None:
        after = getattr(self.widget.window(), "after_failure", None)
        if after is not None:
            after()


def _recover(owner: Any, after: Callable[[], None] | None) -> None:
    """The window as the store has it after a failure; a failure here is only logged."""
    for step in (getattr(owner, "after_failure", None), after):
        if step is None:
            continue
        try:
            step()
        except Exception:
            log.exception("操作失败后刷新窗口时又出错")


def install_excepthook(show: Callable[[str, str], None]) -> Callable[[], None]:
    """Log every uncaught exception and show it once through ``show(title, text)``.

    The hook that was installed before is still called (tests and the
    reliability harness install their own). An exception a guard has already
    shown is not shown again; while one dialog is open, another exception is
    only logged. Returns a function that puts the previous hooks back.
    """
    previous = sys.excepthook
    previous_thread = threading.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt) or getattr(exc, REPORTED, False):
            previous(exc_type, exc, tb)
            return
        log.error("未处理的异常", exc_info=(exc_type, exc, tb))
        previous(exc_type, exc, tb)
        if showing:
            return
        showing = True
        try:
            show(UNEXPECTED_TITLE, failure_text("刚才的操作", exc))
        except Exception:
            log.exception("无法显示出错提示")
        finally:
            showing = False

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error(
                "线程 %s 中未处理的异常",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )
        previous_thread(args)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def uninstall() -> None:
        sys.excepthook = previous
        threading.excepthook = previous_thread

    return uninstall


def install_qt_messages() -> Callable[[], None]:
    """Qt's own warnings and errors go to the log as well as where they went before."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger(f"{log.name}.qt")
    previous: Any = None

    def handler(kind: Any, context: Any, message: str) -> None:
        level = levels.get(kind)
        if level is not None:
            qt_log.log(level, "%s", message)
        if previous is not None:
            previous(kind, context, message)
        elif sys.stderr is not None and level is not None:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)

    def uninstall() -> None:
        qInstallMessageHandler(previous)

    return uninstall
