"""People over time (domain.people): who is the same person across sessions, and how
their figures moved. Every expected value here is worked out by hand."""

from __future__ import annotations

import random

import pytest

from sandbox.domain.comparison import FIGURES_BY_KEY, Member
from sandbox.domain.people import (
    MATCH_KEYS_MAX,
    Attendee,
    How,
    change,
    follow_people,
    nip_problem,
    normal_name,
    normal_nip,
    parse_confirmations,
)
from sandbox.domain.scoring import ReportScore

SESSIONS = ("KTB", "BJR", "TLT")


def report(number: str, verify: float | None = None, first_tl: float | None = None,
           breaches: int = 0, routed: bool | None = None, quality: float | None = None,
           confidentiality: int = 0) -> ReportScore:
    return ReportScore(
        tracking_no=number, lines=[], did="", expected="", explanation="",
        first_time_correct=None, routed_exactly=routed, verify_hk=verify, first_tl_hk=first_tl,
        breaches=breaches, quality=quality, confidentiality_errors=confidentiality,
        has_tl=first_tl is not None, selesai=False)


def card(total: float | None, *reports: ReportScore, label: str = "x") -> Member:
    return Member(label, tuple(reports), total)


def seat(session: str, key: str, name: str, unit: str = "Dinas Kesehatan",
         nip: str | None = None, member: Member | None = None, **more) -> Attendee:
    return Attendee(session=session, key=key, name=name, unit=unit, nip=nip,
                    member=member if member is not None else card(50.0), **more)


# ------------------------------------------------------------------ ids and names


@pytest.mark.parametrize(("typed", "normal"), [
    ("Drs. H. Ahmad Yani, M.Si", "ahmad yani"),
    ("Siti Rahmawati S.Kom", "siti rahmawati"),
    ("Ir. Budi Santoso, S.T., M.T.", "budi santoso"),
    ("dr. Andi Saputra", "andi saputra"),
    ("Hj. Siti Aminah", "siti aminah"),
    ("H Abdul Rahman SE", "abdul rahman"),
    ("Andi Pratama, S.E.", "andi pratama"),
    ("  SITI   rahmawati ", "siti rahmawati"),
    ("Sa'diyah", "sadiyah"),
    ("Ns. Rina Wati, S.Kep", "rina wati"),
    ("Budi A.Md.Kom", "budi"),
    ("Muh. Yusuf", "muh yusuf"),  # an abbreviated name is not a title
    ("Ni Luh Putu Ayu", "ni luh putu ayu"),
    ("H.", "h"),  # nothing but a title: the title is the name
])
def test_a_name_is_compared_without_case_spacing_punctuation_titles_and_degrees(typed, normal):
    assert normal_name(typed) == normal


@pytest.mark.parametrize(("typed", "nip", "problem"), [
    (" 19850312 201001 2 005 ", "198503122010012005", None),
    ("'198503122010012005", "198503122010012005", None),  # Excel's text apostrophe
    ("KSB-2026.07", "KSB-2026.07", None),
    ("1985/0312", "1985/0312", "NIP «1985/0312» hanya boleh berisi angka, huruf, titik (.) "
                               "dan tanda hubung (-)."),
    ("1,98503E+17", "1,98503E+17", "NIP tersimpan sebagai angka di Excel, sehingga digit "
                                   "terakhirnya hilang (terbaca «1,98503E+17»). Format kolom "
                                   "NIP sebagai Teks, ketik ulang NIP-nya, lalu simpan lagi."),
    ("9" * 41, "9" * 41, "NIP terlalu panjang: maksimal 40 karakter (tertulis 41)."),
])
def test_a_nip_is_stripped_of_spaces_and_checked(typed, nip, problem):
    assert normal_nip(typed) == nip
    assert nip_problem(nip) == problem


# ------------------------------------------------------------------ matching


def test_the_same_nip_is_the_same_person_whatever_the_name():
    found = follow_people(SESSIONS[:2], [
        seat("KTB", "1", "Siti R.", nip="19850312 2010"),
        seat("BJR", "7", "Siti Rahmawati, S.Kom", unit="Dinkes", nip="198503122010"),
        seat("BJR", "8", "Andi", nip="1990"),
    ])
    (person,) = found.people
    assert person.how == How.NIP
    assert [(a.session, a.key) for a in person.present] == [("KTB", "1"), ("BJR", "7")]
    assert person.name == "Siti Rahmawati, S.Kom" and person.nip == "198503122010"
    assert found.proposals == () and found.notes == ()


def test_the_same_name_and_opd_is_only_proposed_until_confirmed():
    attendees = [seat("KTB", "1", "Drs. Ahmad Yani, M.Si", unit="Dinas  Kesehatan"),
                 seat("BJR", "2", "ahmad yani", unit="dinas kesehatan.")]
    proposed = follow_people(SESSIONS[:2], attendees)
    assert proposed.people == ()  # not counted before the facilitator says so
    (proposal,) = proposed.pending
    assert proposal.sessions == ["KTB", "BJR"] and not proposal.confirmed
    assert proposal.name == "ahmad yani"  # as the latest session wrote it
    assert "1 usulan nama+OPD menunggu konfirmasi" in proposed.summary

    confirmed = follow_people(SESSIONS[:2], attendees, {proposal.key})
    (person,) = confirmed.people
    assert person.how == How.NAME and confirmed.pending == []
    assert [p.key for p in confirmed.proposals] == [proposal.key]


