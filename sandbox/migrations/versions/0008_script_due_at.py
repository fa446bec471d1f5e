"""When each report's scripted reporter (or the system) acts next, for the ticker.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

`complaint.due_at` is the simulated moment the script's next event falls due (None: the
script has nothing more to do). Reads no longer record reporter events; the ticker finds
the due ones through this indexed column. Existing scripted reports that may still have
something to do get their arrival time: the first tick looks at them once and sets the
real moment (or None).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SCRIPTED_STATES = ("TUNDA", "TERDISPOSISI", "MENUNGGU_PELAPOR", "SELESAI")


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("due_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_complaint_due_at", ["due_at"])
    complaint = sa.table("complaint", sa.column("due_at", sa.DateTime()),
                         sa.column("arrived_at", sa.DateTime()), sa.column("state", sa.String()),
                         sa.column("script", sa.JSON()))
    op.execute(complaint.update()
               .where(complaint.c.script.is_not(None), complaint.c.state.in_(SCRIPTED_STATES))
               .values(due_at=complaint.c.arrived_at))


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch:
        batch.drop_index("ix_complaint_due_at")
        batch.drop_column("due_at")
