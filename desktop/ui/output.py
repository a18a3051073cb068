"""导出 Excel, 导出 PDF, 打印预览, 打印: the official tables of the chosen projects.

One project is written at once; several are written off the GUI thread with a
progress dialog that can cancel between files. Printing prints the PDF's own
pages (``printing.py``), so paper and file always agree.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog

from desktop.export.batch import FORMATS, Job, file_name, file_names

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class TaskThread(QThread):
    """Runs ``task`` on each job in turn; ``cancel()`` stops before the next one."""

    progressed = Signal(int, int, str)  # done, total, the project being worked on

    def __init__(self, jobs: Sequence[Job], task: Callable[[Job], Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.jobs = list(jobs)
        self.task = task
        self.results: list[Any] = []
        self.errors: list[tuple[str, str]] = []
        self.fatal: str | None = None
        self.cancelled = False
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        from desktop.atomic import WriteError
        from desktop.export.fonts import FontError

        total = len(self.jobs)
        for n, job in enumerate(self.jobs):
            if self._stop.is_set():
                self.cancelled = True
                return
            self.progressed.emit(n, total, job.project.name)
            try:
                self.results.append(self.task(job))
            except WriteError as exc:
                self.errors.append((job.project.name, exc.message))
            except FontError as exc:  # every file would fail alike
                self.fatal = exc.message
                return
        self.progressed.emit(total, total, "")


class OutputCommands(QObject):
    """The window's export and print commands; ``finished`` reports each run's outcome (tests wait on it)."""

    finished = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.thread: TaskThread | None = None
        self.progress: QProgressDialog | None = None

    @property
    def blank_guarantee(self) -> bool:
        """Whether the clerk asked for the 制度保障 page blank (文件 → 打印空白制度保障页)."""
        return self.window.act_blank_guarantee.isChecked()

    # ------------------------------------------------------------ choosing

    def _jobs(self) -> list[Job]:
        """The projects chosen in the list (or the open one), each marked 草稿 when it has errors."""
        window = self.window
        ids = window.chosen_ids()
        if not ids:
            return []
        if window.editor is not None:
            window.editor.flush()  # the file holds what the clerk sees
        repo = window.repo
        projects = repo.load_all(None, ids)
        context = repo.context(near=projects)
        order = {pid: n for n, pid in enumerate(ids)}
        projects.sort(key=lambda p: order.get(p.id or "", 0))
        saved = {s.id: _saved(s.updated_at) for s in repo.summaries()}
        return [
            Job(p, any(f.is_error for f in repo.findings(p, context)), saved.get(p.id or ""))
            for p in projects
        ]

    # ------------------------------------------------------------ export

    def export(self, fmt: str) -> None:
        jobs = self._jobs()
        if not jobs:
            return
        view = self.window.view
        kind, suffix = FORMATS[fmt]
        folder = str(self.window.settings.value("export_folder", "") or "")
        if len(jobs) == 1:
            suggested = (
                str(Path(folder) / file_name(jobs[0].project, fmt))
                if folder
                else file_name(jobs[0].project, fmt)
            )
            path = view.ask_save_file(f"导出{kind}", suggested, f"{kind} (*{suffix})")
            if not path:
                return
            if not path.lower().endswith(suffix):
                path += suffix
            if self._refused([Path(path)]):
                return
            self.window.settings.setValue("export_folder", str(Path(path).parent))
            self._write_one(jobs[0], Path(path), fmt)
            return
        chosen = view.ask_folder(f"把 {len(jobs)} 个项目的申报表导出到文件夹", folder)
        if not chosen:
            return
        target = Path(chosen)
        names = file_names([j.project for j in jobs], fmt)
        if self._refused([target, *(target / n for n in names)]):
            return
        self.window.settings.setValue("export_folder", str(target))
        existing = [n for n in names if (target / n).exists()]
        if existing and not view.confirm(
            "覆盖文件",
            f"文件夹中已有 {len(existing)} 个同名文件（如“{existing[0]}”）。覆盖它们吗？",
        ):
            return
        paths = {id(j): target / n for j, n in zip(jobs, names, strict=True)}
        blank = self.blank_guarantee

        def write(job: Job) -> Path:
            from desktop.export.batch import export_one

            return export_one(
                job.project, paths[id(job)], fmt, draft=job.draft, blank_guarantee=blank
            )

        self._run(jobs, write, f"正在导出{kind}…", lambda t: self._export_done(t, target, kind))

    def _refused(self, paths: list[Path]) -> bool:
        """True (and the clerk told why) when a path is the database, its side files or backups."""
        from desktop.store.guard import first_protected_problem

        db = self.window.repo.path
        problem = first_protected_problem(paths, db) if db is not None else None
        if problem is None:
            return False
        self.window.view.show_message("无法导出", problem + "\n\n未写入任何文件。", error=True)
        self.finished.emit({"written": [], "failed": [("", problem)]})
        return True

    def _write_one(self, job: Job, path: Path, fmt: str) -> None:
        from desktop.atomic import WriteError
        from desktop.export.batch import export_one
        from desktop.export.fonts import FontError

        try:
            with _busy():
                written = export_one(
                    job.project, path, fmt, draft=job.draft, blank_guarantee=self.blank_guarantee
                )
        except (WriteError, FontError) as exc:
            self.window.view.show_message("无法导出", exc.message, error=True)
            self.finished.emit({"written": [], "failed": [(job.project.name, exc.message)]})
            return
        note = "（项目有错误，每页已标“草稿”）" if job.draft else ""
        self.window.statusBar().showMessage(f"已导出到 {written}{note}", 10000)
        self.finished.emit({"written": [written], "failed": []})

    def _export_done(self, thread: TaskThread, folder: Path, kind: str) -> None:
        view = self.window.view
        outcome = {"written": list(thread.results), "failed": list(thread.errors)}
        if thread.fatal:
            view.show_message("无法导出", thread.fatal, error=True)
        elif thread.errors:
            lines = "\n".join(f"“{name}”：{why}" for name, why in thread.errors)
            view.show_message(
                "部分文件未导出",
                f"已导出 {len(thread.results)} 个{kind}到 {folder}。\n以下项目未导出：\n{lines}",
                error=True,
            )
        elif thread.cancelled:
            self.window.statusBar().showMessage(
                f"已取消：已导出的 {len(thread.results)} 个文件完整可用，在 {folder}。", 10000
            )
        else:
            drafts = sum(j.draft for j in thread.jobs)
            note = f"，其中 {drafts} 个项目有错误，每页已标“草稿”" if drafts else ""
            self.window.statusBar().showMessage(
                f"已导出 {len(thread.results)} 个{kind}到 {folder}{note}。", 10000
            )
        outcome["cancelled"] = thread.cancelled
        self.finished.emit(outcome)

    # ------------------------------------------------------------ print

    def preview(self) -> None:
        self._print(self.window.view.show_print_preview)

    def print(self) -> None:
        self._print(self.window.view.print_tables)

    def _print(self, show: Callable[[list[bytes]], None]) -> None:
        from desktop.export.batch import render

        jobs = self._jobs()
        if not jobs:
            return

        blank = self.blank_guarantee

        def make(job: Job) -> bytes:
            # dated by the last save, not the clock: what was previewed is what prints
            return render(
                job.project, "pdf", draft=job.draft, blank_guarantee=blank, created=job.saved
            )

        if len(jobs) == 1:
            from desktop.export.fonts import FontError

            try:
                with _busy():
                    documents = [make(jobs[0])]
            except FontError as exc:
                self.window.view.show_message("无法打印", exc.message, error=True)
                return
            show(documents)
            self.finished.emit({"documents": documents})
            return

        def done(thread: TaskThread) -> None:
            if thread.fatal:
                self.window.view.show_message("无法打印", thread.fatal, error=True)
            elif not thread.cancelled:
                show(list(thread.results))
            self.finished.emit({"documents": list(thread.results), "cancelled": thread.cancelled})

        self._run(jobs, make, "正在准备打印…", done)

    # ------------------------------------------------------------ running

    def _run(
        self,
        jobs: list[Job],
        task: Callable[[Job], Any],
        title: str,
        done: Callable[[TaskThread], None],
    ) -> None:
        if self.thread is not None:
            return  # one batch at a time
        thread = TaskThread(jobs, task, self)
        dialog = QProgressDialog(title, "取消", 0, len(jobs), self.window)
        dialog.setWindowTitle("绩效目标申报助手")
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(thread.cancel)
        thread.progressed.connect(
            lambda n, total, name: (
                dialog.setValue(n),
                dialog.setLabelText(f"{title}（{n}/{total}）{name}" if name else title),
            )
        )

        def finished() -> None:
            self.thread = None
            self.progress = None
            dialog.close()
            dialog.deleteLater()
            done(thread)
            thread.deleteLater()

        thread.finished.connect(finished)
        self.thread, self.progress = thread, dialog
        dialog.show()
        thread.start()


class _busy:
    """A wait cursor around a short piece of work done on the GUI thread."""

    def __enter__(self) -> None:
        from PySide6.QtCore import Qt

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QApplication.restoreOverrideCursor()


def _saved(stamp: str | None) -> dt.datetime | None:
    """The list's ISO ``updated_at`` as a time, or None (never saved, or unreadable)."""
    try:
        return dt.datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
