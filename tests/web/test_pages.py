"""Pages through the test client: full pages vs htmx partials, access, and error pages."""

from __future__ import annotations

import re

import pytest
from flask import template_rendered

HX = {"HX-Request": "true"}


@pytest.fixture
def rendered(app):
    """Names of the templates rendered during a request."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def test_landing_is_public_and_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Mulai latihan mandiri" in html


@pytest.mark.parametrize("path", ["/kotak-masuk", "/laporan/1234567",
                                  "/laporan/1234567/aksi/verifikasi"])
def test_trainee_pages_need_a_session(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/?next=")


def test_htmx_request_without_session_gets_hx_redirect(client):
    response = client.get("/kotak-masuk", headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/?next=")


def test_start_practice_creates_reports_and_signs_in(client):
    response = client.post("/mulai", data={"name": "Budi", "unit_name": "Dinas PUPR",
                                           "seed": "7", "count": "5"})
    assert response.status_code == 303
    inbox = client.get("/kotak-masuk").get_data(as_text=True)
    assert len(set(re.findall(r"/laporan/(\d+)", inbox))) == 5
    assert "Budi" in inbox


@pytest.mark.parametrize(("form", "field_message"), [
    ({"name": "", "unit_name": "Dinkes"}, "Nama wajib diisi."),
    ({"name": "Budi", "unit_name": ""}, "Unit kerja wajib diisi."),
    ({"name": "Budi", "unit_name": "Dinkes", "seed": "abc"}, "Seed harus bilangan bulat"),
    ({"name": "Budi", "unit_name": "Dinkes", "count": "5000"}, "Jumlah laporan harus 1 sampai"),
])
def test_start_form_errors_are_shown_in_indonesian(client, form, field_message):
    response = client.post("/mulai", data=form, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert "<html" not in html
    assert client.get("/kotak-masuk").status_code == 303  # nobody was signed in


def test_inbox_full_page_and_htmx_partial(logged_in, trainee, rendered):
    page = logged_in.get("/kotak-masuk")
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)
    assert rendered[0] == "reports/inbox.html"
    assert page.headers["Vary"] == "Cookie, HX-Request" or "HX-Request" in page.headers["Vary"]

    rendered.clear()
    partial = logged_in.get("/kotak-masuk", headers=HX)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert "<html" not in html
    assert rendered[0] == "reports/_inbox.html"
    assert 'hx-trigger="lapor-berubah from:body"' in html  # refreshed on the pulse's event
    for number in trainee.tracking_numbers:
        assert f"#{number}" in html


def test_inbox_filters_by_state(logged_in, trainee):
    number = trainee.tracking_numbers[0]
    logged_in.post(f"/laporan/{number}/aksi/tunda",
                   data={"idem_key": "k" * 20, "pertanyaan": "Di mana lokasi tepatnya, Bapak/Ibu?"})
    tunda = logged_in.get("/kotak-masuk?status=TUNDA", headers=HX).get_data(as_text=True)
    assert set(re.findall(r"/laporan/(\d+)", tunda)) == {number}
    baru = logged_in.get("/kotak-masuk?status=BARU", headers=HX).get_data(as_text=True)
    assert number not in set(re.findall(r"/laporan/(\d+)", baru))
    unknown = logged_in.get("/kotak-masuk?status=NGAWUR").get_data(as_text=True)
    assert "Status yang diminta tidak dikenal" in unknown


def test_report_page_and_action_form_partial(logged_in, trainee, rendered):
    number = trainee.tracking_numbers[0]
    page = logged_in.get(f"/laporan/{number}")
    assert page.status_code == 200
    assert "<html" in page.get_data(as_text=True)

    rendered.clear()
    form = logged_in.get(f"/laporan/{number}/aksi/verifikasi", headers=HX)
    html = form.get_data(as_text=True)
    assert "<html" not in html
    assert rendered[0] == "reports/_workspace.html"
    assert 'id="form-verifikasi"' in html
    assert 'name="idem_key"' in html

    # Without JavaScript the same form opens through a plain link.
    no_js = logged_in.get(f"/laporan/{number}?aksi=verifikasi").get_data(as_text=True)
    assert 'id="form-verifikasi"' in no_js and "<html" in no_js


def test_only_actions_of_the_current_state_are_offered(logged_in, trainee):
    html = logged_in.get(f"/laporan/{trainee.tracking_numbers[0]}").get_data(as_text=True)
    for action in ("verifikasi", "kelola_sendiri", "tunda", "arsipkan", "bukan_wewenang"):
        assert f'id="btn-{action}"' in html
    for action in ("tindak_lanjut", "kembalikan", "pelapor_menerima"):
        assert f'id="btn-{action}"' not in html


def _verify(client, number, key="v" * 20, **fields):
    data = {"idem_key": key, "judul": "Jalan kabupaten berlubang di Sukamaju",
            "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "infrastruktur",
            "unit": "pupr"}
    data.update(fields)
    return client.post(f"/laporan/{number}/aksi/verifikasi", data=data, headers=HX)


def test_action_without_js_redirects_to_the_report(logged_in, trainee):
    number = trainee.tracking_numbers[0]
    response = logged_in.post(f"/laporan/{number}/aksi/tunda",
                              data={"idem_key": "n" * 20, "pertanyaan": "Mohon sebutkan lokasinya."})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/laporan/{number}"


def test_successful_htmx_action_returns_the_updated_workspace(logged_in, trainee):
    response = _verify(logged_in, trainee.tracking_numbers[0])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="state-badge">Belum Ditindaklanjuti' in html
    assert "Tercatat: Verifikasi &amp; disposisi." in html
    assert 'id="btn-tindak_lanjut"' in html


@pytest.mark.parametrize(("fields", "message"), [
    ({"unit": ""}, "Unit tujuan wajib diisi."),
    ({"unit": "dinas-ngawur"}, "Unit tujuan tidak dikenal: «dinas-ngawur»."),
    ({"judul": ""}, "Judul wajib diisi."),
    ({"judul": "x" * 10_000}, "Judul terlalu panjang: maksimal 200 karakter, Anda menulis 10.000."),
    ({"klasifikasi": "keluhan"}, "Klasifikasi tidak dikenal"),
])
def test_invalid_action_shows_the_error_and_saves_nothing(logged_in, trainee, app, fields,
                                                          message):
    number = trainee.tracking_numbers[0]
    response = _verify(logged_in, number, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'id="form-verifikasi"' in html  # the form stays open with the error next to it
    assert _event_count(app) == 0


def test_invalid_action_without_js_renders_the_page_with_errors(logged_in, trainee, app):
    number = trainee.tracking_numbers[0]
    response = logged_in.post(f"/laporan/{number}/aksi/verifikasi",
                              data={"idem_key": "w" * 20, "judul": "Pendek"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" in html
    assert "Judul terlalu pendek: minimal 10 karakter." in html
    assert "Unit tujuan wajib diisi." in html
    assert 'value="Pendek"' in html  # what the trainee typed is kept
    assert _event_count(app) == 0


def test_action_not_allowed_in_state_is_refused(logged_in, trainee, app):
    number = trainee.tracking_numbers[0]
    response = logged_in.post(f"/laporan/{number}/aksi/tindak_lanjut", headers=HX,
                              data={"idem_key": "t" * 20,
                                    "isi": "Yth. Bapak, jalan sudah kami perbaiki kemarin."})
    assert response.status_code == 422
    assert ("Aksi «Tindak lanjut» tidak berlaku untuk status Belum Terverifikasi."
            in response.get_data(as_text=True))
    assert _event_count(app) == 0


def test_unknown_action_name_is_a_clear_error(logged_in, trainee, app):
    response = logged_in.post(f"/laporan/{trainee.tracking_numbers[0]}/aksi/hapus",
                              data={"idem_key": "u" * 20})
    assert response.status_code == 422
    assert "Aksi tidak dikenal: «hapus»." in response.get_data(as_text=True)
    assert _event_count(app) == 0


@pytest.mark.parametrize("path", ["/laporan/9999999", "/laporan/abc", "/laporan/1%27%20OR%201",
                                  "/tidak-ada"])
def test_unknown_report_or_page_is_404_in_indonesian(logged_in, path):
    response = logged_in.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "tidak ditemukan" in html.lower() or "tidak ada" in html


def test_post_to_unknown_report_is_404(logged_in, app):
    response = logged_in.post("/laporan/9999999/aksi/tunda",
                              data={"idem_key": "z" * 20, "pertanyaan": "Lokasinya di mana?"})
    assert response.status_code == 404
    assert _event_count(app) == 0


def test_other_trainees_report_is_404(app, client, trainee):
    with app.app_context():
        from sandbox.extensions import db
        from tests.factories import make_participant

        other = make_participant(name="Orang Lain", seed=99, count=3)
        other_token = other.token
        db.session.commit()
    client.get(f"/lanjut/{other_token}")
    response = client.get(f"/laporan/{trainee.tracking_numbers[0]}")
    assert response.status_code == 404


def test_unknown_rejoin_token_is_a_clear_404(client):
    response = client.get("/lanjut/tidak-ada-token")
    assert response.status_code == 404
    assert "Tautan lanjutkan latihan tidak dikenal" in response.get_data(as_text=True)


def test_missing_form_key_is_refused(logged_in, trainee, app):
    response = logged_in.post(f"/laporan/{trainee.tracking_numbers[0]}/aksi/tunda",
                              data={"pertanyaan": "Lokasinya di mana, Bapak/Ibu?"}, headers=HX)
    assert response.status_code == 422
    assert "kunci formulir hilang" in response.get_data(as_text=True)
    assert _event_count(app) == 0


def test_double_submit_records_one_event(logged_in, trainee, app):
    number = trainee.tracking_numbers[0]
    first = _verify(logged_in, number, key="d" * 24)
    second = _verify(logged_in, number, key="d" * 24)
    assert first.status_code == second.status_code == 200
    assert "Aksi ini sudah tercatat sebelumnya." in second.get_data(as_text=True)
    assert _event_count(app) == 1


def test_anonim_report_hides_identity(logged_in, trainee, app):
    number = trainee.tracking_numbers[0]
    with app.app_context():
        from sqlalchemy import select

        from sandbox.extensions import db
        from sandbox.models import Complaint

        complaint = db.session.scalar(select(Complaint).where(Complaint.tracking_no == number))
        reporter = dict(complaint.reporter)
        reporter["requested_anonim"] = False
        complaint.reporter = reporter
        db.session.commit()
        name, nik = reporter["name"], reporter["nik"]
    before = logged_in.get(f"/laporan/{number}").get_data(as_text=True)
    assert name in before and nik in before
    _verify(logged_in, number, anonim="1")
    after = logged_in.get(f"/laporan/{number}").get_data(as_text=True)
    assert nik not in after
    assert "Identitas pelapor disembunyikan" in after


def test_timeline_lists_every_event(logged_in, trainee):
    number = trainee.tracking_numbers[0]
    _verify(logged_in, number)
    logged_in.post(f"/laporan/{number}/aksi/kembalikan", headers=HX,
                   data={"idem_key": "r" * 20, "alasan": "Bukan tugas kami, ini urusan Perkim."})
    html = logged_in.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="event-1"' in html and 'id="event-2"' in html
    assert "Kembalikan ke Admin Instansi" in html
    assert "Bukan tugas kami, ini urusan Perkim." in html


def _event_count(app) -> int:
    with app.app_context():
        from sqlalchemy import func, select

        from sandbox.extensions import db
        from sandbox.models import Event

        return db.session.scalar(select(func.count()).select_from(Event))
