"""Starting the window: Qt application, Chinese translations, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.config import load_rule_settings
from desktop.store import read_summaries


def install_chinese(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs (确定/取消, file dialogs, context menus) in simplified Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
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
    return app


def run(db_path: Path) -> int:
    from desktop.store import StoreError
    from desktop.store.lock import DatabaseLock
    from desktop.ui.main_window import MainWindow
    from desktop.ui.startup import CANCELLED, StartView, open_store

    app = make_app()
    view = StartView()
    lock = DatabaseLock(db_path)
    try:
        lock.acquire()  # held until the program ends; the system drops it if the program dies
    except StoreError as exc:
        view.show_message("数据库已在使用", exc.message, error=True)
        return 2
    settings = load_rule_settings(db_path.parent)
    listed = read_summaries(db_path)
    if listed is not None:
        # A current database: paint the list now, open the store (SQLAlchemy) right after.
        window = MainWindow(
            None,
            QSettings(),
            open_repo=lambda: open_store(db_path, settings, view),
            listed=listed,
        )
    else:
        # New, due for migration or unreadable: open in full first (creates, migrates or rescues).
        try:
            repo = open_store(db_path, settings, view)
        except StoreError as exc:
            if exc.kind != CANCELLED:
                view.show_message("无法打开数据库", exc.message, error=True)
            return 2
        window = MainWindow(repo, QSettings())
    window.show()
    try:
        return app.exec()
    finally:
        lock.release()
