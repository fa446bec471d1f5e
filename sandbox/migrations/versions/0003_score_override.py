"""Scoring: a facilitator's 1–5 rubric override of a TL, append-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("tl_seq", sa.Integer(), nullable=False),
        sa.Column("rubric", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("wall_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_score_override_complaint_id", "score_override", ["complaint_id"])


def downgrade() -> None:
    op.drop_table("score_override")
