"""The WSGI app for a production server (gunicorn "sandbox.wsgi:app", waitress-serve).

Several worker processes may start at once, so none of them migrates: a database whose
schema is not this build's stops the start with the command that upgrades it. Each
process runs the ticker that records the scripted reporters' events (services.ticker).
"""

from sandbox.app import create_app
from sandbox.services.database import SchemaError, ensure_schema
from sandbox.services.ticker import start_ticker

app = create_app()
with app.app_context():
    try:
        ensure_schema(auto_upgrade=False)
    except SchemaError as error:
        raise SystemExit(f"Sandbox LAPOR! did not start: {error.message}") from None
start_ticker(app)  # each process ticks; a report is never settled twice
