"""The 回收站: a project moved there keeps its rows and gets the time it was moved.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ... ADD COLUMN: no batch copy of the table, every row stays.
    op.add_column("projects", sa.Column("deleted_at", sa.Text, nullable=True))


def downgrade() -> None:
    # Native DROP COLUMN (SQLite 3.35+), not batch mode: recreating ``projects`` with
    # foreign keys on would cascade-delete the rows of every project. Projects that
    # were in the 回收站 become ordinary projects again; nothing is deleted.
    op.drop_column("projects", "deleted_at")
