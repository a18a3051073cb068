"""SIGKILL during the editor's autosave: the database opens, is intact, and holds the last completed save.

50 cycles on one database (damage would add up): a child runs the real
``ProjectEditor`` on a 150-indicator project, autosaving back to back, and is
killed a random moment after it announced a save — sometimes inside the save,
sometimes between two. After every kill the file is checked with plain
``sqlite3`` and then read back through the repository.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import sys
import time
from pathlib import Path
from typing import Any

import autosave_child as ac
import kill_harness as kh

from desktop.models.project import Project
from desktop.models.taxonomy import grouped_order
from desktop.store import open_repository

CYCLES = 50
INDICATORS = 150


def seed_database(db: Path) -> dict[str, dict[str, Any]]:
    """The 10 reference projects, the edited one grown to 150 indicators; returns them as stored."""
    projects = kh.case_projects()
    edited = projects[0]
    # 政府雇员项目 (minhang-2020): a 项目概况 box, and rows in all three row tables.
    assert edited.family == "minhang-2020" and edited.breakdown and edited.guarantees
    grown = []
    while len(grown) < INDICATORS:
        grown.extend(copy.deepcopy(edited.indicators))
    # one block per 一级 (the editor joins split blocks on opening, an edit of its own)
    grown = grown[:INDICATORS]
    edited.indicators = [grown[i] for i in grouped_order(grown)]
    edited.id = ac.EDITED_ID
    for i, p in enumerate(projects[1:], start=1):
        p.id = f"reliability-case-{i:02d}"
    repo = open_repository(db)
    try:
        repo.save_many(projects)
        return {p.id: dataclasses.asdict(repo.load(p.id)) for p in projects if p.id}
    finally:
        repo.engine.dispose()


def edited_problems(project: Project, original: dict[str, Any]) -> tuple[int, list[str]]:
    """The counter the stored project carries, and whatever is torn or lost in it."""
    n = ac.counter_of(project.overview)
    problems = []
    if ac.filler_of(project.overview) != (original["overview"] or ""):
        problems.append("项目概况 lost its original text")
    marks = [i for i, row in enumerate(project.indicators) if ac.marker_of_row(row.name)]
    others = [
        dataclasses.asdict(row) for row in project.indicators if not ac.marker_of_row(row.name)
    ]
    want = [ac.marker_row_name(n, k) for k in range(1, ac.marker_count(n) + 1)] if n else []
    got = [project.indicators[i].name for i in marks]
    if got != want:
        problems.append(f"项目概况 says save {n} but the marker rows are {got} (torn save)")
    elif n:
        start = ac.marker_position(n, len(others))
        if marks != list(range(start, start + len(want))):
            problems.append(f"save {n}: marker rows at {marks}, expected from row {start}")
        if any(project.indicators[i].target != str(n) for i in marks):
            problems.append(f"save {n}: a marker row's 指标值 is not {n}")
    if others != original["indicators"]:
        problems.append(f"the {len(original['indicators'])} ordinary indicator rows changed")
    rest = dataclasses.asdict(project)
    for key in ("overview", "indicators"):
        rest.pop(key)
    if rest != {k: v for k, v in original.items() if k not in ("overview", "indicators")}:
        problems.append("fields the edits never touch changed")
    return n, problems


def test_sigkill_during_autosave_keeps_the_last_completed_save(tmp_path: Path) -> None:
    seed = kh.suite_seed()
    rng = random.Random(seed)
    db = tmp_path / "autosave.db"
    logs = tmp_path / "logs"
    logs.mkdir()
    originals = seed_database(db)
    timing = kh.Timing()
    stored = 0  # the counter the database holds, as last verified
    figures: dict[str, Any] = {
        "seed": seed,
        "cycles": 0,
        "kills_mid_save": 0,
        "kills_mid_save_already_committed": 0,
        "kills_between_saves": 0,
        "saves_completed": 0,
        "projects_lost": 0,
        "wal_left_after_kill": 0,
        "largest_wal_bytes": 0,
    }
    started = time.monotonic()
    argv = [str(Path(ac.__file__)), str(db)]
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
                f"autosave cycle {cycle} (seed {seed})",
            )
            wal = Path(f"{db}-wal")
            if wal.exists():
                figures["wal_left_after_kill"] += 1
                figures["largest_wal_bytes"] = max(figures["largest_wal_bytes"], wal.stat().st_size)
            problems = kh.sqlite_problems(db)
            if kill.words("loaded") != [stored]:
                problems.append(
                    f"the editor loaded {kill.words('loaded')}, the store held {stored}"
                )
            last_done = kill.done if kill.done is not None else stored
            allowed = {last_done, kill.started} if kill.mid_operation else {last_done}
            lost = 0
            if not problems:
                repo = open_repository(db)
                try:
                    live = {s.id for s in repo.summaries()}
                    if live != set(originals):
                        problems.append(f"stored projects {sorted(live)} != {sorted(originals)}")
                        lost += len(set(originals) - live)
                    for pid, original in originals.items():
                        if pid not in live:
                            continue
                        project = repo.load(pid)
                        if pid != ac.EDITED_ID:
                            if dataclasses.asdict(project) != original:
                                problems.append(f"{original['name']} ({pid}) changed")
                                lost += 1
                            continue
                        n, torn = edited_problems(project, original)
                        if n not in allowed:
                            torn.append(f"holds save {n}, expected one of {sorted(allowed)}")
                        problems += torn
                        lost += bool(torn)
                        stored = n
                finally:
                    repo.engine.dispose()
            figures["cycles"] = cycle
            figures["projects_lost"] += lost
            figures["saves_completed"] += len(kill.words("saved"))
            if kill.mid_operation:
                figures["kills_mid_save"] += 1
                figures["kills_mid_save_already_committed"] += stored == kill.started
            else:
                figures["kills_between_saves"] += 1
            assert not problems, kh.failure(seed, cycle, problems, kill, child)
    figures["last_save"] = stored
    figures["median_save_ms"] = round(timing.duration() * 1000, 1)
    figures["median_save_period_ms"] = round(timing.period() * 1000, 1)
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["platform"] = sys.platform
    kh.report("autosave", figures)
    assert figures["projects_lost"] == 0, figures
    assert figures["cycles"] == CYCLES, figures
    # The suite proves something only if kills really landed inside saves and between them.
    assert figures["kills_mid_save"] > 0 and figures["kills_between_saves"] > 0, figures
    assert stored > 0 and figures["saves_completed"] > 0, figures
