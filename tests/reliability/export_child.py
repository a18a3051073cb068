"""Child program: exporting one project's tables to the same file again and again, until killed.

Usage: ``python export_child.py xlsx|pdf TARGET``, then ``go N`` on stdin. For
every N = N+1, N+2, …: names the project ``导出序号 N …`` and exports it with
``desktop.export.batch.export_one`` (the exporter of the command line and the
window: render the bytes, then ``desktop.atomic.write_atomic``). ``writing N``
is printed when the file write begins — rendering, most of the time, leaves
the disk alone — and ``written N`` when ``export_one`` returned.

The test imports this module for ``marked_name`` and ``markers_in``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import kill_harness

_MARK = re.compile(r"导出序号 (\d+) ")


def marked_name(n: int, name: str) -> str:
    return f"导出序号 {n} {name}"


def markers_in(text: str) -> set[int]:
    """Every N a project name or a PDF page's text carries."""
    return {int(m.group(1)) for m in _MARK.finditer(text)}


def main() -> None:
    fmt, target = sys.argv[1], Path(sys.argv[2])
    kill_harness.use_working_tree()
    import desktop.atomic
    from desktop.export.batch import export_one, render

    # Warm up before ``go``: the writer modules and the fonts load on the first render.
    project = kill_harness.case_projects()[0]
    name = project.name
    render(project, fmt)
    n = kill_harness.wait_go()
    real_write = desktop.atomic.write_atomic

    def announced_write(path: Any, data: bytes) -> Path:
        kill_harness.say("writing", n)
        return real_write(path, data)

    # export_one looks write_atomic up when it runs, so this marks where the disk work starts.
    desktop.atomic.write_atomic = announced_write
    while True:
        n += 1
        project.name = marked_name(n, name)
        export_one(project, target, fmt)
        kill_harness.say("written", n)


if __name__ == "__main__":
    main()
