"""The report lifecycle: the TRANSITIONS table, field validation, allowed actions and replay."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sandbox.domain import workflow
from sandbox.domain.errors import DomainError, TransitionError, ValidationError
from sandbox.domain.workflow import (
    ACTION_SPECS,
    TRANSITIONS,
    Action,
    Actor,
    Directory,
    EventRecord,
    Klasifikasi,
    Role,
    State,
    allowed_actions,
    apply,
    parse_action,
    replay,
)

DIRECTORY = Directory(
    units={"pupr": "Dinas PUPR", "disdik": "Dinas Pendidikan"},
    agencies={"bpjn": "Balai Pelaksanaan Jalan Nasional"},
)

# One valid raw form per action (as a browser would post it: strings only).
VALID: dict[Action, dict[str, str]] = {
    Action.VERIFIKASI: {
        "judul": "Jalan berlubang di Desa Sukamaju",
        "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "infrastruktur",
        "unit": "pupr",
    },
    Action.KELOLA_SENDIRI: {
        "judul": "Pertanyaan jam layanan LAPOR",
        "klasifikasi": "permintaan_informasi",
        "kategori": "lainnya",
    },
    Action.TUNDA: {"pertanyaan": "Mohon sebutkan lokasi lampu jalan yang mati."},
    Action.ARSIPKAN: {"alasan": "spam"},
    Action.BUKAN_WEWENANG: {"instansi": "bpjn"},
    Action.KEMBALIKAN: {"alasan": "Salah disposisi, ini urusan Dinas Pendidikan."},
    Action.TINDAK_LANJUT: {"isi": "Tim sudah meninjau lokasi dan menjadwalkan perbaikan."},
    Action.PELAPOR_MEMBALAS: {"isi": "Lokasinya di depan masjid Al-Ikhlas."},
    Action.PELAPOR_MENERIMA: {"isi": "Terima kasih."},
    Action.PELAPOR_MENOLAK: {"isi": "Belum selesai, jalan masih berlubang."},
    Action.PELAPOR_MENILAI: {"bintang": "4"},
    Action.PELAPOR_MENANYAKAN: {"isi": "Kapan laporan saya ditindaklanjuti?"},
    Action.SELESAI_OTOMATIS: {"isi": "Batas waktu tanggapan pelapor telah lewat."},
}

ROWS = workflow._ROWS


def who(action: Action) -> Actor:
    """An actor who plays `action`'s role: a trainee for admin actions, else the script."""
    return Actor.PESERTA if action.role in workflow.TRAINEE_ROLES else Actor.NASKAH

FORBIDDEN = [(s, a) for s in State for a in Action if (s, a) not in TRANSITIONS]


def _id(row: workflow.Transition) -> str:
    return f"{row.source.value}-{row.action.value}"


def test_valid_payloads_cover_every_action():
    assert set(VALID) == set(Action)


def test_table_shape():
    assert len(ROWS) == 17
    assert len(TRANSITIONS) == len(ROWS)  # no row silently overrides another
    assert len(FORBIDDEN) == len(State) * len(Action) - 17 == 87


# ------------------------------------------------------------------ allowed rows


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_every_row_leads_to_its_target(row):
    outcome = apply(row.source, row.action, VALID[row.action], DIRECTORY, actor=who(row.action))
    assert outcome.state == row.target


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_akhir_flag_selects_final_target_only_where_defined(row):
    raw = {**VALID[row.action], "akhir": "1"}
    outcome = apply(row.source, row.action, raw, DIRECTORY, actor=who(row.action))
    expected = row.final_target if row.final_target is not None else row.target
    assert outcome.state == expected


def test_final_targets_are_exactly_the_tindak_lanjut_rows():
    finals = {(r.source, r.action): r.final_target for r in ROWS if r.final_target is not None}
    assert finals == {
        (State.TERDISPOSISI, Action.TINDAK_LANJUT): State.MENUNGGU_PELAPOR,
        (State.DIPROSES, Action.TINDAK_LANJUT): State.MENUNGGU_PELAPOR,
    }


