"""自检: what an IT helper runs on a clerk's PC, and what CI runs on the frozen bundle.

``python -m desktop selftest`` (or ``jixiao-cli.exe selftest``) checks, in order,
each part that can be missing from an installation: the database, Qt's Chinese
translations, the Excel and PDF writers with a CJK font, the PDF renderer behind
打印预览, and finally the real window: opened on the database, painted, its list
filled, the store opened, then closed as the clerk would close it.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, qVersion

from desktop import __version__
from desktop.resources import frozen

if TYPE_CHECKING:
    from desktop.models.project import Project
    from desktop.ui.main_window import MainWindow

WINDOW_TIMEOUT_MS = 30_000  # a healthy start takes well under a second


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _guarded(name: str, probe: Callable[[], str]) -> Check:
    """One check; any exception is its failure, reported in its own words."""
    try:
        return Check(name, True, probe())
    except Exception as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        return Check(name, False, message)


def _program() -> str:
    kind = "安装版" if frozen() else "源代码运行"
    return f"{__version__}（{kind}），Python {platform.python_version()}，Qt {qVersion()}"


def _database(db: Path) -> str:
    from desktop.store.health import check_database, explain

    health = check_database(db)
    if health.kind == "new":
        return f"{db.name} 尚不存在，首次打开时新建"
    if health.kind != "ok":
        raise RuntimeError(explain(db, health))
    return f"{db.name}：{health.projects} 个项目，结构版本 {health.revision}"


def _translations() -> str:
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    if cancel == "Cancel":
        raise RuntimeError("找不到 Qt 的中文翻译 qtbase_zh_CN.qm：标准对话框的按钮将显示英文")
    return f"标准按钮“{cancel}”"


def _sample(db: Path) -> Project:
    """The first project of the database, or an empty one of this year."""
    import datetime as dt

    from desktop.models.project import Project
    from desktop.store import read_summaries

    listed = read_summaries(db) or []
    if listed:
        from desktop.store import open_repository

        repo = open_repository(db)
        try:
            return repo.load(listed[0].id)
        finally:
            repo.engine.dispose()
    return Project(year=dt.date.today().year, name="自检示例项目", template="shanghai-2021")


def _pick(db: Path, chosen: list[Project]) -> str:
    chosen.append(_sample(db))
    return f"“{chosen[0].name}”"


def _excel(project: Project) -> str:
    import io

    import openpyxl

    from desktop.export.xlsx_writer import workbook_bytes

    data = workbook_bytes(project, draft=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return f"{len(book.sheetnames)} 个工作表，{len(data) // 1024} KB"


def _pdf(project: Project, pdfs: list[bytes]) -> str:
    from reportlab.pdfbase import pdfmetrics

    from desktop.export.fonts import load_fonts
    from desktop.export.pdf_writer import pdf_bytes

    pdfs.append(pdf_bytes(project, draft=True))
    fonts = load_fonts()
    body = Path(pdfmetrics.getFont(fonts.body).face.filename).name
    return f"{len(pdfs[0]) // 1024} KB，正文字体 {body}"


def _preview(pdfs: list[bytes]) -> str:
    from desktop.ui.printing import page_count, render_pages

    if not pdfs:
        raise RuntimeError("没有可预览的 PDF（PDF 导出未通过）")
    image, _landscape = next(render_pages(pdfs[0], 36))
    if image.isNull():
        raise RuntimeError("PDF 页面未能渲染")
    return f"共 {page_count(pdfs[0])} 页，第 1 页 {image.width()}×{image.height()} 像素（36 dpi）"


class _WindowProbe(QObject):
    """Waits for the window's first paint and its store, then closes it as the clerk would."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.painted = False
        self.ready = window.store_open
        self.rows = 0
        self.title = ""
        self.closed = False
        window.installEventFilter(self)
        window.ready.connect(self._on_ready)
        QTimer.singleShot(WINDOW_TIMEOUT_MS, self._close)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, self._maybe_close)
        return False

    def _on_ready(self) -> None:
        self.ready = True
        self._maybe_close()

    def _maybe_close(self) -> None:
        if self.painted and self.ready:
            self._close()

    def _close(self) -> None:
        if self.closed:
            return
        self.rows = self.window.list_model.rowCount()
        self.title = self.window.windowTitle()
        self.closed = self.window.close()
        if not self.closed:  # something unsaved refused: never leave the self-test hanging
            QCoreApplication.exit(1)


def _window(db: Path) -> str:
    from desktop.store.lock import DatabaseLock
    from desktop.ui.app import run

    # A window already open on this database would make run() say so in a modal box.
    probe_lock = DatabaseLock(db)
    probe_lock.acquire()  # StoreError, with the Chinese message, when it is in use
    probe_lock.release()

    probes: list[_WindowProbe] = []
    code = run(db, on_shown=lambda window: probes.append(_WindowProbe(window)))
    if not probes:
        raise RuntimeError(f"窗口未能打开（退出码 {code}）")
    probe = probes[0]
    if not probe.painted:
        raise RuntimeError("窗口打开后没有绘制")
    if not probe.ready:
        raise RuntimeError(f"数据库在 {WINDOW_TIMEOUT_MS // 1000} 秒内未能打开")
    if not probe.closed or code != 0:
        raise RuntimeError(f"窗口未能正常关闭（退出码 {code}）")
    return f"“{probe.title}”已显示并关闭，列表 {probe.rows} 个项目"


def run_checks(db: Path, *, window: bool | str | None = True) -> list[Check]:
    """Each check in turn. ``window``: True opens the real window last; None or False
    leaves it out; a text is why it cannot be opened (no display), reported as its failure."""
    from desktop.ui.app import make_app

    make_app()  # translations and icon, as the window has them
    checks = [
        Check("程序", True, _program()),
        _guarded("数据库", lambda: _database(db)),
        _guarded("中文界面", _translations),
    ]
    chosen: list[Project] = []
    checks.append(_guarded("示例项目", lambda: _pick(db, chosen)))
    if chosen:
        pdfs: list[bytes] = []
        checks += [
            _guarded("Excel 导出", lambda: _excel(chosen[0])),
            _guarded("PDF 导出", lambda: _pdf(chosen[0], pdfs)),
            _guarded("打印预览", lambda: _preview(pdfs)),
        ]
    if isinstance(window, str):
        checks.append(Check("窗口", False, f"未打开：{window}"))
    elif window and not checks[1].ok:
        # A damaged file would open the rescue dialog, which waits for the clerk.
        checks.append(Check("窗口", False, "未打开：先解决上面数据库的问题"))
    elif window:
        checks.append(_guarded("窗口", lambda: _window(db)))
    return checks


def report(checks: list[Check], out: Callable[[str], None] = print) -> bool:
    for check in checks:
        out(f"{'✓' if check.ok else '✗'} {check.name}：{check.detail}")
    failed = [c.name for c in checks if not c.ok]
    out("自检通过。" if not failed else f"自检未通过：{'、'.join(failed)}。")
    return not failed
