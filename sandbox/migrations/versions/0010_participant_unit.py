"""Mode OPD: the OPD whose admin penghubung a trainee is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

`participant.unit_code` is the catalogue code of the trainee's own OPD in a session of
mode OPD (None in individual mode, and for every participant of older sessions).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("unit_code", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("unit_code")
