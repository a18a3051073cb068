"""Section ``core`` of run.py: validation, the SQLite store, importing 500 projects, the CLI.

Inputs: a project of 60 indicators (车辆购置费 grown, distinct names) and a
数据包 of 500 projects without ``id`` (the reference cases in turn, renamed).
"""

from __future__ import annotations

import copy
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import (
    INDICATOR_COUNT,
    ROOT,
    Bench,
    Row,
    base,
    build_big_project,
    median_ms,
    ms,
    renamed_copies,
)

if TYPE_CHECKING:
    from desktop.models.project import Project

TITLE = "core: validation, store, import"
IMPORT_COUNT = 500
VALIDATE_BUDGET_MS = 5.0
IMPORT_BUDGET_MS = 5000.0


def json_round_trip(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False))


def run(bench: Bench) -> list[Row]:
    project = build_big_project()
    rows, b_copy = validate_rows(bench, project)
    rows += store_rows(bench, project, b_copy)
    import_rows, package, db = import_bench(bench)
    rows += import_rows
    rows += safety_rows(bench, db)
    rows += cli_rows(bench, package)
    return rows


def validate_rows(bench: Bench, project: Project) -> tuple[list[Row], Row]:
    from desktop.export.package import project_to_dict
    from desktop.models.rules import validate

    n = bench.reps.small
    as_dict = project_to_dict(project)
    b_json = base(
        "json dumps+loads of the project dict", median_ms(lambda: json_round_trip(as_dict), n), n
    )
    b_copy = base("copy.deepcopy(project)", median_ms(lambda: copy.deepcopy(project), n), n)
    check = Row(
        f"validate a project of {INDICATOR_COUNT} indicators",
        median_ms(lambda: validate(project), n),
        runs=n,
        budget=VALIDATE_BUDGET_MS,
        baseline=b_json,
        issue=2,
    )
    return [b_json, b_copy, check], b_copy


def store_rows(bench: Bench, project: Project, b_copy: Row) -> list[Row]:
    from desktop.store import open_repository

    n = bench.reps.store
    repo = open_repository(bench.folder("store") / "single.db")
    try:
        # A first save of a new project: a fresh clone each time, renamed so the
        # clones are not 同名 twins (which would make every save recount the others).
        new_times: list[float] = []
        for i, clone in enumerate(renamed_copies([project], n + 1, "副本")):
            start = time.perf_counter()
            repo.save(clone)
            if i:  # the first one is the warm-up
                new_times.append(ms(time.perf_counter() - start))
        stored = copy.deepcopy(project)
        stored.id = None
        repo.save(stored)
        stored_id = str(stored.id)
        again = median_ms(lambda: repo.save(stored), n)
        load = median_ms(lambda: repo.load(stored_id), n)
        assert len(repo.load(stored_id).indicators) == INDICATOR_COUNT
    finally:
        repo.engine.dispose()
    k = INDICATOR_COUNT
    return [
        Row(
            f"save a new project ({k} ind.)",
            statistics.median(new_times),
            runs=n,
            baseline=b_copy,
            issue=3,
        ),
        Row(f"save it again, replacing ({k} ind.)", again, runs=n, baseline=b_copy, issue=3),
        Row(f"load it ({k} ind.)", load, runs=n, baseline=b_copy, issue=3),
    ]


def write_import_file(bench: Bench, path: Path) -> dict[str, Any]:
    """A 数据包 of IMPORT_COUNT projects without ``id``; returns the document written."""
    from desktop.export.package import package_bytes

    doc: dict[str, Any] = json.loads(
        package_bytes(renamed_copies(bench.refs, IMPORT_COUNT, "批量"))
    )
    for obj in doc["projects"]:
        obj.pop("id", None)  # new projects: the importer assigns the ids
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return doc


