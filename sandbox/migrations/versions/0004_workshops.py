"""Workshops: facilitator accounts, who runs a session and where, personal codes, cohorts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    with op.batch_alter_table("exercise") as batch:
        batch.add_column(sa.Column("facilitator_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("location", sa.String(160), nullable=True))
        batch.add_column(sa.Column("held_on", sa.String(40), nullable=True))
        batch.create_index("ix_exercise_facilitator_id", ["facilitator_id"])
        batch.create_foreign_key("fk_exercise_facilitator_id_facilitator", "facilitator",
                                 ["facilitator_id"], ["id"])
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("personal_code", sa.String(8), nullable=True))
        batch.add_column(sa.Column("cohort", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("cohort")
        batch.drop_column("personal_code")
    with op.batch_alter_table("exercise") as batch:
        batch.drop_constraint("fk_exercise_facilitator_id_facilitator", type_="foreignkey")
        batch.drop_index("ix_exercise_facilitator_id")
        batch.drop_column("held_on")
        batch.drop_column("location")
        batch.drop_column("facilitator_id")
    op.drop_table("facilitator")