@pytest.mark.parametrize(
    ("source", "action", "target"),
    [
        (State.BARU, Action.VERIFIKASI, State.TERDISPOSISI),
        (State.BARU, Action.KELOLA_SENDIRI, State.TERDISPOSISI),
        (State.BARU, Action.TUNDA, State.TUNDA),
        (State.BARU, Action.ARSIPKAN, State.DIARSIPKAN),
        (State.BARU, Action.BUKAN_WEWENANG, State.BUKAN_WEWENANG),
        (State.TUNDA, Action.PELAPOR_MEMBALAS, State.BARU),
        (State.TUNDA, Action.ARSIPKAN, State.DIARSIPKAN),
        (State.TERDISPOSISI, Action.KEMBALIKAN, State.BARU),
        (State.TERDISPOSISI, Action.TINDAK_LANJUT, State.DIPROSES),
        (State.TERDISPOSISI, Action.PELAPOR_MENANYAKAN, State.TERDISPOSISI),
        (State.DIPROSES, Action.TINDAK_LANJUT, State.DIPROSES),
        (State.DIPROSES, Action.PELAPOR_MENANYAKAN, State.DIPROSES),
        (State.MENUNGGU_PELAPOR, Action.PELAPOR_MENERIMA, State.SELESAI),
        (State.MENUNGGU_PELAPOR, Action.PELAPOR_MENOLAK, State.DIPROSES),
        (State.MENUNGGU_PELAPOR, Action.PELAPOR_MENILAI, State.MENUNGGU_PELAPOR),
        (State.SELESAI, Action.PELAPOR_MENILAI, State.SELESAI),
    ],
)
def test_table_matches_lapor_lifecycle(source, action, target):
    """The table as LAPOR.md section 2 describes it (independent of the table's own data)."""
    assert TRANSITIONS[(source, action)].target == target
    assert apply(source, action, VALID[action], DIRECTORY, actor=who(action)).state == target


@pytest.mark.parametrize(("value", "final"), [
    ("1", True), ("on", True), ("true", True), ("ya", True), ("YES", True), (True, True),
    ("0", False), ("", False), ("off", False), (None, False), (False, False),
])
def test_akhir_flag_values(value, final):
    raw = {**VALID[Action.TINDAK_LANJUT], "akhir": value}
    outcome = apply(State.DIPROSES, Action.TINDAK_LANJUT, raw, DIRECTORY, actor=who(Action.TINDAK_LANJUT))
    assert outcome.payload["akhir"] is final
    assert outcome.state == (State.MENUNGGU_PELAPOR if final else State.DIPROSES)


# ------------------------------------------------------------- forbidden pairs


@pytest.mark.parametrize(("state", "action"), FORBIDDEN,
                         ids=[f"{s.value}-{a.value}" for s, a in FORBIDDEN])
def test_forbidden_pair_raises_transition_error(state, action):
    with pytest.raises(TransitionError) as exc:
        apply(state, action, VALID[action], DIRECTORY, actor=who(action))
    assert exc.value.message == (
        f"Aksi «{action.label}» tidak berlaku untuk status {state.label}."
    )
    assert f"status {state.label}" in str(exc.value)


@pytest.mark.parametrize(("state", "action"), FORBIDDEN[::7])
def test_transition_is_checked_before_fields(state, action):
    """An empty form in a wrong state is a TransitionError, not a ValidationError."""
    with pytest.raises(TransitionError):
        apply(state, action, {}, DIRECTORY, actor=who(action))


def test_tindak_lanjut_in_selesai_message():
    with pytest.raises(TransitionError) as exc:
        apply(State.SELESAI, Action.TINDAK_LANJUT, VALID[Action.TINDAK_LANJUT], DIRECTORY, actor=who(Action.TINDAK_LANJUT))
    assert "tidak berlaku untuk status Selesai" in exc.value.message
    assert "«Tindak lanjut»" in exc.value.message


@pytest.mark.parametrize("state", [State.DIARSIPKAN, State.BUKAN_WEWENANG])
def test_closed_states_without_rating_accept_nothing(state):
    assert allowed_actions(state) == []
    for action in Action:
        with pytest.raises(TransitionError):
            apply(state, action, VALID[action], DIRECTORY, actor=who(action))


def test_parse_action():
    assert parse_action("tindak_lanjut") is Action.TINDAK_LANJUT
    with pytest.raises(TransitionError) as exc:
        parse_action("hapus_laporan")
    assert exc.value.message == "Aksi tidak dikenal: «hapus_laporan»."
    with pytest.raises(TransitionError) as exc:
        parse_action("x" * 100)
    assert exc.value.message == f"Aksi tidak dikenal: «{'x' * 40}»."


# ------------------------------------------------------------------ validation


def _errors(state, action, raw):
    with pytest.raises(ValidationError) as exc:
        apply(state, action, raw, DIRECTORY, actor=who(action))
    return exc.value.errors


V = VALID
TOO_SHORT_TL = "Sudah ditangani."  # 16 characters

