"""Start a child program, let it work, SIGKILL it at a random moment, and tell what it had done.

A child speaks a line protocol on stdout (flushed after every line): ``<start> N``
just before operation N begins and ``<done> N`` right after it completed (for
example ``saving 7`` / ``saved 7``). Before working it waits for one line
``go N`` on stdin, N being the last number the caller verified on disk: so
the next child can be started ahead of time (Python and Qt take about a second
to start on a small machine) while the current one is still being killed and
checked, and the suite stays fast.

The module name is unique on purpose: a second ``conftest`` or ``helpers``
module in another tests folder would clash with it in ``sys.modules``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import os
import queue
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REPORT_ENV = "JIXIAO_RELIABILITY_REPORT"
SEED_ENV = "JIXIAO_RELIABILITY_SEED"

# A cycle that takes longer than this means a hung child; the test fails instead of hanging.
CYCLE_TIMEOUT_S = 60.0
_PROTOCOL = re.compile(r"^(\w+) (-?\d+)$")


def _tests_conftest() -> Any:
    # tests/conftest.py is the one place that knows where the reference cases live;
    # loaded under its own name so it cannot collide with pytest's ``conftest`` modules.
    name = "jixiao_tests_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def case_files() -> list[Path]:
    """The 数据包 files of the reference declarations (10 projects in all)."""
    return list(_tests_conftest().CASE_FILES)


def case_projects() -> list[Any]:
    """Every reference project, read as the program reads a 数据包."""
    return list(_tests_conftest().case_projects())


def suite_seed() -> int:
    """The seed of this run: ``JIXIAO_RELIABILITY_SEED`` to replay a failure, else a fresh one."""
    text = os.environ.get(SEED_ENV)
    return int(text) if text else random.SystemRandom().randrange(1, 2**31)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def hard_kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill without any chance to clean up: SIGKILL, or TerminateProcess on Windows."""
    if os.name == "nt":
        proc.kill()
    else:
        os.kill(proc.pid, signal.SIGKILL)


class ChildFailed(AssertionError):
    """The child hung, died by itself or broke the protocol."""


