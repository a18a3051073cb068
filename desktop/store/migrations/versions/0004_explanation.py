"""The 项目经费情况说明 of the shanghai-2020 family: 立项依据, 实施主体, 实施方案, 实施周期, 年度预算安排.

Revision ID: 0004
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The new columns, in the 说明's order (kept literal: a migration must not follow the model).
COLUMNS = (
    "legal_basis",
    "implementer",
    "implementation_plan",
    "implementation_period",
    "budget_note",
)


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: no batch copy of ``projects``, every row stays.
    for name in COLUMNS:
        op.add_column("projects", sa.Column(name, sa.Text, nullable=True))
    # A 数据包 that carried these keys before this version was read as keys the program
    # did not know and kept in ``extra``; they now have a column, so they move there.
    _move(from_extra=True)


def downgrade() -> None:
    # Back into ``extra`` first, so the older program keeps (and writes back) what was typed.
    _move(from_extra=False)
    # Native DROP COLUMN (SQLite 3.35+), not batch mode: recreating ``projects`` with
    # foreign keys on would cascade-delete the rows of every project (see 0002).
    for name in reversed(COLUMNS):
        op.drop_column("projects", name)


def _move(from_extra: bool) -> None:
    """Move the five values between their columns and ``extra`` (the JSON of unknown keys)."""
    conn = op.get_bind()
    projects = sa.table(
        "projects", sa.column("id"), sa.column("extra"), *(sa.column(c) for c in COLUMNS)
    )
    for row in conn.execute(sa.select(projects)).mappings().all():
        extra = _json(row["extra"])
        if from_extra:
            # Only text fits a column; anything else stays in ``extra`` as it was.
            values = {c: extra.pop(c) for c in COLUMNS if isinstance(extra.get(c), str)}
        else:
            extra.update({c: row[c] for c in COLUMNS if row[c] is not None})
            values = {}
        if values or extra != _json(row["extra"]):
            values["extra"] = json.dumps(extra, ensure_ascii=False) if extra else None
            conn.execute(sa.update(projects).where(projects.c.id == row["id"]).values(**values))


def _json(text: str | None) -> dict[str, object]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
