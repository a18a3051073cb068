"""The benchmarks of the program, in one run and one table.

    python benchmarks/run.py                  # full run
    python benchmarks/run.py --quick          # fewer repetitions
    python benchmarks/run.py --strict         # exit 1 if any budget is exceeded
    python benchmarks/run.py --only scale     # one section (window, core, export, scale, text)
    python benchmarks/run.py --markdown       # the table in Markdown

Every figure is compared with a baseline measured in the same run (machines
differ; the ratio travels better than the figure). See README.md for what each
row times. All files go in one temporary folder, removed at the end; child
processes and Qt in this process get an empty temporary XDG_CONFIG_HOME, so
the user's settings are never read or written.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import bench_core
import bench_export
import bench_scale
import bench_window
from common import (
    CASES,
    INDICATOR_COUNT,
    Bench,
    Reps,
    Row,
    Section,
    base,
    build_big_project,
    machine_line,
    median_ms,
    ms,
    render_markdown,
    render_text,
)

if TYPE_CHECKING:
    from desktop.models.project import Project


class TextSection:
    """Section ``text``: checking the worst free text at the length limit (issue 16, item 7).

    Readers of free text must be linear: a text of 20,000 characters that a backtracking
    pattern cannot match (``1`` + spaces + ``!``) once took 15–18 s to check.
    """

    TITLE = "text: checking free text at the length limit"
    BUDGET_MS = 10.0
    FIELDS = (
        "overall_goal",
        "name",
        "phone",
        "indicators.1.name",
        "indicators.1.target",
        "indicators.1.note",
        "indicators.1.level2",
    )

    @staticmethod
    def texts(n: int) -> dict[str, str]:
        """Texts of ``n`` characters that defeat a backtracking reader (tests/test_linear_text.py)."""

        def rep(unit: str) -> str:
            return (unit * (n // len(unit) + 1))[:n]

        return {
            "1 + spaces + !": "1" + " " * (n - 2) + "!",
            "一 repeated": "一" * n,
            "digits + !": "1" * (n - 1) + "!",
            "1. + digits + !": "1." + "1" * (n - 3) + "!",
            "( + digits": "(" + "1" * (n - 1),
            "≥ + spaces + 1": "≥" + " " * (n - 2) + "1",
            "1 + spaces + %": "1" + " " * (n - 2) + "%",
            "≥1 repeated": rep("≥1"),
            "1 repeated with spaces": rep("1 "),
            "1,1,1": rep("1,"),
            "years": rep("2021年 "),
            "5个工作日 repeated": rep("5个工作日"),
            "（ repeated": "（" * n,
        }

    @staticmethod
    def with_text(project: Project, where: str, text: str) -> Project:
        p = copy.deepcopy(project)
        if where.startswith("indicators."):
            _, index, key = where.split(".")
            setattr(p.indicators[int(index)], key, text)
        else:
            setattr(p, where, text)
        return p

    @staticmethod
    def check(project: Project) -> None:
        """``validate`` as the first time a text is seen: the readers' caches emptied."""
        from desktop.models.rules import project_rules, validate
        from desktop.models.targets import read_target

        read_target.cache_clear()
        project_rules._measurable.cache_clear()  # what the window's first check pays
        validate(project)

    @classmethod
    def run(cls, bench: Bench) -> list[Row]:
        from desktop.models.limits import MAX_FIELD_CHARS

        project = build_big_project()
        n = bench.reps.small
        b_validate = base(
            f"validate a project of {INDICATOR_COUNT} indicators (caches emptied)",
            median_ms(lambda: cls.check(project), n),
            n,
        )
        texts = cls.texts(MAX_FIELD_CHARS)
        b_norm = base(
            f"NFKC of {MAX_FIELD_CHARS:,} full-width （ (what each reader does first)",
            median_ms(lambda: unicodedata.normalize("NFKC", texts["（ repeated"]), n),
            n,
        )
        # Scan every text in every field (a few runs each), then time the worst one fully.
        scan = 3 if bench.reps.quick else 5
        cost: dict[tuple[str, str], float] = {}
        for name, text in texts.items():
            for where in cls.FIELDS:
                p = cls.with_text(project, where, text)
                cost[name, where] = min(
                    ms(cls._timed(lambda p=p: cls.check(p))) for _ in range(scan)
                )
        rows = [b_validate, b_norm]
        issue_cases = (
            ("1 + spaces + !", "indicators.1.target", "a target of 1 + 20,000 spaces + !"),
            ("一 repeated", "overall_goal", "a goal of 20,000 一"),
        )
        for name, where, words in issue_cases:
            rows.append(cls._row(f"  {words}", project, where, texts[name], b_validate, n))
        name, where = max(cost, key=lambda k: cost[k])
        rows.append(
            cls._row(
                f"the worst text at the limit ({name} in {where}), over a normal check",
                project,
                where,
                texts[name],
                b_validate,
                n,
                budget=cls.BUDGET_MS,
            )
        )
        return rows

    @staticmethod
    def _timed(fn: Callable[[], object]) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    @classmethod
    def _row(
        cls,
        words: str,
        project: Project,
        where: str,
        text: str,
        b_validate: Row,
        n: int,
        budget: float | None = None,
    ) -> Row:
        """The time the text adds to checking the project: its own median less the baseline's."""
        p = cls.with_text(project, where, text)
        times = [ms(cls._timed(lambda: cls.check(p))) for _ in range(n)]
        added = max(statistics.median(times) - b_validate.value, 0.0)
        return Row(words, added, runs=n, budget=budget, baseline=b_validate)


