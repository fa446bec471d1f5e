"""Configuration classes and where the app finds its data folders.

No secret lives here: the secret key is generated on first run and kept in
the instance folder (see app.init_secret_key).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """A top-level data folder (templates, seed, scenarios): in the wheel or the source tree."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


DEFAULT_REGION = "kabupaten-sukamaju.toml"


def find_region(name: str) -> Path:
    """A region given as a path, or as a file name in seed/regions/ (it may not exist)."""
    path = Path(name)
    return path if path.exists() or path.is_absolute() else resource_dir("seed") / "regions" / name


class Config:
    """Defaults for a laptop install; environment variables override them."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    # A workshop runs for hours; a CSRF token is valid as long as the browser session.
    WTF_CSRF_TIME_LIMIT: int | None = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    # The cookie is sent again only when the session changes, not on every answer: a room
    # of phones polls every few seconds, and re-signing the cookie for each poll costs
    # more than the poll itself. (A trainee's cookie lasts PERMANENT_SESSION_LIFETIME from
    # joining; a facilitator's sign-in is limited by FACILITATOR_SESSION_HOURS anyway.)
    SESSION_REFRESH_EACH_REQUEST = False

    REGION_FILE: str | None = None  # None: seed/regions/kabupaten-sukamaju.toml
    TOPICS_DIR: str | None = None  # None: seed/topics
    SCENARIOS_DIR: str | None = None  # None: the shipped scenarios/
    PRACTICE_COMPLAINTS = 12
    # Real minutes per working day (HK) in free practice: 8 makes one real minute one hour.
    PRACTICE_MINUTES_PER_HK = 8.0
    # Every trainee page polls once, this often (GET /denyut): a broadcast, a new report or
    # a reporter's reply reaches the trainee's screen this fast.
    PULSE_SECONDS = 5
    # The address trainees' phones use, e.g. http://192.168.43.10:5000; None: the address
    # the page was opened with. `serve --host 0.0.0.0` fills it in from the LAN address.
    PUBLIC_URL: str | None = None
    WALL_CLOCK: Any = None  # None: the system clock
    # FULL: a commit survives a power cut; NORMAL: only a killed process (slightly faster).
    SQLITE_SYNCHRONOUS = "FULL"

    # Cookies: "auto" marks the session cookie Secure when the request came over HTTPS,
    # "on" always (HTTPS only), "off" never. LAPOR_TRUSTED_PROXIES is how many reverse
    # proxies stand in front; only then are their X-Forwarded-For/-Proto/-Host believed.
    SECURE_COOKIES = "auto"
    TRUSTED_PROXIES = 0
    # A facilitator signs in again after this long (one long workshop day), so a browser
    # left signed in at the venue is not still signed in the next morning.
    FACILITATOR_SESSION_HOURS = 12
    # Guessing limits on sign-in, joining by code and rejoining (see domain/ratelimit.py):
    # per client strict, per account a short wait that grows, for everyone only when many
    # clients fail on one account.
    RATE_LIMIT_WINDOW_SECONDS = 15 * 60
    RATE_LIMIT_CLIENT_FAILURES = 10
    RATE_LIMIT_ACCOUNT_FAILURES = 5
    RATE_LIMIT_ACCOUNT_DELAY_SECONDS = 10
    RATE_LIMIT_ACCOUNT_MAX_DELAY_SECONDS = 120
    RATE_LIMIT_CLEAN_CLIENT_UNTIL = 30
    RATE_LIMIT_CLIENT_ATTEMPTS = 20  # facilitator sign-ins of any outcome per client and window

    @classmethod
    def from_env(cls) -> dict[str, Any]:
        """Settings taken from the environment at app creation."""
        values: dict[str, Any] = {}
        if os.environ.get("DATABASE_URL"):
            values["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("LAPOR_SECRET_KEY"):
            values["SECRET_KEY"] = os.environ["LAPOR_SECRET_KEY"]
        if os.environ.get("LAPOR_REGION_FILE"):
            values["REGION_FILE"] = os.environ["LAPOR_REGION_FILE"]
        if os.environ.get("LAPOR_PUBLIC_URL"):
            values["PUBLIC_URL"] = os.environ["LAPOR_PUBLIC_URL"].rstrip("/")
        if os.environ.get("LAPOR_SQLITE_SYNCHRONOUS"):
            values["SQLITE_SYNCHRONOUS"] = os.environ["LAPOR_SQLITE_SYNCHRONOUS"]
        if os.environ.get("LAPOR_SCENARIOS_DIR"):
            values["SCENARIOS_DIR"] = os.environ["LAPOR_SCENARIOS_DIR"]
        if os.environ.get("LAPOR_SECURE_COOKIES"):
            values["SECURE_COOKIES"] = os.environ["LAPOR_SECURE_COOKIES"].strip().lower()
        if os.environ.get("LAPOR_TRUSTED_PROXIES"):
            values["TRUSTED_PROXIES"] = os.environ["LAPOR_TRUSTED_PROXIES"].strip()
        return values


class TestConfig(Config):
    """For the test suite: a throwaway secret; the database comes from the fixture."""

    TESTING = True
    SECRET_KEY = "test-only-secret"  # noqa: S105 - never used outside tests
    WTF_CSRF_ENABLED = False
