"""Accounts: guessing limits on sign-in, joining and rejoining; the same cost for unknown
usernames; sign-out and password change end sessions on the server; Secure cookies."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from sandbox import create_app
from sandbox.cli import main
from sandbox.config import TestConfig
from sandbox.domain.errors import DomainError
from sandbox.extensions import db
from sandbox.models import AuthAttempt, Facilitator, Participant
from sandbox.services import accounts as account_service
from sandbox.services import ratelimit
from tests.conftest import build_app
from tests.web.kit import HX, PASSWORD, create_session, join, login

LIMIT = TestConfig.RATE_LIMIT_CLIENT_FAILURES  # 10 by default


def second_process(app, tmp_path, clock, **overrides):
    """Another server process on the same database (SQLite or PostgreSQL)."""
    return build_app(tmp_path, clock, database_url=app.config["SQLALCHEMY_DATABASE_URI"],
                     fresh=False, **overrides)


def client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt_rows(app, **where):
    with app.app_context():
        query = select(func.count()).select_from(AuthAttempt).filter_by(**where)
        return db.session.scalar(query)


def sign_in(client, username="ratna", password=PASSWORD, **kwargs):
    return client.post("/fasilitator/masuk", data={"username": username,
                                                   "password": password}, **kwargs)


def fail_from(client, times):
    """Wrong sign-ins from one client, each at another username (no account wait)."""
    for n in range(times):
        assert sign_in(client, username=f"tebak{n}", password="salah-sekali").status_code == 422


def guess_personal_codes(phone, code, clock, times=LIMIT):
    """Wrong personal codes at one session; the session code's short waits are sat out."""
    for n in range(times):
        data = {"code": code, "personal_code": f"ZZZZZ{n}"}
        response = phone.post("/ikut/lanjut", data=data)
        if response.status_code == 429:
            assert "untuk nama atau kode ini" in response.get_data(as_text=True)
            clock.advance(seconds=int(response.headers["Retry-After"]))
            response = phone.post("/ikut/lanjut", data=data)
        assert response.status_code == 422


def spy_on_password_checks(monkeypatch):
    checked = []
    real = account_service.check_password_hash

    def spy(stored, password):
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(account_service, "check_password_hash", spy)
    return checked


# --- Rate limits -----------------------------------------------------------------------

def test_wrong_passwords_block_the_client_before_the_password_is_checked(
        app, accounts, clock, monkeypatch):
    laptop = client_at(app, "10.0.0.5")
    fail_from(laptop, LIMIT)
    checked = spy_on_password_checks(monkeypatch)
    blocked = sign_in(laptop)  # even the right password
    assert blocked.status_code == 429
    assert checked == []  # refused before any hash was computed
    page = blocked.get_data(as_text=True)
    assert 'id="login-form"' in page  # the form again, not a blank page
    assert "Terlalu banyak percobaan yang gagal dari perangkat ini" in page
    assert "tunggu 15 menit lalu coba lagi" in page
    assert blocked.headers["Retry-After"] == "900"
    assert attempt_rows(app, scope="masuk", succeeded=False) == LIMIT  # blocks not recorded
    clock.advance(minutes=15)
    assert sign_in(laptop).status_code == 303


def test_a_client_resending_even_the_right_password_is_stopped_before_hashing(
        app, accounts, clock, monkeypatch):
    """A sign-in flood: after RATE_LIMIT_CLIENT_ATTEMPTS attempts of any outcome from one
    client, the next is refused without hashing; other clients sign in as usual, and
    joining a session (a room behind one address) is not capped."""
    laptop = client_at(app, "10.0.0.7")
    cap = TestConfig.RATE_LIMIT_CLIENT_ATTEMPTS
    for _ in range(cap):
        assert sign_in(laptop).status_code == 303
    checked = spy_on_password_checks(monkeypatch)
    blocked = sign_in(laptop)
    assert blocked.status_code == 429 and checked == []
    assert "Terlalu banyak percobaan masuk dari perangkat ini" in blocked.get_data(as_text=True)
    assert sign_in(client_at(app, "10.0.0.8")).status_code == 303
    clock.advance(minutes=15)
    assert sign_in(laptop).status_code == 303


