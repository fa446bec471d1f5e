"""`serve` and `demo` open waitress to a whole room: the connection limit and its checks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sandbox import serving
from sandbox.cli import main


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The keyword arguments `serve` passes to waitress (which is not started)."""
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv(serving.CONNECTION_LIMIT_ENV, raising=False)
    calls: list[dict] = []
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: calls.append(kwargs))
    return calls


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_serve_opens_waitress_to_thousands_of_connections(served):
    result = run("serve", "--port", "5099", "--threads", "6")
    assert result.exit_code == 0, result.output
    (options,) = served
    assert options["connection_limit"] == serving.DEFAULT_CONNECTION_LIMIT >= 2000
    assert options["threads"] == 6 and options["port"] == 5099
    assert options["backlog"] >= 1024
    # select() cannot watch descriptors above 1023: thousands of connections need poll().
    assert options["asyncore_use_poll"] is True


def test_the_limit_comes_from_the_option_then_the_environment(served, monkeypatch):
    monkeypatch.setenv(serving.CONNECTION_LIMIT_ENV, "1500")
    assert run("serve").exit_code == 0
    assert run("serve", "--connections", "250").exit_code == 0
    assert [call["connection_limit"] for call in served] == [1500, 250]


def test_demo_passes_the_limit_too(served):
    result = run("demo", "--connections", "300")
    assert result.exit_code == 0, result.output
    assert served[0]["connection_limit"] == 300


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--connections", "5"], None, "error: --connections must be from 10 to 100000 (got 5)"),
    ([], "lots", "error: LAPOR_CONNECTION_LIMIT must be a whole number from 10 to 100000 "
                 "(got 'lots')"),
    ([], "0", "error: LAPOR_CONNECTION_LIMIT must be from 10 to 100000 (got 0)"),
])
def test_a_bad_limit_is_refused_in_one_line(served, monkeypatch, args, env, message):
    if env is not None:
        monkeypatch.setenv(serving.CONNECTION_LIMIT_ENV, env)
    result = run("serve", *args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == message
    assert "Traceback" not in result.output
    assert not served


def test_the_open_file_limit_is_raised_to_fit_the_connections(monkeypatch):
    import resource
    limits = {"now": (1024, 8192)}
    monkeypatch.setattr(resource, "getrlimit", lambda which: limits["now"])

    def setrlimit(which, value):
        limits["now"] = value

    monkeypatch.setattr(resource, "setrlimit", setrlimit)
    assert serving.raise_open_file_limit(4000, 8) is None
    assert limits["now"] == (4000 + 8 + serving.SPARE_DESCRIPTORS, 8192)


def test_a_hard_open_file_limit_too_low_is_said_in_one_line(monkeypatch):
    import resource
    limits = {"now": (256, 1024)}
    monkeypatch.setattr(resource, "getrlimit", lambda which: limits["now"])
    monkeypatch.setattr(resource, "setrlimit",
                        lambda which, value: limits.__setitem__("now", value))
    warning = serving.raise_open_file_limit(4000, 8)
    assert limits["now"] == (1024, 1024)  # raised as far as allowed
    assert warning is not None and "\n" not in warning
    assert "Open-file limit is 1024" in warning and "ulimit -n 4072" in warning
