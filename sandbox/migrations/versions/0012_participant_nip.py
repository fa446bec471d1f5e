"""People over time: a participant's explicit id (NIP) from the roster import.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

`participant.nip` is the id a facilitator's participant list gives a person (a civil
servant's NIP, or another id the province hands out), stripped of spaces. The studi
komparasi follows a person across sessions by it (domain.people). None for people who
joined by hand, lists without the column, and every participant of older sessions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("nip", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("nip")
