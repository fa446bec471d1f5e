"""Voices and channels that agree (issue 15, item 1): each channel its wrapper and register,
the officer's third person for a phone call or a walk-in, one register per report."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.generator import generate
from sandbox.domain.voice import (
    Register,
    age_group,
    classify,
    handles,
    register_weights,
    third_person,
)

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 7, 0)
OFFICER = ("telepon", "langsung")
FIRST_PERSON = re.compile(r"\b(saya|kami|sy|aku)\b", re.IGNORECASE)
CHAT = re.compile(r"\b(tlg|udh|gk|bgt|gmn|blm|yg|pdhl|kmrn)\b")
EMOJI = re.compile("[\U0001F300-\U0001FAFF]")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")


@pytest.fixture(scope="module")
def sample(catalogue):
    return list(generate(catalogue, 2026, 3000, START))


def _originals(sample):
    return [c for c in sample if c.key.duplicate_of is None]


def _age(complaint):
    """The reporter's age from the birth date in the NIK."""
    today = START.date()
    nik = complaint.reporter.nik
    day = int(nik[6:8]) % 40
    born = date(2000 + int(nik[10:12]) if int(nik[10:12]) <= today.year % 100
                else 1900 + int(nik[10:12]), int(nik[8:10]), day)
    return (today - born).days // 365


def test_each_channel_carries_the_registers_that_fit_it(sample):
    registers = defaultdict(Counter)
    for complaint in _originals(sample):
        registers[complaint.channel][complaint.voice.register] += 1
    # An SMS or a public post is never a letter; shorthand is what an SMS mostly is.
    for channel in ("sms", "medsos"):
        assert registers[channel][Register.FORMAL] == 0, registers[channel]
    assert registers["sms"].most_common(1)[0][0] == Register.SINGKAT
    assert registers["medsos"][Register.MARAH] > registers["medsos"][Register.SOPAN]
    # The officer does not take down a call in chat shorthand or in anger.
    for channel in OFFICER:
        assert registers[channel][Register.SINGKAT] == registers[channel][Register.MARAH] == 0
    # Letters come by the web form more than by the app.
    web, app = registers["web"], registers["aplikasi"]
    assert web[Register.FORMAL] / web.total() > 2 * app[Register.FORMAL] / app.total()


def test_phone_calls_and_walk_ins_are_written_by_the_officer(sample):
    notes = [c for c in _originals(sample) if c.channel in OFFICER]
    assert len(notes) > 300
    for complaint in notes:
        text = complaint.text
        assert not FIRST_PERSON.search(text), text
        assert not CHAT.search(text), text
        assert not EMOJI.search(text) and "!!" not in text, text
        assert "Dengan hormat" not in text and "Terima kasih" not in text, text
        assert re.search(r"\bpelapor\b|\bDisampaikan bahwa\b|\bWarga\b", text,
                         re.IGNORECASE), text
    headers = Counter(c.text.split(" Pelapor")[0] for c in notes if "pukul" in c.text)
    assert len(headers) > 50  # the time and the wording of the header vary


