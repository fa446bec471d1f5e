"""Attendance: when a participant was first seen, and the facilitator's hide, remove, merge.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Existing participants keep NULL in every new column: they count as seen once they have
acted (domain.attendance), which is what the sessions before this revision showed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("first_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("hidden_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_participant_merged_into_id_participant", "participant",
                                 ["merged_into_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.drop_constraint("fk_participant_merged_into_id_participant", type_="foreignkey")
        for column in ("merged_into_id", "removed_at", "hidden_at", "first_seen_at"):
            batch.drop_column(column)
