"""Starting the window: Qt application, Chinese translations, the database, the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop.config import load_rule_settings
from desktop.resources import resource
from desktop.store import read_summaries

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


# What Qt's zh_CN catalogues leave in English (Qt's own file dialog, the one used
# where the system has none): looked up by (context, source text).
MISSING_CHINESE: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Files of type:"): "文件类型：",
    ("QFileDialog", "File &name:"): "文件名(&N)：",
    ("QFileDialog", "Directory:"): "文件夹：",
}


class MissingChinese(QTranslator):
    """The few strings of Qt's own dialogs its Chinese catalogues do not translate."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return MISSING_CHINESE.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


def install_chinese(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs (确定/取消, file dialogs, context menus) in simplified Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    fallback = MissingChinese(app)
    app.installTranslator(fallback)  # asked last: Qt's own catalogues first
    installed.append(fallback)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("jixiao-shenbao")
    app.setApplicationName("绩效目标申报助手")
    install_chinese(app)
    icon = resource("icon.png")
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run(db_path: Path, on_shown: Callable[[MainWindow], None] | None = None) -> int:
    """The window over ``db_path`` until it closes; ``on_shown`` gets it once shown (自检)."""
    from desktop.store import StoreError
    from desktop.store.lock import DatabaseLock
    from desktop.ui.startup import StartView

    app = make_app()
    view = StartView()
    lock = DatabaseLock(db_path)
    try:
        lock.acquire()  # held until the program ends; the system drops it if the program dies
    except StoreError as exc:
        title = "数据库无法写入" if exc.kind == "no_lock" else "数据库已在使用"
        view.show_message(title, exc.message, error=True)
        return 2
    windows: list[MainWindow] = []
    undo_logging = start_logging(db_path, lambda: windows[0].view if windows else view)
    try:
        return _run_window(app, db_path, view, windows, on_shown)
    finally:
        undo_logging()
        lock.release()


def start_logging(db_path: Path, view: Callable[[], Any]) -> Callable[[], None]:
    """The log file in the user data folder, uncaught exceptions shown through ``view()``.

    Returns what undoes it (the hooks before, no log file), for a program that goes on.
    """
    from desktop.logfile import log, setup_logging, stop_logging
    from desktop.ui.failures import install_excepthook, install_qt_messages

    path = setup_logging()
    log.info("程序启动，数据库：%s，日志：%s", db_path, path)
    uninstall_hook = install_excepthook(
        lambda title, text: view().show_message(title, text, error=True)
    )
    uninstall_qt = install_qt_messages()

    def undo() -> None:
        uninstall_qt()
        uninstall_hook()
        log.info("程序退出")
        stop_logging()

    return undo


def _run_window(
    app: QApplication,
    db_path: Path,
    view: Any,
    windows: list[MainWindow],
    on_shown: Callable[[MainWindow], None] | None,
) -> int:
    from desktop.store import StoreError
    from desktop.ui.main_window import MainWindow
    from desktop.ui.startup import CANCELLED, open_store

    listed = read_summaries(db_path)
    if listed is not None:
        # A current database: paint the list now; the store (SQLAlchemy) and the
        # rules open right after.
        window = MainWindow(
            None,
            QSettings(),
            open_repo=lambda: open_store(db_path, load_rule_settings(db_path.parent), view),
            listed=listed,
        )
    else:
        # New, due for migration or unreadable: open in full first (creates, migrates or rescues).
        try:
            repo = open_store(db_path, load_rule_settings(db_path.parent), view)
        except StoreError as exc:
            if exc.kind != CANCELLED:
                from desktop.logfile import log

                log.warning("无法打开数据库“%s”：%s", db_path, exc.message)
                view.show_message("无法打开数据库", exc.message, error=True)
            return 2
        window = MainWindow(repo, QSettings())
    windows.append(window)
    window.show()
    if on_shown is not None:
        on_shown(window)
    return app.exec()
