"""What the window tests share: typing Chinese, a fake view instead of modal dialogs."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def type_text(widget, text: str) -> None:
    """Chinese arrives through the input method: commit it as an IME would (QTest types ASCII only)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def start_messages(monkeypatch) -> list[tuple[str, str, bool]]:
    """What the start-up (``startup.StartView``) would show in message boxes, recorded instead."""
    from desktop.ui import startup

    shown: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(
        startup.StartView,
        "show_message",
        lambda _self, title, text, error=False: shown.append((title, text, error)),
    )
    return shown


class FakeView:
    """Answers the window's questions without modal dialogs."""

    def __init__(self) -> None:
        # (年度, 名称, 表式) or (年度, 名称, 表式, 模板 key); None cancels
        self.new_project: tuple | None = (2022, "车辆购置费", "shanghai-2021")
        self.next_year_family: str | None = ""  # "" takes the project's own 表式; None cancels
        self.next_year_asked: list[tuple[str, int | None]] = []
        self.compared: list[tuple] = []  # (old, new, old_title, new_title) of each CompareDialog
        self.files: list[str] = []
        self.messages: list[tuple[str, str, bool]] = []
        self.confirm_answer = True
        self.confirmations: list[str] = []
        self.save_path: str | None = None
        self.save_requests: list[str] = []
        self.folder: str | None = None
        self.previewed: list[list[bytes]] = []
        self.printed: list[list[bytes]] = []
        self.backup_choice: str | None = None
        self.offered_backups: list[list] = []
        self.unsaved_answers: list[str] = []  # answered in turn; "cancel" once they run out
        self.unsaved_texts: list[str] = []
        # 从指标库添加: called with the dialog to work it as the clerk would (search, check, 添加)
        self.library_answer = None
        self.library_dialogs: list = []
        # 汇总表… and 定稿记录…: the dialogs are built, not run; the test works them
        self.summary_dialogs: list = []
        self.snapshot_dialogs: list = []

    def ask_open_files(self) -> list[str]:
        return self.files

    def ask_new_project(self, default_year: int) -> tuple | None:
        return self.new_project

    def ask_next_year_family(self, current: str, year: int | None) -> str | None:
        self.next_year_asked.append((current, year))
        return current if self.next_year_family == "" else self.next_year_family

    def show_compare(self, old, new, old_title: str, new_title: str) -> None:
        self.compared.append((old, new, old_title, new_title))

    def show_summary(self, window, year: int | None) -> None:
        from desktop.ui.summary_dialog import SummaryDialog

        self.summary_dialogs.append(SummaryDialog(window, year))

    def show_snapshots(self, window, compare) -> None:
        from desktop.ui.snapshots_dialog import SnapshotsDialog

        self.snapshot_dialogs.append(SnapshotsDialog(window, compare))

    def show_message(self, title: str, text: str, error: bool = False) -> None:
        self.messages.append((title, text, error))

    def confirm(self, title: str, text: str) -> bool:
        self.confirmations.append(text)
        return self.confirm_answer

    def ask_save_file(self, title: str, suggested: str, filter_text: str) -> str | None:
        self.save_requests.append(suggested)
        return self.save_path

    def ask_folder(self, title: str, start: str) -> str | None:
        return self.folder

    def show_print_preview(self, documents: list[bytes]) -> None:
        self.previewed.append(documents)

    def print_tables(self, documents: list[bytes]) -> None:
        self.printed.append(documents)

    def ask_backup(self, backups: list) -> str | None:
        self.offered_backups.append(backups)
        return self.backup_choice

    def ask_library_entries(self, dialog) -> list:
        self.library_dialogs.append(dialog)
        if self.library_answer is not None:
            self.library_answer(dialog)
        return dialog.chosen()

    def ask_unsaved(self, text: str) -> str:
        self.unsaved_texts.append(text)
        return self.unsaved_answers.pop(0) if self.unsaved_answers else "cancel"