def test_the_same_name_in_another_opd_is_not_proposed():
    found = follow_people(SESSIONS[:2], [seat("KTB", "1", "Siti", unit="Dinas Kesehatan"),
                                         seat("BJR", "2", "Siti", unit="Dinas PUPR")])
    assert found.proposals == () and found.people == ()


def test_the_opd_is_compared_by_its_catalogue_unit_when_known():
    found = follow_people(SESSIONS[:2], [
        seat("KTB", "1", "Siti", unit="Dinkes", unit_key="unit:dinkes"),
        seat("BJR", "2", "Siti", unit="Dinas Kesehatan", unit_key="unit:dinkes")])
    assert len(found.proposals) == 1


def test_two_people_of_one_session_are_never_one_person():
    # One NIP twice in a session: the NIP matches nobody, and the note says why.
    twice = follow_people(SESSIONS[:2], [
        seat("KTB", "1", "Siti", nip="111"), seat("KTB", "2", "Sita", nip="111"),
        seat("BJR", "3", "Siti", nip="111")])
    assert twice.people == ()
    assert twice.notes[0] == ("NIP 111 dipakai lebih dari satu peserta di sesi KTB («Sita», "
                              "«Siti»): NIP ini tidak dipakai untuk mencocokkan.")
    # Two «Siti» of one OPD in a session: no proposal, even with everything confirmed.
    doubled = follow_people(SESSIONS[:2], [
        seat("KTB", "1", "Siti"), seat("KTB", "2", "SITI"), seat("BJR", "3", "Siti")],
        confirm_all=True)
    assert doubled.people == () and doubled.proposals == ()
    assert doubled.notes == ("Ada lebih dari satu «Siti» (Dinas Kesehatan) di sesi KTB: tidak "
                             "diusulkan. Isi NIP di daftar peserta agar mereka dapat "
                             "dibedakan.",)


def test_confirmations_never_join_two_people_of_one_session():
    """A NIP person is «Siti» in KTB and «Siti R» in BJR; TLT has a «Siti» and a «Siti R»,
    each proposed for them. Confirming both would put two TLT people in one: the second
    confirmation is refused with a note."""
    attendees = [seat("KTB", "1", "Siti", nip="111"), seat("BJR", "2", "Siti R", nip="111"),
                 seat("TLT", "3", "Siti"), seat("TLT", "4", "Siti R")]
    found = follow_people(SESSIONS, attendees, confirm_all=True)
    (person,) = found.people
    assert [a.key for a in person.present] == ["1", "2", "3"]  # «siti» proposal first
    assert person.how == How.BOTH
    assert found.notes == ("Usulan «Siti R» (Dinas Kesehatan) tidak dapat digabung: orang "
                           "itu sudah dicocokkan dengan peserta lain di sesi yang sama.",)


def test_different_nips_with_one_name_are_different_people():
    found = follow_people(SESSIONS[:2], [seat("KTB", "1", "Siti", nip="111"),
                                         seat("BJR", "2", "Siti", nip="222")],
                          confirm_all=True)
    assert found.people == () and found.proposals == ()
    assert "NIP berbeda" in found.notes[0]


def test_a_nip_person_and_a_name_without_nip_are_proposed_together():
    found = follow_people(SESSIONS, [seat("KTB", "1", "Siti", nip="111"),
                                     seat("BJR", "2", "Siti", nip="111"),
                                     seat("TLT", "3", "Siti, S.E.")])
    (person,) = found.people
    assert person.how == How.NIP and len(person.present) == 2
    (proposal,) = found.proposals
    assert proposal.sessions == ["KTB", "BJR", "TLT"]
    joined = follow_people(SESSIONS, [seat("KTB", "1", "Siti", nip="111"),
                                      seat("BJR", "2", "Siti", nip="111"),
                                      seat("TLT", "3", "Siti, S.E.")], {proposal.key})
    assert [a.key for a in joined.people[0].present] == ["1", "2", "3"]
    assert joined.people[0].how == How.BOTH


def test_a_confirmation_names_exactly_who_it_joins():
    """A proposal that changed (a third session added) needs confirming again: an old key
    is counted as naming nothing."""
    two = follow_people(SESSIONS[:2], [seat("KTB", "1", "Siti"), seat("BJR", "2", "Siti")])
    old = two.proposals[0].key
    three = follow_people(SESSIONS, [seat("KTB", "1", "Siti"), seat("BJR", "2", "Siti"),
                                     seat("TLT", "3", "Siti")], {old})
    assert three.people == () and three.ignored == 1 and three.proposals[0].key != old


