"""Keystrokes to fill a real declaration: from a blank project, and from a template.

    python benchmarks/keystrokes.py

The declaration is the 运维 project of ``../shared/cases/seed003-open-2021.json``
(区机关单位办公用房与公务用车信息管理系统(2021运维), the 上海 2021 单页式). Both
starting points are what the program makes: 新建项目 with 空白项目 (``new_project``:
the period is the whole year, the standard 制度 rows) and with the 信息系统运维
template (``new_from_template``). The same rule counts both.

Counting rule
-------------
* The 新建项目 dialog: the name's characters + Enter; picking a template +2
  (open the list, pick one).
* A field or table cell whose value must change costs one navigation key
  (Tab/Enter/click) plus:
  - free text and amounts: every character typed (a Chinese character counts as
    one keystroke, as if the input method committed it in one key). Where the
    cell already holds text, the cheaper of: select all (1) and type the new
    value (or Delete, 1), or edit in place: for every stretch that differs
    (``difflib`` opcodes, the text kept where it matches) place the cursor (1),
    Backspace the old characters and type the new ones;
  - a choice from a list (项目类别, 一级/二级 indicator levels): 2 (open, pick);
  - a date: its 8 digits.
  A field that already holds the right value costs nothing.
* Table rows are aligned in order (an edit distance over rows): adding a row
  costs 1 (Tab past the last cell) plus its cells as above, deleting a row 2
  (select it, 删除行), a kept row the changes of its cells.
* Compared: the fields of the 项目总体情况 and 项目资金 sections, the 绩效指标 and
  项目构成分解 tables. 制度保障 is left out: the case records none (its source
  page has no 制度保障 table), and both starting points pre-fill the standard rows.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO))

from desktop.export.package import read_package_file  # noqa: E402 - after the sys.path line above
from desktop.models.amounts import amount_to_text  # noqa: E402 - after the sys.path line above
from desktop.models.project import (  # noqa: E402 - after the sys.path line above
    BREAKDOWN_FIELDS,
    FUNDING_KEYS,
    INDICATOR_FIELDS,
    PROJECT_TEXT_FIELDS,
    Project,
    new_project,
)
from desktop.models.templates import (  # noqa: E402 - after the sys.path line above
    TEMPLATES,
    carry_unit_details,
    new_from_template,
)

CASE_FILE = REPO.parent / "shared" / "cases" / "seed003-open-2021.json"
CASE_NAME = "区机关单位办公用房与公务用车信息管理系统(2021运维)"
TEMPLATE_KEY = "it-maintenance"

NAV = 1  # Tab, Enter or a click to reach the field or cell
PICK = 2  # open a list, pick an entry
ADD_ROW = 1  # Tab past the last cell starts a new row
DELETE_ROW = 2  # select the row, 删除行
DATE_DIGITS = 8
# Fields chosen from a list rather than typed.
_PICKED = frozenset({"category", "level1", "level2"})
_FIELDS = tuple(k for k in PROJECT_TEXT_FIELDS if k not in ("name", "template"))


@dataclass
class Count:
    """Keystrokes, by section."""

    sections: dict[str, int] = field(default_factory=dict)

    def add(self, section: str, n: int) -> None:
        self.sections[section] = self.sections.get(section, 0) + n

    @property
    def total(self) -> int:
        return sum(self.sections.values())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_to_text(value) or ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def change_cost(old: Any, new: Any, kind: str = "text") -> int:
    """Keystrokes to turn one field's value into another (0 when they are equal)."""
    a, b = _text(old), _text(new)
    if a == b:
        return 0
    if kind == "pick":
        return NAV + PICK
    if kind == "date":
        return NAV + DATE_DIGITS
    if not a:
        return NAV + len(b)
    replace = 1 + (len(b) if b else 1)
    # Edit in place: for each stretch that differs (difflib's opcodes), place the cursor,
    # Backspace the old characters, type the new ones.
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    splice = sum(1 + (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
    return NAV + min(replace, splice)


def _row_cost(old: Any, new: Any, attrs: tuple[str, ...]) -> int:
    return sum(
        change_cost(
            getattr(old, a) if old is not None else None,
            getattr(new, a) if new is not None else None,
            "pick" if a in _PICKED else "text",
        )
        for a in attrs
    )


def rows_cost(old_rows: list[Any], new_rows: list[Any], attrs: tuple[str, ...]) -> int:
    """The cheapest in-order edit of one table into another (add, delete, change rows)."""
    n, m = len(old_rows), len(new_rows)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = cost[i - 1][0] + DELETE_ROW
    for j in range(1, m + 1):
        cost[0][j] = cost[0][j - 1] + ADD_ROW + _row_cost(None, new_rows[j - 1], attrs)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j] + DELETE_ROW,
                cost[i][j - 1] + ADD_ROW + _row_cost(None, new_rows[j - 1], attrs),
                cost[i - 1][j - 1] + _row_cost(old_rows[i - 1], new_rows[j - 1], attrs),
            )
    return cost[n][m]


