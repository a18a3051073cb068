"""SIGKILL while the clerk types: at most the last second of typing in that field is lost.

Typing inside a field is saved ``AUTOSAVE_MS`` after the first unsaved key press,
however long the typing goes on. Each cycle starts the real program
(``typing_child.py``), types into 年度总目标 without pause and kills it at a random
moment 0.5–3.5 s into the typing; the database must hold the text typed up to
some key press, and every key press lost must be younger than the delay (plus
the save itself and a loaded machine's timer lateness, ``SLACK_S``).
"""

from __future__ import annotations

import queue
import random
import sys
import time
from pathlib import Path

import kill_harness as kh
import typing_child as tc

from desktop.store import open_repository
from desktop.ui.editor import AUTOSAVE_MS

CYCLES = 4
SLACK_S = 0.3


def seed_database(db: Path) -> str:
    projects = kh.case_projects()
    edited = next(p for p in projects if p.name == "车辆购置费")
    edited.id = tc.EDITED_ID
    repo = open_repository(db)
    try:
        repo.save(edited)
        return getattr(repo.load(tc.EDITED_ID), tc.FIELD) or ""
    finally:
        repo.engine.dispose()


def stored_text(db: Path) -> str:
    repo = open_repository(db)
    try:
        return getattr(repo.load(tc.EDITED_ID), tc.FIELD) or ""
    finally:
        repo.engine.dispose()


def test_sigkill_while_typing_loses_at_most_the_last_second(tmp_path: Path, monkeypatch) -> None:
    seed = kh.suite_seed()
    rng = random.Random(seed)
    db = tmp_path / "typing.db"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    logs = tmp_path / "logs"
    logs.mkdir()
    base = seed_database(db)
    worst_lost_s = 0.0
    for cycle in range(1, CYCLES + 1):
        child = kh.Child([str(Path(tc.__file__)), str(db)], logs / f"child-{cycle:02d}.stderr")
        describe = f"seed {seed} (replay: {kh.SEED_ENV}={seed}), cycle {cycle}"
        typed_at: dict[int, float] = {}
        typing_from = None
        kill_after = rng.uniform(0.5, 3.5)
        try:
            child.go(0)
            deadline = time.monotonic() + kh.CYCLE_TIMEOUT_S
            while True:
                now = time.monotonic()
                if typing_from is not None and now >= typing_from + kill_after:
                    break
                assert now < deadline, f"{describe}: the child did not type\n{child.stderr_tail()}"
                wait = 0.05 if typing_from is None else typing_from + kill_after - now
                try:
                    item = child.lines.get(timeout=max(0.001, wait))
                except queue.Empty:
                    continue
                assert item is not None, f"{describe}: the child ended\n{child.stderr_tail()}"
                when, line = item
                assert not line.startswith("error"), f"{describe}\n{child.stderr_tail()}"
                if line == "typing 0":
                    typing_from = when
                elif line.startswith("typed "):
                    typed_at[int(line.split()[1])] = when
            killed_at = time.monotonic()
        finally:
            child.kill()
        for line in child.rest():
            if line.startswith("typed "):
                typed_at.setdefault(int(line.split()[1]), killed_at)
        text = stored_text(db)
        assert text.startswith(base), f"{describe}: the text before the typing was lost"
        kept = len(text) - len(base)
        assert text[len(base) :] == tc.typed_text(kept), f"{describe}: stored {text!r}"
        typed = max(typed_at, default=0)
        assert kept <= typed
        if kept < typed:
            # the oldest key press lost was made this long before the kill
            lost_s = killed_at - typed_at[kept + 1]
            worst_lost_s = max(worst_lost_s, lost_s)
            assert lost_s <= AUTOSAVE_MS / 1000 + SLACK_S, (
                f"{describe}: {typed - kept} key presses lost, the oldest {lost_s:.2f} s "
                f"before the kill\n{child.stderr_tail()}"
            )
        base = text  # the next program starts on what this one left
    figures = {"seed": seed, "cycles": CYCLES, "worst_lost_s": round(worst_lost_s, 3)}
    kh.report("typing", {**figures, "platform": sys.platform})
