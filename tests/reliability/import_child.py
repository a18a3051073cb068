"""Child program: the real command line importing the 10 reference projects again and again, until killed.

Usage: ``python import_child.py DB FOLDER``, then ``go N`` on stdin. For every
N = N+1, N+2, …: writes the reference 数据包 files into FOLDER with every
project's 其他问题 set to ``导入序号 N``, prints ``saving N``, runs
``desktop.cli.main(["import", FILES…, "--db", DB, "--replace"])`` in-process
(one ``save_many`` transaction replacing all 10 projects), and prints ``saved N``.

The test imports this module for ``marked_cases`` and ``marker_of``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import kill_harness

MARK_FIELD = "other_issues"  # a plain text column of the projects table
_MARK = re.compile(r"^导入序号 (\d+)$")


def marker_text(n: int) -> str:
    return f"导入序号 {n}"


def marker_of(text: str | None) -> int | None:
    m = _MARK.match(text or "")
    return int(m.group(1)) if m else None


def marked_cases(n: int) -> list[list[Any]]:
    """The reference projects per case file, with fixed ids (so --replace replaces) and marker N."""
    from desktop.export.package import read_package_file

    out = []
    for f, path in enumerate(kill_harness.case_files()):
        projects = read_package_file(path).projects
        for i, p in enumerate(projects):
            p.id = f"reliability-import-{f}-{i:02d}"
            setattr(p, MARK_FIELD, marker_text(n))
        out.append(projects)
    return out


def write_files(folder: Path, n: int) -> list[str]:
    from desktop.export.package import write_package_file

    return [
        str(write_package_file(projects, folder / f"cases-{f}.json"))
        for f, projects in enumerate(marked_cases(n))
    ]


def main() -> None:
    db, folder = sys.argv[1], Path(sys.argv[2])
    kill_harness.use_working_tree()
    # Loaded before ``go`` (warm-up): what the first import would load anyway.
    import desktop.export.imports
    import desktop.store.repository  # noqa: F401 - loaded for its cost, not used
    from desktop import cli

    kill_harness.case_files()
    n = kill_harness.wait_go()
    while True:
        n += 1
        files = write_files(folder, n)
        kill_harness.say("saving", n)
        code = cli.main(["import", *files, "--db", db, "--replace"])
        if code != cli.EXIT_OK:
            kill_harness.say("error", code)
            sys.exit(code)
        kill_harness.say("saved", n)


if __name__ == "__main__":
    main()
