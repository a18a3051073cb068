"""SIGKILL during ``python -m desktop import --replace``: all 10 projects, all from one completed import.

``save_many`` stores a whole import in one transaction, so after any kill every
project must carry the same marker — that of the last completed import, or of
the one being written when it had committed before ``saved`` was printed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import random
import sys
import time
from pathlib import Path
from typing import Any

import import_child as ic
import kill_harness as kh

from desktop import cli
from desktop.store import open_repository

CYCLES = 12


def unmarked(project: Any) -> dict[str, Any]:
    fields = dataclasses.asdict(project)
    fields.pop(ic.MARK_FIELD)
    return fields


def test_sigkill_during_import_keeps_one_whole_import(tmp_path: Path) -> None:
    seed = kh.suite_seed()
    rng = random.Random(seed)
    db = tmp_path / "import.db"
    work = tmp_path / "packages"
    work.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    # The starting state goes in through the same command the child runs.
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["import", *ic.write_files(work, 0), "--db", str(db)])
    assert code == cli.EXIT_OK
    repo = open_repository(db)
    try:
        originals = {s.id: unmarked(repo.load(s.id)) for s in repo.summaries()}
    finally:
        repo.engine.dispose()
    assert len(originals) == 10
    timing = kh.Timing()
    stored = 0
    figures: dict[str, Any] = {
        "seed": seed,
        "cycles": 0,
        "kills_mid_import": 0,
        "kills_mid_import_already_committed": 0,
        "kills_between_imports": 0,
        "imports_completed": 0,
        "projects_lost": 0,
        "wal_left_after_kill": 0,
    }
    started = time.monotonic()
    argv = [str(Path(ic.__file__)), str(db), str(work)]
    with kh.ChildPool(argv, logs, total=CYCLES) as pool:
        for cycle in range(1, CYCLES + 1):
            child = pool.take()
            kill = kh.kill_cycle(
                child, stored, rng, "saving", "saved", timing, f"import cycle {cycle} (seed {seed})"
            )
            figures["wal_left_after_kill"] += Path(f"{db}-wal").exists()
            problems = kh.sqlite_problems(db)
            lost = 0
            if not problems:
                marker, found, lost = kh.marked_problems(
                    db, originals, ic.MARK_FIELD, ic.marker_of, kh.allowed_markers(kill, stored)
                )
                problems += found
                if not found and marker is not None:
                    stored = marker
            figures["cycles"] = cycle
            figures["projects_lost"] += lost
            figures["imports_completed"] += len(kill.words("saved"))
            if kill.mid_operation:
                figures["kills_mid_import"] += 1
                figures["kills_mid_import_already_committed"] += stored == kill.started
            else:
                figures["kills_between_imports"] += 1
            assert not problems, kh.failure(seed, cycle, problems, kill, child)
    figures["last_import"] = stored
    figures["median_import_ms"] = round(timing.duration() * 1000, 1)
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["platform"] = sys.platform
    kh.report("import", figures)
    assert figures["projects_lost"] == 0, figures
    assert figures["cycles"] == CYCLES and stored > 0, figures
