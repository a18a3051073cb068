"""Timings of the window against their budgets, headless (Qt's offscreen platform).

Run from anywhere::

    python benchmarks/bench_window.py            # full run
    python benchmarks/bench_window.py --quick    # fewer repetitions
    python benchmarks/bench_window.py --strict   # exit 1 if a budget is exceeded

Two measurements, each against a baseline measured in the same run:

* Launch to first paint with 200 projects in the database: a child process
  (``_first_paint.py --app DB``, which runs ``desktop.cli.main(["--db", DB])``
  exactly as ``python -m desktop --db DB``) is timed from just before
  ``Popen`` until it writes ``painted`` (the first ``QEvent.Paint`` of its
  QMainWindow). Baseline: the same probe with a bare PySide6 QMainWindow
  (``--bare``), alternating with the program run by run. Budget: the
  program's median at most 3x the bare window's.
* Typing in a project of 60 indicators (车辆购置费 grown as in
  ``bench_core.py``), in-process: per edit, the edit itself, the rules that
  run after it and ``QApplication.processEvents()`` (repaints included):
  key presses in 项目名称, 指标值 cells set through the table model, undo.
  Baseline: one key press in a bare QLineEdit. Budget: median under one
  frame (16 ms); the 95th percentile is shown too.

Qt runs on the ``offscreen`` platform unless ``QT_QPA_PLATFORM`` is already
set. Child processes get their own ``XDG_CONFIG_HOME`` (a temporary folder),
so the user's QSettings are never read or written. All files go in a
temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import (  # noqa: E402 - found through the line above
    CASES,
    INDICATOR_COUNT,
    ROOT,
    SEED_CASE_NAME,
    _subprocess_env,
    _use_repository_code,
    build_big_project,
    load_reference_projects,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.models.project import Project

PROBE = Path(__file__).resolve().parent / "_first_paint.py"
PROJECT_COUNT = 200
LAUNCH_BUDGET_RATIO = 3.0
FRAME_BUDGET_MS = 16.0
CHILD_TIMEOUT_S = 60.0


# ---------------------------------------------------------------- measuring


@dataclass
class Row:
    name: str
    median_ms: float
    runs: int
    p95_ms: float | None = None
    budget_ms: float | None = None  # absolute budget on the median
    budget_ratio: float | None = None  # budget on the median as a multiple of the baseline
    baseline: str | None = None

    def limit_ms(self, medians: dict[str, float]) -> float | None:
        if self.budget_ms is not None:
            return self.budget_ms
        if self.budget_ratio is not None and self.baseline is not None:
            return self.budget_ratio * medians[self.baseline]
        return None


@dataclass(frozen=True)
class Reps:
    launch: int  # child processes of each kind (after one warm-up of each)
    keys: int  # key presses into 项目名称 (and into the bare QLineEdit)
    cells: int  # 指标值 cells set (then undone one by one)

    @classmethod
    def choose(cls, quick: bool) -> Reps:
        if quick:
            return cls(launch=3, keys=40, cells=30)
        return cls(launch=10, keys=200, cells=120)


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def p95(values: list[float]) -> float:
    """95th percentile (inclusive method: never outside the measured values)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def per_edit(name: str, times: list[float], baseline: str | None, budget: float | None) -> Row:
    ms = [_ms(t) for t in times]
    return Row(name, statistics.median(ms), len(ms), p95(ms), budget, None, baseline)


def _platform_env(env: MutableMapping[str, str]) -> MutableMapping[str, str]:
    if not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


# ---------------------------------------------------------------- launch


def build_database(refs: list[Project], path: Path) -> None:
    """200 distinct projects without ``id``: the reference cases in turn, each copy renamed."""
    from desktop.store import open_repository

    clones: list[Project] = []
    for i in range(PROJECT_COUNT):
        p = copy.deepcopy(refs[i % len(refs)])
        p.id = None
        p.name = f"{p.name}（窗口 {i + 1:03d}）"
        clones.append(p)
    repo = open_repository(path)
    try:
        repo.save_many(clones)
        assert repo.count() == PROJECT_COUNT
    finally:
        repo.engine.dispose()


@dataclass
class Launch:
    painted: float  # seconds from just before Popen to the line "painted"
    frame: float  # ... to the line "frame" (that first paint finished)


