"""The program's file dialogs, in Chinese whichever dialog the platform uses.

Windows shows its own dialog (in the system's language); elsewhere, or where the
system has none, Qt draws its own, whose labels are set here in Chinese (Qt's
catalogues leave 查找范围 and 文件类型 in English).
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

Mode = Literal["open", "open_many", "save", "folder"]

LABELS: dict[QFileDialog.DialogLabel, str] = {
    QFileDialog.DialogLabel.LookIn: "查找范围(&L)：",
    QFileDialog.DialogLabel.FileName: "文件名(&N)：",
    QFileDialog.DialogLabel.FileType: "文件类型(&T)：",
    QFileDialog.DialogLabel.Reject: "取消",
}
ACCEPT = {"open": "打开(&O)", "open_many": "打开(&O)", "save": "保存(&S)", "folder": "选择文件夹"}


def file_dialog(
    parent: QWidget | None, title: str, directory: str, filters: str, mode: Mode
) -> QFileDialog:
    """The dialog the program shows to open, save or choose a folder (not yet run)."""
    dialog = QFileDialog(parent, title, directory, filters)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    elif mode == "open_many":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    for which, text in LABELS.items():
        dialog.setLabelText(which, text)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, ACCEPT[mode])
    if mode == "folder":
        dialog.setLabelText(QFileDialog.DialogLabel.FileName, "文件夹(&N)：")
    return dialog


def ask_paths(
    parent: QWidget | None, title: str, directory: str, filters: str, mode: Mode
) -> list[str]:
    """Run the dialog; the chosen paths, none when cancelled."""
    dialog = file_dialog(parent, title, directory, filters, mode)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return dialog.selectedFiles()
