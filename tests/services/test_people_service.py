"""People over time through the services: a participant list's NIP column (checked row by
row, all or nothing), carried by session archives, shown in the results exports, and a
person followed across two sessions, one of them imported from an archive."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from sandbox.domain.people import How
from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from sandbox.services.archive import ArchiveError, export_archive, import_archive
from sandbox.services.comparison import compare_exercises, comparison_xlsx
from sandbox.services.exports import results_csv, results_xlsx, workshop_by_code
from sandbox.services.people import people_over_time
from sandbox.services.roster import RosterError, import_roster, parse_roster
from sandbox.services.workshops import WorkshopForm, create_workshop
from tests.exports_kit import facilitator_named
from tests.people_kit import two_sessions


@pytest.fixture
def lobby(app):
    """A bimtek-dasar workshop in the lobby, inside an app context."""
    with app.app_context():
        exercise = create_workshop(facilitator_named("ratna"), WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek", held_on="", location="",
            minutes_per_hk="", seed=""))
        db.session.commit()
        yield exercise


def problems_of(data: bytes, filename: str = "peserta.csv", exercise=None) -> list[str]:
    with pytest.raises(RosterError) as caught:
        if exercise is None:
            parse_roster(filename, data)
        else:
            import_roster(exercise, filename, data, "Bu Ratna")
    return caught.value.problems


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Participant.id))),
            db.session.scalar(select(func.count(Complaint.id))))


# ------------------------------------------------------------------ the roster's NIP column


@pytest.mark.parametrize("heading", ["NIP", "nip", "ID", "Id Peserta", "NIP/ID", " nip / id "])
def test_the_nip_column_goes_by_several_names_and_loses_its_spaces(app, heading):
    data = f"Nama;OPD;{heading}\nSiti;Dinkes;19850312 201001 2 005\nAndi;DLH;\n"
    rows = parse_roster("peserta.csv", data.encode())
    assert [(r.name, r.nip) for r in rows] == [("Siti", "198503122010012005"), ("Andi", None)]


def test_a_bad_or_repeated_nip_is_named_with_its_row_and_nothing_is_imported(lobby):
    before = counts()
    data = ("Nama;OPD;NIP\n"
            "Siti;Dinkes;111\n"
            "Andi;DLH;1985/03\n"
            "Rina;Dinsos;1 11\n"
            "Budi;Bappeda;1,98503E+17\n"
            f"Yusuf;Bappeda;{'9' * 41}\n")
    assert problems_of(data.encode(), exercise=lobby) == [
        "Baris 3: NIP «1985/03» hanya boleh berisi angka, huruf, titik (.) dan tanda hubung (-).",
        "Baris 4: NIP 111 sama dengan baris 2; NIP tiap peserta harus berbeda.",
        "Baris 5: NIP tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang "
        "(terbaca «1,98503E+17»). Format kolom NIP sebagai Teks, ketik ulang NIP-nya, lalu "
        "simpan lagi.",
        "Baris 6: NIP terlalu panjang: maksimal 40 karakter (tertulis 41).",
    ]
    db.session.rollback()
    assert counts() == before


def test_an_xlsx_nip_that_excel_kept_as_a_number_is_refused(app):
    """Excel keeps 15 digits of a number: an 18-digit NIP typed into a number cell comes back
    as 1.98503122010012E17, its last digits gone. A NIP kept as text passes."""
    data = xlsx([("Nama", "OPD", "NIP"), ("Siti", "Dinkes", 198503122010012005.0),
                 ("Andi", "DLH", "199001012015011001"), ("Rina", "Dinsos", 12345)])
    assert problems_of(data, "peserta.xlsx") == [
        "Baris 2: NIP tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang "
        "(terbaca «198503122010012000»). Format kolom NIP sebagai Teks, ketik ulang NIP-nya, "
        "lalu simpan lagi."]
    rows = parse_roster("peserta.xlsx", xlsx([("Nama", "OPD", "NIP"), ("Rina", "Dinsos", 12345),
                                              ("Andi", "DLH", "199001012015011001")]))
    assert [r.nip for r in rows] == ["12345", "199001012015011001"]


def test_a_nip_already_in_the_session_is_refused_on_the_next_import(lobby):
    (siti,) = import_roster(lobby, "a.csv", b"Nama;OPD;NIP\nSiti;Dinkes;111\n", "Bu Ratna")
    db.session.commit()
    assert siti.nip == "111"
    before = counts()
    assert problems_of(b"Nama;OPD;ID\nAndi;DLH;111\n", exercise=lobby) == [
        "Baris 2: NIP 111 sudah dipakai «Siti» di sesi ini; NIP tiap peserta harus berbeda."]
    db.session.rollback()
    assert counts() == before


def test_the_results_exports_have_a_nip_column_when_the_list_gave_nips(app, clock):
    sessions = two_sessions(app, clock)
    with app.app_context():
        exercise = workshop_by_code(sessions.first)
        rows = list(csv.reader(io.StringIO(results_csv(exercise).decode("utf-8-sig")),
                               delimiter=";"))
        assert rows[0][:4] == ["Nama", "Unit kerja", "Kohort", "NIP"]
        assert {row[0]: row[3] for row in rows[1:]} == {
            "Andi Saputra": "199001012015011001", "Rina Wati": "",
            "Siti Rahmawati": "198503122010012005", "Yusuf": ""}
        sheet = load_workbook(io.BytesIO(results_xlsx(exercise)))["Ringkasan"]
        assert [c.value for c in sheet[1]][:4] == ["Nama", "Unit kerja", "Kohort", "NIP"]


# ------------------------------------------------------------------ archives


def _archive(data: bytes) -> dict:
    return json.loads(gzip.decompress(data))


def _packed(archive: dict) -> bytes:
    return gzip.compress(json.dumps(archive).encode())


def test_an_archive_carries_the_nip_out_and_back_in(app, clock):
    sessions = two_sessions(app, clock)
    with app.app_context():
        played = {p.name: p.nip for p in workshop_by_code(sessions.played).participants}
        imported = {p.name: p.nip for p in workshop_by_code(sessions.second).participants}
        assert imported == played == {
            "Siti Rahmawati, S.Kom": "198503122010012005",
            "Andi Saputra": "199001012015011001", "Drs. Rina Wati": None, "Yusuf": None}
        archive = _archive(export_archive(workshop_by_code(sessions.second)))
        assert {row["name"]: row["nip"] for row in archive["participants"]} == played


def test_an_older_archive_without_nips_imports_and_a_bad_nip_is_refused(app, clock):
    sessions = two_sessions(app, clock)
    with app.app_context():
        archive = _archive(export_archive(workshop_by_code(sessions.played)))
        owner = facilitator_named("ratna")
        older = json.loads(json.dumps(archive))
        for row in older["participants"]:
            del row["nip"]  # as a build before 0012 wrote it
        result = import_archive(_packed(older), owner)
        assert {p.nip for p in result.exercise.participants} == {None}
        db.session.rollback()

        before = counts()
        for bad, message in (("1985/03", "hanya boleh berisi angka"),
                             ("1985 03", "tanpa spasi"), ("", "tidak kosong")):
            broken = json.loads(json.dumps(archive))
            broken["participants"][0]["nip"] = bad
            with pytest.raises(ArchiveError, match=message) as caught:
                import_archive(_packed(broken), owner)
            assert "participants[0].nip" in caught.value.message
            db.session.rollback()
        assert counts() == before


# ------------------------------------------------------------------ a person over time


def test_a_person_is_followed_across_two_sessions_one_imported_from_an_archive(app, clock):
    sessions = two_sessions(app, clock)
    with app.app_context():
        comparison = compare_exercises([workshop_by_code(sessions.first),
                                        workshop_by_code(sessions.second)])
        first, second = (s.name for s in comparison.sessions)
        totals = {(s.name, m.label): m.total_pct for s in comparison.sessions
                  for m in s.members}
        people = people_over_time(comparison)
        # By NIP alone: Andi, and Siti whose name gained a degree; Rina waits for a yes.
        assert [(p.name, p.how, [a.session for a in p.present]) for p in people.people] == [
            ("Andi Saputra", How.NIP, [first, second]),
            ("Siti Rahmawati, S.Kom", How.NIP, [first, second])]
        andi, siti = people.people
        # Siti decided wrongly, then rightly: her total rose by the difference of her two
        # cards' totals, as shown (one decimal); Andi the other way round.
        rise = round(round(totals[second, "Siti Rahmawati, S.Kom"], 1)
                     - round(totals[first, "Siti Rahmawati"], 1), 1)
        assert rise > 0 and siti.change("total").delta == rise
        assert siti.change("total").improved and siti.change("total").direction == "naik"
        assert andi.change("total").direction == "turun" and not andi.change("total").improved
        assert people.total_moves() == {"naik": 1, "turun": 1, "tetap": 0}
        (rina,) = people.pending
        assert (rina.name, rina.unit, rina.sessions) == ("Drs. Rina Wati", "Dinas Sosial",
                                                         [first, second])
        # Yusuf, in another OPD the second time, is not proposed; idle, he is not counted.
        assert all("Yusuf" not in [a.name for a in p.attendees] for p in people.proposals)

        confirmed = people_over_time(comparison, frozenset({rina.key}))
        assert [(p.name, p.how) for p in confirmed.people] == [
            ("Andi Saputra", How.NIP), ("Drs. Rina Wati", How.NAME),
            ("Siti Rahmawati, S.Kom", How.NIP)]
        assert confirmed.summary.startswith(
            "3 orang diikuti di dua sesi atau lebih (2 lewat NIP, 1 lewat nama+OPD "
            "dikonfirmasi). Nilai total 2 orang naik, 1 turun, 0 tetap")

        book = load_workbook(io.BytesIO(comparison_xlsx(comparison, confirmed)))
        rows = list(book["Peserta lintas sesi"].iter_rows(min_row=2, values_only=True))
        assert [row[:6] for row in rows] == [
            (first, 1, "NIP", "199001012015011001", "Andi Saputra", "Dinas PUPR"),
            (second, 1, "NIP", "199001012015011001", "Andi Saputra", "Dinas PUPR"),
            (first, 2, "nama+OPD dikonfirmasi", None, "Rina Wati", "Dinas Sosial"),
            (second, 2, "nama+OPD dikonfirmasi", None, "Drs. Rina Wati", "Dinas Sosial"),
            (first, 3, "NIP", "198503122010012005", "Siti Rahmawati", "Dinas Kesehatan"),
            (second, 3, "NIP", "198503122010012005", "Siti Rahmawati, S.Kom",
             "Dinas Kesehatan")]
        changes = {row[4]: row for row in book["Perubahan peserta"].iter_rows(
            min_row=2, values_only=True)}
        assert changes["Siti Rahmawati, S.Kom"][0] == f"{first} → {second}"
        assert changes["Siti Rahmawati, S.Kom"][6:8] == (rise, siti.change("total").text)


def test_in_mode_tim_people_are_matched_but_the_team_cards_are_not_theirs(app, clock):
    """Ina sits in a team in two sessions of mode tim (no NIP): she is proposed by name and
    OPD, and once confirmed followed with her team named, but no figures of her own."""
    from tests.services.test_comparison_service import _team_session

    codes = [_team_session(app, clock, "tim"), _team_session(app, clock, "tim")]
    with app.app_context():
        comparison = compare_exercises([workshop_by_code(code) for code in codes])
        assert all(s.teams for s in comparison.sessions)
        people = people_over_time(comparison, confirm_all=True)
        (ina,) = people.people
        assert [(a.session, a.name, a.team, a.member) for a in ina.present] == [
            (codes[0], "Ina", "Tim 1", None), (codes[1], "Ina", "Tim 1", None)]
        assert ina.how == How.NAME and ina.changes == () and people.teams
        assert people.summary == (
            "1 orang diikuti di dua sesi atau lebih (1 lewat nama+OPD dikonfirmasi). Belum "
            "ada yang punya kartu pribadi di dua sesi, jadi perubahan belum dapat dihitung.")
        rows = list(load_workbook(io.BytesIO(comparison_xlsx(comparison, people)))[
            "Peserta lintas sesi"].iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[4], r[7], r[8]) for r in rows] == [
            (codes[0], "Ina", "Tim 1", None), (codes[1], "Ina", "Tim 1", None)]