EXACT_ERRORS = [
    # verifikasi: the target unit
    ("verif-no-unit", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": ""},
     {"unit": "Unit tujuan wajib diisi."}),
    ("verif-unit-missing", State.BARU, Action.VERIFIKASI,
     {k: v for k, v in V[Action.VERIFIKASI].items() if k != "unit"},
     {"unit": "Unit tujuan wajib diisi."}),
    ("verif-unit-blank", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": "   "},
     {"unit": "Unit tujuan wajib diisi."}),
    ("verif-unit-unknown", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": "xyz"},
     {"unit": "Unit tujuan tidak dikenal: «xyz»."}),
    ("verif-unit-agency", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": "bpjn"},
     {"unit": "Balai Pelaksanaan Jalan Nasional berada di luar Pemda: "
              "gunakan aksi Bukan Wewenang."}),
    ("verif-unit-long-unknown", State.BARU, Action.VERIFIKASI,
     {**V[Action.VERIFIKASI], "unit": "q" * 100},
     {"unit": f"Unit tujuan tidak dikenal: «{'q' * 60}»."}),
    # verifikasi / kelola sendiri: classification fields
    ("judul-10000", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "judul": "J" * 10_000},
     {"judul": "Judul terlalu panjang: maksimal 200 karakter, Anda menulis 10.000."}),
    ("judul-201", State.BARU, Action.KELOLA_SENDIRI,
     {**V[Action.KELOLA_SENDIRI], "judul": "J" * 201},
     {"judul": "Judul terlalu panjang: maksimal 200 karakter, Anda menulis 201."}),
    ("judul-short", State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "judul": "Jalan"},
     {"judul": "Judul terlalu pendek: minimal 10 karakter."}),
    ("judul-missing", State.BARU, Action.KELOLA_SENDIRI,
     {**V[Action.KELOLA_SENDIRI], "judul": "  "},
     {"judul": "Judul wajib diisi."}),
    ("klasifikasi-unknown", State.BARU, Action.VERIFIKASI,
     {**V[Action.VERIFIKASI], "klasifikasi": "keluhan"},
     {"klasifikasi": "Klasifikasi tidak dikenal: «keluhan»."}),
    ("klasifikasi-label-not-code", State.BARU, Action.KELOLA_SENDIRI,
     {**V[Action.KELOLA_SENDIRI], "klasifikasi": "Aspirasi"},
     {"klasifikasi": "Klasifikasi tidak dikenal: «Aspirasi»."}),
    ("kategori-unknown", State.BARU, Action.VERIFIKASI,
     {**V[Action.VERIFIKASI], "kategori": "olahraga"},
     {"kategori": "Kategori tidak dikenal: «olahraga»."}),
    # bukan wewenang
    ("bw-pemda-unit", State.BARU, Action.BUKAN_WEWENANG, {"instansi": "pupr"},
     {"instansi": "Dinas PUPR adalah perangkat daerah sendiri: gunakan Verifikasi dan disposisi."}),
    ("bw-missing", State.BARU, Action.BUKAN_WEWENANG, {},
     {"instansi": "Instansi tujuan wajib diisi."}),
    ("bw-unknown", State.BARU, Action.BUKAN_WEWENANG, {"instansi": "kpk"},
     {"instansi": "Instansi tujuan tidak dikenal: «kpk»."}),
    ("bw-catatan-long", State.BARU, Action.BUKAN_WEWENANG, {"instansi": "bpjn", "catatan": "c" * 1001},
     {"catatan": "Catatan terlalu panjang: maksimal 1.000 karakter, Anda menulis 1.001."}),
    # arsipkan
    ("arsip-reason-unknown", State.BARU, Action.ARSIPKAN, {"alasan": "malas"},
     {"alasan": "Alasan pengarsipan tidak dikenal: «malas»."}),
    ("arsip-reason-label", State.TUNDA, Action.ARSIPKAN, {"alasan": "Spam / tidak relevan"},
     {"alasan": "Alasan pengarsipan tidak dikenal: «Spam / tidak relevan»."}),
    ("arsip-reason-missing", State.TUNDA, Action.ARSIPKAN, {},
     {"alasan": "Alasan pengarsipan wajib diisi."}),
    # pelapor menilai
    ("bintang-6", State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": "6"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-0", State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": "0"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-abc", State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": "abc"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-negative", State.MENUNGGU_PELAPOR, Action.PELAPOR_MENILAI, {"bintang": "-3"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-decimal", State.MENUNGGU_PELAPOR, Action.PELAPOR_MENILAI, {"bintang": "4.5"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-superscript", State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": "²"},
     {"bintang": "Bintang harus bilangan 1 sampai 5."}),
    ("bintang-empty", State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": ""},
     {"bintang": "Jumlah bintang wajib diisi."}),
    ("bintang-missing", State.SELESAI, Action.PELAPOR_MENILAI, {},
     {"bintang": "Jumlah bintang wajib diisi."}),
    # tindak lanjut
    ("tl-short", State.TERDISPOSISI, Action.TINDAK_LANJUT, {"isi": TOO_SHORT_TL},
     {"isi": "Isi tindak lanjut terlalu pendek: minimal 20 karakter."}),
    ("tl-19", State.DIPROSES, Action.TINDAK_LANJUT, {"isi": "a" * 19, "akhir": "1"},
     {"isi": "Isi tindak lanjut terlalu pendek: minimal 20 karakter."}),
    ("tl-padded-short", State.DIPROSES, Action.TINDAK_LANJUT, {"isi": "   " + "a" * 18 + "   "},
     {"isi": "Isi tindak lanjut terlalu pendek: minimal 20 karakter."}),
    ("tl-missing", State.TERDISPOSISI, Action.TINDAK_LANJUT, {},
     {"isi": "Isi tindak lanjut wajib diisi."}),
    ("tl-too-long", State.TERDISPOSISI, Action.TINDAK_LANJUT, {"isi": "a" * 5001},
     {"isi": "Isi tindak lanjut terlalu panjang: maksimal 5.000 karakter, Anda menulis 5.001."}),
    # the other text actions
    ("tunda-short", State.BARU, Action.TUNDA, {"pertanyaan": "Di mana?"},
     {"pertanyaan": "Pertanyaan kepada pelapor terlalu pendek: minimal 10 karakter."}),
    ("tunda-missing", State.BARU, Action.TUNDA, {},
     {"pertanyaan": "Pertanyaan kepada pelapor wajib diisi."}),
    ("kembalikan-missing", State.TERDISPOSISI, Action.KEMBALIKAN, {"alasan": ""},
     {"alasan": "Alasan pengembalian wajib diisi."}),
    ("kembalikan-short", State.TERDISPOSISI, Action.KEMBALIKAN, {"alasan": "Salah"},
     {"alasan": "Alasan pengembalian terlalu pendek: minimal 10 karakter."}),
    ("membalas-missing", State.TUNDA, Action.PELAPOR_MEMBALAS, {},
     {"isi": "Balasan pelapor wajib diisi."}),
    ("menolak-too-long", State.MENUNGGU_PELAPOR, Action.PELAPOR_MENOLAK, {"isi": "x" * 2001},
     {"isi": "Komentar terlalu panjang: maksimal 2.000 karakter, Anda menulis 2.001."}),
]


