"""The project list, read with the standard library alone.

Importing SQLAlchemy costs more at start-up than everything else the window
needs, and the first thing the clerk sees is only the list. So the list's one
query lives here, in plain SQL: the window reads it through ``sqlite3`` for the
first paint, and the repository runs the same text through its engine later.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.models.amounts import amount_from_text
from desktop.models.project import STATUS_LABELS, Amount

# The migrations in migrations/versions, oldest first; the last is the newest.
# Checking a database against it needs one query and no Alembic import; tests
# keep this list equal to Alembic's.
REVISIONS = ("0001", "0002", "0003", "0004", "0005")
SCHEMA_REVISION = REVISIONS[-1]

_COLUMNS = (
    "id, year, name, unit, template, category, funding_total, funding_annual, "
    "status, error_count, warning_count, updated_at, deleted_at, explained_count"
)
# Live projects by year and name (optionally one year); the 回收站 newest first.
LIVE_SQL = (
    f"SELECT {_COLUMNS} FROM projects WHERE deleted_at IS NULL "
    "AND (:year IS NULL OR year = :year) ORDER BY year, name, created_at"
)
TRASH_SQL = (
    f"SELECT {_COLUMNS} FROM projects WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, name"
)


@dataclass(frozen=True)
class ProjectSummary:
    """One line of the project list."""

    id: str
    year: int | None
    name: str
    unit: str | None
    template: str | None
    category: str | None
    total: Amount
    annual: Amount
    status: str
    errors: int
    warnings: int
    updated_at: str
    deleted_at: str | None = None  # set only for a project in the 回收站
    explained: int = 0  # how many of the warnings the clerk has answered with a 说明

    @property
    def warnings_text(self) -> str:
        """``3`` or ``3（已说明 1）``; blank when there is no warning."""
        if not self.warnings:
            return ""
        if self.explained:
            return f"{self.warnings}（已说明 {self.explained}）"
        return str(self.warnings)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def summary_from_row(r: Any) -> ProjectSummary:
    """A row of LIVE_SQL or TRASH_SQL (a tuple in that column order)."""
    return ProjectSummary(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        amount_from_text(r[6]),
        amount_from_text(r[7]),
        r[8],
        r[9],
        r[10],
        r[11],
        r[12],
        r[13] or 0,
    )


def read_summaries(path: str | os.PathLike[str]) -> list[ProjectSummary] | None:
    """The live projects of an existing, current database; None when it must be opened in full.

    None means: no file yet, not at SCHEMA_REVISION (a migration is due), or any
    trouble reading — ``open_repository`` then creates, migrates or explains.
    The file is opened read-only and never changed here.
    """
    db = Path(path)
    if not db.is_file() or db.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != SCHEMA_REVISION:
            return None
        return [summary_from_row(r) for r in conn.execute(LIVE_SQL, {"year": None})]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
