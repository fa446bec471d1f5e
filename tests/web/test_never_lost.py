"""Issue 16: nothing a trainee typed or needs is lost. The open action lives in the URL
(?aksi=), an action's answer tells the browser which draft to clear and where to put the
focus, over-long text is refused by the server with its count (no silent maxlength cut),
the personal code is always in the header, «Keluar» asks first and then says how to come
back, and a visitor without the cookie is told how to rejoin."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from sandbox.domain.workflow import JUDUL_MAX, TEXT_MAX
from sandbox.extensions import db
from sandbox.models import Participant
from tests.web.kit import HX, first_report

JUDUL = "Jalan berlubang perlu ditambal"


def _started(workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    return ratna, code, siti


def _personal_code(app, name="Siti"):
    with app.app_context():
        return db.session.scalar(select(Participant.personal_code)
                                 .where(Participant.name == name))


def _draft_key(html, action):
    found = re.search(rf'<form [^>]*id="form-{action}"[^>]*data-draft="([^"]+)"', html, re.S)
    return found.group(1) if found else None


def test_the_action_in_the_url_opens_its_form_on_a_reload(app, workshop, clock):
    _, _, siti = _started(workshop, clock)
    number, _ = first_report(app, "Siti")
    plain = siti.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="form-verifikasi"' not in plain
    # The button that opens the form by htmx puts that address in the bar.
    assert f'hx-push-url="/laporan/{number}?aksi=verifikasi"' in plain
    reloaded = siti.get(f"/laporan/{number}?aksi=verifikasi").get_data(as_text=True)
    assert 'id="form-verifikasi"' in reloaded
    key = _draft_key(reloaded, "verifikasi")
    assert key is not None and key.endswith(f":{number}:verifikasi")
    # An action this trainee cannot take here opens nothing.
    assert 'id="form-' not in siti.get(f"/laporan/{number}?aksi=pelapor_menilai") \
        .get_data(as_text=True)


def test_action_forms_have_no_silent_cut_but_say_their_limits(app, workshop, clock):
    _, _, siti = _started(workshop, clock)
    number, _ = first_report(app, "Siti")
    html = siti.get(f"/laporan/{number}?aksi=verifikasi").get_data(as_text=True)
    form = html[html.index('id="form-verifikasi"'):html.index("</form>")]
    assert "maxlength" not in form
    assert f'data-max="{JUDUL_MAX}" data-max-label="Judul"' in form


def test_over_long_text_is_refused_with_its_count_and_kept(app, workshop, clock):
    _, _, siti = _started(workshop, clock)
    number, key = first_report(app, "Siti")
    judul = "J" * 300
    answer = siti.post(f"/laporan/{number}/aksi/verifikasi", headers=HX, data={
        "idem_key": "x" * 20, "judul": judul, "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "unit": key["expected_target"]})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Judul terlalu panjang: maksimal 200 karakter, Anda menulis 300." in html
    assert f'value="{judul}"' in html  # what she wrote comes back whole, to shorten
    assert "HX-Replace-Url" not in answer.headers  # the form is still open: ?aksi= stays


def test_the_tl_form_names_the_domain_limit(app, workshop, clock):
    _, _, siti = _started(workshop, clock)
    number, key = first_report(app, "Siti")
    siti.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "v" * 20, "judul": JUDUL, "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "unit": key["expected_target"]})
    html = siti.get(f"/laporan/{number}?aksi=tindak_lanjut").get_data(as_text=True)
    assert f'data-max="{TEXT_MAX}" data-max-label="TL"' in html
    answer = siti.post(f"/laporan/{number}/aksi/tindak_lanjut", headers=HX,
                       data={"idem_key": "t" * 20, "isi": "a" * 10_000})
    assert answer.status_code == 422
    assert "maksimal 5.000 karakter, Anda menulis 10.000" in answer.get_data(as_text=True)


def test_a_saved_action_closes_the_url_clears_its_draft_and_takes_the_focus(app, workshop,
                                                                           clock):
    _, _, siti = _started(workshop, clock)
    number, key = first_report(app, "Siti")
    form_page = siti.get(f"/laporan/{number}?aksi=verifikasi").get_data(as_text=True)
    draft = _draft_key(form_page, "verifikasi")
    answer = siti.post(f"/laporan/{number}/aksi/verifikasi", headers=HX, data={
        "idem_key": "w" * 20, "judul": JUDUL, "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "unit": key["expected_target"]})
    assert answer.status_code == 200
    assert answer.headers["HX-Replace-Url"] == f"/laporan/{number}"
    notice = re.search(r'<p class="notice action-notice" id="action-notice"[^>]*>',
                       answer.get_data(as_text=True))
    assert notice, "the saved notice is there"
    assert 'tabindex="-1"' in notice.group(0) and "data-focus-me" in notice.group(0)
    assert f'data-draft-done="{draft}"' in unescape(notice.group(0))


def test_the_header_always_shows_the_codes(app, workshop, clock):
    _, code, siti = workshop
    personal = _personal_code(app)
    for path in ("/kotak-masuk", "/hasil"):
        html = siti.get(path).get_data(as_text=True)
        menu = html[html.index('id="code-menu"'):html.index("</details>", html.index('id="code-menu"'))]
        assert "<summary>Kode saya</summary>" in menu, path
        assert f'data-code="sesi">{code}<' in menu and f'data-code="pribadi">{personal}<' in menu
        assert "Sudah pernah bergabung?" in menu


def test_keluar_asks_first_then_says_how_to_come_back_once(app, workshop):
    _, code, siti = workshop
    personal = _personal_code(app)
    inbox = siti.get("/kotak-masuk").get_data(as_text=True)
    assert 'href="/keluar" id="leave-link"' in inbox  # a link to the confirm step, not a POST
    confirm = siti.get("/keluar")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Keluar dari latihan?" in html
    assert personal in html and code in html and 'id="leave-form"' in html
    assert siti.get("/kotak-masuk").status_code == 200  # asking signed nobody out

    left = siti.post("/keluar")
    assert left.status_code == 303 and left.headers["Location"] == "/?keluar=1"
    landing = siti.get("/?keluar=1").get_data(as_text=True)
    start = landing.index('id="left-notice"')
    notice = landing[start:landing.index("</section>", start)]
    assert "Anda sudah keluar." in notice
    assert f'data-code="sesi">{code}<' in notice and f'data-code="pribadi">{personal}<' in notice
    # Shown once: a reload (or the next person at this computer) no longer sees the code.
    again = siti.get("/?keluar=1").get_data(as_text=True)
    assert 'id="left-notice"' in again and personal not in again
    assert siti.get("/kotak-masuk").status_code == 303  # signed out


def test_keluar_in_free_practice_shows_the_personal_link(logged_in):
    left = logged_in.post("/keluar")
    assert left.status_code == 303
    notice = logged_in.get("/?keluar=1").get_data(as_text=True)
    assert re.search(r'<code class="copy">http://localhost/lanjut/[^<]+</code>', notice)


def test_a_visitor_without_the_cookie_is_told_how_to_rejoin(app, workshop):
    stranger = app.test_client()
    sent = stranger.get("/kotak-masuk")
    assert sent.status_code == 303 and sent.headers["Location"] == "/?next=/kotak-masuk"
    html = stranger.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'id="signed-out-notice"' in html and "kode pribadi" in html
    assert 'href="/ikut"' in html
    # A page's poll from a browser whose cookie is gone lands there too.
    polled = stranger.get("/denyut?v=0", headers=HX)
    assert polled.headers["HX-Redirect"].startswith("/?next=")
    # The plain start page says nothing of the kind.
    assert 'id="signed-out-notice"' not in stranger.get("/").get_data(as_text=True)


def test_codes_never_break_across_lines():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "sandbox/static/css/app.css").read_text()
    rules = re.findall(r"(?m)^([^{}\n]*)\{([^}]*)\}", css)
    last_code = [body for selector, body in rules
                 if "code" in [s.strip() for s in selector.split(",")]][-1]
    assert "white-space: nowrap" in last_code and "break-all" not in last_code
