"""Shared fixtures: where the reference cases are, a fresh database per test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CASES = SHARED / "cases"
CASE_FILES = sorted(CASES.glob("*.json"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def case_docs() -> dict[str, dict]:
    """Each reference 数据包 as parsed JSON, by file name."""
    return {f.name: json.loads(f.read_text(encoding="utf-8")) for f in CASE_FILES}


def write_package(path: Path, projects: list[dict], **top: object) -> Path:
    doc = {"format": "jixiao-shenbao", "version": 1, "projects": projects, **top}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def child_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a child ``python`` running the program from this checkout.

    Its output is UTF-8; its QSettings go to ``folder / "config"`` (XDG_CONFIG_HOME) and its
    user data folder, the log's, is ``folder / "data"`` (XDG_DATA_HOME), never the user's.
    ``extra`` adds variables (``QT_QPA_PLATFORM="offscreen"``).
    """
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **extra)
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    env["XDG_DATA_HOME"] = str(folder / "data")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def case_projects():  # type: ignore[no-untyped-def]
    """Every project of every reference case, read as the program reads a 数据包."""
    from desktop.export.package import read_package_file

    return [p for f in CASE_FILES for p in read_package_file(f).projects]
