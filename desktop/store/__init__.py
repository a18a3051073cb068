"""Where projects live: SQLite through SQLAlchemy, one transaction per saved project.

The names below load on first use (PEP 562), so that ``desktop.store.catalog``
— the project list the window paints first — can be read before SQLAlchemy is
imported.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes
from desktop.store.catalog import ProjectSummary, read_summaries
from desktop.store.errors import StoreError

if TYPE_CHECKING:
    from desktop.models.rules import RuleSettings
    from desktop.store.database import open_database
    from desktop.store.repository import (
        DuplicateIdError,
        FinalizeError,
        Repository,
        SameProjectError,
        SaveResult,
        SnapshotInfo,
    )

_LAZY = {
    "open_database": "desktop.store.database",
    "DuplicateIdError": "desktop.store.repository",
    "FinalizeError": "desktop.store.repository",
    "Repository": "desktop.store.repository",
    "SameProjectError": "desktop.store.repository",
    "SaveResult": "desktop.store.repository",
    "SnapshotInfo": "desktop.store.repository",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


def open_repository(
    path: str | os.PathLike[str], settings: RuleSettings | None = None
) -> Repository:
    """Open the database at ``path`` (creating and migrating it as needed)."""
    from desktop.store.database import open_database
    from desktop.store.repository import Repository

    return Repository(open_database(path), settings)


__all__ = [
    "DuplicateIdError",
    "FinalizeError",
    "ProjectSummary",
    "Repository",
    "SameProjectError",
    "SaveResult",
    "SnapshotInfo",
    "StoreError",
    "open_database",
    "open_repository",
    "read_summaries",
]
