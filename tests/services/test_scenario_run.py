"""A whole scenario on a fake clock: reports arrive, the trainee acts, simulated reporters
answer, chase and rate, and the system closes a report whose window passed. No sleeping."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sandbox.domain.workflow import Action, Role, State
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from sandbox.services.complaints import limits_of, record_action, visible_complaints
from sandbox.services.practice import start_practice
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import change_clock, sim_clock
from tests.conftest import build_app

SCENARIO = """\
format = 1

[scenario]
id = "uji"
title = "Skenario uji layanan"
description = "Untuk pengujian otomatis."
goals = ["Menguji jalannya skenario"]
duration_minutes = 60
minutes_per_hk = 4
region = "kabupaten-sukamaju.toml"
seed = 7
start = 2026-03-02T08:00:00

[sla]
jendela_pelapor = 2

[reporter]
tunda_reply = "1 HK"
respond_after = "0.5 HK"
accept = "if_concrete"
chase = true
rating = "by_answer"

[[timeline]]
at = "+0 menit"
topics = ["pdam-air-mati", "jalan-rusak-tanpa-lokasi"]
note = "Mulai."

[[timeline]]
at = "+2 menit"
topics = ["sampah-menumpuk"]
reporter = { respond_after = "never" }

[[timeline]]
at = "+6 menit"
topics = ["jalan-kabupaten-berlubang"]
"""

VERIFY = {"judul": "Air PDAM mati di permukiman warga", "klasifikasi": "aspirasi",
          "kategori": "air_minum_sanitasi", "unit": "pdam"}
VAGUE = {"isi": "Terima kasih, laporan Anda akan segera ditindaklanjuti.", "akhir": "1"}
CONCRETE = {"isi": "Yth. Bapak/Ibu, petugas kami telah memperbaiki pipa pada Selasa, 3 Maret "
                   "2026. Terima kasih.", "akhir": "1"}
keys = iter(f"key-{n:020d}" for n in range(10_000))


@pytest.fixture
def scenario_app(tmp_path, clock, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "uji.toml").write_text(SCENARIO, encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return build_app(tmp_path, clock, SCENARIOS_DIR=str(folder))


def _by_topic(participant, topic):
    return db.session.scalar(select(Complaint).where(
        Complaint.participant_id == participant.id,
        Complaint.answer_key["topic"].as_string() == topic))


def _actions(complaint):
    return [(e.action, e.role) for e in complaint.events]


def test_a_scenario_runs_end_to_end_on_a_fake_clock(scenario_app, clock, tmp_path):
    with scenario_app.app_context():
        participant = start_practice("Siti", "Dinkes", scenario="uji")
        db.session.commit()
        pid = participant.id
        exercise = participant.exercise
        assert exercise.settings["sla"]["jendela_pelapor"] == 2
        assert [n["text"] for n in exercise.settings["notes"]] == ["Mulai."]

        # Only the +0 reports have arrived; the others are released by simulated time.
        assert {c.answer_key["topic"] for c in visible_complaints(participant)} == {
            "pdam-air-mati", "jalan-rusak-tanpa-lokasi"}
        pdam = _by_topic(participant, "pdam-air-mati")
        road = _by_topic(participant, "jalan-rusak-tanpa-lokasi")

        # The trainee disposes PDAM and answers vaguely; the reporter rejects it half an HK on.
        record_action(participant, pdam.tracking_no, "verifikasi", VERIFY, next(keys))
        record_action(participant, pdam.tracking_no, "tindak_lanjut", VAGUE, next(keys))
        record_action(participant, road.tracking_no, "tunda",
                      {"pertanyaan": "Mohon sebutkan lokasi jalan yang rusak."}, next(keys))
        db.session.commit()
        clock.advance(minutes=2.5)  # 0.625 HK
        tick()
        visible = visible_complaints(participant)
        db.session.commit()
        assert {c.answer_key["topic"] for c in visible} == {
            "pdam-air-mati", "jalan-rusak-tanpa-lokasi", "sampah-menumpuk"}
        assert pdam.status == State.DIPROSES
        assert _actions(pdam)[-1] == (Action.PELAPOR_MENOLAK.value, Role.PELAPOR.value)
        assert road.status == State.TUNDA  # the answer comes after 1 HK

        # A concrete final TL is accepted and earns five stars.
        record_action(participant, pdam.tracking_no, "tindak_lanjut", CONCRETE, next(keys))
        db.session.commit()
        clock.advance(minutes=2)  # 0.5 HK: the reporter answers; the tunda reply came too
        tick()  # the server ticks every few seconds
        db.session.commit()
        assert pdam.status == State.SELESAI
        assert [a for a, _ in _actions(pdam)[-2:]] == [Action.PELAPOR_MENERIMA.value,
                                                       Action.PELAPOR_MENILAI.value]
        assert pdam.events[-1].payload == {"bintang": "5"}
        assert pdam.events[-1].actor == "Pelapor (simulasi)"
        assert road.status == State.BARU
        assert road.events[-1].action == Action.PELAPOR_MEMBALAS.value
        assert "Lokasinya di" in road.events[-1].payload["isi"]
        # Time in TUNDA did not count against verification.
        verification = next(x for x in limits_of(road, sim_clock(exercise).now(), None,
                                                  road.participant)
                            if x.key == "verifikasi")
        assert verification.used < sim_clock(exercise).calendar.day_length * 0.7

        # The rubbish reporter never answers: the window (2 HK) closes it automatically.
        rubbish = _by_topic(participant, "sampah-menumpuk")
        record_action(participant, rubbish.tracking_no, "verifikasi",
                      {**VERIFY, "kategori": "lingkungan_hidup", "unit": "dlh",
                       "judul": "Sampah menumpuk di TPS"}, next(keys))
        record_action(participant, rubbish.tracking_no, "tindak_lanjut", CONCRETE, next(keys))
        db.session.commit()
        clock.advance(minutes=7.9)  # just under 2 HK
        tick()  # the server ticks every few seconds
        assert rubbish.status == State.MENUNGGU_PELAPOR
        clock.advance(minutes=0.2)
        tick()  # the server ticks every few seconds
        db.session.commit()
        assert rubbish.status == State.SELESAI
        assert _actions(rubbish)[-1] == (Action.SELESAI_OTOMATIS.value, Role.SISTEM.value)
        closed_at = rubbish.events[-1].sim_at
        final_tl = rubbish.events[-2].sim_at
        assert sim_clock(exercise).calendar.working_between(final_tl, closed_at) == \
            sim_clock(exercise).calendar.day_length * 2

        # A disposed report with no TL gets chased when the first-TL limit (5 HK) passes.
        pothole = _by_topic(participant, "jalan-kabupaten-berlubang")
        tick()
        record_action(participant, pothole.tracking_no, "verifikasi",
                      {**VERIFY, "kategori": "infrastruktur", "unit": "pupr",
                       "judul": "Jalan kabupaten berlubang"}, next(keys))
        db.session.commit()
        clock.advance(minutes=20.1)  # a little over 5 HK
        tick()
        db.session.commit()
        assert _actions(pothole)[-1] == (Action.PELAPOR_MENANYAKAN.value, Role.PELAPOR.value)
        count = db.session.scalar(select(func.count()).select_from(Event))

    # A restart (a new app on the same database) agrees on "now" and records nothing twice.
    again = build_app(tmp_path, clock, SCENARIOS_DIR=str(tmp_path / "scenarios"),
                      database_url=scenario_app.config["SQLALCHEMY_DATABASE_URI"], fresh=False)
    with again.app_context():
        participant = db.session.get(Participant, pid)
        tick()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Event)) == count


def test_pausing_stops_the_clock_and_reporters(scenario_app, clock):
    with scenario_app.app_context():
        participant = start_practice("Siti", "Dinkes", scenario="uji")
        db.session.commit()
        road = _by_topic(participant, "jalan-rusak-tanpa-lokasi")
        record_action(participant, road.tracking_no, "tunda",
                      {"pertanyaan": "Mohon sebutkan lokasi jalan yang rusak."}, next(keys))
        change_clock(participant.exercise, "jeda", "Siti")
        db.session.commit()
        frozen = sim_clock(participant.exercise).now()
        clock.advance(hours=3)
        assert sim_clock(participant.exercise).now() == frozen
        tick()  # the server ticks every few seconds
        assert road.status == State.TUNDA  # nobody answers while the clock is paused
        change_clock(participant.exercise, "lanjut", "Siti")
        clock.advance(minutes=4.1)
        tick()  # the server ticks every few seconds
        assert road.status == State.BARU
