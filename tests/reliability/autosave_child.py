"""Child program: the real ProjectEditor autosaving one large project back to back, until killed.

Usage: ``python autosave_child.py DB``, then ``go N`` on stdin. Prints ``loaded M``
(the counter found in the database), then for every edit N = M+1, M+2, …:
``saving N`` just before the repository's save starts and ``saved N`` when the
editor reports the save done (its ``saved`` signal).

Each edit goes the way a clerk's typing goes: the 项目概况 box's text is set
(its ``textChanged`` makes the editor push an undo step and ``touch()``), and
the 绩效指标 table model removes the previous edit's marker rows and inserts
new ones (undo steps that ``touch()`` too). Both carry N, and the number of
marker rows varies with N, so a save that were torn between the project row
and its indicator rows would show. The next edit starts only after the save,
so the debounced autosave (its interval cut to 5 ms) fires once per edit.

The test imports this module for the marker helpers; Qt is imported only in ``main``.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import kill_harness

EDITED_ID = "reliability-edited-project"
TEXT_FIELD = "overview"  # 项目概况, a long-text box on the minhang-2020 form
AUTOSAVE_INTERVAL_MS = 5
_MARK = "保存序号"
_COUNTER = re.compile(rf"^{_MARK} (\d+) ")
_ROW = re.compile(rf"^{_MARK} (\d+) 第 (\d+) 行$")


def text_for(n: int, filler: str) -> str:
    return f"{_MARK} {n} {filler}"


def counter_of(text: str | None) -> int:
    """The N a 项目概况 text carries; 0 before the first edit."""
    m = _COUNTER.match(text or "")
    return int(m.group(1)) if m else 0


def filler_of(text: str | None) -> str:
    """The text after the counter (the original 项目概况)."""
    m = _COUNTER.match(text or "")
    return (text or "")[m.end() :] if m else (text or "")


def marker_count(n: int) -> int:
    """1, 2 or 3 marker rows: the row count itself changes from save to save."""
    return 1 + n % 3


def marker_position(n: int, other_rows: int) -> int:
    """Where edit N puts its marker rows, so rows move around the table between saves."""
    return n % (other_rows + 1)


def marker_row_name(n: int, k: int) -> str:
    return f"{_MARK} {n} 第 {k} 行"


def marker_of_row(name: str | None) -> tuple[int, int] | None:
    """(N, k) of a marker row's 指标名称, None for an ordinary row."""
    m = _ROW.match(name or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def main() -> None:
    db = sys.argv[1]
    kill_harness.start_child()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from desktop.models.project import Indicator
    from desktop.store import open_repository
    from desktop.ui.editor import ProjectEditor

    app = QApplication([])
    kill_harness.wait_go()

    repo = open_repository(db)
    project = repo.load(EDITED_ID)
    n = counter_of(project.overview)
    kill_harness.say("loaded", n)

    real_save = repo.save

    def reporting_save(p: Any) -> Any:
        kill_harness.say("saving", n)
        return real_save(p)

    # The editor calls repo.save from flush(); announce each save just before it starts.
    repo.save = reporting_save  # type: ignore[method-assign]

    editor = ProjectEditor(repo, project)
    editor._timer.setInterval(AUTOSAVE_INTERVAL_MS)
    box = editor.widget_for(TEXT_FIELD)
    assert isinstance(box, QPlainTextEdit), box
    model = editor.row_editors["indicators"].model

    def edit() -> None:
        nonlocal n
        n += 1
        box.setPlainText(text_for(n, filler_of(box.toPlainText())))
        marks = [i for i, row in enumerate(model.rows) if marker_of_row(row.name)]
        if marks:
            model.remove_rows(marks[0], len(marks))
        rows = [
            # no 一级/二级: rows with levels would move into their group (PlaceRows),
            # and the markers must stay where they are put
            Indicator(name=marker_row_name(n, k), target=str(n))
            for k in range(1, marker_count(n) + 1)
        ]
        model.insert_rows(marker_position(n, model.rowCount()), rows)
        if not editor.has_unsaved:
            raise AssertionError("the edit did not reach the editor's autosave")

    def on_saved(_project_id: str) -> None:
        kill_harness.say("saved", n)
        QTimer.singleShot(0, edit)

    editor.saved.connect(on_saved)
    QTimer.singleShot(0, edit)
    app.exec()


if __name__ == "__main__":
    main()
