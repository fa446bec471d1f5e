"""0012: `participant.nip`. An 0011 database with played sessions upgrades with every row
as it was and no NIP, and downgrades again without losing a row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask_migrate import downgrade, stamp, upgrade

from sandbox.extensions import db
from sandbox.services.database import migrations_dir
from tests.migrations.test_migrations import load_legacy, make_app, table_counts


def _participants(path: Path) -> list[dict]:
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        rows = [dict(row) for row in connection.execute(
            "SELECT * FROM participant ORDER BY id")]
    connection.close()
    return rows


def _counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return table_counts(connection)
    finally:
        connection.close()


def test_an_0011_database_gains_an_empty_nip_and_keeps_every_row(tmp_path, clock):
    app = make_app(tmp_path, clock)
    database = Path(app.instance_path) / "lapor-sandbox.db"
    load_legacy("582cb98", database)  # six simulated trainees played its demo workshop
    with app.app_context():
        stamp(directory=migrations_dir(), revision="0005")
        upgrade(directory=migrations_dir(), revision="0011")
        db.session.remove()
    before, counts = _participants(database), _counts(database)
    assert len(before) >= 6 and "nip" not in before[0]

    with app.app_context():
        upgrade(directory=migrations_dir(), revision="0012")
        db.session.remove()
    after = _participants(database)
    assert [{k: v for k, v in row.items() if k != "nip"} for row in after] == before
    assert {row["nip"] for row in after} == {None}
    assert _counts(database) == counts

    with sqlite3.connect(database) as connection:  # a NIP stored, then the schema goes back
        connection.execute("UPDATE participant SET nip = '198503122010012005'")
    connection.close()
    with app.app_context():
        downgrade(directory=migrations_dir(), revision="0011")
        db.session.remove()
    assert _participants(database) == before