def test_failed_sign_ins_are_committed_and_seen_by_another_server_process(
        app, accounts, clock, tmp_path):
    """The count lives in the table: a second app on the same database blocks as well."""
    fail_from(client_at(app, "10.0.0.5"), LIMIT)
    second = second_process(app, tmp_path, clock)
    assert sign_in(client_at(second, "10.0.0.5")).status_code == 429
    assert sign_in(client_at(second, "10.0.0.6")).status_code == 303
    with second.app_context():
        db.engine.dispose()


def test_a_trainee_guessing_the_facilitators_password_does_not_lock_the_facilitator_out(
        app, accounts):
    phone = client_at(app, "10.0.0.23")
    for _ in range(5):
        assert sign_in(phone, password="tebak-tebak").status_code == 422
    assert sign_in(phone).status_code == 429  # the phone now waits for "ratna"
    # The account is past its free failures, but the facilitator's laptop has none.
    assert sign_in(client_at(app, "10.0.0.5")).status_code == 303


def test_a_client_with_failures_of_its_own_waits_for_a_guessed_account(app, accounts, clock):
    for n in range(21, 27):  # each address clean when it tries: all six are checked
        assert sign_in(client_at(app, f"10.0.0.{n}"), password="tebak").status_code == 422
    # Six failures on "ratna": a client that failed too waits 20 seconds from the latest.
    response = sign_in(client_at(app, "10.0.0.21"))
    assert response.status_code == 429
    assert "untuk nama atau kode ini" in response.get_data(as_text=True)
    assert "20 detik" in response.get_data(as_text=True)
    clock.advance(seconds=20)
    assert sign_in(client_at(app, "10.0.0.21")).status_code == 303


def test_unknown_usernames_count_the_same_way(app, accounts):
    """The limit does not tell which usernames exist: an unknown one waits the same."""
    for username in ("Tidak-Ada", "ratna"):
        laptop = client_at(app, f"10.0.1.{len(username)}")
        for _ in range(5):
            assert sign_in(laptop, username=username, password="salah").status_code == 422
        response = sign_in(laptop, username=username.lower(), password="salah")
        assert response.status_code == 429
        assert "tunggu 10 detik" in response.get_data(as_text=True)
    assert attempt_rows(app, account="tidak-ada", succeeded=False) == 5


def test_the_limits_are_settings(tmp_path, clock, accounts, app):
    strict = second_process(app, tmp_path, clock, RATE_LIMIT_CLIENT_FAILURES=2)
    laptop = client_at(strict, "10.0.0.5")
    fail_from(laptop, 2)
    assert sign_in(laptop).status_code == 429
    with strict.app_context():
        db.engine.dispose()
    with pytest.raises(DomainError, match="RATE_LIMIT"):
        second_process(app, tmp_path, clock, RATE_LIMIT_CLIENT_FAILURES=0)


def test_wrong_session_codes_are_limited_and_answered_in_the_form(app, workshop, clock):
    _, code, _ = workshop
    phone = client_at(app, "10.0.0.31")
    for n in range(LIMIT):
        response = phone.post("/ikut", data={"code": f"SALAH{n}", "name": "Andi",
                                            "unit_name": "Dinas PUPR"}, headers=HX)
        assert response.status_code == 422
    blocked = phone.post("/ikut", data={"code": code, "name": "Andi",
                                        "unit_name": "Dinas PUPR"}, headers=HX)
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert 'id="join-forms"' in page and "<html" not in page  # the htmx partial
    assert "tunggu 15 menit" in page and blocked.headers["Retry-After"] == "900"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant).where(
            Participant.name == "Andi")) == 0
    assert attempt_rows(app, scope="ikut", succeeded=False) == LIMIT
    clock.advance(minutes=15)
    assert phone.post("/ikut", data={"code": code, "name": "Andi",
                                     "unit_name": "Dinas PUPR"}).status_code == 303
    assert attempt_rows(app, scope="ikut", succeeded=True, account=code.lower()) == 2


