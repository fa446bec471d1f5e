"""Two sessions of one scenario whose participant lists give NIPs, for the people-over-time
tests: the second session travels to the province as an archive and is imported there."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.extensions import db
from sandbox.models import Participant
from sandbox.services.archive import export_archive, import_archive
from sandbox.services.complaints import visible_complaints
from sandbox.services.exports import workshop_by_code
from sandbox.services.roster import import_roster
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, rejoin_by_code
from tests.comparison_kit import IDLE, RIGHT, WRONG
from tests.exports_kit import _act, facilitator_named

# Kotabaru, the first bimtek: Siti and Andi have NIPs, Rina and Yusuf none.
KOTABARU = ("Nama;OPD;NIP\n"
            "Siti Rahmawati;Dinas Kesehatan;19850312 201001 2 005\n"
            "Andi Saputra;Dinas PUPR;19900101 201501 1 001\n"
            "Rina Wati;Dinas Sosial;\n"
            "Yusuf;Bappeda;\n")
KOTABARU_PLAY = {"Siti Rahmawati": WRONG, "Andi Saputra": RIGHT, "Rina Wati": WRONG,
                 "Yusuf": RIGHT}
# The refresher, months later: the same NIPs typed without spaces and Siti with her degree;
# Rina again without a NIP (proposed by name and OPD); Yusuf now in another OPD.
REFRESHER = ("No;Nama lengkap;Unit kerja;NIP/ID\n"
             "1;Siti Rahmawati, S.Kom;Dinas Kesehatan;198503122010012005\n"
             "2;Andi Saputra;Dinas PUPR;199001012015011001\n"
             "3;Drs. Rina Wati;Dinas Sosial;\n"
             "4;Yusuf;Dinas PUPR;\n")
REFRESHER_PLAY = {"Siti Rahmawati, S.Kom": RIGHT, "Andi Saputra": WRONG,
                  "Drs. Rina Wati": RIGHT, "Yusuf": IDLE}


def play_roster(app, clock, roster: str, play: dict[str, bool | None], title: str) -> str:
    """A bimtek-dasar workshop whose participants come from `roster`; each comes in with
    their personal code and acts as `play` says (RIGHT, WRONG or IDLE). Returns its code."""
    with app.app_context():
        owner = facilitator_named("ratna")
        exercise = create_workshop(owner, WorkshopForm(
            scenario="bimtek-dasar", title=title, held_on="", location="", minutes_per_hk="",
            seed=""))
        added = import_roster(exercise, "peserta.csv", roster.encode("utf-8-sig"), owner.name)
        ids = {p.name: p.id for p in added}
        for participant in added:
            rejoin_by_code(exercise.code, participant.personal_code)
        command_clock(exercise, "mulai", owner.name)
        code, actor = exercise.code, owner.name
        db.session.commit()
    clock.advance(minutes=10)
    with app.app_context():
        for i, (name, how) in enumerate(play.items()):
            if how is IDLE:
                continue
            participant = db.session.get(Participant, ids[name])
            for n, complaint in enumerate(visible_complaints(participant)):
                _act(participant, complaint, how, 100 * i + n)
        db.session.commit()
    clock.advance(minutes=8)
    with app.app_context():
        tick()
        command_clock(workshop_by_code(code), "akhiri", actor)
        db.session.commit()
    return code


@dataclass(frozen=True)
class TwoSessions:
    first: str  # played here
    second: str  # the refresher as imported from its archive
    played: str  # the refresher where it was played


def two_sessions(app, clock) -> TwoSessions:
    """Kotabaru's bimtek, and its refresher played «elsewhere», archived and imported."""
    first = play_roster(app, clock, KOTABARU, KOTABARU_PLAY, "Bimtek Kotabaru")
    played = play_roster(app, clock, REFRESHER, REFRESHER_PLAY, "Penyegaran Kotabaru")
    with app.app_context():
        data = export_archive(workshop_by_code(played))
        imported = import_archive(data, facilitator_named("ratna")).exercise.code
        db.session.commit()
    return TwoSessions(first, imported, played)


__all__ = ["RIGHT", "WRONG", "IDLE", "TwoSessions", "play_roster", "two_sessions"]
