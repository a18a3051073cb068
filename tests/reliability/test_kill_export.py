"""SIGKILL during an export: the target is the old complete file or the new complete file, never half.

The exporter writes a temporary file beside the target, syncs it and moves it
into place, so a kill may leave a stray ``.NAME.*.tmp`` but never a torn
target. Each written N names the project ``导出序号 N …`` so the file on disk
tells which export it came from.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import export_child as ec
import kill_harness as kh
import pypdfium2 as pdfium
import pytest

from desktop.export.xlsx_reader import read_workbook_file

CYCLES = 20


def xlsx_markers(path: Path) -> set[int]:
    return ec.markers_in(read_workbook_file(path).project.name)


def pdf_markers(path: Path) -> set[int]:
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or not data.rstrip().endswith(b"%%EOF"):
        raise ValueError(f"not a complete PDF: starts {data[:8]!r}, ends {data.rstrip()[-8:]!r}")
    doc = pdfium.PdfDocument(data)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return ec.markers_in(text)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_sigkill_during_export_leaves_a_whole_file(tmp_path: Path, fmt: str) -> None:
    seed = kh.suite_seed()
    rng = random.Random(seed)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"申报表.{fmt}"
    logs = tmp_path / "logs"
    logs.mkdir()
    read_markers = xlsx_markers if fmt == "xlsx" else pdf_markers
    timing = kh.Timing()
    on_disk = 0  # the N of the file in place, as last verified (0: none yet)
    figures: dict[str, Any] = {
        "seed": seed,
        "cycles": 0,
        "kills_mid_write": 0,
        "kills_mid_write_already_replaced": 0,
        "kills_between_writes": 0,
        "files_written": 0,
        "torn_files": 0,
        "leftover_temp_files": 0,
    }
    started = time.monotonic()
    argv = [str(Path(ec.__file__)), fmt, str(target)]
    with kh.ChildPool(argv, logs, total=CYCLES) as pool:
        for cycle in range(1, CYCLES + 1):
            child = pool.take()
            kill = kh.kill_cycle(
                child,
                on_disk,
                rng,
                "writing",
                "written",
                timing,
                f"{fmt} export cycle {cycle} (seed {seed})",
            )
            last_done = kill.done if kill.done is not None else on_disk
            allowed = {last_done, kill.started} if kill.mid_operation else {last_done}
            problems = []
            if not target.exists():
                if last_done != 0:
                    problems.append(f"no file, though export {last_done} had completed")
                found = 0
            else:
                try:
                    markers = read_markers(target)
                except Exception as exc:  # any failure to read it means a torn file
                    markers = set()
                    problems.append(f"the target cannot be read: {exc!r}")
                    figures["torn_files"] += 1
                found = min(markers) if len(markers) == 1 else -1
                if markers and len(markers) != 1:
                    problems.append(f"the file mixes exports {sorted(markers)}")
                elif markers and found not in allowed:
                    problems.append(
                        f"the file is export {found}, expected one of {sorted(allowed)}"
                    )
                elif not markers and not problems:
                    problems.append("the file carries no export number")
            figures["cycles"] = cycle
            figures["files_written"] += len(kill.words("written"))
            if kill.mid_operation:
                figures["kills_mid_write"] += 1
                figures["kills_mid_write_already_replaced"] += found == kill.started
            else:
                figures["kills_between_writes"] += 1
            assert not problems, kh.failure(seed, cycle, problems, kill, child)
            on_disk = found
    figures["leftover_temp_files"] = len(list(out.glob(f".{target.name}.*.tmp")))
    figures["other_files"] = sorted(
        p.name for p in out.iterdir() if p != target and not p.name.endswith(".tmp")
    )
    figures["last_export"] = on_disk
    figures["median_write_ms"] = round(timing.duration() * 1000, 1)
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["platform"] = sys.platform
    kh.report(f"export_{fmt}", figures)
    assert figures["torn_files"] == 0, figures
    assert figures["cycles"] == CYCLES and on_disk > 0, figures
