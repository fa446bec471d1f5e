"""Report cards kept between changes, so a room's projector does not rescore everyone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

`score_card` is a cache: one row per trainee, the card as last computed and what it was
computed from. Nothing is backfilled: a missing card is computed when first needed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_card",
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey("participant.id"),
                  primary_key=True),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("steady_until", sa.DateTime(), nullable=True),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("score_card")
