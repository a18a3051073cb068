"""Shared fixtures: where the reference cases are, a fresh database per test."""

from __future__ import annotations

import json
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


def case_projects():  # type: ignore[no-untyped-def]
    """Every project of every reference case, read as the program reads a 数据包."""
    from desktop.export.package import read_package_file

    return [p for f in CASE_FILES for p in read_package_file(f).projects]
