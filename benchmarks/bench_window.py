"""Section ``window`` of run.py: start to first paint with 200 projects, and typing latency.

Start-up runs in child processes (``_first_paint.py``, see there), alternating
with a bare PySide6 QMainWindow; typing runs in this process, on the offscreen
platform, in a ``ProjectEditor`` showing a project of 60 indicators.
"""

from __future__ import annotations

import statistics
import string
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from common import (
    INDICATOR_COUNT,
    Bench,
    Row,
    base,
    build_big_project,
    build_database,
    delete_now,
    median_at,
    ms,
    p95,
    probe_pairs,
    qt_app,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.editor import ProjectEditor
    from desktop.ui.row_table import RowTableModel

TITLE = "window: start-up and typing"
PROJECT_COUNT = 200
LAUNCH_BUDGET_RATIO = 2.5  # at most 2.5x the bare window's start to first paint
FRAME_BUDGET_MS = 16.0  # one frame at 60 Hz
DURABLE_BUDGET_MS = 200.0  # a committed cell is in the database within 0.2 s (issue 15, item 9)


def run(bench: Bench) -> list[Row]:
    return launch_rows(bench) + typing_rows(bench)


def launch_rows(bench: Bench) -> list[Row]:
    db = bench.folder("window") / f"window-{PROJECT_COUNT}.db"
    build_database(db, bench.refs, PROJECT_COUNT, "窗口")
    bare, app = probe_pairs(bench, [str(db)], bench.reps.launch, "paint")
    if any(c.wrote_settings for c in app):
        bench.notes.append("the window wrote settings before its first paint (temporary folder)")
    n = bench.reps.launch
    b_paint = base("bare QMainWindow: start to first paint", median_at(bare, "painted"), n)
    b_frame = base("bare QMainWindow: first frame done", median_at(bare, "frame"), n)
    return [
        b_paint,
        Row(
            f"python -m desktop --db ({PROJECT_COUNT} projects): first paint",
            median_at(app, "painted"),
            runs=n,
            budget_ratio=LAUNCH_BUDGET_RATIO,
            baseline=b_paint,
            issue=1,
        ),
        b_frame,
        Row(
            f"python -m desktop --db ({PROJECT_COUNT} projects): frame done",
            median_at(app, "frame"),
            runs=n,
            baseline=b_frame,
        ),
    ]


def per_edit(name: str, times: list[float], baseline: Row | None, budget: float | None) -> Row:
    values = [ms(t) for t in times]
    return Row(
        name,
        statistics.median(values),
        runs=len(values),
        p95=p95(values),
        budget=budget,
        baseline=baseline,
        is_baseline=baseline is None,
    )


def typing_rows(bench: Bench) -> list[Row]:
    """Per edit: the edit, the rules it triggers and ``processEvents()`` (repaints)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from desktop.store import open_repository
    from desktop.ui.editor import ProjectEditor

    app = qt_app()
    letters = string.ascii_lowercase
    reps = bench.reps

    def timed(action: Callable[[], object]) -> float:
        start = time.perf_counter()
        action()
        app.processEvents()
        return time.perf_counter() - start

    # Baseline: one key press in a bare QLineEdit of an empty window.
    bare = QWidget()
    bare.resize(1200, 800)
    line = QLineEdit(bare)
    QVBoxLayout(bare).addWidget(line)
    bare.show()
    QTest.qWaitForWindowExposed(bare)
    timed(lambda: QTest.keyClick(line, "x"))  # warm-up
    base_times = [
        timed(lambda c=letters[i % 26]: QTest.keyClick(line, c)) for i in range(reps.keys)
    ]
    bare.close()
    delete_now(bare)

    project = build_big_project()
    repo = open_repository(bench.folder("editor") / "editor.db")
    try:
        repo.save(project)
        editor = ProjectEditor(repo, project, repo.context())
        saves: list[str] = []
        editor.saved.connect(saves.append)
        editor.resize(1200, 800)
        editor.show()
        QTest.qWaitForWindowExposed(editor)
        app.processEvents()

        # (a) 项目名称, one ASCII letter at a time
        name = editor.widget_for("name")
        assert isinstance(name, QLineEdit)
        editor.tabs.setCurrentIndex(0)
        name.setFocus()
        name.end(False)
        app.processEvents()
        timed(lambda: QTest.keyClick(name, "x"))  # warm-up
        key_times = [
            timed(lambda c=letters[i % 26]: QTest.keyClick(name, c)) for i in range(reps.keys)
        ]
        assert project.name.endswith(letters[(reps.keys - 1) % 26]), "typing did not reach 项目名称"

        # (b) 指标值 cells through the table model, row after row
        section = editor.row_editors["indicators"]
        model = section.model
        editor.tabs.setCurrentWidget(section)
        app.processEvents()
        target = [c.attr for c in model.columns].index("target")
        rows = model.rowCount()
        assert rows == INDICATOR_COUNT
        steps_before = editor.undo_stack.count()
        cell_times = [
            timed(lambda i=i: model.setData(model.index(i % rows, target), f"={i + 1}部"))
            for i in range(reps.cells)
        ]
        steps = editor.undo_stack.count() - steps_before
        assert steps == reps.cells, f"{steps} undo steps for {reps.cells} cell edits"

        # (c) undo those cell edits, one step at a time
        undo_times = [timed(editor.undo_stack.undo) for _ in range(reps.cells)]
        if saves:
            bench.notes.append(
                f"autosave ran {len(saves)} time(s) during the timed edits (included in them)"
            )
        editor.flush()

        # (d) a committed cell until the editor's ``saved`` (the save's transaction committed);
        # baseline: the repository's save of the same project, called directly
        save_times = [timed(lambda: repo.save(project)) for _ in range(reps.durable)]
        durable_times = [
            committed_to_saved(app, editor, model, target, i, saves) for i in range(reps.durable)
        ]
        editor.close()
        delete_now(editor)
    finally:
        repo.engine.dispose()

    b_key = per_edit("keyClick in a bare QLineEdit", base_times, None, None)
    b_save = per_edit(f"Repository.save ({INDICATOR_COUNT} ind.), direct", save_times, None, None)
    return [
        b_key,
        per_edit("type into 项目名称 (keyClick)", key_times, b_key, FRAME_BUDGET_MS),
        per_edit(
            f"set a 指标值 cell ({INDICATOR_COUNT} ind., setData)",
            cell_times,
            b_key,
            FRAME_BUDGET_MS,
        ),
        per_edit("undo a cell edit (undo_stack.undo)", undo_times, b_key, FRAME_BUDGET_MS),
        b_save,
        per_edit(
            "committed 指标值 cell → durable in the database (saved)",
            durable_times,
            b_save,
            DURABLE_BUDGET_MS,
        ),
    ]


def committed_to_saved(
    app: QApplication, editor: ProjectEditor, model: RowTableModel, column: int, i: int, saves: list
) -> float:
    """From a cell committed (``setData``) to the editor's ``saved``: nothing else pending before."""
    from PySide6.QtCore import QEventLoop, QTimer

    editor.flush()
    app.processEvents()
    count = len(saves)
    loop = QEventLoop()
    editor.saved.connect(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    start = time.perf_counter()
    model.setData(model.index(i % model.rowCount(), column), f"={i + 1}台")
    if len(saves) == count:
        guard.start(5000)
        loop.exec()
    elapsed = time.perf_counter() - start
    editor.saved.disconnect(loop.quit)
    if len(saves) == count:
        raise RuntimeError("the committed cell was not saved within 5 s")
    return elapsed
