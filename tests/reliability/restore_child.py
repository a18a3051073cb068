"""Child program: the real ``restore`` command, again and again, until killed.

Usage: ``python restore_child.py DB TEMPLATE FOLDER``, then ``go N`` on stdin.
For every N = N+1, N+2, …: copies TEMPLATE (a database of the 10 reference
projects) to FOLDER/backup-N.db with every project's 其他问题 set to
``恢复序号 N``, prints ``saving N``, runs ``desktop.cli.main(["restore", …])``
in-process (a safety backup of the current database, then the backup's pages
copied in through SQLite's backup API), and prints ``saved N``.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import sys
from pathlib import Path

import kill_harness

MARK_FIELD = "other_issues"
_MARK = re.compile(r"^恢复序号 (\d+)$")


def marker_text(n: int) -> str:
    return f"恢复序号 {n}"


def marker_of(text: str | None) -> int | None:
    m = _MARK.match(text or "")
    return int(m.group(1)) if m else None


def marked_backup(template: Path, folder: Path, n: int) -> Path:
    out = folder / f"backup-{n}.db"
    shutil.copyfile(template, out)
    with sqlite3.connect(out) as conn:
        conn.execute(f"UPDATE projects SET {MARK_FIELD} = ?", (marker_text(n),))
    conn.close()
    return out


def main() -> None:
    db, template, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    kill_harness.use_working_tree()
    import desktop.store.backup
    import desktop.store.repository  # noqa: F401 - loaded for its cost, not used
    from desktop import cli

    n = kill_harness.wait_go()
    while True:
        n += 1
        source = marked_backup(template, folder, n)
        kill_harness.say("saving", n)
        code = cli.main(["restore", str(source), "--db", db])
        if code != cli.EXIT_OK:
            kill_harness.say("error", code)
            sys.exit(code)
        kill_harness.say("saved", n)
        source.unlink()


if __name__ == "__main__":
    main()
