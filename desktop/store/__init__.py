"""Where projects live: SQLite through SQLAlchemy, one transaction per saved project."""

from __future__ import annotations

import os

from desktop.models.rules import RuleSettings
from desktop.store.database import StoreError, open_database
from desktop.store.repository import (
    DuplicateIdError,
    FinalizeError,
    ProjectSummary,
    Repository,
    SaveResult,
)


def open_repository(
    path: str | os.PathLike[str], settings: RuleSettings | None = None
) -> Repository:
    """Open the database at ``path`` (creating and migrating it as needed)."""
    return Repository(open_database(path), settings)


__all__ = [
    "DuplicateIdError",
    "FinalizeError",
    "ProjectSummary",
    "Repository",
    "SaveResult",
    "StoreError",
    "open_database",
    "open_repository",
]
