"""The layers of design/architecture.md: the core loads no Qt, the domain no SQLAlchemy."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def loaded_modules(*imports: str) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in imports)
    code += "import json; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


@pytest.mark.parametrize(
    "module",
    [
        "desktop.models",
        "desktop.store",
        "desktop.export",
        "desktop.export.batch",
        "desktop.export.xlsx_writer",
        "desktop.export.xlsx_reader",
        "desktop.export.pdf_writer",
        "desktop.cli",
        "desktop.config",
        "desktop.logfile",
        "desktop.store.guard",
    ],
)
def test_core_loads_no_qt(module: str) -> None:
    qt = {
        m
        for m in loaded_modules(module)
        if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
    }
    assert qt == set()


def test_file_libraries_load_when_first_needed() -> None:
    """Starting the program or the command line pays nothing for Excel, PDF or printing."""
    heavy = {"openpyxl", "reportlab", "pypdfium2"}
    mods = loaded_modules(
        "desktop.cli",
        "desktop.export.batch",
        "desktop.export.xlsx_writer",
        "desktop.export.xlsx_reader",
        "desktop.export.pdf_writer",
        "desktop.export.fonts",
        "desktop.ui.main_window",
    )
    assert not {m for m in mods if m.split(".")[0] in heavy}


def test_domain_loads_no_sqlalchemy_and_no_io_layers() -> None:
    mods = loaded_modules("desktop.models", "desktop.models.rules", "desktop.models.targets")
    assert not {m for m in mods if m.split(".")[0] in ("sqlalchemy", "alembic")}
    assert not {
        m
        for m in mods
        if m.startswith(("desktop.store", "desktop.export", "desktop.cli", "desktop.ui"))
    }


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# package → packages it must not import (imports point down only)
FORBIDDEN = {
    "models": (
        "desktop.store",
        "desktop.export",
        "desktop.cli",
        "desktop.ui",
        "sqlalchemy",
        "PySide6",
    ),
    "store": ("desktop.export", "desktop.cli", "desktop.ui", "PySide6"),
    "export": ("desktop.cli", "desktop.ui", "PySide6", "sqlalchemy"),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down_only(package: str) -> None:
    bad = []
    for path in (REPO / "desktop" / package).rglob("*.py"):
        for name in _imports(path):
            if name.startswith(FORBIDDEN[package]):
                bad.append(f"{path.relative_to(REPO)} imports {name}")
    assert bad == []
