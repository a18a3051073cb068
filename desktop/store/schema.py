"""The relational tables a project is stored in.

Every value is kept as written: amounts and dates are TEXT (``"1159620.00"``
stays so, an unreadable amount keeps its text for rule F01), rows keep their
position. Counts of findings are stored so the project list is one query.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from desktop.models.project import FUNDING_KEYS

# Stable constraint names so Alembic's batch mode can recreate SQLite tables.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

FUNDING_COLUMNS = tuple(f"funding_{k}" for k in FUNDING_KEYS)

projects = Table(
    "projects",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("year", Integer, nullable=True),
    Column("name", Text, nullable=False, default=""),
    Column("template", String(32)),
    Column("category", Text),
    Column("department", Text),
    Column("unit", Text),
    Column("leader", Text),
    Column("contact", Text),
    Column("phone", Text),
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("overview", Text),
    Column("establishment", Text),
    Column("resources", Text),
    Column("overall_goal", Text),
    Column("annual_goal", Text),
    Column("other_issues", Text),
    Column("main_activity", Text),
    # The shanghai-2020 项目经费情况说明's sections (migration 0004).
    Column("legal_basis", Text),
    Column("implementer", Text),
    Column("implementation_plan", Text),
    Column("implementation_period", Text),
    Column("budget_note", Text),
    *(Column(name, String(64)) for name in FUNDING_COLUMNS),
    Column("has_signoff", Boolean, nullable=False, default=False),
    Column("signoff_unit_head", Text),
    Column("signoff_preparer", Text),
    Column("signoff_date", String(10)),
    Column("extra", Text),  # JSON of keys this version does not know
    Column("status", String(16), nullable=False, default="draft"),
    Column("error_count", Integer, nullable=False, default=0),
    Column("warning_count", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # When the project was moved to the 回收站 (ISO timestamp); NULL for a live project.
    Column("deleted_at", Text, nullable=True),
    # The bureau's review remarks kept with the project (JSON list of text); NULL when none.
    Column("review", Text, nullable=True),
    # The project this one was copied from (复制到下一年度), as text; NULL for an original.
    Column("copied_from", Text, nullable=True),
    # 说明 on answered warnings (JSON list of {"code", "field", "text"}, as in the 数据包);
    # NULL when none. ``explained_count``: how many of ``warning_count`` they answer (0005).
    Column("explanations", Text, nullable=True),
    Column("explained_count", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_projects_year_name", "year", "name"),
)


def _row_table(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "project_id",
            String(64),
            ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        Column("position", Integer, nullable=False),
        *columns,
        Column("extra", Text),
        Index(f"ix_{name}_project", "project_id", "position"),
    )


indicators = _row_table(
    "indicators",
    Column("level1", Text),
    Column("level2", Text),
    Column("name", Text, nullable=False, default=""),
    Column("target", Text),
    Column("note", Text),
)

breakdown_rows = _row_table(
    "breakdown_rows",
    Column("content", Text),
    Column("item", Text),
    Column("amount", String(64)),
    Column("unit_price", String(64)),
    Column("price_basis", Text),
    Column("quantity", String(64)),
    Column("quantity_basis", Text),
    Column("note", Text),
)

guarantees = _row_table(
    "guarantees",
    Column("kind", Text),
    Column("document", Text),
    Column("measures", Text),
    Column("stages", Text, nullable=False, default="[]"),  # JSON list, order as written
)

ROW_TABLES = (indicators, breakdown_rows, guarantees)

# 定稿记录: the whole project as it was when it was 定稿'd (or just before a restore).
# ``data`` is JSON holding the 数据包 project dict (``package.py``); status and the
# indicator count are columns so the list needs no JSON parsing.
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "project_id",
        String(64),
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("taken_at", String(40), nullable=False),
    Column("label", Text),
    Column("status", String(16), nullable=False),
    Column("indicator_count", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_snapshots_project", "project_id", "taken_at"),
)
