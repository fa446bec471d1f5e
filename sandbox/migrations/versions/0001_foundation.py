"""Foundation: exercises, participants, complaints and their event log.

The schema of the first build (12b888a). Databases made before migrations existed are
recognised by their tables and stamped with the revision they match (services.schema).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("region_file", sa.String(200), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("complaint_count", sa.Integer(), nullable=False),
        sa.Column("sim_start_at", sa.DateTime(), nullable=False),
        sa.Column("wall_start_at", sa.DateTime(), nullable=False),
        sa.Column("speed", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("unit_name", sa.String(160), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["exercise_id"], ["exercise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index("ix_participant_exercise_id", "participant", ["exercise_id"])
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tracking_no", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reporter", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("answer_key", sa.JSON(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("judul", sa.String(200), nullable=True),
        sa.Column("unit", sa.String(40), nullable=True),
        sa.ForeignKeyConstraint(["exercise_id"], ["exercise.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "tracking_no"),
    )
    op.create_index("ix_complaint_exercise_id", "complaint", ["exercise_id"])
    op.create_index("ix_complaint_participant_id", "complaint", ["participant_id"])
    op.create_index("ix_complaint_state", "complaint", ["state"])
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state_after", sa.String(20), nullable=False),
        sa.Column("sim_at", sa.DateTime(), nullable=False),
        sa.Column("wall_at", sa.DateTime(), nullable=False),
        sa.Column("idem_key", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("complaint_id", "seq"),
        sa.UniqueConstraint("idem_key"),
    )
    op.create_index("ix_event_complaint_id", "event", ["complaint_id"])


def downgrade() -> None:
    for table in ("event", "complaint", "participant", "exercise"):
        op.drop_table(table)
