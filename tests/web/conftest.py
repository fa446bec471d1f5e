from tests.web.kit import accounts, workshop  # noqa: F401  (shared fixtures)