def test_a_form_error_with_the_right_code_is_not_a_guess(app, workshop):
    _, code, _ = workshop
    phone = client_at(app, "10.0.0.31")
    for _ in range(LIMIT + 2):
        assert phone.post("/ikut", data={"code": code, "name": "",
                                         "unit_name": ""}).status_code == 422
        assert phone.post("/ikut", data={"code": "", "name": "Andi",
                                         "unit_name": "Dinas PUPR"}).status_code == 422
    assert attempt_rows(app, scope="ikut", succeeded=False) == 0
    assert phone.post("/ikut", data={"code": code, "name": "Andi",
                                     "unit_name": "Dinas PUPR"}).status_code == 303


def test_a_blank_rejoin_field_is_not_a_guess(app, workshop):
    _, code, _ = workshop
    phone = client_at(app, "10.0.0.41")
    for _ in range(LIMIT + 2):
        for data in ({"code": code, "personal_code": ""}, {"code": "", "personal_code": "ABC"}):
            assert phone.post("/ikut/lanjut", data=data).status_code == 422
    assert attempt_rows(app, scope="lanjut") == 0


def test_a_room_behind_one_address_can_all_join(app, workshop):
    """Only failures count: a class on one hotspot address is not slowed by joining."""
    _, code, _ = workshop
    for n in range(LIMIT * 2):
        assert client_at(app, "10.0.0.1").post("/ikut", data={
            "code": code, "name": f"Peserta {n}", "unit_name": "Dinas PUPR"}).status_code == 303


def test_guessing_personal_codes_is_limited(app, workshop, clock):
    _, code, _ = workshop
    with app.app_context():
        siti = db.session.scalar(select(Participant).where(Participant.name == "Siti"))
        personal = siti.personal_code
    phone = client_at(app, "10.0.0.41")
    guess_personal_codes(phone, code, clock)  # 10 guesses take 4.5 minutes of waits
    blocked = phone.post("/ikut/lanjut", data={"code": code, "personal_code": personal})
    assert blocked.status_code == 429
    assert 'id="rejoin-form"' in blocked.get_data(as_text=True)
    assert "dari perangkat ini" in blocked.get_data(as_text=True)
    assert "tunggu 11 menit" in blocked.get_data(as_text=True)
    # Siti herself, on her own phone, is not held up by the guesser.
    own = client_at(app, "10.0.0.42").post("/ikut/lanjut", data={
        "code": code, "personal_code": personal})
    assert own.status_code == 303


def test_an_unknown_rejoin_link_writes_nothing_and_answers_a_blocked_client_with_429(
        app, workshop, clock):
    _, code, _ = workshop
    phone = client_at(app, "10.0.0.41")
    assert phone.get("/lanjut/tidak-ada").status_code == 404
    assert attempt_rows(app) == 2  # ratna's sign-in and Siti's join: the GET added none
    guess_personal_codes(phone, code, clock)
    before = attempt_rows(app)
    response = phone.get("/lanjut/tidak-ada")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    assert attempt_rows(app) == before
    assert client_at(app, "10.0.0.42").get("/lanjut/tidak-ada").status_code == 404


def test_old_attempts_are_pruned_now_and_then(app, clock):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.5"}):
        ratelimit.record_attempt("masuk", "ratna", succeeded=False)
        clock.advance(hours=25)
        for _ in range(ratelimit.PRUNE_EVERY - 2):
            ratelimit.record_attempt("masuk", "ratna", succeeded=False)
        assert db.session.scalar(select(func.count()).select_from(AuthAttempt)) == \
            ratelimit.PRUNE_EVERY - 1
        ratelimit.record_attempt("masuk", "ratna", succeeded=False)  # id 100: prunes
        assert db.session.scalar(select(func.count()).select_from(AuthAttempt)) == \
            ratelimit.PRUNE_EVERY - 1


# --- The same cost for unknown usernames -------------------------------------------------

