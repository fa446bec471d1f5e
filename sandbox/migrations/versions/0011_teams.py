"""Mode tim: teams share their reports, each person sits in one seat of a team.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A team is a `participant` row with `seat = "tim"`: it owns the team's shared reports
(and its card, scored like one trainee's). Each person of a team has `team_id` (that
row) and `seat` ("instansi", or "opd-1", "opd-2", … as the scenario's [tim] lists them).
Both are None in other modes and in older sessions. `event.participant_id` is the person
who recorded an action (None for scripts, simulated teammates and older events, whose
report's owner acted): on a team's shared reports it tells the people apart.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("seat", sa.String(40), nullable=True))
        batch.create_foreign_key("fk_participant_team_id_participant", "participant",
                                 ["team_id"], ["id"])
        batch.create_index("ix_participant_team_id", ["team_id"])
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_event_participant_id_participant", "participant",
                                 ["participant_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_constraint("fk_event_participant_id_participant", type_="foreignkey")
        batch.drop_column("participant_id")
    with op.batch_alter_table("participant") as batch:
        batch.drop_index("ix_participant_team_id")
        batch.drop_constraint("fk_participant_team_id_participant", type_="foreignkey")
        batch.drop_column("seat")
        batch.drop_column("team_id")
