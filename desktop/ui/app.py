"""Starting the window: Qt application, Chinese translations, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.config import load_rule_settings
from desktop.store import open_repository, read_summaries


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
    from desktop.ui.main_window import MainWindow

    app = make_app()
    settings = load_rule_settings(db_path.parent)
    listed = read_summaries(db_path)
    if listed is not None:
        # A current database: paint the list now, open the store (SQLAlchemy) right after.
        window = MainWindow(
            None, QSettings(), open_repo=lambda: open_repository(db_path, settings), listed=listed
        )
    else:
        # New, due for migration or unreadable: open in full first (creates, migrates or explains).
        from desktop.store import StoreError

        try:
            repo = open_repository(db_path, settings)
        except StoreError as exc:
            QMessageBox.critical(None, "无法打开数据库", exc.message)
            return 2
        window = MainWindow(repo, QSettings())
    window.show()
    return app.exec()
