"""Working-day clock and scenarios: clock changes, exercise settings, reporter scripts.

Before this build an exercise's clock was linear: `speed` simulated seconds per real
second from `wall_start_at`. Each such exercise gets the clock change that starts it
at that rate, and `speed` becomes real minutes per HK (an 8-hour office day), as the
working-day clock reads them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OFFICE_DAY_SECONDS = 8 * 3600  # Calendar()'s default 08:00–16:00


def upgrade() -> None:
    op.create_table(
        "clock_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("wall_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(["exercise_id"], ["exercise.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_clock_change_exercise_id", "clock_change", ["exercise_id"])
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("script", sa.JSON(), nullable=True))
        batch.create_index("ix_complaint_arrived_at", ["arrived_at"])
    with op.batch_alter_table("exercise") as batch:
        batch.add_column(sa.Column("scenario_id", sa.String(80), nullable=True))
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=False,
                                   server_default=sa.text("'{}'")))
    with op.batch_alter_table("exercise") as batch:
        batch.alter_column("settings", server_default=None)

    exercise = sa.table("exercise", sa.column("id", sa.Integer), sa.column("speed", sa.Float),
                        sa.column("wall_start_at", sa.DateTime))
    clock_change = sa.table(
        "clock_change", sa.column("exercise_id", sa.Integer), sa.column("kind", sa.String),
        sa.column("rate", sa.Float), sa.column("wall_at", sa.DateTime),
        sa.column("actor", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(exercise.c.id, exercise.c.speed,
                                            exercise.c.wall_start_at)).all():
        rate = row.speed or 1.0
        connection.execute(clock_change.insert().values(
            exercise_id=row.id, kind="mulai", rate=rate, wall_at=row.wall_start_at,
            actor="Pembaruan basis data"))
        connection.execute(exercise.update().where(exercise.c.id == row.id).values(
            speed=OFFICE_DAY_SECONDS / rate / 60))


def downgrade() -> None:
    with op.batch_alter_table("exercise") as batch:
        batch.drop_column("settings")
        batch.drop_column("scenario_id")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_index("ix_complaint_arrived_at")
        batch.drop_column("script")
    op.drop_table("clock_change")
