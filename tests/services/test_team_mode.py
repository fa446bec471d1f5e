"""Mode tim (issue 13): a team shares one copy of the reports; the Admin Instansi disposes,
the admin penghubung of the OPD answers or returns, and empty seats are simulated."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sandbox.domain.errors import ConflictError, RoleError, ValidationError
from sandbox.domain.scoring import Dimension
from sandbox.domain.session import ClockCommand
from sandbox.domain.team import INSTANSI_SEAT, hand_offs
from sandbox.domain.workflow import Actor, State
from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import (
    actor_on,
    get_complaint,
    record_action,
    report_view,
    visible_complaints,
)
from sandbox.services.scoring import report_card
from sandbox.services.teams import seat_choices
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.web.kit import form_key

TL = ("Petugas Dinas Pendidikan telah meninjau SD yang dilaporkan pada Selasa, 3 Maret 2026 "
      "pukul 09.00; perbaikan atap ruang kelas dijadwalkan mulai Senin, 9 Maret 2026, "
      "dan kami kabari perkembangannya.")
WHY = "Laporan ini bukan wewenang Dinas Kesehatan: KIS PBI diurus Dinas Sosial, mohon diteruskan."


def verify(unit, judul="Laporan masyarakat tentang layanan publik"):
    return {"judul": judul, "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
            "kategori": "pendidikan", "unit": unit}


@pytest.fixture
def room(app, clock):
    """A mode-tim workshop: one team with an Admin Instansi (Ina), the admin penghubung
    of Disdik (Dodi) and of Dinkes (Kiki); the DPUPR, Dinsos and DLH seats are empty."""
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(ratna, WorkshopForm("tim-estafet", "Tim", "", "", "", ""))
        ina = join_workshop(exercise.code, "Ina", "Diskominfo", seat="baru:instansi")
        team = ina.team
        dodi = join_workshop(exercise.code, "Dodi", "Disdik", seat=f"{team.id}:opd-2")
        kiki = join_workshop(exercise.code, "Kiki", "Dinkes", seat=f"{team.id}:opd-1")
        command_clock(exercise, ClockCommand.MULAI, "Bu Ratna")
        db.session.commit()
        yield exercise, team, ina, dodi, kiki


def at_minute(clock, minutes):
    clock.advance(minutes=minutes)
    tick()
    db.session.commit()


def act(person, tracking_no, action, form):
    complaint = get_complaint(person, tracking_no)
    result = record_action(person, tracking_no, action, form, form_key(),
                           len(complaint.events))
    db.session.commit()
    return result


def numbers(person):
    return {c.tracking_no for c in visible_complaints(person)}


def report_about(team, topic):
    return db.session.scalar(select(Complaint).where(
        Complaint.participant_id == team.id,
        Complaint.answer_key["topic"].as_string() == topic))


def test_a_team_owns_one_copy_of_the_reports_and_its_people_none(room):
    exercise, team, ina, dodi, kiki = room
    assert team.is_team and team.name == "Tim 1" and exercise.teams == [team]
    assert {p.id for p in exercise.participants} == {ina.id, dodi.id, kiki.id}
    owned = db.session.scalars(select(Complaint.participant_id).distinct().where(
        Complaint.exercise_id == exercise.id)).all()
    assert owned == [team.id]
    assert (ina.seat, dodi.seat, kiki.seat) == (INSTANSI_SEAT, "opd-2", "opd-1")
    # Join form: the team's free seats (DPUPR, Dinsos, DLH), then a whole new team.
    groups = seat_choices(exercise)
    assert [g.team for g in groups] == ["Tim 1", "Tim 2 (tim baru)"]
    assert [c.value for c in groups[0].choices] == [
        f"{team.id}:opd-3", f"{team.id}:opd-4", f"{team.id}:opd-5"]
    assert len(groups[1].choices) == 6


def test_a_taken_seat_is_refused_with_the_reason(room):
    exercise, team, *_ = room
    with pytest.raises(ValidationError) as refused:
        join_workshop(exercise.code, "Eka", "Disdik", seat=f"{team.id}:opd-2")
    assert "sudah terisi" in refused.value.errors["kursi"]
    with pytest.raises(ValidationError) as refused:
        join_workshop(exercise.code, "Eka", "Disdik")
    assert refused.value.errors["kursi"] == "Pilih tim dan kursi Anda dari daftar."


def test_a_disposition_lands_in_the_owners_inbox_and_nobody_elses(room, clock):
    _exercise, team, ina, dodi, kiki = room
    at_minute(clock, 2)
    sd = report_about(team, "sd-ruang-kelas-rusak")
    assert sd.tracking_no in numbers(ina)
    assert numbers(dodi) == numbers(kiki) == set()  # nothing disposed yet
    act(ina, sd.tracking_no, "verifikasi", verify("disdik"))
    assert numbers(dodi) == {sd.tracking_no} and numbers(kiki) == set()
    with pytest.raises(Exception, match="tidak ditemukan"):
        get_complaint(kiki, sd.tracking_no)
    # The Admin Instansi may no longer act on it; the Disdik penghubung may.
    with pytest.raises(RoleError, match="sedang berada di OPD"):
        act(ina, sd.tracking_no, "kembalikan", {"alasan": "coba kembalikan sendiri"})
    assert actor_on(dodi, sd) == Actor.PESERTA_PENGHUBUNG
    assert actor_on(ina, sd) == Actor.PESERTA_INSTANSI
    with pytest.raises(RoleError):  # a penghubung never verifies
        act(dodi, sd.tracking_no, "arsipkan", {"alasan": "spam"})
    act(dodi, sd.tracking_no, "tindak_lanjut", {"isi": TL, "akhir": "1"})
    assert report_view(db.session.get(Complaint, sd.id)).state == State.MENUNGGU_PELAPOR


def test_kembalikan_comes_back_to_the_admin_instansi_and_bukan_wewenang_leaves(room, clock):
    _exercise, team, ina, _dodi, kiki = room
    at_minute(clock, 11)
    kis = report_about(team, "kis-pbi-nonaktif")  # Dinsos's, disposed to Dinkes by mistake
    act(ina, kis.tracking_no, "verifikasi", verify("dinkes"))
    assert kis.tracking_no in numbers(kiki)
    act(kiki, kis.tracking_no, "kembalikan", {"alasan": WHY})
    assert report_view(db.session.get(Complaint, kis.id)).state == State.BARU
    assert kis.tracking_no in numbers(kiki)  # still listed for Kiki, shown as returned
    with pytest.raises(RoleError, match="tidak sedang berada di OPD Anda"):
        act(kiki, kis.tracking_no, "tindak_lanjut", {"isi": TL, "akhir": "1"})
    # Back with Ina; she forwards the national road outside the Pemda.
    road = report_about(team, "jalan-nasional-rusak")
    act(ina, road.tracking_no, "bukan_wewenang", {"instansi": "bpjn", "catatan": ""})
    assert db.session.get(Complaint, road.id).state == State.BUKAN_WEWENANG.value
    with pytest.raises(RoleError, match="sudah ditutup"):
        act(ina, road.tracking_no, "tunda", {"pertanyaan": "Di mana tepatnya lokasinya?"})


def test_a_second_action_on_an_outdated_page_is_a_conflict_not_an_overwrite(room, clock):
    _exercise, team, ina, dodi, _kiki = room
    at_minute(clock, 2)
    sd = report_about(team, "sd-ruang-kelas-rusak")
    act(ina, sd.tracking_no, "verifikasi", verify("disdik"))
    seen = len(get_complaint(dodi, sd.tracking_no).events)  # both Dodi's tabs loaded it
    record_action(dodi, sd.tracking_no, "kembalikan", {"alasan": WHY}, form_key(), seen)
    db.session.commit()
    with pytest.raises(ConflictError, match="Anda sudah mencatat «Kembalikan ke Admin "
                                            "Instansi» pada laporan ini di tab"):
        record_action(dodi, sd.tracking_no, "tindak_lanjut", {"isi": TL, "akhir": "1"},
                      form_key(), seen)  # his own other tab
    db.session.rollback()
    with pytest.raises(ConflictError, match="baru saja diubah oleh Dodi"):
        record_action(ina, sd.tracking_no, "verifikasi", verify("disdik"), form_key(), 1)
    db.session.rollback()
    with pytest.raises(ConflictError, match="tidak membawa versi"):
        record_action(ina, sd.tracking_no, "verifikasi", verify("disdik"), form_key(), None)
    db.session.rollback()
    events = db.session.get(Complaint, sd.id).events
    assert [e.action for e in events] == ["verifikasi", "kembalikan"]


def test_a_seat_nobody_sits_in_is_played_by_a_simulated_teammate(room, clock):
    _exercise, team, ina, _dodi, _kiki = room
    at_minute(clock, 4)
    road = report_about(team, "jalan-kabupaten-berlubang")  # DPUPR's seat is empty
    act(ina, road.tracking_no, "verifikasi", verify("pupr"))
    at_minute(clock, 3)  # the teammate answers 0.25 HK (1 minute) later
    events = db.session.get(Complaint, road.id).events
    answer = events[1]
    assert answer.action == "tindak_lanjut" and answer.role == "admin_penghubung"
    assert answer.actor == "Admin Penghubung DPUPR (simulasi)"
    assert hand_offs([e.to_record() for e in events]) == 1


def test_cards_by_role_and_for_the_team(room, clock):
    _exercise, team, ina, dodi, kiki = room
    at_minute(clock, 2)
    sd = report_about(team, "sd-ruang-kelas-rusak")
    act(ina, sd.tracking_no, "verifikasi", verify("disdik"))
    act(dodi, sd.tracking_no, "tindak_lanjut", {"isi": TL, "akhir": "1"})
    ina_card, dodi_card = report_card(ina), report_card(dodi)
    ina_sd = next(r for r in ina_card.reports if r.tracking_no == sd.tracking_no)
    dodi_sd = next(r for r in dodi_card.reports if r.tracking_no == sd.tracking_no)
    assert {line.dimension for line in ina_sd.lines} <= {
        Dimension.AKSI, Dimension.ROUTING, Dimension.KLASIFIKASI, Dimension.KERAHASIAAN,
        Dimension.WAKTU}
    assert Dimension.ROUTING in {line.dimension for line in ina_sd.lines}
    assert Dimension.PENERIMAAN in {line.dimension for line in dodi_sd.lines}
    assert Dimension.KUALITAS in {line.dimension for line in dodi_sd.lines}
    assert [r.tracking_no for r in dodi_card.reports] == [sd.tracking_no]
    assert report_card(kiki).reports == []
    team_card = report_card(team)  # the team's result: every report, every dimension
    team_sd = next(r for r in team_card.reports if r.tracking_no == sd.tracking_no)
    assert {Dimension.ROUTING, Dimension.KUALITAS} <= {line.dimension for line in team_sd.lines}
    assert len(team_card.reports) == len(report_card(ina).reports)


def test_a_person_alone_in_a_team_plays_with_five_simulated_teammates(app, clock):
    from sandbox.services.practice import start_practice

    with app.app_context():
        dodi = start_practice("Dodi", "Dinas Pendidikan", scenario="tim-estafet")
        db.session.commit()
        assert dodi.seat == "opd-2" and dodi.team.is_team
        assert numbers(dodi) == set()
        clock.advance(minutes=4)
        tick()
        db.session.commit()
        # The simulated Admin Instansi disposed the SD report to Disdik.
        assert any(c.answer_key["topic"] == "sd-ruang-kelas-rusak"
                   for c in visible_complaints(dodi))
        ina = start_practice("Ina", "Diskominfo", scenario="tim-estafet")
        assert ina.seat == INSTANSI_SEAT
        assert db.session.scalar(select(Participant).where(Participant.id == ina.team_id))


# ---------------------------------------------------------------- the facilitator seats


def test_a_roster_seats_people_in_named_teams_or_says_why_not(app):
    from sandbox.services.roster import RosterError, import_roster

    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(ratna, WorkshopForm("tim-estafet", "Tim", "", "", "", ""))
        db.session.commit()
        bad = ("Nama;OPD;Tim;Kursi\nIna;Diskominfo;Meja 1;Admin Instansi\n"
               "Ani;Diskominfo;Meja 1;instansi\nBayu;Dispar;Meja 1;Dinas Pariwisata\n"
               "Cici;Dinkes;;\n")
        with pytest.raises(RosterError) as refused:
            import_roster(exercise, "daftar.csv", bad.encode(), "Bu Ratna")
        problems = "\n".join(refused.value.problems)
        assert "Baris 3: kursi Admin Instansi di «Meja 1» sudah terisi." in problems
        assert "Baris 4: kursi «Dinas Pariwisata» tidak ada di sesi ini" in problems
        assert "Baris 5: sesi mode tim memerlukan kolom «Tim»" in problems
        db.session.rollback()
        good = ("Nama;OPD;Tim;Kursi\nIna;Diskominfo;Meja 1;Admin Instansi\n"
                "Dodi;Disdik;Meja 1;disdik\nKiki;Dinkes;Meja 2;Dinas Kesehatan Kabupaten "
                "Sukamaju\n")
        added = import_roster(exercise, "daftar.csv", good.encode(), "Bu Ratna")
        db.session.commit()
        assert [(p.name, p.team.name, p.seat) for p in added] == [
            ("Ina", "Meja 1", INSTANSI_SEAT), ("Dodi", "Meja 1", "opd-2"),
            ("Kiki", "Meja 2", "opd-1")]
        assert [t.name for t in exercise.teams] == ["Meja 1", "Meja 2"]
        per_team = db.session.execute(select(Complaint.participant_id, func.count())
                                      .group_by(Complaint.participant_id)).all()
        assert sorted(n for _, n in per_team) == [12, 12]  # one copy per team, none per person


def test_a_scenario_for_individuals_can_be_played_as_teams_but_not_an_opd_one(app):
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(ratna, WorkshopForm(
            "bimtek-dasar", "Tim", "", "", "", "", mode="tim", skill="0,4"))
        settings = exercise.settings
        assert settings["mode"] == "tim" and settings["tim"]["skill"] == 0.4
        assert 2 <= len(settings["tim"]["kursi"]) <= 5
        assert all(len(group) == 1 for group in settings["tim"]["kursi"])
        with pytest.raises(ValidationError) as refused:
            create_workshop(ratna, WorkshopForm("opd-penghubung", "X", "", "", "", "",
                                                mode="tim"))
        assert "ditulis untuk mode OPD" in refused.value.errors["mode"]
        with pytest.raises(ValidationError) as refused:
            create_workshop(ratna, WorkshopForm("tim-estafet", "X", "", "", "", "",
                                                skill="2"))
        assert "skill" in refused.value.errors
        solo = create_workshop(ratna, WorkshopForm("tim-estafet", "X", "", "", "", "",
                                                   mode="individu"))
        assert solo.settings["mode"] == "individu" and "tim" not in solo.settings


# ---------------------------------------------------------------- who answers for what


def test_a_penghubung_answers_only_for_what_their_opd_did(room, clock):
    _exercise, team, ina, _dodi, kiki = room
    at_minute(clock, 11)
    kis = report_about(team, "kis-pbi-nonaktif")
    act(ina, kis.tracking_no, "verifikasi", verify("dinkes"))
    act(kiki, kis.tracking_no, "kembalikan", {"alasan": WHY})
    act(ina, kis.tracking_no, "verifikasi", verify("dinsos"))  # Dinsos's seat is empty
    at_minute(clock, 3)
    events = db.session.get(Complaint, kis.id).events
    assert any(e.action == "tindak_lanjut" and e.actor == "Admin Penghubung Dinsos (simulasi)"
               for e in events)
    scored = next(r for r in report_card(kiki).reports if r.tracking_no == kis.tracking_no)
    assert scored.did == "kembalikan ke admin instansi"
    assert Dimension.KUALITAS not in {line.dimension for line in scored.lines}
    team_card = next(r for r in report_card(team).reports if r.tracking_no == kis.tracking_no)
    assert Dimension.KUALITAS in {line.dimension for line in team_card.lines}


def test_a_person_who_sits_down_late_is_not_scored_on_the_teammates_work(room, clock):
    exercise, team, ina, _dodi, _kiki = room
    at_minute(clock, 4)
    road = report_about(team, "jalan-kabupaten-berlubang")
    act(ina, road.tracking_no, "verifikasi", verify("pupr"))
    at_minute(clock, 2)  # the simulated DPUPR answered it
    budi = join_workshop(exercise.code, "Budi", "DPUPR", seat=f"{team.id}:opd-3")
    db.session.commit()
    assert road.tracking_no in numbers(budi)  # he sees the history of his seat
    assert report_card(budi).reports == []  # but it is not scored as his


def test_when_a_person_leaves_a_simulated_teammate_takes_the_seat_from_then(room, clock):
    from sandbox.services.participants import remove_participant

    exercise, team, ina, dodi, _kiki = room
    at_minute(clock, 2)
    sd = report_about(team, "sd-ruang-kelas-rusak")
    act(ina, sd.tracking_no, "verifikasi", verify("disdik"))
    at_minute(clock, 5)  # Dodi does nothing, then leaves
    remove_participant(exercise, dodi.id, "Bu Ratna")
    db.session.commit()
    left_at = db.session.get(Complaint, sd.id).events[-1].sim_at
    at_minute(clock, 2)
    answer = db.session.get(Complaint, sd.id).events[-1]
    assert answer.action == "tindak_lanjut" and answer.actor.endswith("(simulasi)")
    assert answer.sim_at > left_at  # from when he left, not backdated to the disposition


def test_a_teams_names_are_blanked_in_the_debrief_until_revealed():
    from types import SimpleNamespace

    from sandbox.services.debrief import Trainee

    team = SimpleNamespace(is_team=True, name="Tim Dinas Lingkungan", id=1, unit_name="Tim")
    trainee = Trainee(team, 1, ("Kiki Rahmawati", "Ina Lestari"))  # type: ignore[arg-type]
    assert trainee.label(False) == "Tim Dinas Lingkungan"
    assert trainee.shown("Salam dari Kiki untuk Tim Dinas Lingkungan", False) == \
        "Salam dari [nama peserta] untuk Tim Dinas Lingkungan"


def test_a_roster_takes_the_seat_as_the_join_form_names_it_and_one_team_per_name(app):
    from sandbox.services.roster import RosterError, import_roster

    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(ratna, WorkshopForm("tim-estafet", "Tim", "", "", "", ""))
        db.session.commit()
        twice = ("Nama;OPD;Tim;Kursi\nDodi;Disdik;Tim 1;Admin Penghubung Disdikbud\n"
                 "Dedi;Disdik;Tim  1;disdik\n")
        with pytest.raises(RosterError) as refused:
            import_roster(exercise, "daftar.csv", twice.encode(), "Bu Ratna")
        assert "Baris 3: kursi Admin Penghubung Disdikbud di «Tim 1» sudah terisi." in \
            refused.value.problems