def test_an_unknown_username_is_checked_against_a_hash_of_the_same_method(
        app, accounts, monkeypatch):
    checked = spy_on_password_checks(monkeypatch)
    with app.app_context():
        assert account_service.authenticate("ratna", "salah-sekali") is None
        assert account_service.authenticate("tidak-ada", "salah-sekali") is None
        real = db.session.scalar(select(Facilitator.password_hash).where(
            Facilitator.username == "ratna"))
    assert len(checked) == 2
    assert checked[0] == real
    method = real.split("$", 1)[0]  # e.g. "scrypt:32768:8:1"
    assert checked[1].split("$", 1)[0] == method and checked[1] != real


# --- Sign-out and password change end sessions on the server ---------------------------

def copy_of(client, app):
    """A second browser holding a copy of `client`'s session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def test_keluar_ends_a_copied_facilitator_cookie(app, accounts):
    ratna = login(app, "ratna")
    copy = copy_of(ratna, app)
    assert copy.get("/fasilitator/").status_code == 200
    assert ratna.post("/fasilitator/keluar").status_code == 303
    response = copy.get("/fasilitator/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/fasilitator/masuk")
    assert login(app, "ratna").get("/fasilitator/").status_code == 200  # signing in again


def test_keluar_ends_a_copied_trainee_cookie_but_not_the_rejoin_link(app, workshop):
    _, code, siti = workshop
    copy = copy_of(siti, app)
    assert copy.get("/kotak-masuk").status_code == 200
    assert siti.post("/keluar").status_code == 303
    assert copy.get("/kotak-masuk").status_code == 303
    with app.app_context():
        token = db.session.scalar(select(Participant.token).where(Participant.name == "Siti"))
    back = app.test_client()
    assert back.get(f"/lanjut/{token}").status_code == 303
    assert back.get("/kotak-masuk").status_code == 200


def test_a_facilitator_sign_in_expires_after_a_workshop_day(app, accounts, clock):
    ratna = login(app, "ratna")
    clock.advance(hours=TestConfig.FACILITATOR_SESSION_HOURS - 1)
    assert ratna.get("/fasilitator/").status_code == 200
    clock.advance(hours=1)
    assert ratna.get("/fasilitator/").status_code == 303


def test_changing_the_password_ends_every_other_session(app, accounts):
    ratna = login(app, "ratna")
    projector = login(app, "ratna")
    page = ratna.get("/fasilitator/akun").get_data(as_text=True)
    assert 'id="account-form"' in page
    assert 'href="/fasilitator/akun"' in ratna.get("/fasilitator/").get_data(as_text=True)
    response = ratna.post("/fasilitator/akun", data={
        "current": PASSWORD, "new": "sandi-baru-2026", "repeat": "sandi-baru-2026"})
    assert response.status_code == 200
    assert "Kata sandi diganti" in response.get_data(as_text=True)
    assert ratna.get("/fasilitator/").status_code == 200  # this browser stays signed in
    assert projector.get("/fasilitator/").status_code == 303
    assert sign_in(app.test_client()).status_code == 422
    assert sign_in(app.test_client(), password="sandi-baru-2026").status_code == 303


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"current": "salah-sekali", "new": "sandi-baru-2026", "repeat": "sandi-baru-2026"},
     "current", "Kata sandi saat ini salah."),
    ({"current": PASSWORD, "new": "pendek", "repeat": "pendek"},
     "new", "Kata sandi minimal 8 karakter."),
    ({"current": PASSWORD, "new": "sandi-baru-2026", "repeat": "sandi-baru-2025"},
     "repeat", "Ulangi kata sandi baru persis sama."),
])
def test_a_wrong_password_change_says_why_and_changes_nothing(app, accounts, form, field,
                                                              message):
    ratna = login(app, "ratna")
    other = login(app, "ratna")
    response = ratna.post("/fasilitator/akun", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert other.get("/fasilitator/").status_code == 200
    assert sign_in(app.test_client()).status_code == 303
    assert attempt_rows(app, scope="masuk", succeeded=False) == (field == "current")


def test_guessing_the_present_password_on_the_account_page_is_limited(app, accounts):
    ratna = login(app, "ratna")
    for _ in range(5):
        assert ratna.post("/fasilitator/akun", data={
            "current": "tebak-tebak", "new": "x" * 9, "repeat": "x" * 9}).status_code == 422
    response = ratna.post("/fasilitator/akun", data={
        "current": PASSWORD, "new": "sandi-baru-2026", "repeat": "sandi-baru-2026"})
    assert response.status_code == 429
    assert "tunggu 10 detik" in response.get_data(as_text=True)
    assert sign_in(client_at(app, "10.0.0.9")).status_code == 303  # password unchanged


def test_reset_password_on_the_command_line_ends_the_users_sessions(tmp_path, monkeypatch):
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LAPOR_FACILITATOR_PASSWORD", PASSWORD)
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"]).exit_code == 0
    created = runner.invoke(main, ["create-facilitator", "--username", "ratna",
                                   "--name", "Bu Ratna"])
    assert created.exit_code == 0, created.output
    app = create_app(TestConfig)
    ratna = login(app, "ratna")
    monkeypatch.setenv("LAPOR_FACILITATOR_PASSWORD", "sandi-baru-2026")
    result = runner.invoke(main, ["reset-password", "--username", "Ratna"])
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    assert ratna.get("/fasilitator/").status_code == 303
    assert sign_in(app.test_client(), password="sandi-baru-2026").status_code == 303
    unknown = runner.invoke(main, ["reset-password", "--username", "tidak-ada"])
    assert unknown.exit_code == 2
    assert "Tidak ada fasilitator dengan nama pengguna «tidak-ada»" in unknown.output
    with app.app_context():
        db.engine.dispose()


# --- Secure cookies and trusted proxies -------------------------------------------------

def set_cookie_of(response):
    return response.headers["Set-Cookie"]


def is_secure_cookie(response):
    return re.search(r";\s*Secure", set_cookie_of(response)) is not None


def test_auto_marks_the_cookie_secure_only_over_https(app, accounts):
    assert not is_secure_cookie(sign_in(app.test_client()))
    assert is_secure_cookie(sign_in(app.test_client(), base_url="https://localhost"))


def test_a_forwarded_proto_is_believed_only_behind_a_trusted_proxy(app, accounts, tmp_path,
                                                                   clock):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.77"}
    assert not is_secure_cookie(sign_in(app.test_client(), headers=forwarded))
    assert attempt_rows(app, client="127.0.0.1", succeeded=True) == 1
    behind = second_process(app, tmp_path, clock, TRUSTED_PROXIES=1)
    assert is_secure_cookie(sign_in(behind.test_client(), headers=forwarded))
    assert attempt_rows(app, client="10.0.0.77", succeeded=True) == 1
    with behind.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("mode", "base_url", "secure"), [
    ("on", "http://localhost", True), ("off", "https://localhost", False),
    ("auto", "http://localhost", False), ("auto", "https://localhost", True),
])
def test_the_secure_cookies_setting(tmp_path, clock, accounts, app, monkeypatch, mode,
                                    base_url, secure):
    monkeypatch.setenv("LAPOR_SECURE_COOKIES", mode.upper())
    configured = second_process(app, tmp_path, clock)
    response = sign_in(configured.test_client(), base_url=base_url)
    assert response.status_code == 303
    assert is_secure_cookie(response) is secure
    with configured.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("variable", "value"), [
    ("LAPOR_SECURE_COOKIES", "yes"), ("LAPOR_TRUSTED_PROXIES", "-1"),
    ("LAPOR_TRUSTED_PROXIES", "satu"), ("LAPOR_TRUSTED_PROXIES", "9"),
    ("LAPOR_TRUSTED_PROXIES", "²"),
])
def test_a_wrong_cookie_or_proxy_setting_stops_the_start_with_a_clear_message(
        tmp_path, clock, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(DomainError, match=variable):
        build_app(tmp_path, clock)


def test_create_session_still_works_after_signing_in_again(app, accounts):
    """Signing out and in again gives a working cookie (the version is stamped afresh)."""
    ratna = login(app, "ratna")
    ratna.post("/fasilitator/keluar")
    again = login(app, "ratna")
    assert create_session(again)
    assert join(app, create_session(again)).get("/kotak-masuk").status_code == 200
