"""Accounts and retries: session versions, sign-in attempts, one-time request keys.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("facilitator", "participant"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                       server_default="0"))
    op.create_table(
        "auth_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("account", sa.String(120), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("wall_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auth_attempt_client", "auth_attempt", ["scope", "client", "wall_at"])
    op.create_index("ix_auth_attempt_account", "auth_attempt", ["scope", "account", "wall_at"])
    op.create_table(
        "request_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(80), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("wall_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_request_key_wall_at", "request_key", ["wall_at"])


def downgrade() -> None:
    op.drop_table("request_key")
    op.drop_table("auth_attempt")
    for table in ("participant", "facilitator"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("session_version")