def launch_once(args: list[str], env: dict[str, str], log: Path) -> Launch:
    """Start the probe; time its ``painted`` and ``frame`` lines; kill it if it hangs."""
    cmd = [sys.executable, str(PROBE), *args]
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err)
        watchdog = threading.Timer(CHILD_TIMEOUT_S, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            painted = frame = None
            for raw in proc.stdout:
                line = raw.strip()
                if line == b"painted":
                    painted = time.perf_counter() - start
                elif line == b"frame":
                    frame = time.perf_counter() - start
                    break
            proc.stdout.close()
            code = proc.wait()
        finally:
            watchdog.cancel()
    if painted is None or frame is None or code != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace"))
        raise SystemExit(f"{' '.join(cmd[1:])}: no first paint (exit code {code})")
    return Launch(painted, frame)


def bench_launch(refs: list[Project], reps: Reps, work: Path) -> list[Row]:
    db = work / f"window-{PROJECT_COUNT}.db"
    build_database(refs, db)
    config = work / "config"  # an empty QSettings scope for the children
    config.mkdir()
    env = _subprocess_env()
    _platform_env(env)
    env["XDG_CONFIG_HOME"] = str(config)
    log = work / "child-stderr.txt"

    bare: list[Launch] = []
    app: list[Launch] = []
    for i in range(reps.launch + 1):  # alternating; the first pair is the warm-up
        b = launch_once(["--bare"], env, log)
        a = launch_once(["--app", str(db)], env, log)
        if i:
            bare.append(b)
            app.append(a)
    if any(config.iterdir()):
        print(f"note: the window wrote settings in {config} (temporary, removed at the end)")

    def median(xs: list[Launch], attr: str) -> float:
        return _ms(statistics.median(getattr(x, attr) for x in xs))

    n = reps.launch
    base_paint = "baseline: bare QMainWindow, launch to first paint"
    base_frame = "baseline: bare QMainWindow, first frame done"
    return [
        Row(base_paint, median(bare, "painted"), n),
        Row(
            f"python -m desktop --db ({PROJECT_COUNT} projects), first paint",
            median(app, "painted"),
            n,
            budget_ratio=LAUNCH_BUDGET_RATIO,
            baseline=base_paint,
        ),
        Row(base_frame, median(bare, "frame"), n),
        Row(
            f"python -m desktop --db ({PROJECT_COUNT} projects), frame done",
            median(app, "frame"),
            n,
            baseline=base_frame,
        ),
    ]


# ---------------------------------------------------------------- typing


def timed(action: Callable[[], object], app: QApplication) -> float:
    """Seconds for ``action()`` plus the processing of the events it caused."""
    start = time.perf_counter()
    action()
    app.processEvents()
    elapsed = time.perf_counter() - start
    return elapsed


def _quiet_offscreen_warning() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()"; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


def bench_typing(reps: Reps, work: Path) -> list[Row]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from desktop.store import open_repository
    from desktop.ui.app import make_app
    from desktop.ui.editor import ProjectEditor

    _quiet_offscreen_warning()
    app = make_app([sys.argv[0]])
    letters = string.ascii_lowercase

    # Baseline: one key press in a bare QLineEdit of an empty window.
    bare = QWidget()
    bare.resize(1200, 800)
    line = QLineEdit(bare)
    QVBoxLayout(bare).addWidget(line)
    bare.show()
    QTest.qWaitForWindowExposed(bare)
    app.processEvents()
    timed(lambda: QTest.keyClick(line, "x"), app)  # warm-up
    base_times = [
        timed(lambda c=letters[i % 26]: QTest.keyClick(line, c), app) for i in range(reps.keys)
    ]
    bare.close()
    bare.deleteLater()
    app.processEvents()

    project = build_big_project()
    repo = open_repository(work / "editor.db")
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
        timed(lambda: QTest.keyClick(name, "x"), app)  # warm-up
        key_times = [
            timed(lambda c=letters[i % 26]: QTest.keyClick(name, c), app) for i in range(reps.keys)
        ]
        assert project.name.endswith(letters[(reps.keys - 1) % 26]), "typing did not reach 项目名称"

        # (b) 指标值 cells through the table model, row after row
        section = editor.row_editors["indicators"]
        model = section.model
        editor.tabs.setCurrentWidget(section)
        app.processEvents()
        target_col = [c.attr for c in model.columns].index("target")
        rows = model.rowCount()
        assert rows == INDICATOR_COUNT
        steps_before = editor.undo_stack.count()
        cell_times = [
            timed(
                lambda i=i: model.setData(model.index(i % rows, target_col), f"={i + 1}部"),
                app,
            )
            for i in range(reps.cells)
        ]
        steps = editor.undo_stack.count() - steps_before
        assert steps == reps.cells, f"{steps} undo steps for {reps.cells} cell edits"

        # (c) undo those cell edits, one step at a time
        undo_times = [timed(editor.undo_stack.undo, app) for _ in range(reps.cells)]
        if saves:
            print(f"note: autosave ran {len(saves)} time(s) during the timed edits")
        editor.flush()
        editor.close()
        editor.deleteLater()
        app.processEvents()
    finally:
        repo.engine.dispose()

    base = "baseline: keyClick in a bare QLineEdit"
    return [
        per_edit(base, base_times, None, None),
        per_edit("type into 项目名称 (keyClick)", key_times, base, FRAME_BUDGET_MS),
        per_edit(
            f"set 指标值 cell ({INDICATOR_COUNT} ind., setData)",
            cell_times,
            base,
            FRAME_BUDGET_MS,
        ),
        per_edit("undo a cell edit (undo_stack.undo)", undo_times, base, FRAME_BUDGET_MS),
    ]


# ---------------------------------------------------------------- report


def _width(text: str) -> int:
    """Columns taken in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def print_table(rows: list[Row]) -> list[str]:
    """Print the table; return the names of the rows over budget."""
    medians = {r.name: r.median_ms for r in rows}
    baselines = [r.name for r in rows if r.baseline is None]
    keys = {name: f"B{i + 1}" for i, name in enumerate(baselines)}
    names = [f"[{keys[r.name]}] {r.name}" if r.name in keys else r.name for r in rows]
    width = max(_width(n) for n in names) + 1
    header = (
        f"{_pad('operation', width)} {'median ms':>10} {'p95 ms':>8} {'runs':>5} "
        f"{'budget':>11} {'ratio':>10} {'status':>6}"
    )
    print(header)
    print("-" * len(header))
    over: list[str] = []
    for r, name in zip(rows, names, strict=True):
        limit = r.limit_ms(medians)
        if r.budget_ms is not None:
            budget = f"{r.budget_ms:g} ms"
        elif r.budget_ratio is not None and r.baseline is not None:
            budget = f"{r.budget_ratio:g}x {keys[r.baseline]}"
        else:
            budget = "-"
        if limit is None:
            status = "-"
        elif r.median_ms > limit:
            status = "OVER"
            over.append(r.name)
        else:
            status = "OK"
        if r.baseline is not None:
            base = medians[r.baseline]
            ratio = f"{r.median_ms / base:,.1f}x {keys[r.baseline]}" if base > 0 else "-"
        else:
            ratio = "(base)"
        p = f"{r.p95_ms:.2f}" if r.p95_ms is not None else "-"
        print(
            f"{_pad(name, width)} {r.median_ms:>10.2f} {p:>8} {r.runs:>5} "
            f"{budget:>11} {ratio:>10} {status:>6}"
        )
    return over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the window against its budgets.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any budget is exceeded")
    args = parser.parse_args(argv)
    reps = Reps.choose(args.quick)

    _platform_env(os.environ)
    _use_repository_code()
    if not CASES.is_dir():
        print(f"shared cases folder not found: {CASES}", file=sys.stderr)
        return 2
    try:
        import PySide6
    except ImportError as exc:
        print(f"PySide6 is not available: {exc}", file=sys.stderr)
        return 2

    print(
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__} on {platform.platform()}"
    )
    print(f"repository: {ROOT}")
    print(
        f"cases: {CASES}  (Qt platform {os.environ['QT_QPA_PLATFORM']}, "
        f"{'quick' if args.quick else 'full'} run)"
    )
    print()

    refs = load_reference_projects()
    rows: list[Row] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-window-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        rows += bench_launch(refs, reps, work)
        rows += bench_typing(reps, work)

    over = print_table(rows)
    print()
    print(
        f"(edits: project {SEED_CASE_NAME}, {INDICATOR_COUNT} indicators; "
        f"total time {time.perf_counter() - start:.1f} s)"
    )
    if over:
        print("over budget: " + "; ".join(over))
    else:
        print("all budgets met")
    return 1 if (args.strict and over) else 0


if __name__ == "__main__":
    sys.exit(main())
