"""Timings of the core operations against their budgets.

Run from anywhere::

    python benchmarks/bench_core.py            # full run
    python benchmarks/bench_core.py --quick    # fewer repetitions
    python benchmarks/bench_core.py --strict   # exit 1 if a budget is exceeded

Each figure is the median of N runs (``time.perf_counter``). Machines are noisy,
so each figure is also given as a ratio to a baseline measured in the same
process: a ``json.dumps`` + ``json.loads`` round trip of the same data, or, for
the real command line, the start-up of a bare interpreter (``python -c pass``).

The inputs are built from the reference cases in ``shared/cases``:

* a project of 60 indicators, grown from the case 车辆购置费 (distinct names);
* a 数据包 of 500 projects without ``id`` (the 10 reference projects in turn,
  each copy renamed).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.models.project import Project
    from desktop.store import Repository

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES = SHARED / "cases"
SEED_CASE_FILE = CASES / "seed003-open-2021.json"
SEED_CASE_NAME = "车辆购置费"
INDICATOR_COUNT = 60
IMPORT_COUNT = 500

VALIDATE_BUDGET_MS = 5.0
IMPORT_BUDGET_MS = 5000.0


def _use_repository_code() -> None:
    """Make ``import desktop`` find this checkout, however the script is started."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- measuring


@dataclass
class Row:
    name: str
    median_ms: float
    runs: int
    budget_ms: float | None = None
    baseline: str | None = None

    @property
    def over(self) -> bool:
        return self.budget_ms is not None and self.median_ms >= self.budget_ms


@dataclass(frozen=True)
class Reps:
    small: int  # sub-millisecond operations (validate, baselines of one project)
    store: int  # one save / one load
    bulk: int  # 500-project import
    startup: int  # bare interpreter start-up

    @classmethod
    def choose(cls, quick: bool) -> Reps:
        if quick:
            return cls(small=30, store=5, bulk=1, startup=3)
        return cls(small=300, store=40, bulk=5, startup=10)


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in milliseconds over ``runs`` calls."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return _ms(statistics.median(times))


def json_round_trip(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False))


# ---------------------------------------------------------------- inputs


def load_reference_projects() -> list[Project]:
    from desktop.export.package import read_package_file

    files = sorted(CASES.glob("*.json"))
    if not files:
        raise SystemExit(f"no reference cases found in {CASES}")
    projects: list[Project] = []
    for f in files:
        projects.extend(read_package_file(f).projects)
    return projects


def build_big_project() -> Project:
    """车辆购置费 grown to 60 indicators: its own rows repeated, each copy renamed."""
    from desktop.export.package import read_package_file

    seeds = [p for p in read_package_file(SEED_CASE_FILE).projects if p.name == SEED_CASE_NAME]
    if not seeds:
        raise SystemExit(f"case {SEED_CASE_NAME} not found in {SEED_CASE_FILE}")
    project = copy.deepcopy(seeds[0])
    project.id = None
    base = project.indicators
    if not base:
        raise SystemExit(f"case {SEED_CASE_NAME} has no indicators")
    grown = []
    for i in range(INDICATOR_COUNT):
        ind = copy.deepcopy(base[i % len(base)])
        round_no = i // len(base)
        if round_no:
            ind.name = f"{ind.name}（{round_no + 1}）"
            if ind.note is None:
                ind.note = f"第 {round_no + 1} 批"
        grown.append(ind)
    project.indicators = grown
    names = [ind.name for ind in project.indicators]
    assert len(set(names)) == INDICATOR_COUNT, "indicator names must be distinct"
    return project


def write_import_file(refs: list[Project], path: Path) -> dict[str, Any]:
    """A 数据包 of 500 projects without ``id``; returns the document written."""
    from desktop.export.package import package_bytes

    clones: list[Project] = []
    for i in range(IMPORT_COUNT):
        p = copy.deepcopy(refs[i % len(refs)])
        p.id = None
        p.name = f"{p.name}（批量 {i + 1:03d}）"
        clones.append(p)
    doc: dict[str, Any] = json.loads(package_bytes(clones))
    for obj in doc["projects"]:
        obj.pop("id", None)  # new projects: the importer assigns the ids
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return doc


def _close(repo: Repository) -> None:
    repo.engine.dispose()


# ---------------------------------------------------------------- benchmarks


