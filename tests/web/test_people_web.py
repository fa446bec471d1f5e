"""People over time on the studi komparasi pages (GET /fasilitator/studi and
/fasilitator/studi/peserta): a person matched across two sessions by NIP, a name+OPD
match confirmed by a query parameter (a GET that stores nothing), the workbook's sheet,
and the NIP on the participant list page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Participant, ScoreCard, SessionEvent
from tests.people_kit import two_sessions
from tests.web.kit import create_session, login


@pytest.fixture
def studi(app, clock, accounts):
    """Bu Ratna's client, her Kotabaru bimtek and its refresher imported from an archive."""
    sessions = two_sessions(app, clock)
    return login(app, "ratna"), sessions.first, sessions.second


def _rows(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Participant, ScoreCard, SessionEvent))


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|section|div)>', html, re.S)
    assert found, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def _people(html: str) -> list[tuple[str, str]]:
    """(name, how matched) of each person block, in order."""
    return [(name, how) for name, how in re.findall(
        r'<article class="person"[^>]*>\s*<h3>\d+\. ([^<]+)</h3>.*?<b class="how">([^<]+)</b>',
        html, re.S)]


def test_the_studi_page_says_who_was_followed_and_links_to_each_person(studi):
    ratna, first, second = studi
    html = ratna.get(f"/fasilitator/studi?sesi={first}&sesi={second}").get_data(as_text=True)
    summary = _text(html, "people-summary")
    assert summary.startswith("2 orang diikuti di dua sesi atau lebih (2 lewat NIP). Nilai "
                              "total 1 orang naik, 1 turun, 0 tetap")
    assert summary.endswith("1 usulan nama+OPD menunggu konfirmasi dan belum dihitung.")
    assert f'href="/fasilitator/studi/peserta?sesi={first}&amp;sesi={second}"' in html


def test_a_person_matched_across_two_sessions_and_a_name_confirmed_by_the_query(app, studi):
    ratna, first, second = studi
    before = _rows(app)
    page = ratna.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={second}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert _people(html) == [("Andi Saputra", "NIP"), ("Siti Rahmawati, S.Kom", "NIP")]
    siti = re.search(r'<article class="person" id="orang-2">(.*?)</article>', html, re.S)[1]
    assert "NIP 198503122010012005" in siti
    total = re.search(r"<td>Nilai total</td>(.*?)</tr>", siti, re.S)[1]
    assert re.search(r'<td class="up-good">naik [\d,]+ poin persen \(membaik\)</td>', total)
    # Rina: the same name and OPD, no NIP: proposed, unticked, not counted.
    (key,) = re.findall(r'<input type="checkbox" name="cocok" value="([0-9a-f]{12})" >', html)
    assert "Drs. Rina Wati" in _text(html, f"usulan-{key}")
    assert "belum dikonfirmasi, tidak dihitung" in _text(html, f"usulan-{key}")
    # The form sends the sessions back along with the ticked boxes.
    form = re.search(r'<form method="get" action="/fasilitator/studi/peserta" '
                     r'id="confirm-form">(.*?)</form>', html, re.S)[1]
    assert re.findall(r'name="sesi" value="(\w+)"', form) == [first, second]

    confirmed = ratna.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={second}&cocok={key}")
    html = confirmed.get_data(as_text=True)
    assert _people(html) == [("Andi Saputra", "NIP"), ("Drs. Rina Wati", "nama+OPD dikonfirmasi"),
                             ("Siti Rahmawati, S.Kom", "NIP")]
    assert f'value="{key}" checked' in html
    assert _text(html, "people-summary").startswith(
        "3 orang diikuti di dua sesi atau lebih (2 lewat NIP, 1 lewat nama+OPD dikonfirmasi).")
    # The confirmation travels with the workbook and back to the studi page.
    assert f"/fasilitator/studi.xlsx?sesi={first}&amp;sesi={second}&amp;cocok={key}" in html
    assert f"/fasilitator/studi?sesi={first}&amp;sesi={second}&amp;cocok={key}" in html
    assert _rows(app) == before  # reading and confirming wrote nothing


