"""Section ``export`` of run.py: the official tables (xlsx and PDF), one project and 100.

Baselines: the same project(s) written as a 数据包 (JSON), the smallest file
the program writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from common import BENCH, ROOT, Bench, Row, base, median_ms, ms

TITLE = "export: official tables"
CHOSEN = (("政府雇员项目", "minhang-2020"), ("车辆购置费", "shanghai-2021"))
ONE_BUDGET_MS = 500.0  # xlsx + PDF of one project, after start-up
BATCH = 100
BATCH_BUDGET_S = 30.0  # xlsx and PDF of BATCH projects together
BATCH_MEMORY_BUDGET_MB = 300.0


def run(bench: Bench) -> list[Row]:
    return one_project_rows(bench) + batch_rows(bench)


def one_project_rows(bench: Bench) -> list[Row]:
    from desktop.export.batch import render
    from desktop.export.package import package_bytes

    projects = {(p.name, p.family): p for p in bench.refs}
    n = bench.reps.export
    rows: list[Row] = []
    first: Row | None = None
    for name, family in CHOSEN:
        p = projects[(name, family)]
        b_json = base(
            f"数据包 JSON of {name} ({family})", median_ms(lambda p=p: package_bytes([p]), n), n
        )
        rows.append(b_json)
        if first is None:
            # The first export of a process imports openpyxl / reportlab and loads the CJK font.
            start = time.perf_counter()
            render(p, "xlsx")
            render(p, "pdf")
            first = Row(
                "first xlsx + PDF of the process (imports, font)",
                ms(time.perf_counter() - start),
                baseline=b_json,
            )
            rows.append(first)
        xlsx = median_ms(lambda p=p: render(p, "xlsx"), n)
        pdf = median_ms(lambda p=p: render(p, "pdf", draft=True), n)
        rows += [
            Row(f"  xlsx of {name}", xlsx, runs=n, baseline=b_json),
            Row(f"  PDF of {name} (草稿)", pdf, runs=n, baseline=b_json),
            Row(
                f"xlsx + PDF of {name}",
                xlsx + pdf,
                runs=n,
                budget=ONE_BUDGET_MS,
                baseline=b_json,
                issue=4,
            ),
        ]
    return rows


def batch_rows(bench: Bench) -> list[Row]:
    """In a fresh child process, so its peak memory is the batch's alone."""
    folder = bench.folder("export-batch")
    done = subprocess.run(
        [sys.executable, str(BENCH / "_export_batch.py"), str(folder), str(BATCH)],
        cwd=ROOT,
        env=bench.child_env(folder),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"_export_batch.py failed with exit code {done.returncode}")
    f = json.loads(done.stdout.strip().splitlines()[-1])
    b_json = base(f"{BATCH} projects as one 数据包 (child)", f["baseline_s"], unit="s")
    rows = [
        b_json,
        Row(f"  {BATCH} projects to xlsx (export_many)", f["xlsx_s"], unit="s", baseline=b_json),
        Row(f"  {BATCH} projects to PDF (export_many)", f["pdf_s"], unit="s", baseline=b_json),
        Row(
            f"{BATCH} projects to xlsx and PDF",
            f["xlsx_s"] + f["pdf_s"],
            unit="s",
            budget=BATCH_BUDGET_S,
            baseline=b_json,
            issue=5,
        ),
    ]
    if f["peak_mb"] is None:
        bench.notes.append("peak memory of the export child: n/a on this platform")
        return rows
    b_mem = base("export child's peak memory before exporting", f["before_mb"], unit="MB")
    return rows + [
        b_mem,
        Row(
            f"{BATCH} projects: peak memory of the child (VmHWM)",
            f["peak_mb"],
            unit="MB",
            budget=BATCH_MEMORY_BUDGET_MB,
            baseline=b_mem,
            issue=5,
        ),
    ]
