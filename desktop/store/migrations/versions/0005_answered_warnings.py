"""说明 on answered warnings: the 说明 kept with the project and how many warnings they answer.

Revision ID: 0005
Revises: 0004
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The 数据包 key (and the key an older program keeps among the keys it does not know).
KEY = "explanations"


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN, as in 0002–0004: batch mode would recreate
    # ``projects``, and with foreign keys on that cascade-deletes every project's rows.
    op.add_column("projects", sa.Column("explanations", sa.Text, nullable=True))
    op.add_column(
        "projects",
        sa.Column("explained_count", sa.Integer, nullable=False, server_default="0"),
    )
    # An older program that imported a 数据包 of this version kept its ``explanations`` in
    # ``extra`` (a key it did not know): it has a column now. Entries of another shape were
    # never readable by any version and are dropped with the key. ``explained_count``
    # stays 0 until the project is next saved or recounted.
    _move(from_extra=True)


def downgrade() -> None:
    # Back into ``extra`` first, so the older program keeps them and writes them back into
    # its 数据包 (as a key it does not know) instead of losing them.
    _move(from_extra=False)
    # Native DROP COLUMN (SQLite 3.35+), not batch mode (see 0002).
    op.drop_column("projects", "explained_count")
    op.drop_column("projects", "explanations")


def _move(from_extra: bool) -> None:
    conn = op.get_bind()
    projects = sa.table("projects", sa.column("id"), sa.column("extra"), sa.column("explanations"))
    query = sa.select(projects).where(
        projects.c.extra.like(f'%"{KEY}"%') if from_extra else projects.c.explanations.is_not(None)
    )
    for row in conn.execute(query).mappings().all():
        extra = _json(row["extra"], {})
        if from_extra:
            if KEY not in extra:
                continue
            kept = [e for e in _list(extra.pop(KEY)) if _well_formed(e)]
            values = {"explanations": json.dumps(kept, ensure_ascii=False) if kept else None}
        else:
            extra[KEY] = _json(row["explanations"], [])
            values = {}
        values["extra"] = json.dumps(extra, ensure_ascii=False) if extra else None
        conn.execute(sa.update(projects).where(projects.c.id == row["id"]).values(**values))


def _well_formed(entry: Any) -> bool:
    """What the 数据包 reader of this version accepts (its limits, kept literal here)."""
    if not isinstance(entry, dict):
        return False
    if not all(
        isinstance(entry.get(k), str) and entry[k].strip() for k in ("code", "field", "text")
    ):
        return False
    return (
        len(entry["code"]) <= 16
        and len(entry["field"]) <= 500
        and len(entry["text"].strip()) <= 200
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _json(text: str | None, empty: Any) -> Any:
    if not text:
        return empty
    try:
        value = json.loads(text)
    except ValueError:
        return empty
    return value if isinstance(value, type(empty)) else empty