# In the issue's order: 1 start-up, 2-3 core, 4-5 export, 6-7 scale; then issue 16's text.
SECTIONS: dict[str, ModuleType | type[TextSection]] = {
    "window": bench_window,
    "core": bench_core,
    "export": bench_export,
    "scale": bench_scale,
    "text": TextSection,
}
NEED_QT = {"window", "scale"}


def _qt_available() -> bool:
    try:
        import PySide6.QtWidgets  # noqa: F401 - only whether it imports
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the program against its budgets.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any budget is exceeded")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(SECTIONS),
        metavar="SECTION",
        help=f"run only this section (repeatable): {', '.join(SECTIONS)}",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    args = parser.parse_args(argv)
    if not CASES.is_dir():
        print(f"shared cases folder not found: {CASES}", file=sys.stderr)
        return 2
    chosen = [name for name in SECTIONS if not args.only or name in args.only]
    notes: list[str] = []
    if not _qt_available():
        notes += [
            f"section {name} skipped: PySide6 is not available"
            for name in chosen
            if name in NEED_QT
        ]
        chosen = [name for name in chosen if name not in NEED_QT]

    saved_env = {k: os.environ.get(k) for k in ("QT_QPA_PLATFORM", "XDG_CONFIG_HOME")}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless unless told otherwise
    print(machine_line(args.quick), flush=True)
    started = time.perf_counter()
    sections: list[Section] = []
    try:
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-", ignore_cleanup_errors=True) as tmp:
            work = Path(tmp)
            # Before any QApplication: QSettings in this process stay in the temporary folder.
            (work / "config").mkdir()
            os.environ["XDG_CONFIG_HOME"] = str(work / "config")
            bench = Bench(Reps.choose(args.quick), work, notes)
            for name in chosen:
                module = SECTIONS[name]
                section_start = time.perf_counter()
                print(f"  {name} ...", end="", file=sys.stderr, flush=True)
                run: Callable[[Bench], list[Row]] = module.run
                sections.append(Section(module.TITLE, run(bench)))
                print(f" {time.perf_counter() - section_start:.1f} s", file=sys.stderr, flush=True)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    print()
    print(render_markdown(sections) if args.markdown else render_text(sections))
    print()
    over = [r.name.strip() for s in sections for r in s.rows if r.over]
    for note in notes:
        print(f"note: {note}")
    print(f"total time {time.perf_counter() - started:.1f} s")
    print("over budget: " + "; ".join(over) if over else "all budgets met")
    return 1 if (args.strict and over) else 0


if __name__ == "__main__":
    sys.exit(main())
