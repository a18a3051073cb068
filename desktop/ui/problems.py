"""The problems panel: the rules' findings grouped by code, and 说明 on answered warnings.

One line per code when a code occurs more than once (``警告 I04 · 目标值缺少比较符（12 处）``),
expandable to each finding; a code that occurs once is one line. Errors come first,
then warnings, then the group ``已说明`` of the warnings the clerk has answered, in
grey. Clicking a finding puts the cursor in its field or cell; a group line goes to
its first finding.

The rules run on every keystroke: the tree is rebuilt only when the findings (or
the 说明) changed, and what the clerk expanded stays expanded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.models.project import Project
from desktop.models.rules import SEVERITY_LABELS, Finding
from desktop.models.rules.explanations import (
    MAX_EXPLANATION_CHARS,
    MAX_EXPLANATIONS,
    KeyMaker,
    explanation_problem,
)
from desktop.models.rules.titles import code_title
from desktop.ui.failures import WindowOf, guard

PATH_ROLE = Qt.ItemDataRole.UserRole  # the field a line jumps to (as the list had it)
NODE_ROLE = Qt.ItemDataRole.UserRole + 1  # ("finding", n) or ("group", key)

ERROR_COLOR = QColor("#a93226")
WARNING_COLOR = QColor("#9a6a00")
EXPLAINED_COLOR = QColor("#7a7a7a")
EXPLAINED_GROUP = "explained"
NOT_APPLYING = "（原有说明不适用：错误须改正）"


@dataclass(frozen=True)
class Entry:
    """One finding as the panel shows it."""

    finding: Finding
    key: str  # its key in Project.explanations
    stored: str | None  # the 说明 the project keeps for it (also on an error: not applying)

    @property
    def explained(self) -> bool:
        return self.finding.explanation is not None

    @property
    def bucket(self) -> str:
        if self.finding.is_error:
            return "error"
        return EXPLAINED_GROUP if self.explained else "warning"


def ask_explanation(parent: QWidget, messages: Sequence[str], current: str) -> str | None:
    """Ask for a 说明 (the dialog); the trimmed text, or None when cancelled."""
    dialog = ExplanationDialog(messages, current, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value()


def tell(parent: QWidget, text: str) -> None:
    QMessageBox.information(parent, "说明", text)


class ExplanationDialog(QDialog):
    """说明…: the warning(s), a text of 1–200 characters, 确定 / 取消."""

    def __init__(self, messages: Sequence[str], current: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("说明警告")
        self.resize(520, 300)
        lay = QVBoxLayout(self)
        if len(messages) == 1:
            head = f"警告：{messages[0]}"
        else:
            shown = "\n".join(f"· {m}" for m in messages[:3])
            more = f"\n…… 共 {len(messages)} 处" if len(messages) > 3 else ""
            head = f"同一说明将写在这 {len(messages)} 处警告上：\n{shown}{more}"
        warning = QLabel(head)
        warning.setWordWrap(True)
        lay.addWidget(warning)
        hint = QLabel(
            f"核对无误、可以保留这条警告时，写明原因（1–{MAX_EXPLANATION_CHARS} 字）。"
            "说明随项目保存，也随数据包和 Excel 导出；警告将显示为灰色的“已说明”。"
        )
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.text = QPlainTextEdit()
        self.text.setObjectName("explanationText")
        self.text.setAccessibleName("说明")
        self.text.setTabChangesFocus(True)
        self.text.setPlainText(current)
        lay.addWidget(self.text)
        row = QHBoxLayout()
        self.problem = QLabel("")
        self.problem.setObjectName("explanationProblem")
        self.problem.setStyleSheet("color:#b00020;")
        self.problem.setWordWrap(True)
        self.counter = QLabel("")
        row.addWidget(self.problem, 1)
        row.addWidget(self.counter)
        lay.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()
        self.text.setFocus()

    def _check(self) -> None:
        text = self.text.toPlainText()
        n = len(text.strip())
        self.counter.setText(f"{n}/{MAX_EXPLANATION_CHARS}")
        problem = explanation_problem(text)
        # A blank box is not yet a mistake: 确定 waits until something is written.
        self.problem.setText(problem if problem and n else "")
        self.ok_button.setEnabled(problem is None)

    def accept(self) -> None:
        if explanation_problem(self.text.toPlainText()) is None:
            super().accept()

    def value(self) -> str:
        return self.text.toPlainText().strip()


class WrappedLines(QStyledItemDelegate):
    """Rows as tall as their message wrapped at the column's width: whole messages, no …."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        if self.tree.rootIsDecorated():
            depth += 1
        style = self.tree.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.tree) + 1
        width = self.tree.viewport().width() - depth * self.tree.indentation() - 2 * margin - 4
        if width <= 0:
            return hint
        rect = opt.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), opt.text
        )
        return QSize(min(hint.width(), width), max(hint.height(), rect.height() + 4))


