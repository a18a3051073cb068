"""What the benchmark sections share: inputs, timing, child processes and the table.

Standard library only at import time: the child processes (``_first_paint.py``,
``_export_batch.py``) import it too, and it must not cost them anything before
their timed lines.
"""

from __future__ import annotations

import copy
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    from desktop.models.project import Project

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CASES = ROOT.parent / "shared" / "cases"
SEED_CASE_FILE = CASES / "seed003-open-2021.json"
SEED_CASE_NAME = "车辆购置费"
INDICATOR_COUNT = 60
PROBE = BENCH / "_first_paint.py"
CHILD_TIMEOUT_S = 120.0
# Projects saved through Repository.save_many when building a database; the rest
# are SQL copies of these (see build_database).
SEED_PROJECTS = 500


def use_repository_code() -> None:
    """Make ``import desktop`` find this checkout, however the script is started."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


use_repository_code()


# ---------------------------------------------------------------- repetitions


@dataclass(frozen=True)
class Reps:
    """How many times each kind of measurement runs (after its warm-up)."""

    quick: bool
    small: int  # sub-millisecond operations (validate, JSON baselines)
    store: int  # one save / one load
    bulk: int  # 500-project import; health, backup, restore
    startup: int  # bare interpreter start-up
    launch: int  # pairs of first-paint children (200 projects)
    keys: int  # key presses typed into 项目名称
    cells: int  # 指标值 cells set, then undone
    durable: int  # committed cells waited for until saved (and direct saves, the baseline)
    export: int  # one project to xlsx / PDF
    listing: int  # listing 10,000 projects in-process
    big_launch: int  # pairs of children on the 10,000-project database

    @classmethod
    def choose(cls, quick: bool) -> Reps:
        if quick:
            return cls(True, 30, 5, 1, 3, 3, 40, 30, 10, 5, 5, 1)
        return cls(False, 300, 40, 5, 10, 10, 200, 120, 40, 15, 15, 5)


# ---------------------------------------------------------------- timing


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timings_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Wall time of each of ``runs`` calls of ``fn()``, in milliseconds, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(ms(time.perf_counter() - start))
    return times


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    return statistics.median(timings_ms(fn, runs, warmup))


def p95(values: list[float]) -> float:
    """95th percentile (inclusive method: never outside the measured values)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process in MB, or None where it cannot be read."""
    # Linux: VmHWM is the high-water mark of this process image; ru_maxrss would
    # carry the parent's peak over fork + exec and overstate a child's.
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        try:
            import psutil  # type: ignore[import-untyped]
        except ImportError:
            return None
        return float(psutil.Process().memory_info().peak_wset) / 1024 / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------- rows


@dataclass(eq=False)
class Row:
    """One line of the table. ``value`` is a median in ``unit`` unless ``runs`` is 1."""

    name: str
    value: float
    unit: str = "ms"
    runs: int = 1
    p95: float | None = None
    budget: float | None = None  # absolute, in ``unit``
    budget_ratio: float | None = None  # at most this multiple of the baseline's value
    baseline: Row | None = None
    is_baseline: bool = False
    issue: int | None = None  # the row's number in the issue's list of budgets

    @property
    def limit(self) -> float | None:
        if self.budget is not None:
            return self.budget
        if self.budget_ratio is not None and self.baseline is not None:
            return self.budget_ratio * self.baseline.value
        return None

    @property
    def over(self) -> bool:
        limit = self.limit
        return limit is not None and self.value > limit


def base(name: str, value: float, runs: int = 1, unit: str = "ms") -> Row:
    return Row(name, value, unit, runs, is_baseline=True)


@dataclass
class Section:
    title: str
    rows: list[Row]


# ---------------------------------------------------------------- the table

HEADERS = ("#", "operation", "median", "p95", "runs", "budget", "vs", "ratio", "status")
RIGHT = {2, 3, 4, 5, 7}  # numeric columns, right-aligned in the text table


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _keys(sections: list[Section]) -> dict[int, str]:
    """B1, B2, ... for the baseline rows, in table order (keyed by ``id(row)``)."""
    baselines = [r for s in sections for r in s.rows if r.is_baseline]
    return {id(r): f"B{n + 1}" for n, r in enumerate(baselines)}


def _cells(r: Row, keys: dict[int, str]) -> list[str]:
    name = f"[{keys[id(r)]}] {r.name}" if r.is_baseline else r.name
    if r.budget is not None:
        budget = f"{r.budget:g} {r.unit}"
    elif r.budget_ratio is not None and r.baseline is not None:
        budget = f"{r.budget_ratio:g}x {keys[id(r.baseline)]}"
    else:
        budget = "-"
    vs = keys[id(r.baseline)] if r.baseline is not None else "-"
    if r.baseline is not None and r.baseline.value > 0:
        times = r.value / r.baseline.value
        ratio = f"{times:,.0f}x" if times >= 100 else f"{times:.1f}x"
    else:
        ratio = "-"
    status = "-" if r.limit is None else ("OVER" if r.over else "OK")
    return [
        str(r.issue) if r.issue is not None else "",
        name,
        f"{_number(r.value)} {r.unit}",
        f"{_number(r.p95)}" if r.p95 is not None else "-",
        str(r.runs),
        budget,
        vs,
        ratio,
        status,
    ]


def text_width(text: str) -> int:
    """Columns taken in a terminal: wide and full-width (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int, right: bool) -> str:
    pad = " " * (width - text_width(text))
    return pad + text if right else text + pad


