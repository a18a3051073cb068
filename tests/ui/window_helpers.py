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


class FakeView:
    """Answers the window's questions without modal dialogs."""

    def __init__(self) -> None:
        self.new_project: tuple[int, str, str] | None = (2022, "车辆购置费", "shanghai-2021")
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

    def ask_open_files(self) -> list[str]:
        return self.files

    def ask_new_project(self, default_year: int) -> tuple[int, str, str] | None:
        return self.new_project

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

    def ask_unsaved(self, text: str) -> str:
        self.unsaved_texts.append(text)
        return self.unsaved_answers.pop(0) if self.unsaved_answers else "cancel"
