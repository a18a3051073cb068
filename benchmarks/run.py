"""The benchmarks of the program, in one run and one table.

    python benchmarks/run.py                  # full run
    python benchmarks/run.py --quick          # fewer repetitions
    python benchmarks/run.py --strict         # exit 1 if any budget is exceeded
    python benchmarks/run.py --only scale     # one section (window, core, export, scale)
    python benchmarks/run.py --markdown       # the table in Markdown

Every figure is compared with a baseline measured in the same run (machines
differ; the ratio travels better than the figure). See README.md for what each
row times. All files go in one temporary folder, removed at the end; child
processes and Qt in this process get an empty temporary XDG_CONFIG_HOME, so
the user's settings are never read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import bench_core
import bench_export
import bench_scale
import bench_window
from common import CASES, Bench, Reps, Row, Section, machine_line, render_markdown, render_text

# In the order: 1 start-up, 2-3 core, 4-5 export, 6-7 scale.
SECTIONS: dict[str, ModuleType] = {
    "window": bench_window,
    "core": bench_core,
    "export": bench_export,
    "scale": bench_scale,
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