def render_text(sections: list[Section]) -> str:
    keys = _keys(sections)
    body = [(s.title, [_cells(r, keys) for r in s.rows]) for s in sections]
    widths = [text_width(h) for h in HEADERS]
    for _, rows in body:
        for cells in rows:
            widths = [max(w, text_width(c)) for w, c in zip(widths, cells, strict=True)]

    def line(cells: list[str] | tuple[str, ...]) -> str:
        parts = [_fit(c, w, i in RIGHT) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    header = line(HEADERS)
    out = [header, "-" * text_width(header)]
    for title, rows in body:
        out.append(f"-- {title}")
        out.extend(line(cells) for cells in rows)
    return "\n".join(out)


def render_markdown(sections: list[Section]) -> str:
    keys = _keys(sections)
    align = ["---:" if i in RIGHT else "---" for i in range(len(HEADERS))]
    out = ["| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    empty = [""] * (len(HEADERS) - 2)
    for s in sections:
        out.append("| " + " | ".join(["", f"**{s.title}**", *empty]) + " |")
        for r in s.rows:
            cells = [c.replace("|", "\\|") for c in _cells(r, keys)]
            name = cells[1]
            if name.startswith("  "):  # a part of the next total: Markdown drops the spaces
                cells[1] = "&emsp;" + name.lstrip()
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def machine_line(quick: bool) -> str:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__} (Qt {qVersion()})"
    except ImportError:
        qt = "PySide6 n/a"
    return (
        f"Python {platform.python_version()}, {qt}, {platform.platform()}, "
        f"{os.cpu_count()} CPUs, Qt platform {os.environ.get('QT_QPA_PLATFORM', '-')}, "
        f"{'quick' if quick else 'full'} run"
    )


# ---------------------------------------------------------------- inputs


def load_reference_projects() -> list[Project]:
    """The projects of ``../shared/cases/*.json``, in file order."""
    from desktop.export.package import read_package_file

    files = sorted(CASES.glob("*.json"))
    if not files:
        raise SystemExit(f"no reference cases found in {CASES}")
    return [p for f in files for p in read_package_file(f).projects]


def renamed_copies(refs: list[Project], count: int, label: str) -> list[Project]:
    """``count`` new projects (no ``id``): the reference cases in turn, each copy renamed."""
    copies: list[Project] = []
    for i in range(count):
        p = copy.deepcopy(refs[i % len(refs)])
        p.id = None
        p.name = f"{p.name}（{label} {i + 1:05d}）"
        copies.append(p)
    return copies


def build_big_project() -> Project:
    """车辆购置费 grown to 60 indicators: its own rows repeated, each copy renamed."""
    from desktop.export.package import read_package_file

    seeds = [p for p in read_package_file(SEED_CASE_FILE).projects if p.name == SEED_CASE_NAME]
    if not seeds:
        raise SystemExit(f"case {SEED_CASE_NAME} not found in {SEED_CASE_FILE}")
    project = copy.deepcopy(seeds[0])
    project.id = None
    base_rows = project.indicators
    if not base_rows:
        raise SystemExit(f"case {SEED_CASE_NAME} has no indicators")
    grown = []
    for i in range(INDICATOR_COUNT):
        ind = copy.deepcopy(base_rows[i % len(base_rows)])
        round_no = i // len(base_rows)
        if round_no:
            ind.name = f"{ind.name}（{round_no + 1}）"
            if ind.note is None:
                ind.note = f"第 {round_no + 1} 批"
        grown.append(ind)
    project.indicators = grown
    assert len({ind.name for ind in grown}) == INDICATOR_COUNT, "indicator names must be distinct"
    return project


def build_database(path: Path, refs: list[Project], count: int, label: str) -> None:
    """A database of ``count`` distinct projects, built as fast as the store allows.

    Up to SEED_PROJECTS go through ``Repository.save_many`` (validated, counted);
    the others are SQL copies of those seeds with a new id and name. The copies'
    stored finding counts stay right because every name is distinct (no 同名
    twins for rule P10); the last copy is validated again to make sure.
    """
    from desktop.models.rules import counts
    from desktop.store import open_repository

    seeds = renamed_copies(refs, min(count, SEED_PROJECTS), label)
    repo = open_repository(path)
    try:
        repo.save_many(seeds)
    finally:
        repo.engine.dispose()
    plan: list[tuple[str, str, str]] = []
    for i in range(len(seeds), count):
        j = i % len(seeds)  # seeds[j] is a copy of refs[j % len(refs)]
        plan.append(
            (
                str(uuid.uuid4()),
                str(seeds[j].id),
                f"{refs[j % len(refs)].name}（{label} {i + 1:05d}）",
            )
        )
    if plan:
        _copy_projects(path, plan)
    checked = plan[-1][0] if plan else str(seeds[-1].id)
    repo = open_repository(path)
    try:
        listed = {s.id: s for s in repo.summaries()}
        assert len(listed) == count, f"{len(listed)} projects stored, {count} wanted"
        found = counts(repo.findings(repo.load(checked)))
        assert found == (listed[checked].errors, listed[checked].warnings), "stored counts drifted"
    finally:
        repo.engine.dispose()


def _copy_projects(path: Path, plan: list[tuple[str, str, str]]) -> None:
    """Insert copies (new id, seed id, new name) of stored projects with all their rows."""
    from desktop.store import schema

    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("CREATE TEMP TABLE copies (new_id TEXT, old_id TEXT, new_name TEXT)")
            conn.executemany("INSERT INTO copies VALUES (?, ?, ?)", plan)
            # Column lists come from the schema, so columns added later are copied too.
            names = [c.name for c in schema.projects.columns]
            picked = {"id": "c.new_id", "name": "c.new_name"}
            select = ", ".join(picked.get(n, f"p.{n}") for n in names)
            conn.execute(
                f"INSERT INTO projects ({', '.join(names)}) SELECT {select} "
                "FROM copies c JOIN projects p ON p.id = c.old_id ORDER BY c.rowid"
            )
            for table in schema.ROW_TABLES:
                cols = [c.name for c in table.columns if c.name != "id"]  # id: autoincrement
                select = ", ".join("c.new_id" if n == "project_id" else f"r.{n}" for n in cols)
                conn.execute(
                    f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {select} "
                    f"FROM copies c JOIN {table.name} r ON r.project_id = c.old_id "
                    "ORDER BY c.rowid, r.position"
                )
    finally:
        conn.close()


# ---------------------------------------------------------------- one run


@dataclass
class Bench:
    """What a section gets: repetitions, a temporary folder, and a place for notes."""

    reps: Reps
    work: Path
    notes: list[str] = field(default_factory=list)
    _folders: int = field(default=0, init=False, repr=False)

    @cached_property
    def refs(self) -> list[Project]:
        return load_reference_projects()

    def folder(self, name: str) -> Path:
        """A new empty folder inside the run's temporary folder."""
        self._folders += 1
        path = self.work / f"{self._folders:03d}-{name}"
        path.mkdir()
        return path

    def child_env(self, config: Path) -> dict[str, str]:
        """Environment of a child: this checkout on the path, settings in ``config``."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["XDG_CONFIG_HOME"] = str(config)  # QSettings of the user are never touched
        return env


# ---------------------------------------------------------------- child processes


@dataclass
class Child:
    """Lines a child wrote: seconds from just before ``Popen`` to each, and their values."""

    at: dict[str, float]
    said: dict[str, str]
    wrote_settings: bool

    def peak_mb(self) -> float | None:
        text = self.said.get("peak", "n/a")
        return None if text == "n/a" else float(text)


def run_child(bench: Bench, args: list[str], name: str) -> Child:
    """Run ``python ARGS`` with a fresh empty settings folder; time each line it writes."""
    config = bench.folder(f"config-{name}")
    log = config.parent / f"{config.name}.stderr"
    cmd = [sys.executable, *args]
    at: dict[str, float] = {}
    said: dict[str, str] = {}
    with log.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=bench.child_env(config), stdout=subprocess.PIPE, stderr=err
        )
        watchdog = threading.Timer(CHILD_TIMEOUT_S, proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:  # read to the end: the child may write after a timed line
                word, _, value = raw.decode("utf-8", "replace").strip().partition(" ")
                at.setdefault(word, time.perf_counter() - start)
                said[word] = value
            code = proc.wait()
        finally:
            watchdog.cancel()
    if code != 0:
        sys.stderr.write(log.read_text(encoding="utf-8", errors="replace"))
        raise SystemExit(f"{' '.join(cmd[1:])}: exit code {code}")
    return Child(at, said, any(config.iterdir()))


def probe_pairs(
    bench: Bench, app_args: list[str], pairs: int, name: str
) -> tuple[list[Child], list[Child]]:
    """``_first_paint.py --bare`` and ``--app ...`` started alternately, after one warm-up pair."""
    bare: list[Child] = []
    app: list[Child] = []
    for i in range(pairs + 1):
        b = run_child(bench, [str(PROBE), "--bare"], f"{name}-bare")
        a = run_child(bench, [str(PROBE), "--app", *app_args], f"{name}-app")
        for child, what in ((b, "bare window"), (a, "program")):
            if "painted" not in child.at or "frame" not in child.at:
                raise SystemExit(f"{what} child reported no first paint: {child.said}")
        if i:
            bare.append(b)
            app.append(a)
    return bare, app


def median_at(children: list[Child], word: str) -> float:
    return ms(statistics.median(c.at[word] for c in children))


def median_peak(children: list[Child]) -> float | None:
    peaks = [p for c in children if (p := c.peak_mb()) is not None]
    return statistics.median(peaks) if peaks else None


# ---------------------------------------------------------------- Qt in this process

_app: list[QApplication] = []


def qt_app() -> QApplication:
    """The program's QApplication (``make_app``), created once, without the offscreen chatter."""
    if not _app:
        from PySide6.QtCore import qInstallMessageHandler

        from desktop.ui.app import make_app

        def handler(_mode: object, _context: object, message: str) -> None:
            if "propagateSizeHints" not in message:  # the offscreen plugin says it every window
                sys.stderr.write(message + "\n")

        qInstallMessageHandler(handler)
        _app.append(make_app([sys.argv[0]]))
    return _app[0]


def delete_now(widget: QObject) -> None:
    """Really delete a widget: ``processEvents`` alone does not run ``deleteLater``."""
    from PySide6.QtCore import QCoreApplication, QEvent

    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
