"""定稿记录 (snapshots of a project at each 定稿), and a project's review remarks and origin.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN: no batch copy of ``projects``, every row stays.
    op.add_column("projects", sa.Column("review", sa.Text, nullable=True))
    op.add_column("projects", sa.Column("copied_from", sa.Text, nullable=True))
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "project_id",
            sa.String(64),
            # Purging a project takes its snapshots with it; the 回收站 keeps them.
            sa.ForeignKey(
                "projects.id", ondelete="CASCADE", name="fk_snapshots_project_id_projects"
            ),
            nullable=False,
        ),
        sa.Column("taken_at", sa.String(40), nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("indicator_count", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_project", "snapshots", ["project_id", "taken_at"])


def downgrade() -> None:
    op.drop_index("ix_snapshots_project", table_name="snapshots")
    op.drop_table("snapshots")
    # Native DROP COLUMN (SQLite 3.35+), not batch mode: recreating ``projects`` with
    # foreign keys on would cascade-delete the rows of every project (see 0002).
    op.drop_column("projects", "copied_from")
    op.drop_column("projects", "review")