def bench_validate(project: Project, reps: Reps) -> list[Row]:
    from desktop.export.package import project_to_dict
    from desktop.models.rules import validate

    as_dict = project_to_dict(project)
    rows = [
        Row(
            "baseline: json dumps+loads (project dict)",
            median_ms(lambda: json_round_trip(as_dict), reps.small),
            reps.small,
        ),
        Row(
            "baseline: copy.deepcopy(project)",
            median_ms(lambda: copy.deepcopy(project), reps.small),
            reps.small,
        ),
    ]
    rows.append(
        Row(
            f"validate ({INDICATOR_COUNT} indicators)",
            median_ms(lambda: validate(project), reps.small),
            reps.small,
            VALIDATE_BUDGET_MS,
            rows[0].name,
        )
    )
    return rows


def bench_store(project: Project, reps: Reps, work: Path) -> list[Row]:
    from desktop.store import open_repository

    baseline = "baseline: copy.deepcopy(project)"
    repo = open_repository(work / "single.db")
    try:
        # A first save of a new project: a fresh clone each time, renamed so the
        # clones are not 同名 twins of one another (which would make every save
        # recount the others).
        new_times: list[float] = []
        for i in range(reps.store + 1):
            clone = copy.deepcopy(project)
            clone.id = None
            clone.name = f"{project.name}（副本 {i + 1}）"
            start = time.perf_counter()
            repo.save(clone)
            elapsed = time.perf_counter() - start
            if i:  # the first one is the warm-up
                new_times.append(elapsed)

        stored = copy.deepcopy(project)
        stored.id = None
        repo.save(stored)
        assert stored.id is not None
        stored_id: str = stored.id
        again = median_ms(lambda: repo.save(stored), reps.store)
        load = median_ms(lambda: repo.load(stored_id), reps.store)
        loaded = repo.load(stored_id)
        assert len(loaded.indicators) == INDICATOR_COUNT
    finally:
        _close(repo)
    n = INDICATOR_COUNT
    return [
        Row(
            f"save new project ({n} ind.)",
            _ms(statistics.median(new_times)),
            reps.store,
            None,
            baseline,
        ),
        Row(f"save again, replace ({n} ind.)", again, reps.store, None, baseline),
        Row(f"load ({n} ind.)", load, reps.store, None, baseline),
    ]


def bench_import(refs: list[Project], reps: Reps, work: Path) -> tuple[list[Row], Path]:
    from desktop.export.package import read_package_file
    from desktop.store import open_repository

    package = work / f"import-{IMPORT_COUNT}.json"
    doc = write_import_file(refs, package)
    baseline = Row(
        f"baseline: json dumps+loads ({IMPORT_COUNT} project dicts)",
        median_ms(lambda: json_round_trip(doc), max(reps.bulk, 3)),
        max(reps.bulk, 3),
    )

    read_times: list[float] = []
    save_times: list[float] = []
    open_times: list[float] = []
    for i in range(reps.bulk + 1):
        start = time.perf_counter()
        repo = open_repository(work / f"import-{i}.db")
        opened = time.perf_counter()
        try:
            start_import = time.perf_counter()
            projects = read_package_file(package).projects
            read_done = time.perf_counter()
            repo.save_many(projects)
            saved = time.perf_counter()
            assert repo.count() == IMPORT_COUNT
        finally:
            _close(repo)
        if i:  # the first one is the warm-up
            open_times.append(opened - start)
            read_times.append(read_done - start_import)
            save_times.append(saved - read_done)
    totals = [r + s for r, s in zip(read_times, save_times, strict=True)]
    n = IMPORT_COUNT
    return [
        baseline,
        Row(
            "open_repository (new db, migrate)",
            _ms(statistics.median(open_times)),
            reps.bulk,
            None,
            baseline.name,
        ),
        Row(
            f"  read_package_file ({n})",
            _ms(statistics.median(read_times)),
            reps.bulk,
            None,
            baseline.name,
        ),
        Row(
            f"  repo.save_many ({n}, fresh db)",
            _ms(statistics.median(save_times)),
            reps.bulk,
            None,
            baseline.name,
        ),
        Row(
            f"import {n}: read + save_many",
            _ms(statistics.median(totals)),
            reps.bulk,
            IMPORT_BUDGET_MS,
            baseline.name,
        ),
    ], package