def test_the_result_does_not_depend_on_the_order_participants_come_in():
    attendees = [seat(s, f"{s}{i}", name, nip=nip)
                 for s in SESSIONS
                 for i, (name, nip) in enumerate([("Siti", "1"), ("Andi", None),
                                                  ("Budi", "3"), ("Rina", None)])]
    expected = follow_people(SESSIONS, attendees, confirm_all=True)
    assert [p.name for p in expected.people] == ["Andi", "Budi", "Rina", "Siti"]
    for seed in range(5):
        shuffled = attendees[:]
        random.Random(seed).shuffle(shuffled)
        assert follow_people(SESSIONS, shuffled, confirm_all=True) == expected


@pytest.mark.parametrize(("values", "keys", "bad"), [
    (["0123456789ab", " 0123456789AB ", "", "xyz", "0123456789abc"],
     {"0123456789ab"}, 2),
    ([f"{i:012x}" for i in range(MATCH_KEYS_MAX + 3)], None, 3),
])
def test_confirmations_are_read_as_keys_and_the_rest_counted(values, keys, bad):
    found, refused = parse_confirmations(values)
    assert refused == bad
    assert found == keys if keys is not None else len(found) == MATCH_KEYS_MAX


# ------------------------------------------------------------------ how figures moved


def test_a_falling_time_is_an_improvement_and_more_breaches_are_not():
    """First session: total 60%, verification 2 and 4 HK (median 3), first TL 5 HK, one
    breach, one report routed right of two (50%). Last: total 72.5%, verification 1 and 2
    HK (median 1.5), first TL 5 HK, three breaches, both routed right (100%)."""
    first = card(60.0, report("A", verify=2.0, first_tl=5.0, breaches=1, routed=True),
                 report("B", verify=4.0, routed=False))
    last = card(72.5, report("A", verify=1.0, first_tl=5.0, breaches=2, routed=True),
                report("B", verify=2.0, breaches=1, routed=True))
    moved = {key: change(FIGURES_BY_KEY[key], first, last) for key in
             ("total", "routing", "verify", "first_tl", "breaches", "quality")}
    assert (moved["total"].delta, moved["total"].text) == (12.5, "naik 12,5 poin persen "
                                                                 "(membaik)")
    assert (moved["routing"].delta, moved["routing"].text) == (50.0, "naik 50 poin persen "
                                                                     "(membaik)")
    assert (moved["verify"].delta, moved["verify"].text) == (-1.5, "turun 1,5 HK (membaik)")
    assert moved["verify"].improved is True
    assert (moved["first_tl"].direction, moved["first_tl"].text) == ("tetap", "tetap")
    assert (moved["breaches"].delta, moved["breaches"].text) == (2.0, "naik 2 (memburuk)")
    assert moved["breaches"].improved is False
    assert moved["quality"].delta is None
    assert moved["quality"].text == "tidak ada angka di salah satu sesi"


def test_a_move_smaller_than_shown_is_tetap():
    first, last = card(66.66), card(66.6749)  # both shown as 66,7%
    assert change(FIGURES_BY_KEY["total"], first, last).direction == "tetap"


def test_a_person_changes_between_their_first_and_last_own_card_and_the_summary_counts():
    """Siti: KTB 50%, BJR in mode tim (no card of her own), TLT 80%: up, from KTB to TLT.
    Andi: 70% then 40%: down. Rina only in KTB: not followed."""
    found = follow_people(SESSIONS, [
        seat("KTB", "1", "Siti", nip="1", member=card(50.0)),
        Attendee("BJR", "2", "Siti", "Dinas Kesehatan", nip="1", team="Tim 2"),  # no card
        seat("TLT", "3", "Siti", nip="1", member=card(80.0)),
        seat("KTB", "4", "Andi", nip="2", member=card(70.0)),
        seat("TLT", "5", "Andi", nip="2", member=card(40.0)),
        seat("KTB", "6", "Rina", nip="3"),
    ])
    andi, siti = found.people
    assert (siti.first, siti.last) == ("KTB", "TLT")
    assert siti.attendances[1] is not None and siti.attendances[1].team == "Tim 2"
    assert siti.change("total").text == "naik 30 poin persen (membaik)"
    assert andi.change("total").text == "turun 30 poin persen (memburuk)"
    assert andi.attendances[1] is None  # not in BJR
    assert found.improved == 1 and found.teams
    assert found.summary == ("2 orang diikuti di dua sesi atau lebih (2 lewat NIP). Nilai "
                             "total 1 orang naik, 1 turun, 0 tetap (dari 2 orang dengan "
                             "kartu pribadi di dua sesi).")


def test_with_nobody_followed_the_summary_says_how_to_follow_people():
    found = follow_people(SESSIONS[:2], [seat("KTB", "1", "Siti")])
    assert found.summary.startswith("Belum ada orang yang sama di dua sesi atau lebih. "
                                    "Isi kolom NIP")
