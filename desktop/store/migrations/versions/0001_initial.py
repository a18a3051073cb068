"""The first schema: projects with their indicators, breakdown rows and 制度保障 rows.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_FUNDING = (
    "total",
    "total_fiscal",
    "total_other",
    "annual",
    "annual_fiscal",
    "upper",
    "local",
    "lower",
    "carryover",
    "annual_other",
)


def _rows(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "project_id",
            sa.String(64),
            sa.ForeignKey("projects.id", ondelete="CASCADE", name=f"fk_{name}_project_id_projects"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        *columns,
        sa.Column("extra", sa.Text),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_project", name, ["project_id", "position"])


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("template", sa.String(32)),
        *(
            sa.Column(c, sa.Text)
            for c in ("category", "department", "unit", "leader", "contact", "phone")
        ),
        sa.Column("start_date", sa.String(10)),
        sa.Column("end_date", sa.String(10)),
        *(
            sa.Column(c, sa.Text)
            for c in (
                "overview",
                "establishment",
                "resources",
                "overall_goal",
                "annual_goal",
                "other_issues",
                "main_activity",
            )
        ),
        *(sa.Column(f"funding_{k}", sa.String(64)) for k in _FUNDING),
        sa.Column("has_signoff", sa.Boolean, nullable=False),
        sa.Column("signoff_unit_head", sa.Text),
        sa.Column("signoff_preparer", sa.Text),
        sa.Column("signoff_date", sa.String(10)),
        sa.Column("extra", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("warning_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
    )
    op.create_index("ix_projects_year_name", "projects", ["year", "name"])
    _rows(
        "indicators",
        sa.Column("level1", sa.Text),
        sa.Column("level2", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("note", sa.Text),
    )
    _rows(
        "breakdown_rows",
        sa.Column("content", sa.Text),
        sa.Column("item", sa.Text),
        sa.Column("amount", sa.String(64)),
        sa.Column("unit_price", sa.String(64)),
        sa.Column("price_basis", sa.Text),
        sa.Column("quantity", sa.String(64)),
        sa.Column("quantity_basis", sa.Text),
        sa.Column("note", sa.Text),
    )
    _rows(
        "guarantees",
        sa.Column("kind", sa.Text),
        sa.Column("document", sa.Text),
        sa.Column("measures", sa.Text),
        sa.Column("stages", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("guarantees", "breakdown_rows", "indicators"):
        op.drop_index(f"ix_{name}_project", table_name=name)
        op.drop_table(name)
    op.drop_index("ix_projects_year_name", table_name="projects")
    op.drop_table("projects")