def bench_safety(reps: Reps, work: Path) -> list[Row]:
    """What keeping drafts safe costs on a database of IMPORT_COUNT projects."""
    import shutil

    from desktop.store.backup import MANUAL, make_backup, restore_backup
    from desktop.store.health import check_database

    db = work / "import-1.db"
    n = IMPORT_COUNT
    size_mb = db.stat().st_size / 1e6
    baseline = f"baseline: copy the file ({size_mb:.1f} MB)"
    runs = max(reps.bulk, 3)
    copy = median_ms(lambda: shutil.copyfile(db, work / "plain-copy.db"), runs)
    check = median_ms(lambda: check_database(db), runs)
    backup = median_ms(lambda: make_backup(db, MANUAL), runs)
    source = make_backup(db, MANUAL)
    restore = median_ms(lambda: restore_backup(source, db), runs)
    return [
        Row(baseline, copy, runs),
        Row(f"health check at start, quick_check ({n})", check, runs, None, baseline),
        Row(f"backup, SQLite backup API + check ({n})", backup, runs, None, baseline),
        Row(f"restore, safety backup + copy in ({n})", restore, runs, None, baseline),
    ]


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def bench_cli(package: Path, reps: Reps, work: Path) -> list[Row]:
    env = _subprocess_env()

    def bare() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=env, cwd=ROOT)

    startup = Row(
        "baseline: python -c pass (start-up)", median_ms(bare, reps.startup), reps.startup
    )

    db = work / "cli.db"
    cmd = [sys.executable, "-m", "desktop", "import", str(package), "--db", str(db)]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    elapsed = _ms(time.perf_counter() - start)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"python -m desktop import failed with exit code {done.returncode}")
    if f"已导入 {IMPORT_COUNT} 个项目" not in done.stdout:
        raise SystemExit(f"python -m desktop import did not report {IMPORT_COUNT} projects")
    return [
        startup,
        Row(
            f"CLI: python -m desktop import ({IMPORT_COUNT}), once",
            elapsed,
            1,
            IMPORT_BUDGET_MS,
            startup.name,
        ),
    ]


# ---------------------------------------------------------------- report


def print_table(rows: list[Row]) -> None:
    medians = {r.name: r.median_ms for r in rows}
    baselines = [r.name for r in rows if r.baseline is None]
    keys = {name: f"B{i + 1}" for i, name in enumerate(baselines)}
    width = max(len(r.name) for r in rows) + 5
    header = f"{'operation':<{width}} {'median ms':>10} {'runs':>5} {'budget ms':>10} {'status':>6} {'ratio':>12}"
    print(header)
    print("-" * len(header))
    for r in rows:
        name = f"[{keys[r.name]}] {r.name}" if r.name in keys else r.name
        budget = f"{r.budget_ms:g}" if r.budget_ms is not None else "-"
        status = ("OVER" if r.over else "PASS") if r.budget_ms is not None else "-"
        if r.baseline is not None:
            base = medians[r.baseline]
            ratio = f"{r.median_ms / base:,.1f}x {keys[r.baseline]}" if base > 0 else "-"
        else:
            ratio = "1.0x (base)"
        print(
            f"{name:<{width}} {r.median_ms:>10.3f} {r.runs:>5} {budget:>10} {status:>6} {ratio:>12}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the core operations against their budgets.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any budget is exceeded")
    args = parser.parse_args(argv)
    reps = Reps.choose(args.quick)

    _use_repository_code()
    if not CASES.is_dir():
        print(f"shared cases folder not found: {CASES}", file=sys.stderr)
        return 2

    print(f"Python {platform.python_version()} on {platform.platform()}")
    print(f"repository: {ROOT}")
    print(f"cases: {CASES}  ({'quick' if args.quick else 'full'} run)")
    print()

    project = build_big_project()
    refs = load_reference_projects()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-core-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        rows += bench_validate(project, reps)
        rows += bench_store(project, reps, work)
        import_rows, package = bench_import(refs, reps, work)
        rows += import_rows
        rows += bench_safety(reps, work)
        rows += bench_cli(package, reps, work)

    print_table(rows)
    over = [r.name for r in rows if r.over]
    print()
    if over:
        print("over budget: " + "; ".join(over))
    else:
        print("all budgets met")
    return 1 if (args.strict and over) else 0


if __name__ == "__main__":
    sys.exit(main())