def import_bench(bench: Bench) -> tuple[list[Row], Path, Path]:
    """Rows, the 数据包 written and one database it was imported into."""
    from desktop.export.package import read_package_file
    from desktop.store import open_repository

    folder = bench.folder("import")
    package = folder / f"import-{IMPORT_COUNT}.json"
    doc = write_import_file(bench, package)
    runs = max(bench.reps.bulk, 3)
    b_json = base(
        f"json dumps+loads of the {IMPORT_COUNT}-project document",
        median_ms(lambda: json_round_trip(doc), runs),
        runs,
    )
    opened: list[float] = []
    read: list[float] = []
    saved: list[float] = []
    for i in range(bench.reps.bulk + 1):  # the first one is the warm-up
        db = folder / f"import-{i}.db"
        t0 = time.perf_counter()
        repo = open_repository(db)
        t1 = time.perf_counter()
        try:
            projects = read_package_file(package).projects
            t2 = time.perf_counter()
            repo.save_many(projects)
            t3 = time.perf_counter()
            assert repo.count() == IMPORT_COUNT
        finally:
            repo.engine.dispose()
        if i:
            opened.append(ms(t1 - t0))
            read.append(ms(t2 - t1))
            saved.append(ms(t3 - t2))
    n, k = bench.reps.bulk, IMPORT_COUNT
    total = statistics.median(r + s for r, s in zip(read, saved, strict=True))
    return (
        [
            b_json,
            Row(
                "  open_repository (new file, migrations)",
                statistics.median(opened),
                runs=n,
                baseline=b_json,
            ),
            Row(f"  read_package_file ({k})", statistics.median(read), runs=n, baseline=b_json),
            Row(
                f"  Repository.save_many ({k}, new file)",
                statistics.median(saved),
                runs=n,
                baseline=b_json,
            ),
            Row(
                f"import {k} projects: read + save_many",
                total,
                runs=n,
                budget=IMPORT_BUDGET_MS,
                baseline=b_json,
            ),
        ],
        package,
        folder / "import-1.db",
    )


def safety_rows(bench: Bench, db: Path) -> list[Row]:
    """What keeping drafts safe costs on a database of IMPORT_COUNT projects."""
    from desktop.store.backup import MANUAL, make_backup, restore_backup
    from desktop.store.health import check_database

    runs = max(bench.reps.bulk, 3)
    plain = db.with_name("plain-copy.db")
    b_file = base(
        f"copy the database file ({db.stat().st_size / 1e6:.1f} MB)",
        median_ms(lambda: shutil.copyfile(db, plain), runs),
        runs,
    )
    check = median_ms(lambda: check_database(db), runs)
    backup = median_ms(lambda: make_backup(db, MANUAL), runs)
    source = make_backup(db, MANUAL)
    restore = median_ms(lambda: restore_backup(source, db), runs)
    k = IMPORT_COUNT
    return [
        b_file,
        Row(f"health check at start, quick_check ({k})", check, runs=runs, baseline=b_file),
        Row(f"backup: SQLite backup API + check ({k})", backup, runs=runs, baseline=b_file),
        Row(f"restore: safety backup + copy in ({k})", restore, runs=runs, baseline=b_file),
    ]


def cli_rows(bench: Bench, package: Path) -> list[Row]:
    folder = bench.folder("cli")
    env = bench.child_env(folder)
    n = bench.reps.startup

    def bare() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env, cwd=ROOT)

    b_start = base("python -c pass (interpreter start-up)", median_ms(bare, n), n)
    cmd = [sys.executable, "-m", "desktop", "import", str(package), "--db", str(folder / "cli.db")]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    elapsed = ms(time.perf_counter() - start)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"python -m desktop import failed with exit code {done.returncode}")
    if f"已导入 {IMPORT_COUNT} 个项目" not in done.stdout:
        raise SystemExit(f"python -m desktop import did not report {IMPORT_COUNT} projects")
    return [
        b_start,
        Row(
            f"CLI: python -m desktop import ({IMPORT_COUNT}), once",
            elapsed,
            budget=IMPORT_BUDGET_MS,
            baseline=b_start,
        ),
    ]