def test_the_workbook_lists_the_people_with_how_they_were_matched(studi):
    ratna, first, second = studi
    plain = ratna.get(f"/fasilitator/studi.xlsx?sesi={first}&sesi={second}")
    assert plain.status_code == 200
    book = load_workbook(io.BytesIO(plain.data))
    assert {"Peserta lintas sesi", "Perubahan peserta"} <= set(book.sheetnames)
    rows = list(book["Peserta lintas sesi"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (first, "NIP", "199001012015011001", "Andi Saputra"),
        (second, "NIP", "199001012015011001", "Andi Saputra"),
        (first, "NIP", "198503122010012005", "Siti Rahmawati"),
        (second, "NIP", "198503122010012005", "Siti Rahmawati, S.Kom")]
    page = ratna.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={second}")
    (key,) = re.findall(r'name="cocok" value="([0-9a-f]{12})"', page.get_data(as_text=True))
    confirmed = ratna.get(f"/fasilitator/studi.xlsx?sesi={first}&sesi={second}&cocok={key}")
    rows = list(load_workbook(io.BytesIO(confirmed.data))["Peserta lintas sesi"]
                .iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows if "Rina" in r[4]] == [
        (first, "nama+OPD dikonfirmasi", "Rina Wati"),
        (second, "nama+OPD dikonfirmasi", "Drs. Rina Wati")]


@pytest.mark.parametrize("cocok", ["zzz", "0123456789ab", "<script>", "9" * 5000])
def test_a_confirmation_naming_nothing_is_said_and_ignored(studi, cocok):
    ratna, first, second = studi
    response = ratna.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={second}"
                         f"&cocok={cocok}&cocok=")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 konfirmasi di alamat ini tidak cocok dengan usulan mana pun" in html
    assert _people(html) == [("Andi Saputra", "NIP"), ("Siti Rahmawati, S.Kom", "NIP")]


def test_the_people_page_refuses_what_the_studi_page_refuses(app, studi):
    ratna, first, second = studi
    alone = ratna.get(f"/fasilitator/studi/peserta?sesi={first}")
    assert alone.status_code == 422
    assert "Pilih minimal dua sesi" in alone.get_data(as_text=True)
    other = create_session(ratna, seed="7")
    refused = ratna.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={other}")
    assert refused.status_code == 422
    assert "Seed (laporan yang diterima peserta) berbeda" in refused.get_data(as_text=True)
    assert 'id="people-section"' not in refused.get_data(as_text=True)
    budi = login(app, "budi")
    assert budi.get(f"/fasilitator/studi/peserta?sesi={first}&sesi={second}"
                    ).status_code == 404


def test_the_participant_list_shows_the_nip(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    response = ratna.post(f"/fasilitator/sesi/{code}/peserta", data={"berkas": (io.BytesIO(
        b"Nama;OPD;NIP\nSiti;Dinkes;19850312 201001 2 005\nAndi;DLH;\n"), "peserta.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    html = ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True)
    assert '<td data-label="NIP">198503122010012005</td>' in html
    assert '<td data-label="NIP">–</td>' in html
    for roster, message in (
            (b"Nama;OPD;NIP\nRina;Dinsos;12/3\n",
             "Baris 2: NIP «12/3» hanya boleh berisi angka, huruf, titik (.) dan tanda hubung"),
            (b"Nama;OPD;NIP\nRina;Dinsos;1985 0312 2010 0120 05\n",
             "Baris 2: NIP 198503122010012005 sudah dipakai «Siti» di sesi ini; NIP tiap "
             "peserta harus berbeda.")):
        refused = ratna.post(f"/fasilitator/sesi/{code}/peserta", data={
            "berkas": (io.BytesIO(roster), "peserta.csv")}, content_type="multipart/form-data")
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422
        assert message in html and "Tidak ada peserta yang disimpan." in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant).where(
            Participant.name == "Rina")) == 0