class WrappingTree(QTreeWidget):
    """A tree whose rows wrap their text and are laid out again when its width changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrappedLines(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()


class ProblemsPanel(QWidget):
    """The problems of one project; ``go_to`` moves the cursor, ``explain`` pushes an undo step."""

    def __init__(
        self,
        go_to: Callable[[str], None],
        explain: Callable[[dict[str, str | None], str], None],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._go_to = go_to
        self._explain = explain
        self.project: Project | None = None
        self.entries: list[Entry] = []
        self.read_only = False
        self._shown: tuple[Any, ...] | None = None
        self._groups: dict[str, list[int]] = {}
        self._group_items: dict[str, QTreeWidgetItem] = {}
        # Groups the clerk has opened (the 已说明 group starts open); kept across rebuilds.
        self._expanded: set[str] = {EXPLAINED_GROUP}

        self.tree = WrappingTree()  # whole messages, wrapped at the panel's width
        self.tree.setObjectName("problemsList")
        self.tree.setAccessibleName("问题列表")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemActivated.connect(self._jump)
        self.tree.itemClicked.connect(self._jump)
        self.tree.itemExpanded.connect(lambda item: self._remember(item, True))
        self.tree.itemCollapsed.connect(lambda item: self._remember(item, False))
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.explain_button = QPushButton("说明…")
        self.explain_button.setToolTip("核对无误的警告：写明原因，警告改为灰色的“已说明”")
        self.explain_button.clicked.connect(guard(WindowOf(self), "说明", self.explain_current))
        self.remove_button = QPushButton("删除说明")
        self.remove_button.clicked.connect(guard(WindowOf(self), "删除说明", self.remove_current))
        self.title = QLabel("问题")
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title, 1)
        head.addWidget(self.explain_button)
        head.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.tree)
        self._update_buttons()

    # ------------------------------------------------------------ showing

    def show_findings(self, project: Project, findings: list[Finding], read_only: bool) -> None:
        """Show the findings of the last check; nothing is redrawn when nothing changed."""
        self.project = project
        explanations = project.explanations
        shown = (tuple(findings), tuple(explanations.items()), read_only)
        if shown == self._shown:
            return
        self._shown = shown
        self.read_only = read_only
        key = KeyMaker(project)
        self.entries = []
        for f in findings:
            k = key(f)
            self.entries.append(Entry(f, k, explanations.get(k)))
        self._rebuild()

    def _rebuild(self) -> None:
        tree = self.tree
        keep = self._identity(tree.currentItem())
        tree.setUpdatesEnabled(False)
        tree.blockSignals(True)
        try:
            tree.clear()
            self._groups = {}
            self._group_items = {}
            root = tree.invisibleRootItem()
            by_bucket: dict[str, list[int]] = {"error": [], "warning": [], EXPLAINED_GROUP: []}
            for n, entry in enumerate(self.entries):
                by_bucket[entry.bucket].append(n)
            self._add_codes(root, "error", by_bucket["error"])
            self._add_codes(root, "warning", by_bucket["warning"])
            answered = by_bucket[EXPLAINED_GROUP]
            if answered:
                group = self._group_item(
                    root, EXPLAINED_GROUP, f"已说明（{len(answered)} 处）", answered
                )
                group.setToolTip(0, "已写明原因的警告：仍是警告，但已说明，不再需要处理。")
                self._add_codes(group, EXPLAINED_GROUP, answered)
            for key, item in self._group_items.items():
                item.setExpanded(key in self._expanded)
            again = self._find(keep) if keep else None
            if again is not None:
                tree.setCurrentItem(again)
        finally:
            tree.blockSignals(False)
            tree.setUpdatesEnabled(True)
        errors = sum(1 for e in self.entries if e.finding.is_error)
        warnings = len(self.entries) - errors
        answered_n = sum(1 for e in self.entries if e.explained)
        parts = [f"错误 {errors}", f"警告 {warnings}"]
        if answered_n:
            parts[-1] += f"（已说明 {answered_n}）"
        self.title.setText("问题：" + "，".join(parts) if self.entries else "问题：无")
        self._update_buttons()

    def _add_codes(self, parent: QTreeWidgetItem, bucket: str, indexes: list[int]) -> None:
        """One line per code (codes in the order they first occur), a group where it recurs."""
        by_code: dict[str, list[int]] = {}
        for n in indexes:
            by_code.setdefault(self.entries[n].finding.code, []).append(n)
        for code, ns in by_code.items():
            if len(ns) == 1:
                self._finding_item(parent, ns[0], alone=True)
                continue
            f = self.entries[ns[0]].finding
            title = code_title(code)
            words = f"{SEVERITY_LABELS[f.severity]} {code}" + (f" · {title}" if title else "")
            group = self._group_item(parent, f"{bucket}:{code}", f"{words}（{len(ns)} 处）", ns)
            for n in ns:
                self._finding_item(group, n, alone=False)

    def _group_item(
        self, parent: QTreeWidgetItem, key: str, text: str, ns: list[int]
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, PATH_ROLE, self.entries[ns[0]].finding.field)
        item.setData(0, NODE_ROLE, ("group", key))
        first = self.entries[ns[0]]
        item.setForeground(0, QBrush(_color(first if key != EXPLAINED_GROUP else None)))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        self._groups[key] = ns
        self._group_items[key] = item
        return item

    def _finding_item(self, parent: QTreeWidgetItem, n: int, alone: bool) -> QTreeWidgetItem:
        entry = self.entries[n]
        f = entry.finding
        text = f.message
        if alone:
            text = f"[{SEVERITY_LABELS[f.severity]} {f.code}] {text}"
        tips = [f.message]
        if entry.explained:
            text = f"已说明：{f.explanation}　｜　{text}"
            tips.append(f"已说明：{f.explanation}")
        elif f.is_error and entry.stored:
            text += NOT_APPLYING
            tips.append(f"原有说明“{entry.stored}”不适用：错误不能以说明代替，须改正。")
        elif not f.is_error:
            tips.append("核对无误时，可点“说明…”（或右键）写明原因。")
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, PATH_ROLE, f.field)
        item.setData(0, NODE_ROLE, ("finding", n))
        item.setToolTip(0, "\n".join(tips))
        item.setForeground(0, QBrush(_color(entry)))
        return item

    # ------------------------------------------------------------ items

    @staticmethod
    def _node(item: QTreeWidgetItem | None) -> tuple[str, Any] | None:
        if item is None:
            return None
        node = item.data(0, NODE_ROLE)
        return tuple(node) if node else None  # type: ignore[return-value]

    def _identity(self, item: QTreeWidgetItem | None) -> tuple[str, ...] | None:
        """What the current line stands for, to find it again after a rebuild."""
        node = self._node(item)
        if node is None:
            return None
        if node[0] == "group":
            return ("group", node[1])
        entry = self.entries[node[1]] if node[1] < len(self.entries) else None
        return ("finding", entry.key, entry.finding.field) if entry else None

    def _find(self, identity: tuple[str, ...]) -> QTreeWidgetItem | None:
        for item in self.items():
            if self._identity(item) == identity:
                return item
        return None

    def items(self) -> list[QTreeWidgetItem]:
        """Every line, depth first (groups before their findings)."""
        out: list[QTreeWidgetItem] = []

        def walk(parent: QTreeWidgetItem) -> None:
            for i in range(parent.childCount()):
                child = parent.child(i)
                out.append(child)
                walk(child)

        walk(self.tree.invisibleRootItem())
        return out

    def group_item(self, key: str) -> QTreeWidgetItem | None:
        """The line of a group: ``warning:I04``, ``error:I13``, ``explained`` …"""
        return self._group_items.get(key)

    def entries_of(self, item: QTreeWidgetItem | None) -> list[Entry]:
        node = self._node(item)
        if node is None:
            return []
        if node[0] == "group":
            return [self.entries[n] for n in self._groups.get(node[1], [])]
        return [self.entries[node[1]]]

    def _remember(self, item: QTreeWidgetItem, expanded: bool) -> None:
        node = self._node(item)
        if node is None or node[0] != "group":
            return
        if expanded:
            self._expanded.add(node[1])
        else:
            self._expanded.discard(node[1])

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self._go_to(path)

    # ------------------------------------------------------------ 说明

    def _targets(self, item: QTreeWidgetItem | None) -> list[Entry]:
        """The warnings a 说明 written on this line would answer."""
        return [e for e in self.entries_of(item) if not e.finding.is_error]

    def _removable(self, item: QTreeWidgetItem | None) -> list[Entry]:
        return [e for e in self.entries_of(item) if e.stored is not None]

    def _update_buttons(self) -> None:
        item = self.tree.currentItem()
        writable = not self.read_only
        targets = self._targets(item)
        self.explain_button.setEnabled(writable and bool(targets))
        self.explain_button.setText(
            "修改说明…" if targets and all(e.explained for e in targets) else "说明…"
        )
        self.remove_button.setEnabled(writable and bool(self._removable(item)))

    def explain_current(self) -> bool:
        """说明… on the current line (a warning, or every warning of a group); True when written."""
        item = self.tree.currentItem()
        targets = self._targets(item)
        if self.read_only or not targets or self.project is None:
            return False
        texts = {e.stored for e in targets}
        current = next(iter(texts)) if len(texts) == 1 else None
        new_keys = {e.key for e in targets} - set(self.project.explanations)
        if len(self.project.explanations) + len(new_keys) > MAX_EXPLANATIONS:
            tell(
                self,
                f"一个项目最多保留 {MAX_EXPLANATIONS} 条说明：请先删除不再需要的说明。",
            )
            return False
        text = ask_explanation(self, [e.finding.message for e in targets], current or "")
        if text is None:
            return False
        changes: dict[str, str | None] = {e.key: text for e in targets if e.stored != text}
        if not changes:
            return False
        self._explain(changes, "说明警告")
        return True

    def remove_current(self) -> bool:
        """删除说明 on the current line (for a group: every 说明 in it); True when removed."""
        removable = self._removable(self.tree.currentItem())
        if self.read_only or not removable:
            return False
        self._explain({e.key: None for e in removable}, "删除说明")
        return True

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu:
        """The context menu of a line: 转到, 说明… / 修改说明…, 删除说明."""
        menu = QMenu(self)
        if item is not None and item.data(0, PATH_ROLE):
            menu.addAction("转到", lambda: self._jump(item))
        if item is not None and not self.read_only:
            targets = self._targets(item)
            if targets:
                again = all(e.explained for e in targets)
                words = "修改说明…" if again else "说明…"
                if len(targets) > 1 and not again:
                    words = f"为这 {len(targets)} 处警告写同一说明…"
                menu.addAction(words, self._explain_item(item))
            if self._removable(item):
                menu.addAction("删除说明", self._remove_item(item))
        return menu

    def _explain_item(self, item: QTreeWidgetItem) -> Callable[[], None]:
        def run() -> None:
            self.tree.setCurrentItem(item)
            self.explain_current()

        return run

    def _remove_item(self, item: QTreeWidgetItem) -> Callable[[], None]:
        def run() -> None:
            self.tree.setCurrentItem(item)
            self.remove_current()

        return run

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        menu = self.menu_for(item)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(pos))


def _color(entry: Entry | None) -> QColor:
    if entry is None or entry.explained:
        return EXPLAINED_COLOR
    return ERROR_COLOR if entry.finding.is_error else WARNING_COLOR