class Child:
    """One started child: its stdout read line by line on a thread, stderr kept in a file."""

    def __init__(self, argv: Sequence[str], log: Path) -> None:
        self.log = log
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, *argv],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=REPO,
                env=child_env(),
            )
        # (monotonic time read, line); None marks end of output
        self.lines: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.put((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\r\n")))
        self.lines.put(None)

    def go(self, last_verified: int) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {last_verified}\n".encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            hard_kill(self.proc)
        self.proc.wait(timeout=CYCLE_TIMEOUT_S)
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()

    def rest(self) -> list[str]:
        """Everything the dead child had written that was not read yet (the pipe keeps it)."""
        self._reader.join(timeout=CYCLE_TIMEOUT_S)
        out = []
        while True:
            try:
                item = self.lines.get_nowait()
            except queue.Empty:
                return out
            if item is not None:
                out.append(item[1])

    def stderr_tail(self, chars: int = 3000) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text[-chars:]


class ChildPool:
    """Keeps ``ahead`` children started and waiting for ``go``, so start-up overlaps checking."""

    def __init__(self, argv: Sequence[str], logs: Path, total: int, ahead: int = 2) -> None:
        self.argv = list(argv)
        self.logs = logs
        self.remaining = total
        self.ahead = ahead
        self.started = 0
        self.waiting: list[Child] = []
        self._fill()

    def _fill(self) -> None:
        while len(self.waiting) < min(self.ahead, self.remaining):
            self.started += 1
            self.waiting.append(Child(self.argv, self.logs / f"child-{self.started:03d}.stderr"))

    def take(self) -> Child:
        assert self.remaining > 0, "more cycles than the pool was made for"
        child = self.waiting.pop(0)
        self.remaining -= 1
        self._fill()
        return child

    def close(self) -> None:
        for child in self.waiting:
            with contextlib.suppress(Exception):
                child.kill()
        self.waiting.clear()

    def __enter__(self) -> ChildPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Timing:
    """How long operations and the gaps between them take, as seen on the protocol."""

    durations: list[float] = field(default_factory=list)
    periods: list[float] = field(default_factory=list)

    def duration(self) -> float:
        return statistics.median(self.durations[-200:]) if self.durations else 0.02

    def period(self) -> float:
        return statistics.median(self.periods[-200:]) if self.periods else 0.05


@dataclass
class Kill:
    """What one killed child had done, from all of its protocol lines."""

    lines: list[str]
    started: int | None  # last N of a start line
    done: int | None  # last N of a done line
    delay: float  # seconds between reading the chosen start line and the kill
    aimed_mid: bool  # the delay was drawn within one operation's duration

    @property
    def mid_operation(self) -> bool:
        """The last operation had begun and not been reported done when the child died."""
        return self.started is not None and self.started != self.done

    def words(self, word: str) -> list[int]:
        return [int(m.group(2)) for m in map(_PROTOCOL.match, self.lines) if m and m[1] == word]


def kill_cycle(
    child: Child,
    last_verified: int,
    rng: random.Random,
    start: str,
    done: str,
    timing: Timing,
    describe: str,
) -> Kill:
    """Send ``go``, wait for the k-th ``start`` line (k random in 1..3), wait a random delay, SIGKILL.

    Half of the delays are drawn within one operation's typical duration (aimed
    inside it), the other half across a whole period (start to next start),
    so kills land both inside operations and between them. The random draws do not
    depend on timing: a seed replays the same choices.
    """
    target = rng.randint(1, 3)
    aimed_mid = rng.random() < 0.5
    fraction = rng.random()
    deadline = time.monotonic() + CYCLE_TIMEOUT_S
    seen: list[str] = []
    starts = 0
    started_at: dict[int, float] = {}
    last_start_t: float | None = None
    delay = 0.0
    try:
        try:
            child.go(last_verified)
        except OSError as exc:  # it died while starting up: its stderr says why
            raise ChildFailed(f"{describe}: the child did not take 'go' ({exc})") from None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChildFailed(
                    f"{describe}: no '{start}' line #{target} within {CYCLE_TIMEOUT_S} s"
                )
            try:
                item = child.lines.get(timeout=left)
            except queue.Empty:
                continue
            if item is None:
                raise ChildFailed(
                    f"{describe}: the child ended by itself (exit {child.proc.wait()}) "
                    f"before it was killed"
                )
            when, line = item
            seen.append(line)
            m = _PROTOCOL.match(line)
            if m is None:
                continue
            word, n = m.group(1), int(m.group(2))
            if word == "error":
                raise ChildFailed(f"{describe}: the child reported an error")
            if word == done and n in started_at:
                timing.durations.append(when - started_at[n])
            if word != start:
                continue
            if last_start_t is not None:
                timing.periods.append(when - last_start_t)
            last_start_t = when
            started_at[n] = when
            starts += 1
            if starts == target:
                bound = timing.duration() if aimed_mid else timing.period()
                delay = fraction * bound
                # The randomized wait before the kill is the experiment, not a synchronisation.
                time.sleep(delay)
                break
    except BaseException as exc:
        child.kill()
        seen += child.rest()
        if isinstance(exc, ChildFailed):
            raise ChildFailed(
                f"{exc}\n--- stdout (last lines) ---\n"
                + "\n".join(seen[-20:])
                + f"\n--- stderr ---\n{child.stderr_tail()}"
            ) from None
        raise
    child.kill()
    seen += child.rest()
    kill = Kill(seen, None, None, delay, aimed_mid)
    starts_n, dones_n = kill.words(start), kill.words(done)
    kill.started = starts_n[-1] if starts_n else None
    kill.done = dones_n[-1] if dones_n else None
    return kill


def sqlite_problems(db: Path) -> list[str]:
    """What plain sqlite3 finds wrong with the file (its own recovery of the -wal included)."""
    conn = sqlite3.connect(db)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    problems = []
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    if foreign:
        problems.append(f"foreign_key_check: {foreign[:5]}")
    return problems


def allowed_markers(kill: Kill, stored: int) -> set[int | None]:
    """The states a database may hold after ``kill``: the last completed operation's, or the
    one under way when it had committed before its done line was read."""
    last_done = kill.done if kill.done is not None else stored
    return {last_done, kill.started} if kill.mid_operation else {last_done}


def marked_problems(
    db: Path,
    originals: dict[str, dict[str, Any]],
    field_name: str,
    marker_of: Callable[[str | None], int | None],
    allowed: set[int | None],
) -> tuple[int | None, list[str], int]:
    """Check a database whose every project carries one operation's marker in ``field_name``.

    Returns the marker all projects share, what is wrong (missing projects, a mix of
    markers, changes beyond the marker, a marker not in ``allowed``) and how many
    projects were lost.
    """
    from desktop.store import open_repository

    problems: list[str] = []
    lost = 0
    markers: set[int | None] = set()
    repo = open_repository(db)
    try:
        live = {s.id for s in repo.summaries()}
        lost += len(set(originals) - live)
        if live != set(originals):
            problems.append(f"stored projects {sorted(live)} != {sorted(originals)}")
        for pid in sorted(live & set(originals)):
            fields = dataclasses.asdict(repo.load(pid))
            markers.add(marker_of(fields.pop(field_name)))
            if fields != originals[pid]:
                problems.append(f"{fields['name']} ({pid}) changed beyond its marker")
                lost += 1
    finally:
        repo.engine.dispose()
    if len(markers) != 1:
        problems.append(f"projects from different operations: markers {markers}")
        return None, problems, lost
    (marker,) = markers
    if marker not in allowed:
        problems.append(f"holds operation {marker}, expected one of {sorted(allowed, key=str)}")
    return marker, problems, lost


def failure(seed: int, cycle: int, problems: list[str], kill: Kill, child: Child) -> str:
    """The assertion message of a bad cycle: how to replay it and what the child said."""
    return (
        f"seed {seed} (replay: {SEED_ENV}={seed}), cycle {cycle}, killed {kill.delay * 1000:.1f} ms "
        f"after a start line, last started {kill.started}, last done {kill.done}:\n  "
        + "\n  ".join(problems)
        + "\n--- child stdout (last lines) ---\n"
        + "\n".join(kill.lines[-12:])
        + f"\n--- child stderr ---\n{child.stderr_tail()}"
    )


def report(scenario: str, figures: dict[str, Any]) -> None:
    """Print the figures (seen with ``pytest -s``) and add them to ``$JIXIAO_RELIABILITY_REPORT``."""
    print(f"\n[reliability] {scenario}: {json.dumps(figures, ensure_ascii=False)}")
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    path = Path(target)
    try:
        collected = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        collected = {}
    if not isinstance(collected, dict):
        collected = {}
    collected[scenario] = figures
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(collected, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------ the child's side


def start_child() -> None:
    """In a child process: headless Qt, this working tree's code, and an exception in a
    Qt slot reported as ``error`` with exit code 70 (otherwise the loop would stall)."""
    import traceback

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    use_working_tree()

    def fatal(*exc_info: Any) -> None:
        traceback.print_exception(*exc_info)
        say("error", 0)
        os._exit(70)

    sys.excepthook = fatal


def run_window(db: str, drive: Callable[[Any], None]) -> None:
    """Start the real program on ``db`` and call ``drive(window)`` once its window is ready."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    def find_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
        if not windows:
            QTimer.singleShot(10, find_window)
            return
        window = windows[0]
        if getattr(window, "_repo", None) is not None:
            QTimer.singleShot(0, lambda: drive(window))
        else:
            window.ready.connect(lambda: QTimer.singleShot(0, lambda: drive(window)))

    QTimer.singleShot(0, find_window)
    from desktop.cli import main as desktop_main

    desktop_main(["--db", db])


def use_working_tree() -> None:
    """In a child: import ``desktop`` from this checkout (it need not be installed)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def wait_go() -> int:
    """In a child, after the slow imports: block until ``go N`` arrives; returns N."""
    line = sys.stdin.readline().split()
    if len(line) != 2 or line[0] != "go":
        sys.exit(f"expected 'go N' on stdin, got {line!r}")
    return int(line[1])


def say(word: str, n: int) -> None:
    """One protocol line, flushed at once: the parent must see it before the next step runs."""
    sys.stdout.write(f"{word} {n}\n")
    sys.stdout.flush()
