"""Files the program ships beside its code (``resources/``), from the source tree or a frozen bundle.

A PyInstaller bundle unpacks them under ``sys._MEIPASS`` (``build.spec`` puts
them in ``resources/`` there); from a checkout they sit at the repository root.
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1]


def frozen() -> bool:
    """True inside the PyInstaller bundle built from ``build.spec``."""
    return bool(getattr(sys, "frozen", False))


def resource_dirs() -> list[Path]:
    """Where ``resources/`` may be, the bundle's first."""
    dirs = [SOURCE_ROOT / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.insert(0, Path(bundle) / "resources")
    return dirs


def resource(name: str) -> Path | None:
    """The first ``resources/<name>`` that exists, or None."""
    for folder in resource_dirs():
        path = folder / name
        if path.exists():
            return path
    return None