def fill_cost(start: Project, goal: Project, template_picked: bool = False) -> Count:
    """Keystrokes from a new project as the program makes it to the finished declaration."""
    count = Count()
    count.add("新建项目对话框", len(goal.name) + NAV + (PICK if template_picked else 0))
    for key in _FIELDS:
        kind = "pick" if key in _PICKED else "text"
        count.add("项目总体情况", change_cost(getattr(start, key), getattr(goal, key), kind))
    for key in ("start_date", "end_date"):
        count.add("项目总体情况", change_cost(getattr(start, key), getattr(goal, key), "date"))
    for key in FUNDING_KEYS:
        count.add("项目资金", change_cost(getattr(start.funding, key), getattr(goal.funding, key)))
    count.add("绩效指标", rows_cost(start.indicators, goal.indicators, INDICATOR_FIELDS))
    count.add("项目构成分解", rows_cost(start.breakdown, goal.breakdown, BREAKDOWN_FIELDS))
    return count


def the_case() -> Project:
    return next(p for p in read_package_file(CASE_FILE).projects if p.name == CASE_NAME)


def measure() -> tuple[Count, Count]:
    """(from scratch, from the 信息系统运维 template) for the 运维 declaration."""
    goal = the_case()
    assert goal.year is not None
    scratch = fill_cost(new_project(goal.year, goal.name, goal.family), goal)
    template = fill_cost(
        new_from_template(TEMPLATE_KEY, goal.year, goal.name, goal.family), goal, True
    )
    return scratch, template


def measure_with_unit_details() -> Count:
    """From the template in a database that already holds another project of the unit:
    新建项目 takes 主管部门/实施单位 from it (``carry_unit_details``)."""
    goal = the_case()
    assert goal.year is not None
    other = next(
        p
        for p in read_package_file(CASE_FILE).projects
        if p.name != CASE_NAME and p.unit == goal.unit and p.department == goal.department
    )
    start = new_from_template(TEMPLATE_KEY, goal.year, goal.name, goal.family)
    carry_unit_details(start, other)
    return fill_cost(start, goal, True)


def main() -> None:
    scratch, template = measure()
    carried = measure_with_unit_details()
    print(f"“{CASE_NAME}”（{CASE_FILE.name}）")
    print(f"  from scratch (空白项目):                {scratch.total:5d} keystrokes")
    print(
        f"  from the {TEMPLATES[TEMPLATE_KEY].name} template:          {template.total:5d} keystrokes"
        f"  ({template.total / scratch.total:.0%} of scratch)"
    )
    print(
        f"  from the template, 实施单位 etc. taken from the unit's other project: {carried.total:5d}"
        f"  ({carried.total / scratch.total:.0%} of scratch)"
    )
    print("  by section (scratch / template):")
    for section in scratch.sections:
        print(f"    {section}: {scratch.sections[section]} / {template.sections.get(section, 0)}")


if __name__ == "__main__":
    main()
