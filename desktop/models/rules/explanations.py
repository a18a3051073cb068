"""说明 on warnings: the clerk's answer to a warning that is right as it stands.

A clerk who has checked a 警告 and knows the declaration is right writes a short
说明 on it (as 久其 users write an 出错说明 for each audit finding). The 说明 is kept
with the project (``Project.explanations``), travels in the 数据包 and the
workbook's hidden sheet, and marks the warning as answered (已说明).

**Which finding a 说明 belongs to.** A finding is named by its code and the field it
concerns, with the row number replaced by what identifies the row to the clerk, so
that inserting, deleting or moving rows above it does not move the 说明 to another
row (``finding_key``):

- a 绩效指标 row by its 三级指标 (``I04|indicators[工作人员满意度].target``),
- a 项目构成分解 row by its 项目明细 (its 项目内容 when 明细 is blank),
- a 制度保障 row by its 制度类别,

compared without spaces and full-width forms (NFKC). A second row of the same name
is ``名称#2``, a third ``名称#3``. A finding on a whole table (no row: I10, I11, I16,
G01 for a missing 制度) adds what it says is missing, the first “…” of its message:
``G01|guarantees:预算管理制度``. Other fields keep their path (``P09|overall_goal``).

**Which 说明 count.** Only a warning is answered by a 说明: an error must be
corrected. ``validate`` sets ``Finding.explanation`` on warnings whose key has a
说明; a 说明 stored for a finding that is now an error is ignored (not counted, and
shown as not applying). A 说明 whose finding is gone (the value was corrected, the
row renamed or deleted) is kept, not shown and not counted: the finding may come
back (an undo, the name typed back) and then it is answered again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from desktop.models.project import Project
from desktop.models.rules.base import WARNING, Finding

if TYPE_CHECKING:
    from collections.abc import Sequence

# A 说明 is a sentence or two: 1–200 characters once trimmed.
MAX_EXPLANATION_CHARS = 200
# How many 说明 one project may keep (its tables hold at most 500 rows each).
MAX_EXPLANATIONS = 500
# The longest code and stable field a 说明 may name (a 三级指标 is rarely over 60).
MAX_CODE_CHARS = 16
MAX_KEY_FIELD_CHARS = 500

SEPARATOR = "|"
_ROW_PATH = re.compile(r"(indicators|breakdown|guarantees)\[(\d+)\](.*)", re.DOTALL)
_TABLES = frozenset({"indicators", "breakdown", "guarantees"})
_QUOTED = re.compile(r"“([^”]{1,60})”")
_UNSAVABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def make_key(code: str, field: str) -> str:
    """The key of ``Project.explanations``: ``I04|indicators[工作人员满意度].target``."""
    return f"{code}{SEPARATOR}{field}"


def split_key(key: str) -> tuple[str, str]:
    """(code, stable field) of a key."""
    code, _, field = key.partition(SEPARATOR)
    return code, field


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _row_name(table: str, row: object) -> str:
    if table == "indicators":
        return _norm(getattr(row, "name", ""))
    if table == "breakdown":
        return _norm(getattr(row, "item", None)) or _norm(getattr(row, "content", None))
    return _norm(getattr(row, "kind", None))


def row_names(project: Project, table: str) -> list[str]:
    """The stable name of each row of a table, ``#2``, ``#3`` … added to repeated names."""
    seen: dict[str, int] = {}
    names: list[str] = []
    for row in getattr(project, table):
        name = _row_name(table, row)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


class KeyMaker:
    """Makes the keys of many findings of one project, naming each table's rows once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._names: dict[str, list[str]] = {}

    def field(self, path: str, message: str = "") -> str:
        """The finding's field with its row named, not numbered (see the module's text)."""
        cell = _ROW_PATH.fullmatch(path)
        if cell is not None:
            table, index, rest = cell.group(1), int(cell.group(2)), cell.group(3)
            names = self._names.get(table)
            if names is None:
                names = self._names[table] = row_names(self.project, table)
            name = names[index] if index < len(names) else f"#{index + 1}"
            return f"{table}[{name}]{rest}"
        if path in _TABLES:
            quoted = _QUOTED.search(message)
            if quoted is not None:
                return f"{path}:{_norm(quoted.group(1))}"
        return path

    def __call__(self, finding: Finding) -> str:
        return make_key(finding.code, self.field(finding.field, finding.message))


def finding_key(project: Project, finding: Finding) -> str:
    """The key under which a 说明 of this finding is kept in ``project.explanations``."""
    return KeyMaker(project)(finding)


def attach_explanations(project: Project, findings: Sequence[Finding]) -> list[Finding]:
    """The findings with ``explanation`` set on every warning the project has a 说明 for."""
    if not project.explanations:
        return list(findings)
    key = KeyMaker(project)
    out: list[Finding] = []
    for f in findings:
        if f.severity == WARNING:
            text = project.explanations.get(key(f))
            if text:
                f = replace(f, explanation=text)
        out.append(f)
    return out


def explained_count(findings: Iterable[Finding]) -> int:
    """How many warnings carry a 说明 (they are counted among the warnings as well)."""
    return sum(1 for f in findings if f.severity == WARNING and f.explanation)


def stored_explanations(
    project: Project, findings: Iterable[Finding]
) -> dict[int, tuple[str, str]]:
    """By position in ``findings``: (key, text) of each finding the project has a 说明 for,
    errors included (the window shows an error's 说明 as not applying)."""
    if not project.explanations:
        return {}
    key: Callable[[Finding], str] = KeyMaker(project)
    out: dict[int, tuple[str, str]] = {}
    for n, f in enumerate(findings):
        k = key(f)
        text = project.explanations.get(k)
        if text:
            out[n] = (k, text)
    return out


def unused_explanations(project: Project, findings: Iterable[Finding]) -> list[str]:
    """Keys of the 说明 that answer no current warning (kept, neither shown nor counted)."""
    key = KeyMaker(project)
    active = {key(f) for f in findings if f.severity == WARNING}
    return [k for k in project.explanations if k not in active]


def clean_explanation(text: str) -> str:
    """A 说明 as kept: trimmed. ``ValueError`` with the clerk's message when it cannot be kept."""
    problem = explanation_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text.strip()


def explanation_problem(text: str) -> str | None:
    """Why this 说明 cannot be kept (in Chinese), or None when it can."""
    cleaned = text.strip()
    if not cleaned:
        return "说明不能为空：请写明这条警告为什么可以保留，或点“取消”。"
    if len(cleaned) > MAX_EXPLANATION_CHARS:
        return f"说明最多 {MAX_EXPLANATION_CHARS} 个字，现在有 {len(cleaned)} 个：请精简后再确定。"
    if _UNSAVABLE.search(cleaned):
        return "说明中含有无法保存的控制字符：请删除后再确定。"
    return None
