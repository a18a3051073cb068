"""复制到下一年度 and 与上一年度对比 in the window.

The copy itself is ``desktop.models.next_year``; the comparison is
``desktop.models.compare``. The window asks the clerk through its View (the
target 表式, the comparison dialog), so tests answer with a FakeView.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from desktop.models.labels import FAMILY_NAMES
from desktop.models.project import FAMILIES, Project

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class NextYearDialog(QDialog):
    """Which 表式 next year's declaration uses (the project's own by default)."""

    def __init__(self, current: str, year: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("复制到下一年度")
        form = QFormLayout(self)
        nxt = f"{year + 1} 年度" if year is not None else "下一年度"
        intro = QLabel(
            f"复制为{nxt}的草稿：文字和指标照搬，起止日期顺延一年，"
            "金额沿用上年并标成琥珀色，请逐项核对。"
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.family = QComboBox()
        for family in FAMILIES:
            self.family.addItem(FAMILY_NAMES[family], family)
        self.family.setCurrentIndex(max(0, self.family.findData(current)))
        form.addRow("表式：", self.family)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> str:
        return str(self.family.currentData())


class YearCopyCommands(QObject):
    """The window's 复制到下一年度 and 与上一年度对比."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def copy_to_next_year(self) -> Project | None:
        """Copy the open project to year + 1, open the copy, say what was converted."""
        from desktop.models.next_year import next_year

        window = self.window
        editor = window.editor
        if editor is None or not editor.project.id:
            return None
        source = editor.project
        if source.year is None:
            window.view.show_message("无法复制", "项目没有填写年度：请先填写年度。", error=True)
            return None
        editor.flush()
        family = window.view.ask_next_year_family(source.family, source.year)
        if family is None:
            return None
        twin = self._same_name(source, source.year + 1)
        if twin is not None and not window.view.confirm(
            "复制到下一年度",
            f"{source.year + 1} 年度已有同名项目“{source.name}”。仍要再复制一份吗？",
        ):
            return None
        result = next_year(source, family)
        copy = result.project
        window.repo.save(copy)
        window.refresh_list(select=copy.id)
        if copy.id:
            window.open_project(copy.id)
        window.statusBar().showMessage(
            f"已复制为 {copy.year} 年度的“{copy.name}”：琥珀色的金额请核对。", 10000
        )
        text = f"已建立 {copy.year} 年度的草稿“{copy.name}”。"
        if result.notes:
            text += "\n\n" + "\n".join(f"· {note}" for note in result.notes)
        window.view.show_message("复制到下一年度", text)
        return copy

    def compare_with_last_year(self) -> bool:
        """Show the open project beside last year's; False (and a message) when there is none."""
        window = self.window
        editor = window.editor
        if editor is None:
            return False
        editor.flush()
        current = editor.project
        last = self.last_year_of(current)
        if last is None:
            year = f"{current.year - 1} 年度" if current.year is not None else "上一年度"
            window.view.show_message(
                "与上一年度对比",
                f"没有找到{year}的“{current.name}”：只有复制到下一年度得来的项目，"
                "或上一年度有同名项目时才能对比。",
            )
            return False
        window.view.show_compare(
            last, current, f"{last.year} 年度（上年）", f"{current.year} 年度（本年）"
        )
        return True

    def last_year_of(self, project: Project) -> Project | None:
        """The project this one was copied from, else last year's project of the same name."""
        repo = self.window.repo
        if project.copied_from:
            try:
                return repo.load(project.copied_from)
            except KeyError:
                pass  # deleted for good since: fall back to the name
        if project.year is None:
            return None
        found = self._same_name(project, project.year - 1)
        return repo.load(found) if found else None

    def _same_name(self, project: Project, year: int) -> str | None:
        """The id of a live project of ``year`` with the same name (the same unit first)."""
        key = _norm(project.name)
        same = [
            s
            for s in self.window.repo.summaries()
            if s.year == year and s.id != project.id and _norm(s.name) == key
        ]
        same.sort(key=lambda s: _norm(s.unit) != _norm(project.unit))
        return same[0].id if same else None


_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _norm(text: str | None) -> str:
    """A name as compared across years: "(2021运维)" and "(2022运维)" are the same project."""
    return _A_YEAR.sub("#", "".join(unicodedata.normalize("NFKC", text or "").split()))
