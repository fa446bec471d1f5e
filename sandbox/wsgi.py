"""The WSGI app for a production server (gunicorn "sandbox.wsgi:app", waitress-serve).

Several worker processes may start at once, so none of them migrates: a database whose
schema is not this build's stops the start with the command that upgrades it.
"""

from sandbox.app import create_app
from sandbox.services.database import SchemaError, ensure_schema

app = create_app()
with app.app_context():
    try:
        ensure_schema(auto_upgrade=False)
    except SchemaError as error:
        raise SystemExit(f"Sandbox LAPOR! did not start: {error.message}") from None
