"""SIGKILL during ``python -m desktop restore``: the database holds one whole backup, never a mix.

A restore first backs the current database up, then copies the backup's pages
in through SQLite's backup API in one write transaction. After any kill the
database must hold all 10 projects of the last completed restore (or of the
one being written, had it committed), and every file in ``backups/`` under a
backup's name must be a whole, checked database.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import kill_harness as kh
import restore_child as rc

from desktop.store import open_repository
from desktop.store.backup import backup_folder, list_backups
from desktop.store.health import check_database

CYCLES = 12


def unmarked(project: Any) -> dict[str, Any]:
    fields = dataclasses.asdict(project)
    fields.pop(rc.MARK_FIELD)
    return fields


def test_sigkill_during_restore_keeps_one_whole_database(tmp_path: Path) -> None:
    seed = kh.suite_seed()
    rng = random.Random(seed)
    db = tmp_path / "restore.db"
    template = tmp_path / "template.db"
    work = tmp_path / "sources"
    work.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    repo = open_repository(template)
    repo.save_many(kh.case_projects())
    originals = {s.id: unmarked(repo.load(s.id)) for s in repo.summaries()}
    repo.engine.dispose()
    with sqlite3.connect(template) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    # The same projects, ids included, stamped as operation 0 so that a kill before the
    # first restore commits finds the state it must.
    shutil.copyfile(rc.marked_backup(template, work, 0), db)

    timing = kh.Timing()
    stored = 0
    figures: dict[str, Any] = {
        "seed": seed,
        "cycles": 0,
        "kills_mid_restore": 0,
        "kills_between_restores": 0,
        "restores_completed": 0,
        "projects_lost": 0,
        "backups_checked": 0,
        "leftover_temp_files": 0,
    }
    started = time.monotonic()
    argv = [str(Path(rc.__file__)), str(db), str(template), str(work)]
    with kh.ChildPool(argv, logs, total=CYCLES) as pool:
        for cycle in range(1, CYCLES + 1):
            child = pool.take()
            kill = kh.kill_cycle(
                child,
                stored,
                rng,
                "saving",
                "saved",
                timing,
                f"restore cycle {cycle} (seed {seed})",
            )
            problems = kh.sqlite_problems(db)
            lost = 0
            if not problems:
                marker, found, lost = kh.marked_problems(
                    db, originals, rc.MARK_FIELD, rc.marker_of, kh.allowed_markers(kill, stored)
                )
                problems += found
                if not found and marker is not None:
                    stored = marker
            for backup in list_backups(db):
                figures["backups_checked"] += 1
                if check_database(backup.path).kind != "ok":
                    problems.append(f"backup {backup.path.name} is not a whole database")
            figures["leftover_temp_files"] = len(list(backup_folder(db).glob(".*.tmp")))
            figures["cycles"] = cycle
            figures["projects_lost"] += lost
            figures["restores_completed"] += len(kill.words("saved"))
            if kill.mid_operation:
                figures["kills_mid_restore"] += 1
            else:
                figures["kills_between_restores"] += 1
            assert not problems, kh.failure(seed, cycle, problems, kill, child)
    figures["last_restore"] = stored
    figures["median_restore_ms"] = round(timing.duration() * 1000, 1)
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["platform"] = sys.platform
    kh.report("restore", figures)
    assert figures["projects_lost"] == 0, figures
    assert figures["cycles"] == CYCLES and stored > 0, figures
    assert figures["kills_mid_restore"] > 0, figures
