import pytest

from tests.web.kit import FormClient, accounts, workshop  # noqa: F401  (shared fixtures)


@pytest.fixture
def app(app):
    """The app whose test clients post like our forms, each with a fresh form key."""
    app.test_client_class = FormClient
    return app
