"""Section ``scale`` of run.py: a database of 10,000 projects.

* Listing them in-process as the window does at start: ``read_summaries`` (the
  stdlib-sqlite3 path of ``desktop.ui.app.run``) and building the MainWindow
  with that list, which fills its list model and filter proxy (``refresh_list``).
  Also the path through the store (SQLAlchemy) that later refreshes take.
* The real program on that database in child processes (``_first_paint.py
  --app DB --open``, alternating with a bare QMainWindow): first paint, the
  first project open in the editor, and peak memory (VmHWM).
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from common import (
    Bench,
    Row,
    base,
    build_database,
    delete_now,
    median_at,
    median_ms,
    median_peak,
    ms,
    probe_pairs,
    qt_app,
)

if TYPE_CHECKING:
    from desktop.store import ProjectSummary

TITLE = "scale: 10,000 projects"
COUNT = 10_000
LIST_BUDGET_MS = 300.0
MEMORY_BUDGET_MB = 250.0


def run(bench: Bench) -> list[Row]:
    folder = bench.folder("scale")
    db = folder / "scale-10000.db"
    start = time.perf_counter()
    build_database(db, bench.refs, COUNT, "万")
    bench.notes.append(
        f"the {COUNT:,}-project database ({db.stat().st_size / 1e6:.0f} MB) was built in "
        f"{time.perf_counter() - start:.1f} s (not timed)"
    )
    return list_rows(bench, db, folder) + program_rows(bench, db)


def list_rows(bench: Bench, db: Path, folder: Path) -> list[Row]:
    from PySide6.QtCore import QSettings

    from desktop.store import open_repository, read_summaries
    from desktop.store.catalog import LIVE_SQL
    from desktop.ui.main_window import MainWindow

    n = bench.reps.listing
    qt_app()
    uri = f"{db.resolve().as_uri()}?mode=ro"

    def plain_select() -> list[tuple[object, ...]]:
        conn = sqlite3.connect(uri, uri=True)
        try:
            return conn.execute(LIVE_SQL, {"year": None}).fetchall()
        finally:
            conn.close()

    assert len(plain_select()) == COUNT
    b_sql = base(
        f"sqlite3: the list's SELECT into tuples ({COUNT:,})", median_ms(plain_select, n), n
    )

    # An explicit settings file: the window must not read the user's.
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    repo = open_repository(db)
    try:

        def window(listed: list[ProjectSummary]) -> MainWindow:
            # open_repo is never called: the window is deleted before its deferred start.
            return MainWindow(None, settings, open_repo=lambda: repo, listed=listed)

        def empty_window() -> None:
            delete_now(window([]))

        read: list[float] = []
        filled: list[float] = []
        for i in range(n + 1):  # the first one is the warm-up
            t0 = time.perf_counter()
            listed = read_summaries(db)
            t1 = time.perf_counter()
            assert listed is not None, "read_summaries declined the database"
            w = window(listed)
            t2 = time.perf_counter()
            assert w.table.model().rowCount() == COUNT, "the window does not list every project"
            delete_now(w)
            if i:
                read.append(ms(t1 - t0))
                filled.append(ms(t2 - t1))
        empty = median_ms(empty_window, n)

        store = median_ms(repo.summaries, n)
        # 指标库: the unit's history is read on the first keystroke in a 三级 cell.
        from desktop.models.library import Library
        from desktop.store.history import read_history

        history = median_ms(lambda: Library(read_history(repo.engine)), n)
        w = window([])
        w.repo  # noqa: B018 - the store is open, so refresh_list reads through it
        refresh = median_ms(w.refresh_list, n)
        assert w.table.model().rowCount() == COUNT
        delete_now(w)
    finally:
        repo.engine.dispose()
    total = statistics.median(r + f for r, f in zip(read, filled, strict=True))
    k = f"{COUNT:,}"
    return [
        b_sql,
        Row(f"  read_summaries ({k}, sqlite3)", statistics.median(read), runs=n, baseline=b_sql),
        Row(
            f"  MainWindow(listed={k}): list model + proxy filled",
            statistics.median(filled),
            runs=n,
            baseline=b_sql,
        ),
        Row("  MainWindow(listed=[]), for comparison", empty, runs=n, baseline=b_sql),
        Row(
            f"list {k} projects at start: read_summaries + MainWindow",
            total,
            runs=n,
            budget=LIST_BUDGET_MS,
            baseline=b_sql,
            issue=6,
        ),
        Row(f"  Repository.summaries() ({k}, SQLAlchemy)", store, runs=n, baseline=b_sql),
        Row(f"refresh_list() through the store ({k})", refresh, runs=n, baseline=b_sql),
        Row(
            f"指标库 with the history of {k} projects (first use)", history, runs=n, baseline=b_sql
        ),
    ]


def program_rows(bench: Bench, db: Path) -> list[Row]:
    n = bench.reps.big_launch
    bare, app = probe_pairs(bench, [str(db), "--open"], n, "scale")
    k = f"{COUNT:,}"
    b_paint = base("bare QMainWindow: start to first paint", median_at(bare, "painted"), n)
    rows = [
        b_paint,
        Row(
            f"python -m desktop --db ({k} projects): first paint",
            median_at(app, "painted"),
            runs=n,
            baseline=b_paint,
        ),
        Row(
            f"  ... first project open in the editor ({k})",
            median_at(app, "opened"),
            runs=n,
            baseline=b_paint,
        ),
    ]
    bare_mb, app_mb = median_peak(bare), median_peak(app)
    if bare_mb is None or app_mb is None:
        bench.notes.append("peak memory of the children: n/a on this platform")
        return rows
    b_mem = base("bare QMainWindow: peak memory (VmHWM)", bare_mb, n, unit="MB")
    return rows + [
        b_mem,
        Row(
            f"peak memory with {k} projects, one open (VmHWM)",
            app_mb,
            unit="MB",
            runs=n,
            budget=MEMORY_BUDGET_MB,
            baseline=b_mem,
            issue=7,
        ),
    ]