@pytest.mark.parametrize(("state", "action", "raw", "expected"),
                         [case[1:] for case in EXACT_ERRORS],
                         ids=[case[0] for case in EXACT_ERRORS])
def test_validation_error_fields_and_messages(state, action, raw, expected):
    with pytest.raises(ValidationError) as exc:
        apply(state, action, raw, DIRECTORY, actor=who(action))
    assert exc.value.errors == expected
    field, message = next(iter(expected.items()))
    assert exc.value.field == field
    assert exc.value.message == message
    assert isinstance(exc.value, DomainError)


def test_unit_that_is_an_agency_mentions_bukan_wewenang():
    errors = _errors(State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": "bpjn"})
    assert "Bukan Wewenang" in errors["unit"]


def test_unknown_unit_message_prefix():
    errors = _errors(State.BARU, Action.VERIFIKASI, {**V[Action.VERIFIKASI], "unit": "xyz"})
    assert "Unit tujuan tidak dikenal" in errors["unit"]
    assert "xyz" in errors["unit"]


def test_bukan_wewenang_rejects_every_pemda_unit():
    for code, name in DIRECTORY.units.items():
        errors = _errors(State.BARU, Action.BUKAN_WEWENANG, {"instansi": code})
        assert list(errors) == ["instansi"]
        assert errors["instansi"].startswith(name)


def test_verifikasi_collects_every_missing_field_at_once():
    with pytest.raises(ValidationError) as exc:
        apply(State.BARU, Action.VERIFIKASI, {}, DIRECTORY, actor=who(Action.VERIFIKASI))
    assert exc.value.errors == {
        "judul": "Judul wajib diisi.",
        "klasifikasi": "Klasifikasi wajib diisi.",
        "kategori": "Kategori wajib diisi.",
        "unit": "Unit tujuan wajib diisi.",
    }
    assert exc.value.field == "judul"
    assert str(exc.value) == ("Judul wajib diisi.; Klasifikasi wajib diisi.; "
                              "Kategori wajib diisi.; Unit tujuan wajib diisi.")


def test_verifikasi_collects_mixed_problems():
    raw = {"judul": "Pendek", "klasifikasi": "keluhan", "kategori": "infrastruktur",
           "unit": "bpjn"}
    errors = _errors(State.BARU, Action.VERIFIKASI, raw)
    assert set(errors) == {"judul", "klasifikasi", "unit"}
    assert errors["judul"] == "Judul terlalu pendek: minimal 10 karakter."
    assert errors["klasifikasi"] == "Klasifikasi tidak dikenal: «keluhan»."
    assert "Bukan Wewenang" in errors["unit"]


def test_bukan_wewenang_collects_two_fields():
    errors = _errors(State.BARU, Action.BUKAN_WEWENANG, {"instansi": "pupr", "catatan": "c" * 1001})
    assert set(errors) == {"instansi", "catatan"}


@pytest.mark.parametrize("length", [10, 200])
def test_judul_length_bounds_accepted(length):
    raw = {**V[Action.VERIFIKASI], "judul": "J" * length}
    assert apply(State.BARU, Action.VERIFIKASI, raw, DIRECTORY, actor=who(Action.VERIFIKASI)).payload["judul"] == "J" * length


@pytest.mark.parametrize("stars", ["1", "2", "3", "4", "5", " 5 ", "05"])
def test_bintang_accepted(stars):
    outcome = apply(State.SELESAI, Action.PELAPOR_MENILAI, {"bintang": stars}, DIRECTORY, actor=who(Action.PELAPOR_MENILAI))
    assert outcome.payload == {"bintang": int(stars)}
    assert outcome.state == State.SELESAI


@pytest.mark.parametrize("klasifikasi", [k.value for k in Klasifikasi])
def test_every_klasifikasi_accepted(klasifikasi):
    raw = {**V[Action.VERIFIKASI], "klasifikasi": klasifikasi}
    assert apply(State.BARU, Action.VERIFIKASI, raw, DIRECTORY, actor=who(Action.VERIFIKASI)).payload["klasifikasi"] == klasifikasi


@pytest.mark.parametrize("alasan", ["spam", "terlalu_umum", "bukan_pelayanan_publik", "duplikat",
                                    "tidak_ada_informasi"])
def test_every_archive_reason_accepted(alasan):
    outcome = apply(State.TUNDA, Action.ARSIPKAN, {"alasan": alasan}, DIRECTORY, actor=who(Action.ARSIPKAN))
    assert outcome.payload == {"alasan": alasan}
    assert outcome.state == State.DIARSIPKAN


def test_tl_of_exactly_20_characters_is_accepted():
    outcome = apply(State.TERDISPOSISI, Action.TINDAK_LANJUT, {"isi": "a" * 20}, DIRECTORY, actor=who(Action.TINDAK_LANJUT))
    assert outcome.payload == {"isi": "a" * 20, "akhir": False}


# ------------------------------------------------------------ cleaned payloads


def test_verifikasi_payload_is_cleaned():
    raw = {
        "judul": "   Jalan berlubang di Desa Sukamaju  ",
        "klasifikasi": "aspirasi",
        "kategori": "infrastruktur",
        "unit": " disdik ",
        "rahasia": "on",
        "csrf_token": "abc",
        "state": "SELESAI",
    }
    outcome = apply(State.BARU, Action.VERIFIKASI, raw, DIRECTORY, actor=who(Action.VERIFIKASI))
    assert outcome.payload == {
        "judul": "Jalan berlubang di Desa Sukamaju",
        "klasifikasi": "aspirasi",
        "kategori": "infrastruktur",
        "rahasia": True,
        "anonim": False,
        "unit": "disdik",
    }
    assert outcome.state == State.TERDISPOSISI


def test_kelola_sendiri_payload_has_no_unit():
    raw = {**V[Action.KELOLA_SENDIRI], "unit": "pupr", "anonim": "1"}
    outcome = apply(State.BARU, Action.KELOLA_SENDIRI, raw, DIRECTORY, actor=who(Action.KELOLA_SENDIRI))
    assert "unit" not in outcome.payload
    assert outcome.payload["anonim"] is True


@pytest.mark.parametrize(("action", "state", "raw", "payload"), [
    (Action.ARSIPKAN, State.BARU, {"alasan": "spam", "catatan": ""}, {"alasan": "spam"}),
    (Action.ARSIPKAN, State.BARU, {"alasan": "spam", "catatan": " promosi judi "},
     {"alasan": "spam", "catatan": "promosi judi"}),
    (Action.BUKAN_WEWENANG, State.BARU, {"instansi": "bpjn"}, {"instansi": "bpjn"}),
    (Action.PELAPOR_MENERIMA, State.MENUNGGU_PELAPOR, {}, {}),
    (Action.PELAPOR_MENANYAKAN, State.DIPROSES, {"isi": " Kapan? "}, {"isi": "Kapan?"}),
    (Action.TUNDA, State.BARU, {"pertanyaan": "Di jalan mana tepatnya?", "x": "y"},
     {"pertanyaan": "Di jalan mana tepatnya?"}),
])
def test_cleaned_payloads(action, state, raw, payload):
    assert apply(state, action, raw, DIRECTORY, actor=who(action)).payload == payload


# ------------------------------------------------------------- allowed actions


@pytest.mark.parametrize(("state", "role", "expected"), [
    (State.BARU, Role.ADMIN_INSTANSI, [Action.VERIFIKASI, Action.KELOLA_SENDIRI, Action.TUNDA,
                                        Action.ARSIPKAN, Action.BUKAN_WEWENANG]),
    (State.BARU, Role.ADMIN_PENGHUBUNG, []),
    (State.BARU, Role.PELAPOR, []),
    (State.TUNDA, Role.ADMIN_INSTANSI, [Action.ARSIPKAN]),
    (State.TUNDA, Role.PELAPOR, [Action.PELAPOR_MEMBALAS]),
    (State.TERDISPOSISI, Role.ADMIN_INSTANSI, []),
    (State.TERDISPOSISI, Role.ADMIN_PENGHUBUNG, [Action.KEMBALIKAN, Action.TINDAK_LANJUT]),
    (State.TERDISPOSISI, Role.PELAPOR, [Action.PELAPOR_MENANYAKAN]),
    (State.DIPROSES, Role.ADMIN_PENGHUBUNG, [Action.TINDAK_LANJUT]),
    (State.DIPROSES, Role.PELAPOR, [Action.PELAPOR_MENANYAKAN]),
    (State.MENUNGGU_PELAPOR, Role.ADMIN_PENGHUBUNG, []),
    (State.MENUNGGU_PELAPOR, Role.PELAPOR, [Action.PELAPOR_MENERIMA, Action.PELAPOR_MENOLAK,
                                            Action.PELAPOR_MENILAI]),
    (State.SELESAI, Role.PELAPOR, [Action.PELAPOR_MENILAI]),
    (State.SELESAI, Role.ADMIN_INSTANSI, []),
    (State.DIARSIPKAN, Role.ADMIN_INSTANSI, []),
    (State.BUKAN_WEWENANG, Role.ADMIN_INSTANSI, []),
] + [(state, Role.SISTEM, [Action.SELESAI_OTOMATIS] if state == State.MENUNGGU_PELAPOR else [])
      for state in State])
def test_allowed_actions_by_role(state, role, expected):
    assert allowed_actions(state, role) == expected


@pytest.mark.parametrize("state", list(State))
def test_allowed_actions_partition_by_role_in_table_order(state):
    everything = allowed_actions(state)
    table_order = [row.action for row in ROWS if row.source == state]
    assert everything == table_order
    merged = []
    for role in Role:
        for action in allowed_actions(state, role):
            assert action.role == role
            assert (state, action) in TRANSITIONS
            merged.append(action)
    assert sorted(merged) == sorted(everything)
    # each role's list is a subsequence of the table order
    for role in Role:
        subset = allowed_actions(state, role)
        assert subset == [a for a in everything if a in subset]


# ----------------------------------------------------------- labels and specs


EXPECTED_ROLES = {
    Action.VERIFIKASI: Role.ADMIN_INSTANSI,
    Action.KELOLA_SENDIRI: Role.ADMIN_INSTANSI,
    Action.TUNDA: Role.ADMIN_INSTANSI,
    Action.ARSIPKAN: Role.ADMIN_INSTANSI,
    Action.BUKAN_WEWENANG: Role.ADMIN_INSTANSI,
    Action.KEMBALIKAN: Role.ADMIN_PENGHUBUNG,
    Action.TINDAK_LANJUT: Role.ADMIN_PENGHUBUNG,
    Action.PELAPOR_MEMBALAS: Role.PELAPOR,
    Action.PELAPOR_MENERIMA: Role.PELAPOR,
    Action.PELAPOR_MENOLAK: Role.PELAPOR,
    Action.PELAPOR_MENILAI: Role.PELAPOR,
    Action.PELAPOR_MENANYAKAN: Role.PELAPOR,
    Action.SELESAI_OTOMATIS: Role.SISTEM,
}


@pytest.mark.parametrize("action", list(Action))
def test_every_action_has_spec_label_and_role(action):
    spec = ACTION_SPECS[action]
    assert isinstance(action.label, str)
    assert action.label.strip() == action.label and len(action.label) >= 5
    assert action.label == spec.label
    assert action.role == spec.role == EXPECTED_ROLES[action]
    assert callable(spec.validate)


def test_action_specs_have_exactly_the_actions_and_distinct_labels():
    assert set(ACTION_SPECS) == set(Action)
    labels = [a.label for a in Action]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(("state", "label"), [
    (State.BARU, "Belum Terverifikasi"),
    (State.TUNDA, "Ditunda"),
    (State.DIARSIPKAN, "Diarsipkan"),
    (State.BUKAN_WEWENANG, "Bukan Wewenang"),
    (State.TERDISPOSISI, "Belum Ditindaklanjuti"),
    (State.DIPROSES, "Proses"),
    (State.MENUNGGU_PELAPOR, "Menunggu Tanggapan Pelapor"),
    (State.SELESAI, "Selesai"),
])
def test_every_state_has_its_label(state, label):
    assert state.label == label


def test_state_labels_complete_and_closed_states():
    assert set(workflow.STATE_LABELS) == set(State)
    assert {s for s in State if s.is_closed} == {
        State.DIARSIPKAN, State.BUKAN_WEWENANG, State.SELESAI}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_label(role):
    assert role.label == workflow.ROLE_LABELS[role]
    assert role.label


# ---------------------------------------------------------------------- replay

T0 = datetime(2026, 3, 2, 9, 0)


def _events(steps):
    """EventRecords for (action, payload) steps, one simulated hour apart."""
    records = []
    for seq, (action, payload) in enumerate(steps, 1):
        at = T0 + timedelta(hours=seq)
        records.append(EventRecord(seq=seq, action=action, role=action.role, actor="Siti",
                                   payload=payload, sim_at=at, wall_at=at - timedelta(hours=7)))
    return records


def _at(seq):
    return T0 + timedelta(hours=seq)


VERIF_PUPR = {"judul": "Jalan rusak di Desa Satu", "klasifikasi": "aspirasi",
              "kategori": "infrastruktur", "rahasia": False, "anonim": True, "unit": "pupr"}
VERIF_DISDIK = {"judul": "Ruang kelas SD rusak parah", "klasifikasi":
                "pengaduan_tidak_berkadar_pengawasan", "kategori": "pendidikan",
                "rahasia": True, "anonim": False, "unit": "disdik"}
TL = {"isi": "Sedang kami tinjau ke lokasi.", "akhir": False}
TL_FINAL = {"isi": "Perbaikan sudah selesai dikerjakan.", "akhir": True}


def test_replay_full_lifecycle():
    events = _events([
        (Action.VERIFIKASI, VERIF_PUPR),                      # 1
        (Action.KEMBALIKAN, {"alasan": "Bukan urusan PUPR."}),  # 2
        (Action.VERIFIKASI, VERIF_DISDIK),                    # 3
        (Action.TINDAK_LANJUT, TL),                           # 4
        (Action.TINDAK_LANJUT, TL_FINAL),                     # 5
        (Action.PELAPOR_MENOLAK, {"isi": "Belum selesai."}),  # 6
        (Action.TINDAK_LANJUT, TL_FINAL),                     # 7
        (Action.PELAPOR_MENERIMA, {}),                        # 8
        (Action.PELAPOR_MENILAI, {"bintang": 4}),             # 9
    ])
    view = replay(events)
    assert view.state == State.SELESAI
    assert view.unit == "disdik"
    assert view.judul == "Ruang kelas SD rusak parah"
    assert view.klasifikasi == "pengaduan_tidak_berkadar_pengawasan"
    assert view.kategori == "pendidikan"
    assert view.rahasia is True
    assert view.anonim is False
    assert view.agency is None
    assert view.archive_reason is None
    assert view.follow_ups == 3
    assert view.rating == 4
    assert view.verified_at == _at(1)
    assert view.first_follow_up_at == _at(4)
    assert view.closed_at == _at(8)


@pytest.mark.parametrize(("count", "state", "unit"), [
    (1, State.TERDISPOSISI, "pupr"),
    (2, State.BARU, None),
    (3, State.TERDISPOSISI, "disdik"),
    (4, State.DIPROSES, "disdik"),
    (5, State.MENUNGGU_PELAPOR, "disdik"),
    (6, State.DIPROSES, "disdik"),
    (7, State.MENUNGGU_PELAPOR, "disdik"),
    (8, State.SELESAI, "disdik"),
])
def test_replay_prefixes(count, state, unit):
    steps = [
        (Action.VERIFIKASI, VERIF_PUPR),
        (Action.KEMBALIKAN, {"alasan": "Bukan urusan PUPR."}),
        (Action.VERIFIKASI, VERIF_DISDIK),
        (Action.TINDAK_LANJUT, TL),
        (Action.TINDAK_LANJUT, TL_FINAL),
        (Action.PELAPOR_MENOLAK, {}),
        (Action.TINDAK_LANJUT, TL_FINAL),
        (Action.PELAPOR_MENERIMA, {}),
    ]
    view = replay(_events(steps[:count]))
    assert view.state == state
    assert view.unit == unit
    assert view.closed_at == (_at(8) if count == 8 else None)


def test_replay_of_nothing_is_a_new_report():
    view = replay([])
    assert view.state == State.BARU
    assert (view.judul, view.unit, view.follow_ups, view.rating, view.verified_at) == (
        None, None, 0, None, None)


def test_replay_bukan_wewenang_and_archive():
    bw = replay(_events([(Action.BUKAN_WEWENANG, {"instansi": "bpjn"})]))
    assert (bw.state, bw.agency, bw.unit, bw.closed_at) == (
        State.BUKAN_WEWENANG, "bpjn", None, _at(1))
    archived = replay(_events([
        (Action.TUNDA, {"pertanyaan": "Di mana lokasinya?"}),
        (Action.PELAPOR_MEMBALAS, {"isi": "Tidak tahu."}),
        (Action.TUNDA, {"pertanyaan": "Mohon sebut alamat."}),
        (Action.ARSIPKAN, {"alasan": "tidak_ada_informasi"}),
    ]))
    assert archived.state == State.DIARSIPKAN
    assert archived.archive_reason == "tidak_ada_informasi"
    assert archived.closed_at == _at(4)
    assert archived.verified_at is None


def test_replay_rating_while_waiting_keeps_state_open():
    view = replay(_events([
        (Action.KELOLA_SENDIRI, {k: v for k, v in VERIF_PUPR.items() if k != "unit"}),
        (Action.TINDAK_LANJUT, TL_FINAL),
        (Action.PELAPOR_MENILAI, {"bintang": "5"}),
    ]))
    assert view.state == State.MENUNGGU_PELAPOR
    assert view.rating == 5
    assert view.unit is None
    assert view.closed_at is None
    assert view.first_follow_up_at == _at(2)


def test_replay_rejects_tl_directly_in_baru():
    with pytest.raises(TransitionError) as exc:
        replay(_events([(Action.TINDAK_LANJUT, TL)]))
    assert exc.value.message == (
        "Log peristiwa tidak konsisten: «Tindak lanjut» pada status Belum Terverifikasi "
        "(urutan 1).")


def test_replay_rejects_inconsistent_event_later_in_log():
    with pytest.raises(TransitionError) as exc:
        replay(_events([
            (Action.VERIFIKASI, VERIF_PUPR),
            (Action.TINDAK_LANJUT, TL),
            (Action.PELAPOR_MENERIMA, {}),  # only allowed after a final TL
        ]))
    assert "pada status Proses (urutan 3)" in exc.value.message


def test_replay_rejects_action_after_closing():
    with pytest.raises(TransitionError) as exc:
        replay(_events([(Action.ARSIPKAN, {"alasan": "spam"}),
                        (Action.VERIFIKASI, VERIF_PUPR)]))
    assert "pada status Diarsipkan (urutan 2)" in exc.value.message


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_apply_and_replay_agree_on_every_row(row):
    """Recording apply()'s outcome and replaying it reaches the same state."""
    paths = {
        State.BARU: [],
        State.TUNDA: [(Action.TUNDA, VALID[Action.TUNDA])],
        State.TERDISPOSISI: [(Action.VERIFIKASI, VALID[Action.VERIFIKASI])],
        State.DIPROSES: [(Action.VERIFIKASI, VALID[Action.VERIFIKASI]),
                         (Action.TINDAK_LANJUT, VALID[Action.TINDAK_LANJUT])],
        State.MENUNGGU_PELAPOR: [(Action.VERIFIKASI, VALID[Action.VERIFIKASI]),
                                 (Action.TINDAK_LANJUT, {**VALID[Action.TINDAK_LANJUT],
                                                         "akhir": "1"})],
    }
    paths[State.SELESAI] = [*paths[State.MENUNGGU_PELAPOR],
                            (Action.PELAPOR_MENERIMA, {})]
    state, steps = State.BARU, []
    for action, raw in [*paths[row.source], (row.action, {**VALID[row.action], "akhir": "1"})]:
        outcome = apply(state, action, raw, DIRECTORY, actor=who(action))
        steps.append((action, outcome.payload))
        state = outcome.state
    assert replay(_events(steps)).state == state == (row.final_target or row.target)