def test_sms_and_posts_are_short_and_the_web_form_longer(sample):
    lengths = defaultdict(list)
    for complaint in _originals(sample):
        lengths[complaint.channel].append(len(complaint.voice.words))

    def median(values):
        return sorted(values)[len(values) // 2]

    assert median(lengths["sms"]) < 0.6 * median(lengths["web"])
    assert median(lengths["medsos"]) < 0.6 * median(lengths["web"])
    assert median(lengths["telepon"]) > median(lengths["sms"])


def test_posts_mention_lapor_and_tag_only_accounts_of_the_region(catalogue, sample):
    region = catalogue.region
    slug = region.short.lower()
    assert all(slug in handle for handle in handles(region.kind, region.short))
    posts = [c for c in sample if c.channel == "medsos"]
    tagged = 0
    for complaint in posts:
        assert "@lapor1708" in complaint.text or "#lapor1708" in complaint.text
        mentions = set(re.findall(r"@\w+", complaint.text)) - {"@lapor1708"}
        # Only the region's own accounts (the Pemda, its head, a local page): nobody real.
        assert all(slug in mention for mention in mentions), mentions
        tagged += bool(mentions)
    assert 0.15 < tagged / len(posts) < 0.7  # sometimes, not always
    others = [c for c in sample if c.channel != "medsos"]
    assert not any("@lapor1708" in c.text for c in others)


def test_a_letter_stays_a_letter(sample):
    """One register per report: a letter gets no shorthand, emoji or lower-case starts,
    and an officer's note none of the chat's mess."""
    for complaint in sample:
        if complaint.voice.register == Register.FORMAL or complaint.channel in OFFICER:
            assert not complaint.voice.features & {"singkatan", "emoji", "huruf_kecil",
                                                   "huruf_ganda", "bahasa_daerah"}, complaint


def test_the_young_write_shorthand_more_than_the_old(sample):
    shares = {}
    for group in ("muda", "tua"):
        chosen = [c for c in _originals(sample)
                  if c.channel in ("aplikasi", "sms", "medsos") and age_group(_age(c)) == group]
        shares[group] = sum(c.voice.register == Register.SINGKAT for c in chosen) / len(chosen)
    assert shares["muda"] > 2 * shares["tua"], shares
    options, weights = register_weights("web", 70, set(Register))
    assert dict(zip(options, weights, strict=True))  # every register stays possible


@pytest.mark.parametrize(("template", "register"), [
    ("Dengan hormat, saya warga {kelurahan} melaporkan ...", Register.FORMAL),
    ("Yth. Bapak/Ibu, kami menyampaikan ...", Register.FORMAL),
    ("PDAM PAYAH!!! Air mati sejak {tanggal}", Register.MARAH),
    ("Selamat pagi. Mohon maaf, air di {kelurahan} mati.", Register.SOPAN),
    ("air pdam mati lg dr kmrn pak, tlg", Register.SINGKAT),
    ("Assalamualaikum, rmh sy udh mau ambruk, gmn cara dpt bantuan?", Register.SINGKAT),
    ("Air PDAM di {kelurahan} mati sejak {tanggal}.", Register.BIASA),
])
def test_a_template_register_is_read_from_its_words(template, register):
    assert classify(template) == register


@pytest.mark.parametrize(("said", "written"), [
    ("Dengan hormat, saya pelanggan PDAM nomor {no_pelanggan} di {kelurahan}. Mohon segera "
     "diperbaiki. Terima kasih.",
     "Pelapor adalah pelanggan PDAM nomor {no_pelanggan} di {kelurahan}. Pelapor memohon agar "
     "segera diperbaiki."),
    ("Selamat siang. Apakah pencetakan KTP-el ada biayanya? Mohon nama saya tidak disebut.",
     "Pelapor menanyakan apakah pencetakan KTP-el ada biayanya. Pelapor meminta identitasnya "
     "dirahasiakan."),
    ("Anak saya lulusan {sd}. Kami warga RT {rt} sudah menunggu!!",
     "Anak pelapor lulusan {sd}. Pelapor bersama warga RT {rt} sudah menunggu."),
    ("Tagihan saya di Jl. Kenari naik. Jatuh temponya kapan?",
     "Tagihan pelapor di Jl. Kenari naik. Pelapor menanyakan jatuh temponya kapan."),
])
def test_the_officer_reports_the_reporters_words_in_the_third_person(said, written):
    assert third_person(said) == written


def test_the_officer_adds_no_place_to_a_report_that_lacks_one(catalogue):
    """A tunda report is missing its place: the officer's note must not supply it."""
    names = {k.name for k in catalogue.region.kecamatan} | {
        v for k in catalogue.region.kecamatan for v in k.kelurahan}
    tunda = [dataclasses.replace(t, channels=OFFICER) for t in catalogue.topics
             if t.action == "tunda" and not any("{kec" in tpl or "{kel" in tpl or "{jalan}" in tpl
                                                for tpl in t.templates)]
    assert tunda
    for complaint in generate(catalogue, 3, 300, START, topics=tunda):
        assert not any(re.search(rf"\b{re.escape(name)}\b", complaint.text) for name in names), \
            complaint.text


def test_a_hand_written_text_is_shown_exactly_as_written(catalogue):
    written = "Tolong!!! air mati di RT 3, sy sdh lapor ke pak RT tp blm ada kabar"
    topic = dataclasses.replace(catalogue.topic("pdam-air-mati"), templates=(written,),
                                channels=("telepon",), verbatim=True, attachments=())
    for complaint in generate(catalogue, 1, 20, START, sequence=[topic] * 20, messiness=1.0):
        assert complaint.text == written


def test_the_officers_rewording_keeps_every_place_slot(catalogue):
    """The officer's note is made once per template: it must keep the slots that say where
    (and the other values), never turn one into something else ("{smp}" into "sampai")."""
    from string import Formatter

    def slots(text):
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}

    for topic in catalogue.topics:
        for template in topic.templates:
            written = third_person(template)
            assert slots(written) <= slots(template), (topic.id, template, written)
            where = {"kelurahan", "kecamatan", "jalan", "rt", "rw", "sd", "smp", "sma", "smk",
                     "madrasah", "puskesmas", "rsud", "pasar"}
            assert slots(template) & where <= slots(written), (topic.id, template, written)
