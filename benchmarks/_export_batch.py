"""Child process of bench_export.py: COUNT projects to xlsx, then to PDF, in a fresh process.

    python benchmarks/_export_batch.py FOLDER COUNT

The reference cases in turn, renamed, every other one a draft (草稿), through
``export_many`` into FOLDER. Prints one line of JSON: seconds for the baseline
(the same projects as one 数据包), for xlsx and for PDF, and peak memory (MB,
VmHWM) before exporting and at the end.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from common import load_reference_projects, peak_rss_mb, renamed_copies


def main(folder: Path, count: int) -> None:
    from desktop.export.batch import Job, export_many
    from desktop.export.package import write_package_file

    projects = renamed_copies(load_reference_projects(), count, "导出")
    jobs = [Job(p, draft=n % 2 == 0) for n, p in enumerate(projects)]
    before_mb = peak_rss_mb()
    start = time.perf_counter()
    write_package_file(projects, folder / "baseline.json")
    figures: dict[str, float | None] = {"baseline_s": time.perf_counter() - start}
    for fmt in ("xlsx", "pdf"):
        start = time.perf_counter()
        result = export_many(jobs, folder, fmt)
        figures[f"{fmt}_s"] = time.perf_counter() - start
        assert len(result.written) == count, result.failed
    figures["before_mb"] = before_mb
    figures["peak_mb"] = peak_rss_mb()
    print(json.dumps(figures))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
